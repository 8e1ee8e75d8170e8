"""What the intake, the transmitter and the sweeper know of a kind of submission — and no more.

A kind is one folder under ``kinds/`` (its model, rules, deadlines, payload and upstream) and one
line in ``kinds/registry.py``. Two shapes:

* :class:`DocumentKind` — a document the state must receive: parsed, checked, given a deadline and a
  natural key, kept, then sent through the outbox by the :class:`Transmission` of its ``upstream``.
* :class:`Evaluation` — a request that is checked and kept as a dossier but never transmitted
  (ΠΣΚΕ payment requests today; vouchers and the repayable advance next).

Optional hooks, looked up with ``getattr`` (a kind without one gets the generic behaviour):
``DocumentKind.afm_path`` (where the ΑΦΜ a 403 names is), ``DocumentKind.refusal(error)`` (the
upstream's refusal as a finding, in the kind's words), ``DocumentKind.audit_fines(deps,
submissions)`` (each unsent document's share of a fine whose minimum counts once per audit),
``DocumentKind.declared`` (what the sweeps read), ``DocumentKind.facts(deps, tenant, now)`` (what the
kind's own records know, handed to its checks as ``CheckContext.facts``), and
``Transmission.holds_already(errors)`` (an answer that means the upstream already holds the document:
looked up, never released).

The transmitter holds one :class:`Transmission` per upstream (``mydata``, ``ergani``…): the due index,
the link state and the pull-forward after an outage are all per upstream, so AADE coming back does
not hurry ERGANI's queue, and the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..connectors.base import SendResult
from ..findings import Finding
from ..models.reports import OutageDocument
from ..models.submission import FineExposure, Receipt, Submission
from ..settings import Settings


@dataclass(frozen=True)
class Deadlines:
    due_at: datetime
    grace_until: datetime


def _nobody(_receipt_number: int) -> tuple[str, str] | None:
    return None


def _nothing_of(_key: str) -> Any:
    return None


@dataclass(frozen=True)
class CheckContext:
    """What a kind's checks may know besides the document. ``owner_of_receipt`` answers what went
    through ypovoli before — the (status, ΑΦΜ) of this tenant's submission that upstream registered
    under a receipt number (a MARK) — so the rules themselves stay pure functions of facts."""

    tenant: str
    now: datetime
    deadlines: Deadlines
    settings: Settings
    owner_of_receipt: Callable[[int], tuple[str, str] | None] = _nobody
    #: When the issuer says it issued the document (``X-Ypovoli-Issued-At``), if it said so: the
    #: TF1 evidence record keeps the issue date **and time** (seed 004 β).
    issued_at: datetime | None = None
    #: What the kind's own records know (its ``facts(deps, tenant, now)`` hook builds it at intake);
    #: ``None`` where nothing can be known (an offline check). Only the kind reads it.
    facts: Any = None
    #: This tenant's transmitted submission the upstream gave receipt number ``protocol`` (a ``Submission``).
    by_protocol: Callable[[str], Any] = _nothing_of


@dataclass(frozen=True)
class Payload:
    """A document built for its upstream: the body, and what the receipt must remember of it."""

    body: bytes
    content_type: str
    #: Problems found while building (e.g. the official XSD): the attempt is recorded as rejected.
    errors: list[str] = field(default_factory=list)
    #: The outage indicator the body carries, if the upstream has one (myDATA transmissionFailure).
    outage_indicator: int | None = None
    #: Whose document it is: the upstream sends it under that tenant's own credentials, if it has any.
    tenant: str = ""
    #: Where upstream takes it, when the upstream has several doors (ERGANI: the submission code).
    target: str = ""


class DocumentKind(Protocol):
    name: str
    #: The :class:`Transmission` that sends it.
    upstream: str

    def parse(self, payload: Any) -> tuple[Any | None, list[Finding]]: ...

    def afm(self, document: Any) -> str: ...

    def natural_key(self, document: Any) -> str: ...

    def deadlines(self, document: Any, now: datetime, settings: Settings) -> Deadlines: ...

    def check(self, document: Any, context: CheckContext) -> list[Finding]: ...

    def summary(self, document: Any, natural_key: str) -> dict[str, Any]: ...

    def dump(self, document: Any) -> dict[str, Any]: ...

    def load(self, data: dict[str, Any]) -> Any: ...

    def duplicate(self, natural_key: str, existing_id: str | None) -> Finding: ...

    def overdue(self, submission: Submission, settings: Settings) -> tuple[Finding, FineExposure]:
        """The finding and the fine exposure of a document still unsent after its window."""
        ...

    def late(self, submission: Submission) -> Finding: ...

    def sent_during_outage(self, submission: Submission, receipt: Receipt) -> Finding | None: ...

    def outage_record(self, submission: Submission, receipt: Receipt) -> OutageDocument | None:
        """The line of the monthly outage listing for a document sent under the outage procedure."""
        ...


class Transmission(Protocol):
    upstream: str
    #: An outage of this upstream is an incident to record per employer (ERGANI's force majeure).
    records_incidents: bool

    def build(self, kind: DocumentKind, document: Any, submission: Submission) -> Payload: ...

    def send(self, payload: Payload) -> SendResult: ...

    def lookup(self, kind: DocumentKind, document: Any, submission: Submission, now: datetime) -> Receipt | None:
        """Reconciliation: what upstream holds for this document, if anything. Raises
        :class:`UpstreamUnavailable` when it cannot tell."""
        ...

    def receipt(self, result: SendResult, payload: Payload, submission: Submission, now: datetime) -> Receipt: ...

    def attachments(self, result: SendResult, payload: Payload, submission: Submission) -> dict[str, tuple[bytes, str]]:
        """Files upstream issues for an accepted document, kept in its dossier by name (ERGANI's
        protocol PDF); never a reason to fail the transmission."""
        ...


class Evaluation(Protocol):
    """A kind that is checked and kept, never transmitted."""

    name: str

    def parse(self, payload: Any) -> tuple[Any | None, list[Finding]]: ...

    def afm(self, document: Any) -> str: ...
