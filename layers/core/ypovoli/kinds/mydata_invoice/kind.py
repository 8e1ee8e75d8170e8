"""myDATA invoices as a kind: what intake, transmitter and sweeper ask of one (seed 004; SPEC §5.1)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...deadlines import athens_text
from ...findings import Finding, Severity
from ...models.reports import OutageDocument
from ...models.submission import FineExposure, Receipt, Submission, UpstreamError
from ...rules.input import parse_as
from ...settings import Settings
from ..base import CheckContext, Deadlines
from .aade.codes import CORRELATION_REQUIRED
from .aade.errors import refusal_finding
from .aade.uid import invoice_uid
from .aade.xsd import checked_doc
from .deadlines import invoice_due_at, invoice_grace_until
from .fines import audit_shares, fine_exposure
from .model import Invoice
from .rules import (
    API_DOC,
    SEED_004,
    check_correlations,
    check_declared_outage,
    check_issue_time,
    duplicate_finding,
    expected_totals,
    validate_invoice,
)

if TYPE_CHECKING:
    from ...services.deps import Deps

NAME = "mydata_invoice"


def _finding(code: str, severity: Severity, path: str, el: str, en: str, source: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=source)


def outage_finding(indicator: int, first_failure: datetime) -> Finding:
    return _finding(
        "MYDATA-OUTAGE", Severity.INFO, "invoice.transmissionFailure",
        f"Διαβιβάστηκε μετά από απώλεια διασύνδεσης (από {athens_text(first_failure)}) με την ένδειξη "
        f"«Απώλεια Διασύνδεσης» (transmissionFailure={indicator}). Τα αποδεικτικά τηρούνται στον φάκελο.",
        f"Sent after a loss of connection (since {athens_text(first_failure)}) with the outage indicator "
        f"(transmissionFailure={indicator}). The evidence is kept in the dossier.",
        SEED_004,
    )


def declared_outage_finding(indicator: int) -> Finding:
    return _finding(
        "MYDATA-OUTAGE", Severity.INFO, "invoice.transmissionFailure",
        f"Διαβιβάστηκε με την ένδειξη απώλειας διασύνδεσης που δήλωσε ο εκδότης (transmissionFailure={indicator}).",
        f"Sent with the outage indicator the issuer declared (transmissionFailure={indicator}).",
        SEED_004,
    )


def late_finding(grace: datetime) -> Finding:
    return _finding(
        "MYDATA-LATE", Severity.WARNING, "invoice",
        f"Διαβιβάστηκε μετά τη λήξη της προθεσμίας ({athens_text(grace)}): εκπρόθεσμη διαβίβαση.",
        f"Transmitted after the window closed ({athens_text(grace)}): late transmission.",
        SEED_004,
    )


def overdue_finding(grace: datetime) -> Finding:
    return _finding(
        "MYDATA-LATE", Severity.WARNING, "invoice",
        f"Η προθεσμία διαβίβασης έληξε ({athens_text(grace)}) και το παραστατικό δεν έχει διαβιβαστεί· "
        "οι προσπάθειες συνεχίζονται.",
        f"The transmission window closed ({athens_text(grace)}) and the document is not yet sent; "
        "retries go on.",
        SEED_004,
    )


def schema_findings(invoice: Invoice, version: str) -> list[Finding]:
    return [Finding(code="MYDATA-SCHEMA", severity=Severity.ERROR, path="invoice",
                    message_el=f"Το XML του παραστατικού δεν είναι έγκυρο κατά το επίσημο XSD: {error}",
                    message_en=f"The invoice's XML is not valid against the official XSD: {error}", source=API_DOC)
            for error in checked_doc([invoice], version)[1][:10]]


def vat_of(submission: Submission) -> Decimal:
    return Decimal(str(submission.summary.get("vat_amount", "0")))


class MyDataInvoiceKind:
    name = NAME
    upstream = "mydata"
    #: Invoices are numbered within a series (the console's search: «Α-101» is number 101 of series Α).
    numbered_in_series = True
    #: A transmitted invoice can be cancelled from the console (AADE's CancelInvoice).
    console_cancel = True
    #: Where the ΑΦΜ the tenant must manage is (a 403 names it).
    afm_path = "invoice.issuer.vatNumber"

    def parse(self, payload: Any) -> tuple[Invoice | None, list[Finding]]:
        return parse_as(Invoice, payload, "MYDATA-SCHEMA", "invoice", API_DOC)

    def afm(self, document: Invoice) -> str:
        return document.issuer.vatNumber if document.issuer else ""

    def natural_key(self, document: Invoice) -> str:
        return invoice_uid(document)

    def deadlines(self, document: Invoice, now: datetime, settings: Settings) -> Deadlines:
        issued = document.invoiceHeader.issueDate
        due = invoice_due_at(issued, settings.mydata_channel, now)
        return Deadlines(due, invoice_grace_until(issued, settings.mydata_channel, due, settings.grace_days))

    def check(self, document: Invoice, context: CheckContext) -> list[Finding]:
        findings = validate_invoice(document, context.now, context.deadlines.grace_until)
        findings += check_issue_time(document, context.issued_at, context.now)
        findings += check_declared_outage(document, context.settings.mydata_channel.value)
        correlated = document.invoiceHeader.correlatedInvoices
        if document.invoiceHeader.invoiceType in CORRELATION_REQUIRED:  # the look-ups only where they matter
            known = {mark: owner for mark in correlated[:50] if (owner := context.owner_of_receipt(mark))}
            findings += check_correlations(document, known)
        if not any(f.severity is Severity.ERROR for f in findings):
            # The official XSD at intake too: what the model lets through (enumerations, patterns of
            # AADE's simple types) is refused now, not found at transmission.
            findings += schema_findings(document, context.settings.mydata_xsd_version)
        return findings

    def search_terms(self, document: Invoice) -> list[str]:
        """What the console's search finds an invoice by: its number (a search for «Α-101» also tries
        «101»: one index entry, not two)."""
        return [str(document.invoiceHeader.aa)]

    def summary(self, document: Invoice, natural_key: str) -> dict[str, Any]:
        """The seven fields of a TF1 record (seed 004) and what listings show, kept on the index item."""
        totals = expected_totals(document)
        header = document.invoiceHeader
        return {
            "issuer_afm": self.afm(document),
            "issue_date": header.issueDate.isoformat(),
            "document_number": f"{header.series}-{header.aa}",
            "net_value": str(document.invoiceSummary.totalNetValue),
            "vat_amount": str(document.invoiceSummary.totalVatAmount),
            "total_value": str(document.invoiceSummary.totalGrossValue),
            "document_type": header.invoiceType,
            "uid": natural_key,
            "lines": len(document.invoiceDetails),
            "withheld": str(totals["totalWithheldAmount"]),
        }

    def dump(self, document: Invoice) -> dict[str, Any]:
        return dict(json.loads(document.model_dump_json(exclude_none=True)))

    def load(self, data: dict[str, Any]) -> Invoice:
        return Invoice.model_validate(data)

    def refusal(self, error: UpstreamError) -> Finding:
        """AADE's refusal as a finding, in both languages where AADE's code is known."""
        return refusal_finding(error)

    def duplicate(self, natural_key: str, existing_id: str | None) -> Finding:
        return duplicate_finding(natural_key, existing_id)

    def overdue(self, submission: Submission, settings: Settings) -> tuple[Finding, FineExposure]:
        return (overdue_finding(submission.grace_until),
                fine_exposure(vat_of(submission), settings.double_entry_books))

    def late(self, submission: Submission) -> Finding:
        return late_finding(submission.grace_until)

    def document_lines(self, data: dict[str, Any]) -> list[tuple[str, str, str]]:
        """What the console shows of an invoice before its status: number, date, type, counterpart,
        amounts (Greek label, English label, value)."""
        def day(text: str) -> str:   # «2026-12-07» as people in Greece write it: «07/12/2026»
            try:
                return date.fromisoformat(text).strftime("%d/%m/%Y")
            except ValueError:
                return text

        def money(value: Any) -> str:
            return f"{value} €" if value not in (None, "") else "—"

        header, summary = data.get("invoiceHeader") or {}, data.get("invoiceSummary") or {}
        counterpart = data.get("counterpart") or {}
        named = (counterpart.get("name") or "").strip()
        return [("Σειρά / αριθμός", "Series / number", f"{header.get('series', '')} {header.get('aa', '')}".strip()),
                ("Ημερομηνία έκδοσης", "Issue date", day(str(header.get("issueDate", "")))),
                ("Τύπος", "Type", str(header.get("invoiceType", ""))),
                ("Αντισυμβαλλόμενος", "Counterpart",
                 f"{counterpart.get('vatNumber', '—')}{' · ' + named if named else ''}" if counterpart else "—"),
                ("Καθαρή αξία", "Net", money(summary.get("totalNetValue"))),
                ("ΦΠΑ", "VAT", money(summary.get("totalVatAmount"))),
                ("Συνολική αξία", "Gross", money(summary.get("totalGrossValue")))]

    def prime(self) -> None:
        """A snapshot's init: the official XSD, compiled before the first document needs it."""
        from .aade.xsd import invoices_schema

        invoices_schema()

    def audit_fines(self, deps: Deps, submissions: list[Submission]) -> dict[str, FineExposure]:
        """Each unsent document's share of what one audit may charge for all of them (the minimum
        counts once per audit: seed 001), by the business's books as registered («single» |
        «double»; none registered: the deployment's default, said so)."""
        from ..retail.businesses_store import Businesses

        books = deps.store(Businesses).books(submissions[0].tenant, submissions[0].afm) if submissions else None
        double = deps.settings.double_entry_books if books is None else books == "double"
        return audit_shares({s.id: vat_of(s) for s in submissions}, double, by_default=books is None)

    def sent_during_outage(self, submission: Submission, receipt: Receipt) -> Finding | None:
        if receipt.transmission_failure is None:
            return None
        if submission.outage is None:
            return declared_outage_finding(receipt.transmission_failure)
        return outage_finding(receipt.transmission_failure, submission.outage.first_failure_at)

    def outage_record(self, submission: Submission, receipt: Receipt) -> OutageDocument | None:
        """The listing line of a document sent under the outage procedure (seed 004)."""
        if receipt.transmission_failure is None:
            return None
        summary = submission.summary
        first = submission.outage.first_failure_at if submission.outage else receipt.received_at
        return OutageDocument(
            id=submission.id, issuer_afm=submission.afm, issue_date=str(summary.get("issue_date", "")),
            document_number=str(summary.get("document_number", "")),
            net_value=Decimal(str(summary.get("net_value", 0))), vat_amount=vat_of(submission),
            total_value=Decimal(str(summary.get("total_value", 0))),
            document_type=str(summary.get("document_type", "")), uid=receipt.uid or submission.natural_key,
            mark=receipt.mark, transmission_failure=receipt.transmission_failure, first_failure_at=first,
            transmitted_at=receipt.received_at, grace_until=submission.grace_until,
            late=receipt.received_at > submission.grace_until, reconciled=receipt.reconciled,
        )


KIND = MyDataInvoiceKind()
