"""One transmission attempt of one submission, of any kind, exactly-once by construction.

claim (conditional, leased) → reconcile if an earlier attempt may have arrived → build (the kind's
upstream) → send → keep the exchange (request and answer) in the dossier → record the outcome (one
transaction, only while our claim holds). A crash at any line leaves the outbox entry leased; when
the lease runs out the pump re-enqueues it and the next attempt reconciles before sending again.

Nothing here knows a kind: the submission's ``kind`` names it in the registry, the kind names its
upstream, and that upstream's :class:`~ypovoli.kinds.base.Transmission` builds, sends, looks up and
reads receipts. The link state and the pull-forward after an outage are per upstream.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import clock
from ..connectors.base import Outcome, SendResult, UpstreamUnavailable
from ..findings import Finding, Severity
from ..kinds import registry
from ..kinds.base import DocumentKind, Payload, Transmission
from ..models.events import StatusEvent, status_event
from ..models.submission import Receipt, Submission, UpstreamError
from ..status import Status
from ..store.dossiers import attempt_key, body_record
from ..store.index import Claim
from .deps import Deps
from .exposure import record_failure
from .retry import backoff
from .webhooks import announce

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # skipped | transmitted | rejected | deferred | overdue
    submission_id: str


def with_finding(findings: list[Finding], extra: Finding | None) -> list[Finding]:
    if extra is None:
        return findings
    return [f for f in findings if f.code != extra.code] + [extra]


REFUSED = "UPSTREAM-REJECTED"


def refusal_finding(kind: DocumentKind, error: UpstreamError) -> Finding:
    """The upstream's refusal as a finding: the kind's words where it has them (AADE's codes explained),
    else the upstream's own."""
    said = getattr(kind, "refusal", None)
    if said is not None:
        finding: Finding = said(error)
        return finding
    text = f"{error.code}: {error.message}" if error.code else error.message
    return Finding(code=REFUSED, severity=Severity.ERROR, path="document",
                   message_el=f"Η υπηρεσία προορισμού ({kind.upstream}) απέρριψε το έγγραφο: {text}",
                   message_en=f"The upstream ({kind.upstream}) refused the document: {text}",
                   source=f"{kind.upstream}: the upstream's answer, kept in the dossier (attempts/)")


class Transmitter:
    #: How often a healthy process looks for an outage another process recorded (seconds).
    LINK_CHECK_S = 10.0

    def __init__(self, deps: Deps, transmissions: Mapping[str, Transmission] | None = None,
                 rng: random.Random | None = None) -> None:
        self.deps = deps
        #: Transmissions given here win over the ones ``deps`` builds (tests bring fake upstreams).
        self._transmissions = dict(transmissions or {})
        self.rng = rng
        self._link_checked: dict[str, float] = {}  # upstream → monotonic time of the last look

    def transmission(self, upstream: str) -> Transmission:
        return self._transmissions.get(upstream) or self.deps.transmission(upstream)

    def attempt(self, tenant: str, submission_id: str) -> AttemptResult:
        now = clock.now()
        claim = self.deps.index.claim(tenant, submission_id, now, timedelta(seconds=self.deps.settings.lease_s))
        if claim is None:
            return AttemptResult("skipped", submission_id)
        submission = claim.submission
        kind = registry.document_kind(submission.kind)
        upstream = self.transmission(kind.upstream)
        document = kind.load(self.deps.dossiers.document(submission.dossier))

        if claim.needs_reconcile:
            try:
                found = upstream.lookup(kind, document, submission, clock.now())
            except UpstreamUnavailable as exc:
                return self._defer(kind, claim, submission, f"reconciliation impossible: {exc}", True)
            self._link_up(kind.upstream)
            if found is not None:
                return self._transmitted(kind, claim, submission, found, clock.now(), answered=False)

        payload = upstream.build(kind, document, submission)
        if payload.errors:
            self._keep_exchange(kind, claim, submission, payload, None, clock.now())
            code = f"{kind.upstream.upper()}-SCHEMA"
            return self._rejected(kind, claim, submission,
                                  [UpstreamError(code=code, message=e) for e in payload.errors[:20]])

        sent_at = clock.now()
        result = upstream.send(payload)
        self._keep_exchange(kind, claim, submission, payload, result, sent_at)
        return self._record(kind, upstream, claim, submission, document, payload, result)

    def _keep_exchange(self, kind: DocumentKind, claim: Claim, submission: Submission, payload: Payload,
                       result: SendResult | None, sent_at: datetime) -> None:
        """The attempt's request and upstream's answer, in one dossier object, before any outcome is
        recorded. Written after the send, not before: a crash between the two leaves the outbox entry
        leased and marked "may have arrived", and the next attempt asks upstream before it sends again
        (a found document's receipt is then kept as ``receipt.json``) — one PUT an attempt, not two."""
        record: dict[str, object] = {
            "attempt": claim.attempt, "upstream": kind.upstream, "target": payload.target or None,
            "sent_at": None, "answered_at": None, "outcome": "not_sent", "http_status": None,
            "error": "; ".join(payload.errors[:20]) or None, "outage_indicator": payload.outage_indicator,
            "request": body_record(payload.body, payload.content_type), "response": None,
        }
        if result is not None:
            record.update({
                "sent_at": sent_at.isoformat(), "answered_at": clock.now().isoformat(),
                "outcome": result.outcome.value, "http_status": result.http_status, "error": result.error or None,
                "response": body_record(result.body, payload.content_type) if result.body else None,
            })
        self.deps.dossiers.put_json(attempt_key(submission.dossier, claim.attempt), record)

    def _record(self, kind: DocumentKind, upstream: Transmission, claim: Claim, submission: Submission,
                document: object, payload: Payload, result: SendResult) -> AttemptResult:
        now = clock.now()
        if result.outcome is Outcome.SUCCESS:
            # A document that waited through the outage itself proves the link is back: look now,
            # whatever this process last saw (another worker may have recorded the outage).
            self._link_up(kind.upstream, force=submission.outage is not None)
            for name, (data, content_type) in upstream.attachments(result, payload, submission).items():
                self.deps.dossiers.put(f"{submission.dossier}{name}", data, content_type)
            return self._transmitted(kind, claim, submission, upstream.receipt(result, payload, submission, now), now,
                                     answered=bool(result.body))
        if result.outcome is Outcome.REJECTED:
            self._link_up(kind.upstream)
            errors = [UpstreamError(code=c, message=m) for c, m in result.errors] \
                or [UpstreamError(code="", message=result.error)]
            holds_already = getattr(upstream, "holds_already", None)
            if holds_already is not None and holds_already(errors):
                # «Already sent»: the upstream holds a document under this key — ours, from an attempt
                # whose answer was lost. Its receipt is what counts; the key is never released for it.
                try:
                    found = upstream.lookup(kind, document, submission, clock.now())
                except UpstreamUnavailable as exc:
                    return self._defer(kind, claim, submission, f"already held, not yet found: {exc}", True)
                if found is not None:
                    return self._transmitted(kind, claim, submission, found, clock.now(), answered=False)
            return self._rejected(kind, claim, submission, errors)
        if result.outcome is Outcome.CONFIGURATION:
            logger.error("%s refused our credentials (%s): fix the configuration", kind.upstream, result.error)
        return self._defer(kind, claim, submission, result.error, result.outcome is Outcome.AMBIGUOUS)

    def _transmitted(self, kind: DocumentKind, claim: Claim, submission: Submission, receipt: Receipt,
                     now: datetime, answered: bool) -> AttemptResult:
        findings = with_finding(list(submission.findings), kind.sent_during_outage(submission, receipt))
        if now > submission.grace_until:
            findings = with_finding(findings, kind.late(submission))
        # The receipt may exist only in this answer (a QR URL): it is in the dossier before
        # anything is acknowledged — as the upstream's own answer (``attempts/{n}.json``, already
        # written), or, when it came from a reconciliation with no answer of ours, as ``receipt.json``.
        if not answered:
            self.deps.dossiers.put_json(f"{submission.dossier}receipt.json", receipt.model_dump(mode="json"))
        # A lawful reason for the delay, with its evidence (a force majeure, its reason code, the incident on
        # record): the delay is no infringement, so it carries no fine exposure.
        excused = receipt.late_justification is not None
        changes: dict[str, object] = {"fine_exposure": None} if excused else {}
        event = self._event(claim, submission, now, status=Status.TRANSMITTED, receipt=receipt, findings=findings,
                            **changes)
        listing = kind.outage_record(submission, receipt)
        if self.deps.index.record_transmitted(claim, receipt, findings, now, event, listing, clear_fine=excused):
            announce(self.deps, claim.tenant, event)
            if submission.supersedes and getattr(kind, "replaces", None) is not None:
                self._revoked(kind, submission, now)
        else:
            logger.warning("lost the claim on %s after sending; the next attempt will reconcile", submission.id)
        return AttemptResult("transmitted", submission.id)

    def _revoked(self, kind: DocumentKind, submission: Submission, now: datetime) -> None:
        """The upstream revoked the original this one replaces (a correction that replaces upstream): the
        original links to its replacement, and its kind withdraws what it declared."""
        original = self.deps.index.get_submission(submission.tenant, str(submission.supersedes))
        if original is None or original.superseded_by:
            return
        try:
            self.deps.index.mark_superseded(original.tenant, original.id, submission.id, now)
            withdraw = getattr(registry.document_kind(original.kind), "withdraw", None)
            if withdraw is not None:   # what the original declared no longer stands (the kind's own record)
                withdraw(self.deps, original)
        except Exception:  # advisory: the correction is transmitted whatever happens here
            logger.exception("the original %s of %s was not marked replaced", original.id, submission.id)

    def _rejected(self, kind: DocumentKind, claim: Claim, submission: Submission,
                  errors: list[UpstreamError]) -> AttemptResult:
        """``rejected``: the upstream's reasons kept, each also as a finding a person reads, and the
        natural key released — the corrected document with the same number is a new submission."""
        now = clock.now()
        findings = [*(f for f in submission.findings if f.code != REFUSED),
                    *(refusal_finding(kind, error) for error in errors[:5])]
        event = self._event(claim, submission, now, status=Status.REJECTED, upstream_errors=errors,
                            findings=findings)
        if self.deps.index.record_rejected(claim, errors, now, event, findings):
            announce(self.deps, claim.tenant, event)
        return AttemptResult("rejected", submission.id)

    def _event(self, claim: Claim, submission: Submission, now: datetime, **changes: object) -> StatusEvent | None:
        """The status event of this outcome, or ``None`` when the public status does not change (a
        deferred document deferred again). ``transmitting`` is a lease of seconds, not announced."""
        status = changes["status"]
        if status == claim.previous_status:
            return None
        return status_event(submission, claim.previous_status, now, attempts=claim.attempt, **changes)

    def _link_up(self, upstream: str, force: bool = False) -> None:
        """Upstream answered: if it had been down, send what waits out a backoff now (seed 004:
        «αμελλητί με την αποκατάσταση της διασύνδεσης»). Only that upstream's entries are pulled."""
        # A delete on every success would tax the hot path; this process looks at once after a
        # failure it saw itself, and otherwise every few seconds for outages others recorded.
        if not force and time.monotonic() - self._link_checked.get(upstream, -self.LINK_CHECK_S) < self.LINK_CHECK_S:
            return
        self._link_checked[upstream] = time.monotonic()
        index = self.deps.index
        if index.link_restored(upstream):
            pulled = index.pull_forward(upstream, clock.now())
            if pulled:
                self.deps.queue.send_many([(e.tenant, e.submission_id) for e in pulled])
            if self.transmission(upstream).records_incidents:
                for tenant, ended in self.deps.incidents.close_all(upstream, clock.now()):
                    announce(self.deps, tenant, ended)
                    logger.warning("%s incident of %s/%s ended (%d held)", upstream, tenant, ended.data.afm,
                                   len(ended.data.affected))
            logger.info("%s link restored; %d deferred documents pulled forward", upstream, len(pulled))

    def _defer(self, kind: DocumentKind, claim: Claim, submission: Submission, error: str,
               maybe_delivered: bool) -> AttemptResult:
        settings = self.deps.settings
        now = clock.now()
        evidence = record_failure(submission.outage, now, error, submission.summary)
        overdue = now > submission.grace_until
        findings = list(submission.findings)
        fine = None
        if overdue:
            from .compliance import audit_share  # with the first overdue document only (cold start)

            finding, fine = kind.overdue(submission, settings)
            fine = audit_share(self.deps, submission, fine)
            findings = with_finding(findings, finding)
        next_at = now + backoff(claim.attempt, settings.backoff_base_s, settings.backoff_cap_s, self.rng)
        status = Status.OVERDUE if overdue else Status.DEFERRED
        self.deps.index.mark_link_down(kind.upstream, now, error)
        self._link_checked.pop(kind.upstream, None)  # the next success here looks for the outage at once
        if self.transmission(kind.upstream).records_incidents and not maybe_delivered:
            since = self.deps.index.link_down_since(kind.upstream) or now
            started = self.deps.incidents.held(kind.upstream, claim.tenant, submission.afm, since, submission.id, now,
                                               str(submission.summary.get("names") or ""))
            if started is not None:
                announce(self.deps, claim.tenant, started)
                logger.warning("%s incident of %s/%s began at %s", kind.upstream, claim.tenant, submission.afm, since)
        changes: dict[str, object] = {"status": status, "outage": evidence, "findings": findings}
        if fine is not None:
            changes["fine_exposure"] = fine
        event = self._event(claim, submission, now, **changes)
        if self.deps.index.record_deferred(claim, status=status, evidence=evidence, fine=fine, findings=findings,
                                           next_attempt_at=next_at, maybe_delivered=maybe_delivered, now=now,
                                           event=event):
            announce(self.deps, claim.tenant, event)
        return AttemptResult(status.value, submission.id)
