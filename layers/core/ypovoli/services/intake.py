"""Intake of a document of any transmitted kind: parse → the kind's checks → store (S3, then one
DynamoDB transaction) → pump.

Why S3 before DynamoDB (ARCHITECTURE.md has it the other way): the transaction is the commit
point. Writing the dossier first means a crash can leave only orphan objects under an id nobody
knows, never an accepted submission whose original is missing from its dossier.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import clock
from ..clock import ATHENS
from ..findings import Finding, Severity, has_errors
from ..kinds.base import CheckContext, DocumentKind
from ..models.events import status_event
from ..models.submission import Submission
from ..rules.input import body_finding
from ..status import Status
from ..store.dossiers import INTAKE_RECORD, content_type, dossier_prefix
from ..store.index import Busy, DuplicateSubmission
from .deps import Deps
from .webhooks import announce

logger = logging.getLogger(__name__)



@dataclass
class IntakeOutcome:
    """``kind``: accepted | invalid | duplicate | forbidden | busy (the index shed the write; nothing
    kept — the caller retries)."""

    kind: str
    findings: list[Finding] = field(default_factory=list)
    submission: Submission | None = None
    existing_id: str | None = None


def accept(deps: Deps, kind: DocumentKind, tenant: str, managed_afms: set[str], payload: Any,
           original: bytes, original_type: str = "json", issued_at: datetime | None = None) -> IntakeOutcome:
    """One document of ``kind`` in; stored and queued once, or refused with findings and nothing kept.
    ``issued_at``: the issue time its issuer declared; otherwise the reception time stands for it in
    the evidence record, marked as such."""
    document, findings = kind.parse(payload)
    if document is None:
        return IntakeOutcome("invalid", findings)
    afm = kind.afm(document)
    if afm and afm not in managed_afms:
        return IntakeOutcome("forbidden")

    now = clock.now()
    deadlines = kind.deadlines(document, now, deps.settings)
    originals: dict[str, Submission | None] = {}   # a correction's original, read once for the rule and the link

    def by_protocol(protocol: str) -> Submission | None:
        if protocol not in originals:
            originals[protocol] = _by_protocol(deps, tenant, protocol)
        return originals[protocol]

    known = getattr(kind, "facts", None)   # what the kind's own records know, if it asks
    context = CheckContext(tenant=tenant, now=now, deadlines=deadlines, settings=deps.settings,
                           owner_of_receipt=lambda mark: _owner_of_mark(deps, tenant, mark), issued_at=issued_at,
                           facts=known(deps, tenant, now) if known is not None else None, by_protocol=by_protocol)
    findings = kind.check(document, context)
    if has_errors(findings):
        return IntakeOutcome("invalid", findings)

    natural_key = kind.natural_key(document)
    # No read-before-write for duplicates: the transaction's condition on the dedup key decides, and
    # a refused duplicate removes the objects it wrote (one call fewer on every accepted document).
    submission_id = str(uuid.uuid4())
    prefix = dossier_prefix(tenant, afm, kind.name, now, submission_id)
    submission = Submission(
        id=submission_id, tenant=tenant, kind=kind.name, afm=afm, status=Status.ACCEPTED, natural_key=natural_key,
        created_at=now, updated_at=now, due_at=deadlines.due_at, grace_until=deadlines.grace_until,
        findings=findings, dossier=prefix,
        summary={**kind.summary(document, natural_key), "issued_at": (issued_at or now).isoformat(),
                 "issued_at_source": "declared" if issued_at else "received"},
    )
    replaces = getattr(kind, "replaces", None)
    protocol = replaces(document) if replaces is not None else None
    revoked = by_protocol(protocol) if protocol else None
    if revoked is not None:   # revokes that one upstream once transmitted (a correction that replaces its original)
        submission = submission.model_copy(update={"supersedes": revoked.id})
    dumped = kind.dump(document)
    if now > deadlines.grace_until:
        # Already past its window when it arrives: what an audit may charge is said now, in the 202,
        # the first webhook event and every read — not first when the transmitter marks it.
        from .compliance import audit_share  # only for a document already late (cold start)

        _, fine = kind.overdue(submission, deps.settings)
        submission = submission.model_copy(update={"fine_exposure": audit_share(deps, submission, fine)})
    deps.dossiers.put(f"{prefix}original.{original_type}", original, content_type(f".{original_type}"))
    deps.dossiers.put_json(f"{prefix}{INTAKE_RECORD}", {**_report(submission), "document": dumped})
    event = status_event(submission, None, now)
    takes_over: DuplicateSubmission | None = None
    while True:
        try:
            deps.index.create_submission(submission, next_attempt_at=now, upstream=kind.upstream, event=event,
                                         takes_over=takes_over)
            break
        except DuplicateSubmission as dup:
            if dup.released and takes_over is None:
                # The holder was rejected upstream: this document corrects it (or sends it again).
                takes_over = dup
                submission = _correction(deps, kind, submission, dumped, dup)
                deps.dossiers.put_json(f"{prefix}{INTAKE_RECORD}", {**_report(submission), "document": dumped})
                event = status_event(submission, None, now)
                continue
            deps.dossiers.delete_prefix(prefix)
            return _duplicate(kind, tenant, natural_key, (dup.tenant, dup.submission_id))
        except Busy:
            deps.dossiers.delete_prefix(prefix)
            logger.warning("index busy: submission %s not kept", submission_id)
            return IntakeOutcome("busy")
    findings = submission.findings
    kept = getattr(kind, "kept", None)
    if kept is not None:  # what the kind keeps of its own beside the submission (the records its sweeps read)
        try:
            kept(deps, tenant, afm, document, submission_id, now)
        except Exception:  # advisory: the submission is kept and queued whatever happens here
            logger.exception("the kind's own record of %s not written; its sweeps may miss it", submission_id)
    terms_of = getattr(kind, "search_terms", None)
    if terms_of is not None:   # what the console's search finds it by (advisory, like the timekeeping)
        try:
            deps.search.add(tenant, terms_of(document), now, submission_id, afm)
        except Exception:
            logger.exception("search terms of %s not written", submission_id)
    deps.queue.nudge(tenant, submission_id)
    announce(deps, tenant, event)
    return IntakeOutcome("accepted", findings, submission)


ISSUED_AT_HEADER = "X-Ypovoli-Issued-At"


def issued_at_header(value: str | None) -> tuple[datetime | None, Finding | None]:
    """``X-Ypovoli-Issued-At``: ISO-8601; without an offset it is Athens time."""
    if not value:
        return None, None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, body_finding(
            "REQUEST-HEADER", f"Η κεφαλίδα {ISSUED_AT_HEADER} δεν είναι ημερομηνία-ώρα ISO-8601 («{value[:40]}»).",
            f"Header {ISSUED_AT_HEADER} is not an ISO-8601 date-time («{value[:40]}»).",
            f"headers.{ISSUED_AT_HEADER}")
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=ATHENS)), None


def _by_protocol(deps: Deps, tenant: str, protocol: str) -> Submission | None:
    submission_id = deps.index.submission_by_protocol(tenant, protocol)
    return deps.index.get_submission(tenant, submission_id) if submission_id else None


def _owner_of_mark(deps: Deps, tenant: str, mark: int) -> tuple[str, str] | None:
    """(status, ΑΦΜ) of this tenant's submission that upstream registered as ``mark``, if any."""
    submission_id = deps.index.submission_by_mark(tenant, mark)
    submission = deps.index.get_submission(tenant, submission_id) if submission_id else None
    return (submission.status.value, submission.afm) if submission is not None else None


def _correction(deps: Deps, kind: DocumentKind, submission: Submission, document: dict[str, Any],
                dup: DuplicateSubmission) -> Submission:
    """``submission`` as the successor of the rejected holder of its natural key: it names the one it
    supersedes (the same tenant's; another office's is never shown), and, sent back unchanged, carries
    a warning that repeats the upstream's reason — some refusals depend on the upstream's state, not
    the document, so it goes; most will be refused again."""
    if dup.tenant != submission.tenant:
        return submission
    rejected = deps.index.get_submission(dup.tenant, dup.submission_id)
    if rejected is None:
        return submission
    findings = list(submission.findings)
    if deps.dossiers.document(rejected.dossier) == document:
        reasons = "; ".join(f"{e.code}: {e.message}" if e.code else e.message for e in rejected.upstream_errors)
        findings.append(Finding(
            code="UPSTREAM-RESUBMITTED", severity=Severity.WARNING, path="document",
            message_el=f"Το ίδιο έγγραφο, χωρίς καμία αλλαγή, απορρίφθηκε ήδη ({rejected.id}): «{reasons}». "
                       "Στέλνεται ξανά· αν ο λόγος αφορά το ίδιο το έγγραφο, θα απορριφθεί ξανά — διορθώστε το πρώτα.",
            message_en=f"This very document, unchanged, was already rejected ({rejected.id}): «{reasons}». It is "
                       "sent again; if the reason concerns the document itself it will be refused again — correct "
                       "it first.",
            source=f"{kind.upstream}: the upstream's answer to submission {rejected.id}, kept in its dossier"))
    return submission.model_copy(update={"supersedes": rejected.id, "findings": findings})


def _duplicate(kind: DocumentKind, tenant: str, natural_key: str, owner: tuple[str, str]) -> IntakeOutcome:
    # Another tenant's submission id is never shown: its existence is all two offices sharing an
    # AFM may learn, because transmitting it twice would be worse.
    existing = owner[1] if owner[0] == tenant else None
    return IntakeOutcome("duplicate", [kind.duplicate(natural_key, existing)], existing_id=existing)


def _report(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.id, "kind": submission.kind, "afm": submission.afm,
        "received_at": submission.created_at.isoformat(), "due_at": submission.due_at.isoformat(),
        "grace_until": submission.grace_until.isoformat(), "natural_key": submission.natural_key,
        "findings": [f.model_dump(mode="json") for f in submission.findings],
        "errors": sum(1 for f in submission.findings if f.severity is Severity.ERROR),
        **({"supersedes": submission.supersedes} if submission.supersedes else {}),
    }
