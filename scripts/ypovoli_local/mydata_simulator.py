"""A simulator of AADE's myDATA REST API (ERP channel), for the local stack and the tests.

Behaves like AADE where ypovoli depends on it (shared/reference/mydata-api.md):
* ``aade-user-id`` + ``Ocp-Apim-Subscription-Key`` checked → HTTP 401 with a plain text body.
* ``SendInvoices``: the body must validate against the official XSD (else ``XMLSyntaxError`` 101);
  business checks answer ``ValidationError`` with AADE's codes (202 VAT number, 203 gross, 207–210
  sums, 260 future date, 265 over 5000 invoices); success answers index, invoiceUid, invoiceMark,
  qrUrl. Re-sending a uid on the ERP channel replaces the earlier registration with a new MARK,
  as AADE does — the ``registrations`` counter shows every time that happens.
* ``RequestTransmittedDocs``: ``RequestedDoc`` of the documents sent, with continuation tokens.
* Outage modes: ``down`` closes the listening socket (connections are refused, as in a real
  outage); ``flaky`` fails ``failure_rate`` of calls (503 or a dropped connection) and, for
  ``accept_then_timeout_rate``, registers the document and then never answers in time.
* Scripted answers: ``answer_next`` makes the next N ``SendInvoices`` calls answer as AADE does
  when it refuses or fails — ``rejected`` (ValidationError with a code), ``technical_error``
  (TechnicalError 206), ``throttled`` (HTTP 429), ``bad_request`` (HTTP 400 without a ResponseDoc,
  AADE's own fault), ``server_error`` (HTTP 500), ``unauthorized`` (HTTP 401) — without registering;
  ``already_sent`` registers the documents and answers ValidationError 228 «already sent», as AADE
  answers a UID it already holds (the provider channel; mydata-api.md §1.8).

Its business checks are its own (``aade_checks``: written from AADE's error table, reading the XML
directly); only the official XSD and the ResponseDoc/RequestedDoc shapes are shared with ypovoli,
as they are AADE's, not ours.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from ypovoli import clock
from ypovoli.kinds.mydata_invoice.aade.response import (
    SUCCESS,
    TECHNICAL_ERROR,
    VALIDATION_ERROR,
    XML_SYNTAX_ERROR,
    ResponseEntry,
    TransmittedDoc,
    build_requested_doc,
    build_response_doc,
)
from ypovoli.kinds.mydata_invoice.aade.xml import INV_NS, XmlInputError, parse_xml
from ypovoli.kinds.mydata_invoice.aade.xsd import schema_errors

from .aade_checks import business_errors, uid_of
from .switchable_server import SwitchableServer, TrackedHandler

PAGE_SIZE = 100
MARK_BASE = 400_001_000_000_000


@dataclass
class Registration:
    uid: str
    mark: int
    issuer: str
    issue_date: str
    element: Any
    qr_url: str
    replaced_by: int | None = None
    cancelled_by: int | None = None


@dataclass
class SimulatorState:
    user_id: str
    subscription_key: str
    mode: str = "up"
    failure_rate: float = 0.0
    accept_then_timeout_rate: float = 0.0
    #: How long an accept-then-timeout answer is withheld: beyond the local stack's 5 s read timeout.
    hang_s: float = 8.0
    xsd_version: str = "v2.0.1"
    #: Further AADE accounts (user id → subscription key) besides the first: tenants' own (issue 18 §8).
    accounts: dict[str, str] = field(default_factory=dict)
    next_mark: int = MARK_BASE
    by_mark: dict[int, Registration] = field(default_factory=dict)
    active_by_uid: dict[str, int] = field(default_factory=dict)
    registrations: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    script: list[Scripted] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=random.Random)

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "mode": self.mode, "failure_rate": self.failure_rate,
                "accept_then_timeout_rate": self.accept_then_timeout_rate, "calls": self.calls,
                "documents": len(self.active_by_uid),
                "registrations": sum(self.registrations.values()),
                "replaced": sum(n - 1 for n in self.registrations.values()),
                "scripted": [a.kind for a in self.script],
            }


#: Scripted answers (``answer_next``): what AADE sends back when it refuses or fails.
SCRIPTED = ("rejected", "technical_error", "throttled", "bad_request", "server_error", "unauthorized",
            "already_sent")


@dataclass(frozen=True)
class Scripted:
    kind: str
    code: str = ""

    def reply(self) -> tuple[int, bytes, str]:
        """(HTTP status, body, content type) as AADE answers it."""
        if self.kind == "rejected":
            code = self.code or "203"
            return 200, build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
                (code, f"Scripted rejection {code}")])]), "application/xml"
        if self.kind == "technical_error":
            return 200, build_response_doc([ResponseEntry(TECHNICAL_ERROR, 1, errors=[
                (self.code or "206", "An unexpected error occurred. Please retry later.")])]), "application/xml"
        if self.kind == "throttled":
            return 429, b'{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds."}', \
                "application/json"
        if self.kind == "bad_request":  # AADE's own fault, answered as a 400 without a ResponseDoc
            return 400, b"General exception error: OracleConnection.ConnectionString is invalid", "text/plain"
        if self.kind == "unauthorized":
            return 401, b"Access denied due to invalid subscription key.", "text/plain"
        return 500, b"Internal Server Error", "text/plain"


class MyDataSimulator(SwitchableServer):
    thread_name = "mydata-simulator"

    def __init__(self, host: str, port: int, user_id: str, subscription_key: str, xsd_version: str = "v2.0.1") -> None:
        super().__init__(host, port)
        self.state = SimulatorState(user_id=user_id, subscription_key=subscription_key, xsd_version=xsd_version)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/myDATA"

    # ---- outage switch (start/stop: SwitchableServer) ---------------------------------------------

    def configure(self, mode: str, failure_rate: float = 0.0, accept_then_timeout_rate: float = 0.0,
                  answer_next: dict[str, Any] | None = None) -> dict[str, Any]:
        if mode not in ("up", "down", "flaky"):
            raise ValueError("mode must be up, down or flaky")
        if not (0 <= failure_rate <= 1 and 0 <= accept_then_timeout_rate <= 1):
            raise ValueError("rates are between 0 and 1")
        script = self._script(answer_next)
        with self.state.lock:
            self.state.script = script
            self.state.mode = mode
            self.state.failure_rate = failure_rate if mode == "flaky" else 0.0
            self.state.accept_then_timeout_rate = accept_then_timeout_rate if mode == "flaky" else 0.0
        if mode == "down":
            self.stop()
        else:
            self.start()
        return self.state.stats()

    @staticmethod
    def _script(answer_next: dict[str, Any] | None) -> list[Scripted]:
        """``{"count": 2, "with": "rejected", "code": "228"}`` → the next two SendInvoices answers."""
        if not answer_next:
            return []
        kind = str(answer_next.get("with", ""))
        if kind not in SCRIPTED:
            raise ValueError(f"answer_next.with must be one of {', '.join(SCRIPTED)}")
        count = answer_next.get("count", 1)
        if not isinstance(count, int) or not 1 <= count <= 1000:
            raise ValueError("answer_next.count is a whole number from 1 to 1000")
        code = str(answer_next.get("code", ""))
        if code and not code.isdigit():
            raise ValueError("answer_next.code is AADE's numeric error code")
        return [Scripted(kind, code)] * count

    def next_scripted(self) -> Scripted | None:
        with self.state.lock:
            return self.state.script.pop(0) if self.state.script else None

    # ---- the API --------------------------------------------------------------------------------

    def send_invoices(self, body: bytes) -> tuple[bytes, bool]:
        """The ResponseDoc, and whether the answer must then be withheld (accept-then-timeout)."""
        try:
            root = parse_xml(body)
        except XmlInputError as exc:
            return build_response_doc([ResponseEntry(XML_SYNTAX_ERROR, 1, errors=[("101", str(exc))])]), False
        problems = schema_errors(root, self.state.xsd_version)
        if problems:
            return build_response_doc([ResponseEntry(XML_SYNTAX_ERROR, 1, errors=[("101", problems[0])])]), False
        invoices = root.findall(f"{{{INV_NS}}}invoice")
        if len(invoices) > 5000:
            return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[(
                "265", "Maximum number of invoices per message is 5000")])]), False
        entries = []
        now = clock.now()
        for i, element in enumerate(invoices, start=1):
            errors = business_errors(element, now)
            if errors:
                entries.append(ResponseEntry(VALIDATION_ERROR, i, errors=errors))
                continue
            entries.append(self._register(i, element))
        withhold = False
        with self.state.lock:
            if self.state.mode == "flaky" and self.state.rng.random() < self.state.accept_then_timeout_rate:
                withhold = True
        return build_response_doc(entries), withhold

    def _register(self, index: int, element: Any) -> ResponseEntry:
        uid = uid_of(element)
        issuer = element.find(f"{{{INV_NS}}}issuer/{{{INV_NS}}}vatNumber")
        issue_date = element.find(f"{{{INV_NS}}}invoiceHeader/{{{INV_NS}}}issueDate")
        with self.state.lock:
            mark = self.state.next_mark
            self.state.next_mark += 1
            qr = f"http://{self.host}:{self.port}/TimologioQR/QRInfo?q={uid[:16]}{mark}"
            previous = self.state.active_by_uid.get(uid)
            if previous is not None:
                self.state.by_mark[previous].replaced_by = mark  # ERP channel: the new one replaces it
            self.state.by_mark[mark] = Registration(uid, mark, issuer.text if issuer is not None else "",
                                                    issue_date.text if issue_date is not None else "", element, qr)
            self.state.active_by_uid[uid] = mark
            self.state.registrations[uid] = self.state.registrations.get(uid, 0) + 1
        return ResponseEntry(SUCCESS, index, invoice_uid=uid, invoice_mark=mark, qr_url=qr)

    def cancel_invoice(self, query: dict[str, str]) -> bytes | None:
        """``CancelInvoice?mark=``: a cancellation MARK for an active document; ``None`` → HTTP 400
        (no mark), as AADE answers. The cancelled document stays listed with ``cancelledByMark``."""
        try:
            mark = int(query["mark"])
        except (KeyError, ValueError):
            return None
        with self.state.lock:
            registration = self.state.by_mark.get(mark)
            if registration is None or registration.replaced_by is not None:
                return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
                    ("104", f"Requested invoice with mark {mark} not found")])])
            if registration.cancelled_by is not None:
                return build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
                    ("104", f"Invoice with mark {mark} is already cancelled")])])
            cancellation = self.state.next_mark
            self.state.next_mark += 1
            registration.cancelled_by = cancellation
        return build_response_doc([ResponseEntry(SUCCESS, 1, cancellation_mark=cancellation)])

    def request_transmitted_docs(self, query: dict[str, str]) -> bytes:
        after = int(query.get("mark", "0") or 0)
        start_after = int(query.get("nextRowKey", "0") or 0)
        date_from = _dmy(query.get("dateFrom"))
        date_to = _dmy(query.get("dateTo"))
        with self.state.lock:
            marks = sorted(m for m, r in self.state.by_mark.items() if r.replaced_by is None
                           and m > max(after, start_after)
                           and (date_from is None or r.issue_date >= date_from)
                           and (date_to is None or r.issue_date <= date_to))
            page = marks[:PAGE_SIZE]
            docs = [(TransmittedDoc(self.state.by_mark[m].uid, m, self.state.by_mark[m].qr_url,
                                    self.state.by_mark[m].cancelled_by), self.state.by_mark[m].element) for m in page]
        body = build_requested_doc(docs)
        if len(marks) > PAGE_SIZE:
            tree = etree.fromstring(body)
            token = etree.Element(f"{{{INV_NS}}}continuationToken")
            etree.SubElement(token, f"{{{INV_NS}}}nextPartitionKey").text = "p"
            etree.SubElement(token, f"{{{INV_NS}}}nextRowKey").text = str(page[-1])
            tree.insert(0, token)
            body = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
        return body


def _dmy(value: str | None) -> str | None:
    if not value:
        return None
    day, month, year = value.split("/")
    return f"{year}-{month.zfill(2)}-{day.zfill(2)}"


class _Handler(TrackedHandler):
    simulator: MyDataSimulator

    def _reply(self, status: int, body: bytes, content_type: str = "application/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        state = self.simulator.state
        if not self.headers.get("aade-user-id"):
            self._reply(401, b"aade-user-id header is missing", "text/plain")
            return False
        accounts = {state.user_id: state.subscription_key, **state.accounts}
        user = self.headers.get("aade-user-id", "")
        if user not in accounts or self.headers.get("ocp-apim-subscription-key") != accounts[user]:
            self._reply(401, b"Access denied due to invalid subscription key.", "text/plain")
            return False
        return True

    def _flaky_failure(self) -> bool:
        state = self.simulator.state
        with state.lock:
            state.calls += 1
            fail = state.mode == "flaky" and state.rng.random() < state.failure_rate
            drop = state.rng.random() < 0.5
        if not fail:
            return False
        if drop:
            self.close_connection = True
            self.connection.close()
        else:
            self._reply(503, b"Service Unavailable", "text/plain")
        return True

    def _method(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        name = parts.path.rstrip("/").rsplit("/", 1)[-1]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        return name, query

    def do_POST(self) -> None:
        name, _ = self._method()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not self._authorised() or self._flaky_failure():
            return
        if name == "CancelInvoice":
            cancelled = self.simulator.cancel_invoice(self._method()[1])
            if cancelled is None:
                self._reply(400, b"Please pass mark in the request parameters or body", "text/plain")
            else:
                self._reply(200, cancelled)
            return
        if name != "SendInvoices":
            self._reply(404, b"Resource not found", "text/plain")
            return
        scripted = self.simulator.next_scripted()
        if scripted is not None and scripted.kind == "already_sent":
            self.simulator.send_invoices(body)  # it holds them now, whatever it says
            self._reply(200, build_response_doc([ResponseEntry(VALIDATION_ERROR, 1, errors=[
                (scripted.code or "228", "Invoice with the same uid has already been sent")])]))
            return
        if scripted is not None:
            self._reply(*scripted.reply())
            return
        answer, withhold = self.simulator.send_invoices(body)
        if withhold:
            time.sleep(self.simulator.state.hang_s)  # registered, but the answer never arrives in time
            self.close_connection = True
            self.connection.close()
            return
        self._reply(200, answer)

    def do_GET(self) -> None:
        name, query = self._method()
        if not self._authorised() or self._flaky_failure():
            return
        if name != "RequestTransmittedDocs":
            self._reply(404, b"Resource not found", "text/plain")
            return
        if "mark" not in query:
            self._reply(400, b"Please pass mark in the request parameters or body", "text/plain")
            return
        self._reply(200, self.simulator.request_transmitted_docs(query))


MyDataSimulator.handler = _Handler
