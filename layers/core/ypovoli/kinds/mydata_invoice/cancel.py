"""Cancelling a transmitted myDATA document (AADE's ``CancelInvoice``), for the JSON route
``POST /v1/invoices/{id}/cancel`` and the drop-in ``CancelInvoice?mark=`` alike.

Upstream first, synchronously — a cancellation is not queued behind an outage, the caller retries —
then recorded once: status ``cancelled``, the cancellation MARK on the receipt, a status event in
the same transaction, AADE's answer in the dossier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ... import clock
from ...connectors.base import Outcome
from ...findings import Finding, Severity
from ...models.events import status_event
from ...models.submission import Submission
from ...services.deps import Deps
from ...services.webhooks import announce
from ...status import Status
from .connector import MyDataPort


@dataclass
class CancelOutcome:
    """``kind``: cancelled | not_cancellable (not transmitted: nothing upstream to cancel) |
    refused (AADE said no; its codes in ``errors``) | unavailable (no answer; nothing recorded)."""

    kind: str
    submission: Submission
    errors: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""


def cancel_submission(deps: Deps, mydata: MyDataPort, tenant: str, submission: Submission) -> CancelOutcome:
    receipt = submission.receipt
    if submission.status is Status.CANCELLED and receipt is not None and receipt.cancelled_by_mark is not None:
        return CancelOutcome("cancelled", submission)  # again: the same answer, nothing sent
    if submission.status is not Status.TRANSMITTED or receipt is None or receipt.mark is None:
        return CancelOutcome("not_cancellable", submission)
    result = mydata.cancel_invoice(receipt.mark)
    if result.body:
        deps.dossiers.put(f"{submission.dossier}cancellation.response.xml", result.body, "application/xml")
    cancellation_mark = result.fields.get("cancellation_mark")
    if result.outcome is Outcome.SUCCESS and cancellation_mark:
        now = clock.now()
        cancelled = receipt.model_copy(update={"cancelled_by_mark": int(cancellation_mark)})
        event = status_event(submission, submission.status, now, status=Status.CANCELLED, receipt=cancelled)
        if deps.index.record_cancelled(tenant, submission.id, cancelled, now, event):
            announce(deps, tenant, event)
        # What record_cancelled wrote: no read back needed.
        return CancelOutcome("cancelled", submission.model_copy(
            update={"status": Status.CANCELLED, "receipt": cancelled, "updated_at": now}))
    if result.outcome is Outcome.REJECTED:
        return CancelOutcome("refused", submission, result.errors or [("104", result.error)], result.error)
    return CancelOutcome("unavailable", submission, result.errors, result.error)


CANCEL_SOURCE = ("ΑΑΔΕ, myDATA REST API v2.0.1, CancelInvoice "
                 "(https://www.aade.gr/epiheiriseis/mydata-ilektronika-biblia-aade/mydata/tehnikes-prodiagrafes-ekdoseis-mydata)")


def cancel_finding(outcome: CancelOutcome) -> Finding:
    """MYDATA-CANCEL: why a cancellation did not happen (bilingual, AADE's codes kept)."""
    status = outcome.submission.status.value
    if outcome.kind == "not_cancellable":
        el = (f"Μόνο διαβιβασμένο παραστατικό ακυρώνεται· αυτό είναι «{status}» και δεν έχει ΜΑΡΚ στην ΑΑΔΕ "
              "(ένα παραστατικό σε αναμονή δεν έχει ακόμη φτάσει εκεί).")
        en = (f"Only a transmitted document can be cancelled; this one is '{status}' and holds no MARK at AADE "
              "(a queued document has not reached it yet).")
        return Finding(code="MYDATA-CANCEL", severity=Severity.ERROR, path="invoice", message_el=el,
                       message_en=en, source=CANCEL_SOURCE)
    if outcome.kind == "refused":
        said = "; ".join(f"{code}: {message}" for code, message in outcome.errors)
        return Finding(code="MYDATA-CANCEL", severity=Severity.ERROR, path="invoice",
                       message_el=f"Η ΑΑΔΕ αρνήθηκε την ακύρωση ({said}).",
                       message_en=f"AADE refused the cancellation ({said}).", source=CANCEL_SOURCE)
    return Finding(code="MYDATA-CANCEL", severity=Severity.ERROR, path="invoice",
                   message_el=f"Η ΑΑΔΕ δεν επιβεβαίωσε την ακύρωση ({outcome.error}). Δεν καταγράφηκε τίποτα· "
                              "στείλτε ξανά την ίδια ακύρωση.",
                   message_en=f"AADE did not confirm the cancellation ({outcome.error}). Nothing was recorded; "
                              "send the same cancellation again.", source=CANCEL_SOURCE)
