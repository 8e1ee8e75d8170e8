"""Intake of a myDATA invoice: parse → rules → store (S3, then one DynamoDB transaction) → pump.

Why S3 before DynamoDB (ARCHITECTURE.md has it the other way): the transaction is the commit
point. Writing the dossier first means a crash can leave only orphan objects under an id nobody
knows, never an accepted submission whose original is missing from its dossier.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .. import clock
from ..deadlines import Kind, grace_until, invoice_due_at
from ..findings import Finding, Severity, has_errors
from ..models.events import status_event
from ..models.mydata import Invoice
from ..models.submission import Submission
from ..mydata.codes import CORRELATION_REQUIRED
from ..mydata.uid import invoice_uid
from ..mydata.xsd import checked_doc
from ..rules.input import findings_from_validation_error
from ..rules.mydata import API_DOC, check_correlations, duplicate_finding, expected_totals, validate_invoice
from ..status import Status
from ..store.dossiers import dossier_prefix
from ..store.index import DuplicateSubmission
from .deps import Deps
from .webhooks import announce

logger = logging.getLogger(__name__)


@dataclass
class IntakeOutcome:
    """``kind``: accepted | invalid | duplicate | forbidden."""

    kind: str
    findings: list[Finding] = field(default_factory=list)
    submission: Submission | None = None
    existing_id: str | None = None


def parse_invoice(payload: Any) -> tuple[Invoice | None, list[Finding]]:
    try:
        return Invoice.model_validate(payload), []
    except ValidationError as exc:
        return None, findings_from_validation_error(exc, "MYDATA-SCHEMA", "invoice", API_DOC)


def _known_marks(deps: Deps, tenant: str, marks: list[int]) -> dict[int, tuple[str, str]]:
    known: dict[int, tuple[str, str]] = {}
    for mark in marks[:50]:
        submission_id = deps.index.submission_by_mark(tenant, mark)
        submission = deps.index.get_submission(tenant, submission_id) if submission_id else None
        if submission is not None:
            known[mark] = (submission.status.value, submission.afm)
    return known


def schema_findings(invoice: Invoice, version: str) -> list[Finding]:
    return [Finding(code="MYDATA-SCHEMA", severity=Severity.ERROR, path="invoice",
                    message_el=f"Το XML του παραστατικού δεν είναι έγκυρο κατά το επίσημο XSD: {error}",
                    message_en=f"The invoice's XML is not valid against the official XSD: {error}", source=API_DOC)
            for error in checked_doc([invoice], version)[1][:10]]


def invoice_summary(invoice: Invoice, uid: str) -> dict[str, Any]:
    """The seven fields of a TF1 record (seed 004) and what listings show, kept on the index item."""
    totals = expected_totals(invoice)
    header = invoice.invoiceHeader
    return {
        "issuer_afm": invoice.issuer.vatNumber if invoice.issuer else "",
        "issue_date": header.issueDate.isoformat(),
        "document_number": f"{header.series}-{header.aa}",
        "net_value": str(invoice.invoiceSummary.totalNetValue),
        "vat_amount": str(invoice.invoiceSummary.totalVatAmount),
        "total_value": str(invoice.invoiceSummary.totalGrossValue),
        "document_type": header.invoiceType,
        "uid": uid,
        "lines": len(invoice.invoiceDetails),
        "withheld": str(totals["totalWithheldAmount"]),
    }


def submit_invoice(deps: Deps, tenant: str, managed_afms: set[str], payload: Any,
                   original: bytes, original_type: str = "json") -> IntakeOutcome:
    invoice, findings = parse_invoice(payload)
    if invoice is None:
        return IntakeOutcome("invalid", findings)
    afm = invoice.issuer.vatNumber if invoice.issuer else ""
    if invoice.issuer is not None and afm not in managed_afms:
        return IntakeOutcome("forbidden")

    now = clock.now()
    settings = deps.settings
    due = invoice_due_at(invoice.invoiceHeader.issueDate, settings.mydata_channel, now)
    grace = grace_until(due, settings.grace_days)
    findings = validate_invoice(invoice, now, grace)
    if invoice.invoiceHeader.invoiceType in CORRELATION_REQUIRED:  # the lookups only where they matter
        findings += check_correlations(invoice, _known_marks(deps, tenant, invoice.invoiceHeader.correlatedInvoices))
    if not has_errors(findings):
        # The official XSD at intake too: what the model lets through (enumerations, patterns of
        # AADE's simple types) is refused now, not found at transmission.
        findings += schema_findings(invoice, settings.mydata_xsd_version)
    if has_errors(findings):
        return IntakeOutcome("invalid", findings)

    uid = invoice_uid(invoice)
    kind = Kind.MYDATA_INVOICE.value
    # No read-before-write for duplicates: the transaction's condition on the dedup key decides, and
    # a refused duplicate removes the objects it wrote (one call fewer on every accepted invoice).
    submission_id = str(uuid.uuid4())
    prefix = dossier_prefix(tenant, afm, kind, now, submission_id)
    submission = Submission(
        id=submission_id, tenant=tenant, kind=kind, afm=afm, status=Status.ACCEPTED, natural_key=uid,
        created_at=now, updated_at=now, due_at=due, grace_until=grace, findings=findings,
        dossier=prefix, summary=invoice_summary(invoice, uid),
    )
    deps.dossiers.put(f"{prefix}original.{original_type}", original,
                      "application/xml" if original_type == "xml" else "application/json")
    deps.dossiers.put_json(f"{prefix}submission.json", json.loads(invoice.model_dump_json(exclude_none=True)))
    deps.dossiers.put_json(f"{prefix}report.json", _report(submission))
    event = status_event(submission, None, now)
    try:
        deps.index.create_submission(submission, next_attempt_at=now, event=event)
    except DuplicateSubmission as dup:
        deps.dossiers.delete_prefix(prefix)
        return _duplicate(tenant, uid, (dup.tenant, dup.submission_id))
    deps.queue.nudge(tenant, submission_id)
    announce(deps, tenant, event)
    return IntakeOutcome("accepted", findings, submission)


def _duplicate(tenant: str, uid: str, owner: tuple[str, str]) -> IntakeOutcome:
    # Another tenant's submission id is never shown: its existence is all two offices sharing an
    # AFM may learn, because transmitting it twice would be worse.
    existing = owner[1] if owner[0] == tenant else None
    return IntakeOutcome("duplicate", [duplicate_finding(uid, existing)], existing_id=existing)


def _report(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.id, "kind": submission.kind, "afm": submission.afm,
        "received_at": submission.created_at.isoformat(), "due_at": submission.due_at.isoformat(),
        "grace_until": submission.grace_until.isoformat(), "natural_key": submission.natural_key,
        "findings": [f.model_dump(mode="json") for f in submission.findings],
        "errors": sum(1 for f in submission.findings if f.severity is Severity.ERROR),
    }
