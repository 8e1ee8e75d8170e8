"""What every connector answers: one outcome class per way an upstream call can end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from ..mydata.response import ResponseEntry, TransmittedDoc


class Outcome(StrEnum):
    SUCCESS = "success"
    #: Upstream refused the document (validation): never retried.
    REJECTED = "rejected"
    #: Upstream was not reached or refused to process (connect error, 429, TechnicalError): retry.
    TRANSIENT = "transient"
    #: The request may have been processed (timeout after sending, 5xx): reconcile before resending.
    AMBIGUOUS = "ambiguous"
    #: Our credentials are wrong (401/403): retry, but alert — this is not an outage.
    CONFIGURATION = "configuration"


@dataclass
class SendResult:
    outcome: Outcome
    error: str = ""
    http_status: int | None = None
    body: bytes | None = None
    entries: list[ResponseEntry] = field(default_factory=list)


class UpstreamUnavailable(Exception):
    """A look-up could not be made; nothing can be concluded from it."""


class MyDataPort(Protocol):
    def send_invoices(self, xml: bytes) -> SendResult: ...

    def find_transmitted(self, uid: str, issue_date: date) -> TransmittedDoc | None: ...

    def cancel_invoice(self, mark: int) -> SendResult: ...
