"""The compliance view of one business (SPEC §3): its submissions still to send — queued, deferred or
overdue, each with what it may cost — and what the sweeps flagged, soonest deadline first.

Read from two sparse places, never a scan: the outbox entries' ``OPEN`` index entry (gone once a
document is sent) and the business's flags (expiring with the table's TTL).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ..deadlines import athens_text
from ..findings import Severity
from ..kinds import registry
from ..models.compliance import ComplianceItem, ComplianceView
from ..models.submission import FineExposure, Submission
from ..status import Status
from .deps import Deps

#: At most this many open submissions in one answer (the soonest); ``truncated`` says when more wait.
OPEN_LIMIT = 200


def view(deps: Deps, tenant: str, afm: str, now: datetime, known: dict[str, Any] | None = None) -> ComplianceView:
    """``known``: what the caller already read of the business, by the name a kind's part reads it under
    (the business page's parts, ``registry.PAGE_PARTS``): read once for the view and the page."""
    submissions, truncated = deps.index.open_submissions(tenant, afm, OPEN_LIMIT)
    items = [_open_item(deps, s) for s in submissions]
    _per_audit(deps, submissions, items)
    items += deps.flags.of_business(tenant, afm, now)
    fields: dict[str, Any] = {}
    for part in registry.compliance_parts():   # what each kind adds of its own (devices, requests, cards)
        more, extra = part(deps, tenant, afm, now, known or {})
        items += more
        fields.update(extra)
    items.sort(key=lambda i: (i.due_at, i.code, i.subject))
    total = sum((Decimal(i.exposure_eur) for i in items if i.exposure_eur), Decimal(0))
    return ComplianceView(afm=afm, as_of=now, items=items, total_exposure_eur=f"{total:.2f}", truncated=truncated,
                          **fields)


def _per_audit(deps: Deps, submissions: list[Submission], items: list[ComplianceItem]) -> None:
    """A kind whose fine has a minimum per audit (``audit_fines``: seed 001's «αθροιστικά ανά φορολογικό
    έλεγχο») shows each document's share of the audit's total, not each document's fine as if it stood alone."""
    by_id = {s.id: s for s in submissions}
    costly: dict[str, list[ComplianceItem]] = {}
    for item in items:
        if item.exposure_eur is not None and item.submission_id in by_id:
            costly.setdefault(item.kind, []).append(item)
    for kind_name, found in costly.items():
        shares_of = getattr(registry.document_kind(kind_name), "audit_fines", None)
        if shares_of is None:
            continue
        shares = shares_of(deps, [by_id[str(i.submission_id)] for i in found])
        for item in found:
            share = shares.get(str(item.submission_id))
            if share is not None:
                item.exposure_eur = f"{share.amount:.2f}"


def audit_share(deps: Deps, submission: Submission, fine: FineExposure) -> FineExposure:
    """``fine`` (one document's, as if alone) as that document's share of the audit's total, over the
    business's unsent documents of its kind — what GET, the webhook and the compliance view all say."""
    shares_of = getattr(registry.document_kind(submission.kind), "audit_fines", None)
    if shares_of is None:
        return fine
    unsent, _ = deps.index.open_submissions(submission.tenant, submission.afm, OPEN_LIMIT)
    late = [s for s in unsent if s.kind == submission.kind and s.id != submission.id
            and s.status in (Status.DEFERRED, Status.OVERDUE, Status.TRANSMITTING)]
    share: FineExposure | None = shares_of(deps, [*late, submission]).get(submission.id)
    return share or fine


def _subject(submission: Submission) -> str:
    summary = submission.summary
    for key in ("document_number", "code"):
        if summary.get(key):
            extra = summary.get("first_event") or summary.get("from_date") or ""
            return f"{summary[key]} {extra}".strip()
    return submission.kind


def _open_item(deps: Deps, submission: Submission) -> ComplianceItem:
    kind = registry.document_kind(submission.kind)
    late, fine = kind.overdue(submission, deps.settings)
    upstream = registry.UPSTREAM_NAMES.get(kind.upstream, kind.upstream)
    due, grace = athens_text(submission.due_at), athens_text(submission.grace_until)
    basis_el, basis_en = fine.basis_el.rstrip("."), fine.basis_en.rstrip(".")
    if submission.status is Status.OVERDUE:
        exposure = submission.fine_exposure.amount if submission.fine_exposure else fine.amount
        return ComplianceItem(kind=submission.kind, code=late.code, severity=Severity.ERROR,
                              subject=_subject(submission), due_at=submission.grace_until, submission_id=submission.id,
                              message_el=late.message_el, message_en=late.message_en,
                              exposure_eur=f"{exposure:.2f}" if exposure else None, status=submission.status.value)
    if submission.status is Status.REJECTED:
        reason = next((f for f in submission.findings if f.code == "UPSTREAM-REJECTED"), None)
        said = "; ".join(e.message for e in submission.upstream_errors)
        return ComplianceItem(
            kind=submission.kind, code="UPSTREAM-REJECTED", severity=Severity.ERROR, subject=_subject(submission),
            due_at=submission.due_at, submission_id=submission.id,
            message_el=reason.message_el if reason else f"Απορρίφθηκε από το {upstream}: {said}",
            message_en=reason.message_en if reason else f"Rejected by {upstream}: {said}", exposure_eur=None,
            status=submission.status.value)
    # A retry under way (``transmitting``) of a document held through an outage is still waiting on
    # that outage: the view must not flicker to "queued" every time the transmitter tries again.
    if submission.status is Status.DEFERRED or (submission.status is Status.TRANSMITTING and submission.outage):
        since = athens_text(submission.outage.first_failure_at) if submission.outage else "—"
        return ComplianceItem(
            kind=submission.kind, code=late.code, severity=Severity.WARNING, subject=_subject(submission),
            due_at=submission.grace_until, submission_id=submission.id,
            message_el=f"Σε αναμονή: το {upstream} δεν απαντά από {since}· νέες προσπάθειες έως {grace}. "
                       f"Αν δεν σταλεί ως τότε: {basis_el}.",
            message_en=f"Waiting: {upstream} has not answered since {since}; retried until {grace}. If it is not "
                       f"sent by then: {basis_en}.",
            exposure_eur=f"{fine.amount:.2f}" if fine.amount else None, status=submission.status.value)
    return ComplianceItem(
        kind=submission.kind, code=late.code, severity=Severity.INFO, subject=_subject(submission),
        due_at=submission.due_at, submission_id=submission.id,
        message_el=f"Σε ουρά για το {upstream}· προθεσμία {due}.",
        message_en=f"Queued for {upstream}; due by {due}.", exposure_eur=None, status=submission.status.value)

