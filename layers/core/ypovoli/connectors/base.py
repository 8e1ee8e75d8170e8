"""What every connector answers, whatever its upstream: one outcome class per way a call can end."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


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
    #: Upstream's receipt on success, by field (say, a mark, a uid and a QR URL, or a protocol and its
    #: submission date).
    fields: dict[str, Any] = field(default_factory=dict)
    #: Upstream's (code, message) pairs when it refused or failed.
    errors: list[tuple[str, str]] = field(default_factory=list)


class UpstreamUnavailable(Exception):
    """A look-up could not be made; nothing can be concluded from it."""
