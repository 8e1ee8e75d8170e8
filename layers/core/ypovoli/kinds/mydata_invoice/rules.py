"""myDATA invoice rules (SPEC §5.1). Each rule is a pure function named after its code.

Sources: seed 004_3d816526089a70b3.txt; AADE's myDATA API documentation and XSD v2.0.1, whose error
codes are quoted in the messages so an integrator can match them with what AADE would answer.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ...deadlines import athens_date, athens_text
from ...findings import Finding, Severity
from ...rules.common import CENT, is_valid_afm, money
from .aade import classification_combinations as combinations
from .aade.codes import (
    CORRELATION_REQUIRED,
    COUNTERPART_REQUIRED,
    EXEMPTION_REQUIRED,
    INVOICE_TYPES,
    RETAIL_TYPES,
    TAX_TYPE_TOTAL,
    VAT_RATES,
)
from .model import Invoice, Party

API_DOC = ("ΑΑΔΕ, myDATA REST API v2.0.1 και InvoicesDoc-v2.0.1.xsd "
           "(https://www.aade.gr/epiheiriseis/mydata-ilektronika-biblia-aade/mydata/tehnikes-prodiagrafes-ekdoseis-mydata)")
SEED_004 = ("Α.1138/2020 άρθρο 5 παρ. 6 (απώλεια διασύνδεσης; "
            "https://www.taxheaven.gr/news/65150/mydata-kai-apwleia-diasyndeshs-diakoph-internet-diakoph-reymatos-klp)")


def _finding(code: str, severity: Severity, path: str, el: str, en: str, source: str = API_DOC) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=source)


# ---- MYDATA-AFM -------------------------------------------------------------------------------

def _check_party_afm(party: Party, path: str, role_el: str, role_en: str) -> list[Finding]:
    if party.country != "GR" or is_valid_afm(party.vatNumber):
        return []
    return [
        _finding(
            "MYDATA-AFM", Severity.ERROR, f"{path}.vatNumber",
            f"Ο ΑΦΜ {role_el} «{party.vatNumber}» δεν είναι έγκυρος (9 ψηφία με σωστό ψηφίο ελέγχου, "
            "όχι μηδενικά). Η ΑΑΔΕ θα απαντούσε με σφάλμα 202.",
            f"The {role_en} VAT number (ΑΦΜ) «{party.vatNumber}» is not valid (nine digits with a correct "
            "check digit, not all zeros). AADE would answer error 202.",
        )
    ]


def check_afm(invoice: Invoice) -> list[Finding]:
    """MYDATA-AFM: issuer and counterpart Greek VAT numbers pass the check-digit algorithm."""
    if invoice.issuer is None:
        return [
            _finding(
                "MYDATA-AFM", Severity.ERROR, "invoice.issuer",
                "Λείπει ο εκδότης (issuer) με τον ΑΦΜ του.",
                "The issuer (with its VAT number, ΑΦΜ) is missing.",
            )
        ]
    findings = _check_party_afm(invoice.issuer, "invoice.issuer", "του εκδότη", "issuer")
    if invoice.counterpart is not None:
        findings += _check_party_afm(invoice.counterpart, "invoice.counterpart", "του λήπτη", "counterpart")
    return findings


# ---- MYDATA-TYPE ------------------------------------------------------------------------------

def check_type(invoice: Invoice) -> list[Finding]:
    """MYDATA-TYPE: a known type; the counterpart (and correlation) rules of that type."""
    header = invoice.invoiceHeader
    kind = header.invoiceType
    path = "invoice.invoiceHeader.invoiceType"
    if kind not in INVOICE_TYPES:
        return [
            _finding(
                "MYDATA-TYPE", Severity.ERROR, path,
                f"Άγνωστος τύπος παραστατικού «{kind}». Επιτρέπονται οι τύποι του myDATA "
                "(π.χ. 1.1, 2.1, 5.1, 11.1).",
                f"Unknown invoice type «{kind}». Use a myDATA invoice type (e.g. 1.1, 2.1, 5.1, 11.1).",
            )
        ]
    findings: list[Finding] = []
    name = INVOICE_TYPES[kind]
    if kind in COUNTERPART_REQUIRED and invoice.counterpart is None:
        findings.append(
            _finding(
                "MYDATA-TYPE", Severity.ERROR, "invoice.counterpart",
                f"Ο τύπος {kind} ({name}) απαιτεί λήπτη (counterpart). Η ΑΑΔΕ θα απαντούσε με σφάλμα 204.",
                f"Invoice type {kind} ({name}) requires a counterpart. AADE would answer error 204.",
            )
        )
    if kind in RETAIL_TYPES and invoice.counterpart is not None:
        findings.append(
            _finding(
                "MYDATA-TYPE", Severity.ERROR, "invoice.counterpart",
                f"Τα στοιχεία λιανικής ({kind}, {name}) δεν έχουν λήπτη. Η ΑΑΔΕ θα απαντούσε με σφάλμα 205.",
                f"Retail documents ({kind}) carry no counterpart. AADE would answer error 205.",
            )
        )
    if kind in CORRELATION_REQUIRED and not header.correlatedInvoices:
        findings.append(
            _finding(
                "MYDATA-TYPE", Severity.ERROR, "invoice.invoiceHeader.correlatedInvoices",
                f"Ο τύπος {kind} ({name}) απαιτεί τα ΜΑΡΚ των συσχετιζόμενων παραστατικών "
                "(correlatedInvoices). Η ΑΑΔΕ θα απαντούσε με σφάλμα 204.",
                f"Invoice type {kind} ({name}) requires the MARKs of the invoices it corrects "
                "(correlatedInvoices). AADE would answer error 204.",
            )
        )
    return findings


# ---- MYDATA-VAT-RATE --------------------------------------------------------------------------

ZERO_VAT = Decimal("0.00")

#: Each category's rate as a fraction (24 → 0.24): one multiplication a line instead of two operations,
#: with the same exact product (the rates are whole percents).
_VAT_FRACTIONS = {category: None if rate is None else rate / 100 for category, rate in VAT_RATES.items()}


def check_vat_rate(invoice: Invoice) -> list[Finding]:
    """MYDATA-VAT-RATE: each line's VAT equals net × its category's rate, within €0.01."""
    findings: list[Finding] = []
    for i, row in enumerate(invoice.invoiceDetails):
        fraction = _VAT_FRACTIONS[row.vatCategory]
        expected = ZERO_VAT if fraction is None else money(row.netValue * fraction)
        if abs(row.vatAmount - expected) <= CENT and row.vatCategory not in EXEMPTION_REQUIRED:
            continue   # nearly every line: its path and messages are only spelled out for a finding
        path = f"invoice.invoiceDetails[{i}]"
        rate = VAT_RATES[row.vatCategory]
        if abs(row.vatAmount - expected) > CENT:
            shown = "χωρίς ΦΠΑ" if rate is None else f"{rate}%"
            findings.append(
                _finding(
                    "MYDATA-VAT-RATE", Severity.ERROR, f"{path}.vatAmount",
                    f"Γραμμή {row.lineNumber}: ΦΠΑ {row.vatAmount} ενώ η κατηγορία {row.vatCategory} "
                    f"({shown}) στην καθαρή αξία {row.netValue} δίνει {expected} (ανοχή €0,01).",
                    f"Line {row.lineNumber}: VAT {row.vatAmount}, but category {row.vatCategory} "
                    f"({shown}) on net {row.netValue} gives {expected} (tolerance €0.01).",
                )
            )
        if row.vatCategory in EXEMPTION_REQUIRED and row.vatExemptionCategory is None:
            findings.append(
                _finding(
                    "MYDATA-VAT-RATE", Severity.ERROR, f"{path}.vatExemptionCategory",
                    f"Γραμμή {row.lineNumber}: η κατηγορία ΦΠΑ 7 (0%) απαιτεί αιτία εξαίρεσης "
                    "(vatExemptionCategory). Η ΑΑΔΕ θα απαντούσε με σφάλμα 217.",
                    f"Line {row.lineNumber}: VAT category 7 (0%) needs an exemption cause "
                    "(vatExemptionCategory). AADE would answer error 217.",
                )
            )
    return findings


# ---- MYDATA-TOTALS ----------------------------------------------------------------------------

#: Summary total ← the line field it sums.
LINE_TOTALS = {"totalNetValue": "netValue", "totalVatAmount": "vatAmount", "totalWithheldAmount": "withheldAmount",
               "totalFeesAmount": "feesAmount", "totalStampDutyAmount": "stampDutyAmount",
               "totalOtherTaxesAmount": "otherTaxesAmount", "totalDeductionsAmount": "deductionsAmount"}


ZERO = Decimal(0)


def expected_totals(invoice: Invoice) -> dict[str, Decimal]:
    """The summary an internally consistent invoice must carry (line sums + document-level taxes)."""
    # This runs for every invoice: each total is summed in C (map, filter, sum) over the lines' field
    # dicts; ``filter(None, …)`` drops the absent amounts (and zeros, which add nothing).
    lines = [row.__dict__ for row in invoice.invoiceDetails]
    totals = {total: sum(filter(None, map(itemgetter(attr), lines)), ZERO) for total, attr in LINE_TOTALS.items()}
    if invoice.taxesTotals is not None:
        for tax in invoice.taxesTotals.taxes:
            totals[TAX_TYPE_TOTAL[tax.taxType]] += tax.taxAmount
    return totals


def gross_of(s: dict[str, Decimal]) -> Decimal:
    return (
        s["totalNetValue"] + s["totalVatAmount"] - s["totalWithheldAmount"] + s["totalFeesAmount"]
        + s["totalStampDutyAmount"] + s["totalOtherTaxesAmount"] - s["totalDeductionsAmount"]
    )


def check_totals(invoice: Invoice) -> list[Finding]:
    """MYDATA-TOTALS: summary = sums of lines; gross = net + VAT − withheld + fees + stamp + other −
    deductions (each within €0.01)."""
    summary = invoice.invoiceSummary
    findings: list[Finding] = []
    for name, expected in expected_totals(invoice).items():
        declared: Decimal = getattr(summary, name)
        if abs(declared - expected) > CENT:
            findings.append(
                _finding(
                    "MYDATA-TOTALS", Severity.ERROR, f"invoice.invoiceSummary.{name}",
                    f"Το σύνολο {name} είναι {declared}, ενώ το άθροισμα των γραμμών είναι {expected}. "
                    "Η ΑΑΔΕ θα απαντούσε με σφάλμα 207–210.",
                    f"{name} is {declared}, but the lines add up to {expected}. "
                    "AADE would answer one of errors 207–210.",
                )
            )
    declared_parts = {k: getattr(summary, k) for k in LINE_TOTALS}   # the same keys, without summing again
    gross = gross_of(declared_parts)
    if abs(summary.totalGrossValue - gross) > CENT:
        findings.append(
            _finding(
                "MYDATA-TOTALS", Severity.ERROR, "invoice.invoiceSummary.totalGrossValue",
                f"Η συνολική αξία είναι {summary.totalGrossValue}, ενώ καθαρή + ΦΠΑ − παρακρατήσεις + τέλη "
                f"+ ψηφιακό τέλος + λοιποί φόροι − κρατήσεις = {gross}. Η ΑΑΔΕ θα απαντούσε με σφάλμα 203.",
                f"totalGrossValue is {summary.totalGrossValue}, but net + VAT − withheld + fees + stamp duty "
                f"+ other taxes − deductions = {gross}. AADE would answer error 203.",
            )
        )
    return findings


# ---- MYDATA-DATE ------------------------------------------------------------------------------

def check_date(invoice: Invoice, now: datetime, grace_until: datetime) -> list[Finding]:
    """MYDATA-DATE: not in the future (Athens day); past the legal window → warning (late)."""
    issue: date = invoice.invoiceHeader.issueDate
    today = athens_date(now)
    path = "invoice.invoiceHeader.issueDate"
    if issue > today:
        return [
            _finding(
                "MYDATA-DATE", Severity.ERROR, path,
                f"Η ημερομηνία έκδοσης {issue} είναι μεταγενέστερη της σημερινής ({today}, ώρα Ελλάδας). "
                "Η ΑΑΔΕ θα απαντούσε με σφάλμα 260.",
                f"Issue date {issue} is after today ({today}, Athens time). AADE would answer error 260.",
            )
        ]
    if now > grace_until:
        return [
            _finding(
                "MYDATA-DATE", Severity.WARNING, path,
                f"Η ημερομηνία έκδοσης {issue} είναι εκτός της προθεσμίας διαβίβασης (έληξε "
                f"{athens_text(grace_until)}): το παραστατικό θα διαβιβαστεί εκπρόθεσμα.",
                f"Issue date {issue} is outside the transmission window (it closed "
                f"{athens_text(grace_until)}): the document will be transmitted late.",
                SEED_004,
            )
        ]
    return []


def check_issue_time(invoice: Invoice, issued_at: datetime | None, now: datetime) -> list[Finding]:
    """MYDATA-DATE for a declared issue time (seed 004 TF1 record, «β) Ημερομηνία και ώρα έκδοσης»):
    it falls on the invoice's issue date (Athens day) and not after now."""
    if issued_at is None:
        return []
    issue: date = invoice.invoiceHeader.issueDate
    day = athens_date(issued_at)
    if day == issue and issued_at <= now:
        return []
    return [_finding(
        "MYDATA-DATE", Severity.ERROR, "headers.X-Ypovoli-Issued-At",
        f"Η δηλωμένη ώρα έκδοσης {athens_text(issued_at)} δεν είναι της ημερομηνίας έκδοσης {issue} (ώρα Ελλάδας) "
        "ή είναι μελλοντική.",
        f"The declared issue time {athens_text(issued_at)} is not on the issue date {issue} (Athens time), or it "
        "is in the future.", SEED_004)]


# ---- MYDATA-DUPLICATE ----------------------------------------------------------------------------

def duplicate_finding(uid: str, first_id: str | None) -> Finding:
    """MYDATA-DUPLICATE: the same issuer + branch + type + series + number + date was submitted."""
    ref_el = f" (υποβολή {first_id})" if first_id else ""
    ref_en = f" (submission {first_id})" if first_id else ""
    return _finding(
        "MYDATA-DUPLICATE", Severity.ERROR, "invoice.invoiceHeader",
        f"Το παραστατικό (ίδιος εκδότης, εγκατάσταση, τύπος, σειρά, αριθμός, ημερομηνία · uid {uid}) "
        f"έχει ήδη υποβληθεί{ref_el}. Δεν διαβιβάζεται δεύτερη φορά.",
        f"This document (same issuer, branch, type, series, number and date · uid {uid}) was already "
        f"submitted{ref_en}. It is never transmitted twice.",
    )


# ---- MYDATA-CORRELATION -------------------------------------------------------------------------

def check_correlations(invoice: Invoice, known: dict[int, tuple[str, str]]) -> list[Finding]:
    """MYDATA-CORRELATION: a correlated credit note (5.1) corrects MARKs that exist, are not
    cancelled and belong to the same issuer. ``known``: MARK → (status, issuer ΑΦΜ) of documents
    sent through ypovoli; a MARK sent some other way cannot be checked here (a warning says so)."""
    if invoice.invoiceHeader.invoiceType not in CORRELATION_REQUIRED:
        return []
    issuer = invoice.issuer.vatNumber if invoice.issuer else ""
    findings: list[Finding] = []
    path = "invoice.invoiceHeader.correlatedInvoices"
    for mark in invoice.invoiceHeader.correlatedInvoices:
        if mark not in known:
            findings.append(_finding(
                "MYDATA-CORRELATION", Severity.WARNING, path,
                f"Το ΜΑΡΚ {mark} δεν διαβιβάστηκε μέσω ypovoli: η συσχέτιση δεν ελέγχθηκε εδώ.",
                f"MARK {mark} was not sent through ypovoli: the correlation could not be checked here."))
            continue
        status, afm = known[mark]
        if status == "cancelled":
            findings.append(_finding(
                "MYDATA-CORRELATION", Severity.ERROR, path,
                f"Το πιστωτικό διορθώνει το ΜΑΡΚ {mark}, που έχει ακυρωθεί.",
                f"The credit note corrects MARK {mark}, which is cancelled."))
        elif afm != issuer:
            findings.append(_finding(
                "MYDATA-CORRELATION", Severity.ERROR, path,
                f"Το ΜΑΡΚ {mark} ανήκει σε άλλον εκδότη ({afm}).",
                f"MARK {mark} belongs to another issuer ({afm})."))
    return findings


# ---- MYDATA-CLASSIFICATION ----------------------------------------------------------------------

def check_classification_sums(invoice: Invoice) -> list[Finding]:
    """MYDATA-CLASSIFICATION (the arithmetic half): a line's classifications add up to its net value
    (AADE 306), and the summary's classifications equal the lines' per type and category (AADE
    311/312). The allowed category × E3 type × invoice type combinations are not checked yet."""
    findings: list[Finding] = []
    for kind in ("incomeClassification", "expensesClassification"):
        per_key: dict[tuple[str | None, str | None], Decimal] = {}
        for i, row in enumerate(invoice.invoiceDetails):
            items = getattr(row, kind)
            if not items:
                continue
            total = sum((c.amount for c in items), Decimal(0))
            if abs(total - row.netValue) > CENT:
                findings.append(_finding(
                    "MYDATA-CLASSIFICATION", Severity.ERROR, f"invoice.invoiceDetails[{i}].{kind}",
                    f"Γραμμή {row.lineNumber}: οι χαρακτηρισμοί ({total} €) δεν ισούνται με την καθαρή αξία "
                    f"της γραμμής ({row.netValue} €).",
                    f"Line {row.lineNumber}: the classifications (€{total}) do not add up to the line's net value "
                    f"(€{row.netValue}). AADE would answer error 306."))
            for c in items:
                key = (c.classificationType, c.classificationCategory)
                per_key[key] = per_key.get(key, Decimal(0)) + c.amount
        declared = getattr(invoice.invoiceSummary, kind)
        if not declared:
            continue
        summary: dict[tuple[str | None, str | None], Decimal] = {}
        for c in declared:
            key = (c.classificationType, c.classificationCategory)
            summary[key] = summary.get(key, Decimal(0)) + c.amount
        for key in sorted(set(per_key) | set(summary), key=str):
            if abs(per_key.get(key, Decimal(0)) - summary.get(key, Decimal(0))) > CENT:
                label = f"{key[1] or '—'}/{key[0] or '—'}"
                findings.append(_finding(
                    "MYDATA-CLASSIFICATION", Severity.ERROR, f"invoice.invoiceSummary.{kind}",
                    f"Σύνοψη: ο χαρακτηρισμός {label} είναι {summary.get(key, Decimal(0))} € ενώ οι γραμμές δίνουν "
                    f"{per_key.get(key, Decimal(0))} €.",
                    f"Summary: classification {label} is €{summary.get(key, Decimal(0))} while the lines give "
                    f"€{per_key.get(key, Decimal(0))}. AADE would answer error 311/312."))
    return findings


def check_classification_combinations(invoice: Invoice) -> list[Finding]:
    """MYDATA-CLASSIFICATION (the combination half): each income and expense classification's
    category and E3 type are a pair AADE's combination table allows for the invoice type."""
    kind = invoice.invoiceHeader.invoiceType
    if kind in combinations.ASSOCIATED:
        return []
    findings: list[Finding] = []
    sides = (("incomeClassification", combinations.INCOME, combinations.allowed_income),
             ("expensesClassification", combinations.EXPENSE, combinations.allowed_expense))
    for attr, table, allowed_for in sides:
        if kind not in table:
            continue
        # Where each list is, as a path, only spelled out for a finding (this runs for every invoice).
        places: list[tuple[int | None, list[Any]]] = [(i, getattr(row, attr))
                                                      for i, row in enumerate(invoice.invoiceDetails)]
        places.append((None, getattr(invoice.invoiceSummary, attr)))
        for where, items in places:
            for c in items:
                category, e3 = c.classificationCategory, c.classificationType
                if category is None:  # an expense line's VAT classification only (no E3 category)
                    continue
                allowed = allowed_for(kind, category)
                if allowed is None:
                    el = f"Ο χαρακτηρισμός {category} δεν επιτρέπεται στο παραστατικό τύπου {kind}."
                    en = f"Classification category {category} is not allowed for invoice type {kind}."
                elif allowed == combinations.BLANK and e3 is not None:
                    el = f"Η κατηγορία {category} στον τύπο {kind} δεν παίρνει τύπο Ε3 ({e3})."
                    en = f"Category {category} on invoice type {kind} takes no E3 type (got {e3})."
                elif isinstance(allowed, tuple) and e3 not in allowed:
                    el = (f"Ο συνδυασμός {category} / {e3 or '(χωρίς Ε3)'} δεν επιτρέπεται στο παραστατικό "
                          f"τύπου {kind} (επιτρέπονται: {', '.join(allowed)}).")
                    en = (f"Combination {category} / {e3 or '(no E3 type)'} is not allowed for invoice type "
                          f"{kind} (allowed: {', '.join(allowed)}).")
                else:
                    continue
                path = (f"invoice.invoiceSummary.{attr}" if where is None
                        else f"invoice.invoiceDetails[{where}].{attr}")
                findings.append(_finding("MYDATA-CLASSIFICATION", Severity.ERROR, path, el, en,
                                         f"{API_DOC} · AADE combination table ({combinations.__name__})"))
    return findings


# ---- MYDATA-OUTAGE (declared) ------------------------------------------------------------------

#: What an issuer may declare itself, per channel (mydata-api.md §2.2; seed 004): on AADE's ERP
#: channel only 3 («Απώλεια διασύνδεσης»); through a provider 1 (entity ↔ provider, TF1) or 4 (art. 5
#: par. 2 (c) entities). 2 (provider ↔ AADE) is the provider's — the gateway's — to set, never the issuer's.
DECLARABLE = {"erp": frozenset({3}), "provider": frozenset({1, 4})}


def check_declared_outage(invoice: Invoice, channel: str) -> list[Finding]:
    """MYDATA-OUTAGE: an outage indicator the issuer declared is kept and sent as is, if its channel
    allows it (an ERP's 3 through the provider channel would be refused by AADE, and the reverse)."""
    declared = invoice.transmissionFailure
    if declared is None or declared in DECLARABLE[channel]:
        return []
    allowed = ", ".join(str(v) for v in sorted(DECLARABLE[channel]))
    return [_finding(
        "MYDATA-OUTAGE", Severity.ERROR, "invoice.transmissionFailure",
        f"Η ένδειξη απώλειας διασύνδεσης transmissionFailure={declared} δεν επιτρέπεται στο κανάλι «{channel}» "
        f"(επιτρέπονται: {allowed}). Η ένδειξη 2 (Πάροχος – ΑΑΔΕ) τίθεται μόνο από την πύλη.",
        f"The outage indicator transmissionFailure={declared} is not allowed on the '{channel}' channel "
        f"(allowed: {allowed}). Indicator 2 (provider – AADE) is set by the gateway only.", SEED_004)]


def validate_invoice(invoice: Invoice, now: datetime, grace_until: datetime) -> list[Finding]:
    """Every intake rule of SPEC §5.1 that needs nothing but the invoice and the clock."""
    findings = check_afm(invoice) + check_type(invoice)
    findings += check_vat_rate(invoice) + check_totals(invoice) + check_classification_sums(invoice)
    findings += check_classification_combinations(invoice)
    findings += check_date(invoice, now, grace_until)
    return findings
