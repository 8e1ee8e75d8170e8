"""SPEC §5.1 rules, each at its boundaries. Test names carry the rule code."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from ypovoli.deadlines import grace_until
from ypovoli.kinds.mydata_invoice.deadlines import invoice_due_at
from ypovoli.kinds.mydata_invoice.model import Invoice
from ypovoli.kinds.mydata_invoice.rules import (
    check_afm,
    check_date,
    check_totals,
    check_type,
    check_vat_rate,
    duplicate_finding,
    is_valid_afm,
)
from ypovoli.settings import Channel

from tests.factories import COUNTERPART, invoice, multi_line_invoice

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def model(data: dict) -> Invoice:
    return Invoice.model_validate(data)


def codes(findings: list) -> list[str]:
    return [f.code for f in findings]


# ---- MYDATA-AFM ---------------------------------------------------------------------------------

@pytest.mark.parametrize("afm", ["800123456", "997123453", "090000045", "094019245"])
def test_mydata_afm_accepts_valid_check_digits(afm: str) -> None:
    data = invoice(issuer=afm)
    assert check_afm(model(data)) == []


@pytest.mark.parametrize("afm", ["800123457", "000000000", "12345678", "8001234560", "80012345A"])
def test_mydata_afm_refuses_bad_check_digit_zeros_and_length(afm: str) -> None:
    findings = check_afm(model(invoice(issuer=afm)))
    assert codes(findings) == ["MYDATA-AFM"]
    assert findings[0].path == "invoice.issuer.vatNumber"
    assert afm in findings[0].message_el and afm in findings[0].message_en


def test_mydata_afm_checks_counterpart_and_skips_foreign() -> None:
    data = invoice()
    data["counterpart"]["vatNumber"] = "123456789"
    assert [f.path for f in check_afm(model(data))] == ["invoice.counterpart.vatNumber"]
    data["counterpart"]["country"] = "DE"
    assert check_afm(model(data)) == []


def test_mydata_afm_requires_issuer() -> None:
    data = invoice()
    del data["issuer"]
    assert codes(check_afm(model(data))) == ["MYDATA-AFM"]


def test_mydata_afm_zeroes_pass_stdnum_but_not_us() -> None:
    assert not is_valid_afm("000000000")


# ---- MYDATA-TYPE --------------------------------------------------------------------------------

def test_mydata_type_unknown() -> None:
    findings = check_type(model(invoice(invoiceType="99.9")))
    assert codes(findings) == ["MYDATA-TYPE"] and findings[0].path == "invoice.invoiceHeader.invoiceType"


@pytest.mark.parametrize("kind", ["1.1", "2.1", "5.2"])
def test_mydata_type_counterpart_required(kind: str) -> None:
    data = invoice(invoiceType=kind)
    assert check_type(model(data)) == []
    del data["counterpart"]
    assert codes(check_type(model(data))) == ["MYDATA-TYPE"]


@pytest.mark.parametrize("kind", ["11.1", "11.2"])
def test_mydata_type_retail_needs_no_counterpart_and_refuses_one(kind: str) -> None:
    data = invoice(invoiceType=kind)
    assert codes(check_type(model(data))) == ["MYDATA-TYPE"]
    del data["counterpart"]
    assert check_type(model(data)) == []


def test_mydata_type_credit_note_needs_correlated_marks() -> None:
    data = invoice(invoiceType="5.1")
    assert [f.path for f in check_type(model(data))] == ["invoice.invoiceHeader.correlatedInvoices"]
    data["invoiceHeader"]["correlatedInvoices"] = [400001000000001]
    assert check_type(model(data)) == []


# ---- MYDATA-VAT-RATE ----------------------------------------------------------------------------

@pytest.mark.parametrize(("delta", "ok"), [("0.00", True), ("0.01", True), ("-0.01", True),
                                             ("0.02", False), ("-0.02", False)])
def test_mydata_vat_rate_within_one_cent(delta: str, ok: bool) -> None:
    data = invoice()
    data["invoiceDetails"][0]["vatAmount"] = str(Decimal("24.00") + Decimal(delta))
    assert (check_vat_rate(model(data)) == []) is ok


@pytest.mark.parametrize(("category", "net", "vat"), [
    (1, "10.00", "2.40"), (2, "10.00", "1.30"), (3, "10.00", "0.60"), (4, "10.00", "1.70"), (5, "10.00", "0.90"),
    (6, "10.00", "0.40"), (9, "10.00", "0.30"), (10, "10.00", "0.40"), (8, "10.00", "0.00")])
def test_mydata_vat_rate_every_category(category: int, net: str, vat: str) -> None:
    data = invoice()
    data["invoiceDetails"][0].update(netValue=net, vatCategory=category, vatAmount=vat)
    assert check_vat_rate(model(data)) == []


def test_mydata_vat_rate_rounds_half_up() -> None:
    data = invoice()
    data["invoiceDetails"][0].update(netValue="0.125", vatAmount="0.03")
    with pytest.raises(ValueError, match=r"multiple of 0\.01"):
        model(data)  # three decimals are refused by the model (XSD AmountType) before the rule
    data["invoiceDetails"][0].update(netValue="10.21", vatAmount="2.45")  # 2.4504 → 2.45
    assert check_vat_rate(model(data)) == []


def test_mydata_vat_rate_exemption_cause_for_category_7() -> None:
    data = invoice()
    data["invoiceDetails"][0].update(vatCategory=7, vatAmount="0.00")
    assert [f.path for f in check_vat_rate(model(data))] == ["invoice.invoiceDetails[0].vatExemptionCategory"]
    data["invoiceDetails"][0]["vatExemptionCategory"] = 1
    assert check_vat_rate(model(data)) == []


# ---- MYDATA-TOTALS ------------------------------------------------------------------------------

@pytest.mark.parametrize(("delta", "ok"), [("0.00", True), ("0.01", True), ("-0.01", True),
                                             ("0.02", False), ("-0.02", False)])
def test_mydata_totals_net_within_one_cent(delta: str, ok: bool) -> None:
    data = invoice()
    summary = data["invoiceSummary"]
    summary["totalNetValue"] = str(Decimal("100.00") + Decimal(delta))
    summary["totalGrossValue"] = str(Decimal("124.00") + Decimal(delta))
    assert (check_totals(model(data)) == []) is ok


@pytest.mark.parametrize(("delta", "ok"), [("0.01", True), ("0.02", False)])
def test_mydata_totals_gross_equation(delta: str, ok: bool) -> None:
    data = invoice()
    data["invoiceSummary"]["totalGrossValue"] = str(Decimal("124.00") + Decimal(delta))
    findings = check_totals(model(data))
    assert (findings == []) is ok
    if not ok:
        assert findings[0].path == "invoice.invoiceSummary.totalGrossValue"


def test_mydata_totals_withheld_fees_and_document_level_taxes() -> None:
    data = invoice()
    data["invoiceDetails"][0].update(withheldAmount="20.00", withheldPercentCategory=3,
                                     feesAmount="1.00", feesPercentCategory=1)
    data["taxesTotals"] = {"taxes": [{"taxType": 3, "taxCategory": 1, "taxAmount": "2.00"}]}
    summary = data["invoiceSummary"]
    summary.update(totalWithheldAmount="20.00", totalFeesAmount="1.00", totalOtherTaxesAmount="2.00",
                   totalGrossValue="107.00")  # 100 + 24 − 20 + 1 + 2
    assert check_totals(model(data)) == []
    summary["totalGrossValue"] = "127.00"
    assert codes(check_totals(model(data))) == ["MYDATA-TOTALS"]


def test_mydata_totals_many_lines_consistent() -> None:
    data = multi_line_invoice([(Decimal("10.10"), 1), (Decimal("33.33"), 2), (Decimal("0.01"), 3)])
    assert check_totals(model(data)) == [] and check_vat_rate(model(data)) == []


# ---- MYDATA-DATE --------------------------------------------------------------------------------

def _grace(issue: date) -> datetime:
    return grace_until(invoice_due_at(issue, Channel.ERP, NOW))


def test_mydata_date_future_is_an_error_today_is_fine() -> None:
    today = date(2026, 11, 23)
    assert check_date(model(invoice(issue_date=today)), NOW, _grace(today)) == []
    tomorrow = today + timedelta(days=1)
    findings = check_date(model(invoice(issue_date=tomorrow)), NOW, _grace(tomorrow))
    assert codes(findings) == ["MYDATA-DATE"] and findings[0].severity == "error"


def test_mydata_date_athens_day_not_utc() -> None:
    # 23:30 UTC on the 22nd is already the 23rd in Athens: an invoice dated the 23rd is not in the future.
    late_evening = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    day = date(2026, 11, 23)
    assert check_date(model(invoice(issue_date=day)), late_evening, _grace(day)) == []


def test_mydata_date_older_than_window_is_a_warning() -> None:
    old = date(2026, 11, 20)  # due end of 21st, grace end of 22nd (Athens)
    findings = check_date(model(invoice(issue_date=old)), NOW, _grace(old))
    assert codes(findings) == ["MYDATA-DATE"] and findings[0].severity == "warning"
    inside = date(2026, 11, 21)  # grace ends 23:59:59 on the 23rd
    assert check_date(model(invoice(issue_date=inside)), NOW, _grace(inside)) == []


# ---- MYDATA-DUPLICATE ---------------------------------------------------------------------------

def test_mydata_duplicate_names_the_first_submission_only_when_known() -> None:
    mine = duplicate_finding("ABC", "id-1")
    assert mine.code == "MYDATA-DUPLICATE" and "id-1" in mine.message_en
    theirs = duplicate_finding("ABC", None)
    assert "submission" not in theirs.message_en.split("submitted")[-1]


def test_counterpart_fixture_is_valid() -> None:
    assert is_valid_afm(COUNTERPART)


def test_mydata_classification_line_amounts_must_add_up_to_the_net_value() -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_classification_sums

    body = invoice()
    assert check_classification_sums(Invoice.model_validate(body)) == []
    body["invoiceDetails"][0]["incomeClassification"][0]["amount"] = "99.99"  # within €0.01
    assert check_classification_sums(Invoice.model_validate(body)) == []
    body["invoiceDetails"][0]["incomeClassification"][0]["amount"] = "99.98"
    findings = check_classification_sums(Invoice.model_validate(body))
    assert [f.code for f in findings] == ["MYDATA-CLASSIFICATION"] * 2  # the line, and the summary vs lines
    assert findings[0].path == "invoice.invoiceDetails[0].incomeClassification" and "306" in findings[0].message_en


def test_mydata_classification_summary_must_match_the_lines_per_type_and_category() -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_classification_sums

    body = invoice()
    body["invoiceSummary"]["incomeClassification"][0]["classificationType"] = "E3_561_002"
    findings = check_classification_sums(Invoice.model_validate(body))
    assert {f.path for f in findings} == {"invoice.invoiceSummary.incomeClassification"} and len(findings) == 2
    body = invoice()
    body["invoiceSummary"]["incomeClassification"][0]["amount"] = "100.02"
    assert [f.code for f in check_classification_sums(Invoice.model_validate(body))] == ["MYDATA-CLASSIFICATION"]


def _classified(invoice_type: str, category: str, e3: str | None, **header: object) -> Invoice:
    body = invoice(invoiceType=invoice_type, **header)
    line, summary = body["invoiceDetails"][0], body["invoiceSummary"]
    for place in (line["incomeClassification"][0], summary["incomeClassification"][0]):
        place["classificationCategory"] = category
        if e3 is None:
            place.pop("classificationType", None)
        else:
            place["classificationType"] = e3
    return Invoice.model_validate(body)


@pytest.mark.parametrize(("invoice_type", "category", "e3"), [
    ("1.1", "category1_1", "E3_561_001"), ("1.1", "category1_1", "E3_561_007"),   # first and last of a list
    ("1.1", "category1_95", "E3_596"), ("1.1", "category1_95", "E3_597"),
    ("1.1", "category1_8", "E3_881_004"),       # «all above»: any E3 type of the other categories
    ("11.1", "category1_3", "E3_563"), ("2.1", "category1_95", None),               # «blank»: no E3 type
    ("17.4", "category1_10", None), ("5.1", "category1_1", "E3_999"),               # 5.1 follows its original
])
def test_mydata_classification_allowed_combinations(invoice_type: str, category: str, e3: str | None) -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_classification_combinations

    assert check_classification_combinations(_classified(invoice_type, category, e3)) == []


@pytest.mark.parametrize(("invoice_type", "category", "e3"), [
    ("1.1", "category1_1", "E3_561_003"),   # retail E3 type on a wholesale invoice
    ("11.1", "category1_1", "E3_561_001"),  # wholesale E3 type on a retail receipt
    ("1.1", "category1_6", "E3_595"),       # category not allowed for the type at all
    ("2.1", "category1_95", "E3_596"),      # «blank» category with an E3 type
    ("1.1", "category1_1", None),           # a listed category needs its E3 type
    ("13.1", "category1_1", "E3_561_001"),  # expense-only type: no income classification
])
def test_mydata_classification_refused_combinations(invoice_type: str, category: str, e3: str | None) -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_classification_combinations

    findings = check_classification_combinations(_classified(invoice_type, category, e3))
    assert [f.code for f in findings] == ["MYDATA-CLASSIFICATION"] * 2  # the line and the summary
    assert findings[0].message_el and findings[0].message_en


def test_mydata_correlation_credit_notes_correct_live_marks_of_the_same_issuer() -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_correlations

    credit = Invoice.model_validate(invoice(invoiceType="5.1", correlatedInvoices=[400001000000001]))
    assert check_correlations(credit, {400001000000001: ("transmitted", credit.issuer.vatNumber)}) == []  # type: ignore[union-attr]
    [unknown] = check_correlations(credit, {})
    assert unknown.code == "MYDATA-CORRELATION" and unknown.severity == "warning"
    [cancelled] = check_correlations(credit, {400001000000001: ("cancelled", "800123456")})
    assert cancelled.severity == "error" and "cancelled" in cancelled.message_en
    [foreign] = check_correlations(credit, {400001000000001: ("transmitted", "094019245")})
    assert foreign.severity == "error" and "another issuer" in foreign.message_en
    assert check_correlations(Invoice.model_validate(invoice()), {}) == []  # only 5.1 corrects MARKs


def _expensed(invoice_type: str, category: str | None, e3: str | None) -> Invoice:
    body = invoice(invoiceType=invoice_type)
    entry = {"classificationType": e3, "classificationCategory": category, "amount": "100.00"}
    entry = {k: v for k, v in entry.items() if v is not None}
    for place in (body["invoiceDetails"][0], body["invoiceSummary"]):
        place.pop("incomeClassification", None)
        place["expensesClassification"] = [dict(entry)]
    return Invoice.model_validate(body)


@pytest.mark.parametrize(("invoice_type", "category", "e3", "ok"), [
    ("13.1", "category2_1", "E3_102_002", True), ("13.1", "category2_1", "E3_313_005", True),
    ("14.1", "category2_4", "E3_581_003", True), ("17.5", "category2_12", "XE3_318", True),
    ("13.1", "category2_11", "E3_585_016", True),  # «all above»
    ("1.1", None, None, True),                      # a VAT-only expense line: no E3 category to check
    ("13.1", "category2_1", "E3_102_001", False),   # wholesale E3 type on a retail purchase
    ("11.1", "category2_1", "E3_102_001", False),   # a retail receipt takes no expense classification
    ("14.5", "category2_1", "E3_102_001", False), ("13.3", "category2_95", "E3_585_016", False),
])
def test_mydata_classification_expense_combinations(invoice_type: str, category: str | None, e3: str | None,
                                                    ok: bool) -> None:
    from ypovoli.kinds.mydata_invoice.rules import check_classification_combinations

    findings = check_classification_combinations(_expensed(invoice_type, category, e3))
    assert (findings == []) is ok, findings
