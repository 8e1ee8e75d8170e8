"""The production myDATA connector (AADE's REST API, ERP or provider channel), over urllib3.

Headers and URLs: shared/reference/mydata-api.md §1. Classification of answers follows its §1.6:
ResponseDoc ValidationError/XMLSyntaxError → rejected; TechnicalError, 429, connect failures →
transient; 5xx, read timeouts, resets → ambiguous (AADE may have registered the document).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Protocol
from urllib.parse import urlencode

import urllib3

from ...connectors.base import Outcome, SendResult, UpstreamUnavailable
from ...connectors.http import request_once
from ...settings import Settings
from ...store.secrets import Credentials
from .aade.response import (
    TECHNICAL_ERROR,
    ResponseEntry,
    TransmittedDoc,
    parse_requested_doc,
    parse_response_doc,
)

MAX_PAGES = 50


class MyDataPort(Protocol):
    """What the transmitter and the drop-in cancellation ask of myDATA (the connector, or a fake)."""

    def send_invoices(self, xml: bytes) -> SendResult: ...

    def find_transmitted(self, uid: str, issue_date: date) -> TransmittedDoc | None: ...

    def cancel_invoice(self, mark: int) -> SendResult: ...

    def with_credentials(self, credentials: Credentials) -> MyDataPort:
        """The same connection pool under another AADE account (a tenant's own, issue 18 §8)."""
        ...


class MyDataConnector:
    def __init__(self, base_url: str, user_id: str, subscription_key: str,
                 connect_timeout: float = 3.0, read_timeout: float = 20.0,
                 pool: urllib3.PoolManager | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {
            "aade-user-id": user_id,
            "Ocp-Apim-Subscription-Key": subscription_key,
            "Content-Type": "application/xml",
        }
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        self._pool = pool or urllib3.PoolManager(num_pools=4, maxsize=8)

    def with_credentials(self, credentials: Credentials) -> MyDataConnector:
        other = copy.copy(self)
        other._headers = {**self._headers, "aade-user-id": credentials.user,
                          "Ocp-Apim-Subscription-Key": credentials.key}
        return other

    @classmethod
    def from_settings(cls, settings: Settings) -> MyDataConnector:
        return cls(settings.mydata_url, settings.mydata_user_id, settings.mydata_subscription_key,
                   settings.mydata_connect_timeout_s, settings.mydata_read_timeout_s)

    def send_invoices(self, xml: bytes) -> SendResult:
        return self._post(f"{self.base_url}/SendInvoices", xml)

    def cancel_invoice(self, mark: int) -> SendResult:
        """``CancelInvoice?mark=`` (no body). Cancelling twice is refused upstream, so an ambiguous
        outcome is safe to retry: the second answer says whether the first went through."""
        return self._post(f"{self.base_url}/CancelInvoice?mark={int(mark)}")

    def _post(self, url: str, body: bytes | None = None) -> SendResult:
        """One POST, never retried here; how it ended, by when it failed (mydata-api.md §1.6)."""
        response, failed = request_once(self._pool, "POST", url, body=body, headers=self._headers,
                                        timeout=self._timeout)
        if response is None:
            assert failed is not None
            return failed
        return classify(response.status, response.data)

    def find_transmitted(self, uid: str, issue_date: date) -> TransmittedDoc | None:
        """Look a document up among what we transmitted (RequestTransmittedDocs, by its issue date)."""
        day = issue_date.strftime("%d/%m/%Y")
        params: dict[str, str] = {"mark": "0", "dateFrom": day, "dateTo": day}
        for _ in range(MAX_PAGES):
            try:
                response = self._pool.request(
                    "GET", f"{self.base_url}/RequestTransmittedDocs?{urlencode(params)}",
                    headers=self._headers, timeout=self._timeout, retries=False,
                )
            except urllib3.exceptions.HTTPError as exc:
                raise UpstreamUnavailable(str(exc)) from None
            if response.status != 200:
                raise UpstreamUnavailable(f"RequestTransmittedDocs answered HTTP {response.status}")
            try:
                docs, token = parse_requested_doc(response.data)
            except ValueError as exc:
                raise UpstreamUnavailable(f"unreadable RequestedDoc: {exc}") from None
            for doc in docs:
                if doc.uid == uid.upper() and doc.cancelled_by_mark is None:
                    return doc
            if token is None:
                return None
            params.update(nextPartitionKey=token[0], nextRowKey=token[1])
        raise UpstreamUnavailable("RequestTransmittedDocs kept paginating")


def classify(status: int, body: bytes) -> SendResult:
    if status in (401, 403):
        return SendResult(Outcome.CONFIGURATION, f"HTTP {status}: credentials refused", status, body)
    if status == 429:
        return SendResult(Outcome.TRANSIENT, "HTTP 429: throttled", status, body)
    if status >= 500:
        return SendResult(Outcome.AMBIGUOUS, f"HTTP {status}", status, body)
    try:
        entries = parse_response_doc(body)
    except ValueError as exc:
        # Not a ResponseDoc (e.g. AADE's HTTP 400 on its own faults): it may or may not have been kept.
        return SendResult(Outcome.AMBIGUOUS, f"HTTP {status} without ResponseDoc: {exc}", status, body)
    if status != 200 or not entries:
        return SendResult(Outcome.AMBIGUOUS, f"HTTP {status} with an empty ResponseDoc", status, body)
    entry = entries[0]
    if entry.ok:
        return SendResult(Outcome.SUCCESS, "", status, body, fields=receipt_fields(entry))
    if entry.status_code == TECHNICAL_ERROR:
        return SendResult(Outcome.TRANSIENT, "TechnicalError: " + "; ".join(m for _, m in entry.errors),
                          status, body, errors=list(entry.errors))
    return SendResult(Outcome.REJECTED, "; ".join(f"{c}: {m}" for c, m in entry.errors), status, body,
                      errors=list(entry.errors))


def receipt_fields(entry: ResponseEntry) -> dict[str, object]:
    """AADE's answer for one document, by the names a receipt uses."""
    found = {"mark": entry.invoice_mark, "uid": entry.invoice_uid, "qr_url": entry.qr_url,
             "authentication_code": entry.authentication_code, "cancellation_mark": entry.cancellation_mark}
    return {k: v for k, v in found.items() if v is not None}
