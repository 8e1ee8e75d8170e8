"""The compliance view (SPEC §3, ``GET /v1/businesses/{afm}/compliance``): everything due, deferred,
overdue or flagged by a sweep for one business, across every kind, soonest deadline first."""

from __future__ import annotations

from datetime import date, datetime

from ..findings import Severity
from .base import Model


class ComplianceItem(Model):
    #: The submission's kind, or what a sweep looked at (a card kind for card events).
    kind: str
    code: str
    severity: Severity
    #: What it is about, in a line: an invoice number, an employee and day, a device serial.
    subject: str
    due_at: datetime
    submission_id: str | None = None
    message_el: str
    message_en: str
    #: Euros, 2 decimals, as a string (what it may cost); ``None`` where the sources state no figure.
    exposure_eur: str | None = None
    #: Not in SPEC's contract (an extension): the submission's status, for a submission still to send;
    #: ``None`` for what a sweep flagged.
    status: str | None = None
    #: A sweep's flag: its key (what an acknowledgement names), and who acknowledged it, when, and why.
    flag: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    acknowledgement_note: str | None = None


class CardRegime(Model):
    """Whether the employer is in the digital work card regime (seed 001; the employer registry's `IsInCardSector`, else
    its main ΚΑΔ against the phases table), from when sanctions apply, and on what it rests."""

    enrolled: bool | None
    since: date | None = None
    main_kad: str = ""
    basis_el: str
    basis_en: str
    source: str = ""


class ComplianceView(Model):
    afm: str
    as_of: datetime
    items: list[ComplianceItem]
    total_exposure_eur: str
    #: More items were due than one answer holds (the soonest are shown).
    truncated: bool = False
    #: Employers: the card regime (None for a business ypovoli knows nothing of as an employer).
    card_regime: CardRegime | None = None
