"""What an employer does at ERGANI besides sending declarations: cancel a leave
(`CancelSubmittedDocument`, leaves only) and read its own data (`ExecuteService`) into the registry.

Both go upstream synchronously — the caller waits and retries; nothing is queued behind an outage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ... import clock
from ...connectors.base import Outcome
from ...models.events import status_event
from ...models.submission import Submission
from ...services.deps import Deps
from ...services.webhooks import announce
from ...status import Status
from .connector import ErganiConnector
from .staff import (
    BRANCHES_SERVICE,
    EMPLOYER_SERVICE,
    STAFF_SERVICE,
    Employee,
    Employer,
    employer_from,
    records,
    staff_from,
)
from .staff_store import Staff

#: ERGANI's leaves, the only declarations it lets an employer cancel.
CANCELLABLE = {"ergani_leave"}


@dataclass
class LeaveCancel:
    """``kind``: cancelled | not_cancellable | refused (ERGANI's reason in ``message``) | unavailable."""

    kind: str
    submission: Submission
    message: str = ""


def cancel_leave(deps: Deps, ergani: ErganiConnector, tenant: str, submission: Submission) -> LeaveCancel:
    receipt = submission.receipt
    if submission.status is Status.CANCELLED:
        return LeaveCancel("cancelled", submission)   # again: the same answer, nothing sent
    if submission.kind not in CANCELLABLE or submission.status is not Status.TRANSMITTED or receipt is None \
            or not receipt.protocol or not receipt.submit_date:
        return LeaveCancel("not_cancellable", submission)
    if submission.superseded_by:
        return LeaveCancel("not_cancellable", submission, f"replaced by {submission.superseded_by}")
    submitted = datetime.strptime(receipt.submit_date, "%d/%m/%Y %H:%M").date()
    code = str(submission.summary.get("code") or "WTOLeave")
    result = ergani.cancel(code, receipt.protocol, submitted)
    if result.body:
        deps.dossiers.put(f"{submission.dossier}cancellation.response.json", result.body, "application/json")
    if result.outcome is Outcome.SUCCESS:
        now = clock.now()
        event = status_event(submission, submission.status, now, status=Status.CANCELLED, receipt=receipt)
        if deps.index.record_cancelled(tenant, submission.id, receipt, now, event):
            announce(deps, tenant, event)
        from . import timekeeping  # the cancelled leaves no longer stand for the sweeps

        timekeeping.withdraw(deps, submission)
        return LeaveCancel("cancelled", submission.model_copy(
            update={"status": Status.CANCELLED, "updated_at": now}), str(result.fields.get("message", "")))
    if result.outcome is Outcome.REJECTED:
        return LeaveCancel("refused", submission, result.error)
    return LeaveCancel("unavailable", submission, result.error)


@dataclass
class StaffImport:
    """``kind``: imported | refused (ERGANI said no: ``message``) | unavailable."""

    kind: str
    employer: Employer | None = None
    employees: list[Employee] = field(default_factory=list)
    removed: int = 0
    skipped: list[str] = field(default_factory=list)
    message: str = ""
    imported_at: datetime | None = None


def import_staff(deps: Deps, ergani: ErganiConnector, tenant: str, afm: str) -> StaffImport:
    """EX_BASE_01, 02 and 05 → the employer's record and its registry (the sensitive fields never kept)."""
    answers: dict[str, Any] = {}
    for service in (EMPLOYER_SERVICE, BRANCHES_SERVICE, STAFF_SERVICE):
        result = ergani.execute(service)
        if result.outcome is Outcome.REJECTED:
            return StaffImport("refused", message=f"{service}: {result.error}")
        if result.outcome is not Outcome.SUCCESS:
            return StaffImport("unavailable", message=f"{service}: {result.error}")
        answers[service] = result.fields.get("data")
    employer = employer_from(afm, answers[EMPLOYER_SERVICE], answers[BRANCHES_SERVICE])
    named = _named_afm(answers[EMPLOYER_SERVICE])
    if named and named != afm:
        return StaffImport("refused", message=f"ERGANI's session is employer {named}, not {afm}: import under the "
                                              "employer's own ERGANI account")
    employees, skipped = staff_from(answers[STAFF_SERVICE])
    now = clock.now()
    deps.store(Staff).put_employer(tenant, employer, now)
    removed = deps.store(Staff).replace(tenant, afm, employees, now)
    return StaffImport("imported", employer, employees, removed, skipped, imported_at=now)


def _named_afm(base01: Any) -> str:
    found = records(base01, "Ergodotis")
    return str(found[0].get("Afm") or found[0].get("afm") or "") if found else ""
