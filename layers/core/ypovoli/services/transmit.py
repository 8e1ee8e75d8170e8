"""One transmission attempt of one submission, exactly-once by construction.

claim (conditional, leased) → reconcile if an earlier attempt may have arrived → build + XSD-check
→ keep the request in the dossier → send → keep the response → record the outcome (one
transaction, only while our claim holds). A crash at any line leaves the outbox entry leased; when
the lease runs out the pump re-enqueues it and the next attempt reconciles before sending again.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from .. import clock
from ..connectors.base import MyDataPort, Outcome, SendResult, UpstreamUnavailable
from ..findings import Finding, Severity
from ..models.events import StatusEvent, status_event
from ..models.mydata import Invoice
from ..models.reports import OutageDocument
from ..models.submission import Receipt, Submission, UpstreamError
from ..mydata.response import TransmittedDoc
from ..mydata.xml import serialize
from ..mydata.xsd import checked_doc
from ..rules.mydata import SEED_004
from ..settings import Channel
from ..status import Status
from ..store.index import Claim
from .deps import Deps
from .exposure import fine_exposure, record_failure
from .retry import backoff
from .webhooks import announce

logger = logging.getLogger(__name__)

UPSTREAM = "mydata"

#: transmissionFailure per channel (XSD v2.0.1 1..4; seed 004 TF1/TF2; mydata-api.md §2.2):
#: ERP → 3 «Απώλεια διασύνδεσης»; provider → 2, the provider↔AADE link being the one we observed.
OUTAGE_INDICATOR = {Channel.ERP: 3, Channel.PROVIDER: 2}


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # skipped | transmitted | rejected | deferred | overdue
    submission_id: str


def _finding(code: str, severity: Severity, path: str, el: str, en: str, source: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=source)


def outage_finding(indicator: int, first_failure: datetime) -> Finding:
    return _finding(
        "MYDATA-OUTAGE", Severity.INFO, "invoice.transmissionFailure",
        f"Διαβιβάστηκε μετά από απώλεια διασύνδεσης (από {first_failure.isoformat()}) με την ένδειξη "
        f"«Απώλεια Διασύνδεσης» (transmissionFailure={indicator}). Τα αποδεικτικά τηρούνται στον φάκελο.",
        f"Sent after a loss of connection (since {first_failure.isoformat()}) with the outage indicator "
        f"(transmissionFailure={indicator}). The evidence is kept in the dossier.",
        SEED_004,
    )


def late_finding(grace: datetime) -> Finding:
    return _finding(
        "MYDATA-LATE", Severity.WARNING, "invoice",
        f"Διαβιβάστηκε μετά τη λήξη της προθεσμίας ({grace.isoformat()}): εκπρόθεσμη διαβίβαση.",
        f"Transmitted after the window closed ({grace.isoformat()}): late transmission.",
        SEED_004,
    )


def overdue_finding(grace: datetime) -> Finding:
    return _finding(
        "MYDATA-LATE", Severity.WARNING, "invoice",
        f"Η προθεσμία διαβίβασης έληξε ({grace.isoformat()}) και το παραστατικό δεν έχει διαβιβαστεί· "
        "οι προσπάθειες συνεχίζονται.",
        f"The transmission window closed ({grace.isoformat()}) and the document is not yet sent; "
        "retries go on.",
        SEED_004,
    )


def with_finding(findings: list[Finding], extra: Finding) -> list[Finding]:
    return [f for f in findings if f.code != extra.code] + [extra]


class Transmitter:
    #: How often a healthy process looks for an outage another process recorded (seconds).
    LINK_CHECK_S = 10.0

    def __init__(self, deps: Deps, mydata: MyDataPort, rng: random.Random | None = None) -> None:
        self.deps = deps
        self.mydata = mydata
        self.rng = rng
        self._link_checked = -self.LINK_CHECK_S  # monotonic time of the last look; first success looks

    def attempt(self, tenant: str, submission_id: str) -> AttemptResult:
        settings = self.deps.settings
        now = clock.now()
        claim = self.deps.index.claim(tenant, submission_id, now, timedelta(seconds=settings.lease_s))
        if claim is None:
            return AttemptResult("skipped", submission_id)
        submission = self.deps.index.get_submission(tenant, submission_id)
        if submission is None:  # the transaction wrote both; a missing one is a bug worth shouting
            raise RuntimeError(f"outbox entry without submission: {tenant}/{submission_id}")
        invoice = Invoice.model_validate(self.deps.dossiers.get_json(f"{submission.dossier}submission.json"))

        if claim.needs_reconcile:
            try:
                found = self.mydata.find_transmitted(submission.natural_key, invoice.invoiceHeader.issueDate)
            except UpstreamUnavailable as exc:
                return self._defer(claim, submission, f"reconciliation impossible: {exc}", True)
            self._link_up()
            if found is not None:
                return self._transmitted_by_reconciliation(claim, submission, found)

        indicator = OUTAGE_INDICATOR[settings.mydata_channel] if submission.outage else None
        document, errors = checked_doc([invoice.model_copy(update={"transmissionFailure": indicator})],
                                       settings.mydata_xsd_version)
        xml = serialize(document)
        prefix = f"{submission.dossier}attempts/{claim.attempt}"
        self.deps.dossiers.put(f"{prefix}.request.xml", xml, "application/xml")
        if errors:
            upstream = [UpstreamError(code="MYDATA-SCHEMA", message=e) for e in errors[:20]]
            return self._rejected(claim, submission, upstream)

        result = self.mydata.send_invoices(xml)
        if result.body:
            self.deps.dossiers.put(f"{prefix}.response.xml", result.body, "application/xml")
        return self._record(claim, submission, result, indicator)

    def _record(self, claim: Claim, submission: Submission, result: SendResult,
                indicator: int | None) -> AttemptResult:
        now = clock.now()
        if result.outcome is Outcome.SUCCESS:
            self._link_up()
            entry = result.entries[0]
            receipt = Receipt(mark=entry.invoice_mark, uid=entry.invoice_uid or submission.natural_key,
                              qr_url=entry.qr_url, authentication_code=entry.authentication_code,
                              transmission_failure=indicator, received_at=now)
            return self._transmitted(claim, submission, receipt, now)
        if result.outcome is Outcome.REJECTED:
            self._link_up()
            raw_errors = result.entries[0].errors if result.entries else []
            errors = [UpstreamError(code=c, message=m) for c, m in raw_errors]
            return self._rejected(claim, submission, errors or [UpstreamError(code="", message=result.error)])
        if result.outcome is Outcome.CONFIGURATION:
            logger.error("myDATA refused our credentials (%s): fix the configuration", result.error)
        return self._defer(claim, submission, result.error, result.outcome is Outcome.AMBIGUOUS)

    def _transmitted(self, claim: Claim, submission: Submission, receipt: Receipt, now: datetime) -> AttemptResult:
        findings = list(submission.findings)
        if receipt.transmission_failure is not None and submission.outage is not None:
            findings = with_finding(findings, outage_finding(receipt.transmission_failure,
                                                             submission.outage.first_failure_at))
        if now > submission.grace_until:
            findings = with_finding(findings, late_finding(submission.grace_until))
        # The QR URL exists only in this answer: it is in the dossier before anything is acknowledged.
        self.deps.dossiers.put_json(f"{submission.dossier}receipt.json", receipt.model_dump(mode="json"))
        event = self._event(claim, submission, now, status=Status.TRANSMITTED, receipt=receipt, findings=findings)
        listing = outage_document(submission, receipt) if receipt.transmission_failure is not None else None
        if self.deps.index.record_transmitted(claim, receipt, findings, now, event, listing):
            announce(self.deps, claim.tenant, event)
        else:
            logger.warning("lost the claim on %s after sending; the next attempt will reconcile", submission.id)
        return AttemptResult("transmitted", submission.id)

    def _rejected(self, claim: Claim, submission: Submission, errors: list[UpstreamError]) -> AttemptResult:
        now = clock.now()
        event = self._event(claim, submission, now, status=Status.REJECTED, upstream_errors=errors)
        if self.deps.index.record_rejected(claim, errors, now, event):
            announce(self.deps, claim.tenant, event)
        return AttemptResult("rejected", submission.id)

    def _event(self, claim: Claim, submission: Submission, now: datetime, **changes: object) -> StatusEvent | None:
        """The status event of this outcome, or ``None`` when the public status does not change (a
        deferred document deferred again). ``transmitting`` is a lease of seconds, not announced."""
        status = changes["status"]
        if status == claim.previous_status:
            return None
        return status_event(submission, claim.previous_status, now, attempts=claim.attempt, **changes)

    def _link_up(self) -> None:
        """Upstream answered: if it had been down, send what waits out a backoff now (seed 004:
        «αμελλητί με την αποκατάσταση της διασύνδεσης»)."""
        # A delete on every success would tax the hot path; this process looks at once after a
        # failure it saw itself, and otherwise every few seconds for outages others recorded.
        if time.monotonic() - self._link_checked < self.LINK_CHECK_S:
            return
        self._link_checked = time.monotonic()
        index = self.deps.index
        if index.link_restored(UPSTREAM):
            pulled = index.pull_forward(clock.now())
            if pulled:
                self.deps.queue.send_many([(e.tenant, e.submission_id) for e in pulled])
            logger.info("myDATA link restored; %d deferred documents pulled forward", len(pulled))

    def _transmitted_by_reconciliation(self, claim: Claim, submission: Submission,
                                       found: TransmittedDoc) -> AttemptResult:
        now = clock.now()
        receipt = Receipt(mark=found.mark, uid=found.uid, qr_url=found.qr_url, received_at=now, reconciled=True,
                          transmission_failure=OUTAGE_INDICATOR[self.deps.settings.mydata_channel]
                          if submission.outage else None)
        return self._transmitted(claim, submission, receipt, now)

    def _defer(self, claim: Claim, submission: Submission, error: str, maybe_delivered: bool) -> AttemptResult:
        settings = self.deps.settings
        now = clock.now()
        evidence = record_failure(submission.outage, now, error, submission.summary)
        overdue = now > submission.grace_until
        findings = list(submission.findings)
        fine = None
        if overdue:
            fine = fine_exposure(vat_of(submission), settings.double_entry_books)
            findings = with_finding(findings, overdue_finding(submission.grace_until))
        next_at = now + backoff(claim.attempt, settings.backoff_base_s, settings.backoff_cap_s, self.rng)
        status = Status.OVERDUE if overdue else Status.DEFERRED
        self.deps.index.mark_link_down(UPSTREAM, now, error)
        self._link_checked = -self.LINK_CHECK_S  # the next success here looks for the outage at once
        changes: dict[str, object] = {"status": status, "outage": evidence, "findings": findings}
        if fine is not None:
            changes["fine_exposure"] = fine
        event = self._event(claim, submission, now, **changes)
        if self.deps.index.record_deferred(claim, status=status, evidence=evidence, fine=fine, findings=findings,
                                           next_attempt_at=next_at, maybe_delivered=maybe_delivered, now=now,
                                           event=event):
            announce(self.deps, claim.tenant, event)
        return AttemptResult(status.value, submission.id)


def outage_document(submission: Submission, receipt: Receipt) -> OutageDocument:
    """The listing line of a document sent under the outage procedure (seed 004)."""
    summary = submission.summary
    first = submission.outage.first_failure_at if submission.outage else receipt.received_at
    return OutageDocument(
        id=submission.id, issuer_afm=submission.afm, issue_date=str(summary.get("issue_date", "")),
        document_number=str(summary.get("document_number", "")), net_value=Decimal(str(summary.get("net_value", 0))),
        vat_amount=vat_of(submission), total_value=Decimal(str(summary.get("total_value", 0))),
        document_type=str(summary.get("document_type", "")), uid=receipt.uid or submission.natural_key,
        mark=receipt.mark, transmission_failure=receipt.transmission_failure or 0, first_failure_at=first,
        transmitted_at=receipt.received_at, grace_until=submission.grace_until,
        late=receipt.received_at > submission.grace_until, reconciled=receipt.reconciled,
    )


def vat_of(submission: Submission) -> Decimal:
    return Decimal(str(submission.summary.get("vat_amount", "0")))
