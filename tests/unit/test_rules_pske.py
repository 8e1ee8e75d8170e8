"""PSKE-A1 … PSKE-B10 on seed 003's worked examples (003_dc887aa7a20df06c.txt), each with the cut or
refusal the auditor would make. Test names carry the rule codes (grep PSKE-B4 / pske_b4)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ypovoli.kinds.pske.history import History, invoice_identity, payment_identity
from ypovoli.kinds.pske.model import PaymentRequestBody
from ypovoli.kinds.pske.rules import Outcome, validate_request

from tests.pske_factory import (
    ABG_AFM,
    BENEFICIARY,
    EMPLOYEE_A,
    EMPLOYEE_B,
    clean_request,
    invoice,
    payment,
)


def run(data: dict[str, Any], history: History | None = None) -> Outcome:
    return validate_request(PaymentRequestBody.model_validate(data), history)


def codes(outcome: Outcome) -> list[str]:
    return sorted({f.code for f in outcome.findings})


def test_the_clean_request_has_no_findings() -> None:
    outcome = run(clean_request())
    assert outcome.findings == [] and outcome.cuts == []


# ---- Part A ---------------------------------------------------------------------------------------

def test_pske_a1_entity_changed_representative_needs_an_amendment_first() -> None:
    data = clean_request()
    data["investor"]["legal_representatives"] = ["Ν. Άλλος"]
    data["investor"]["name"] = "  αλφα τεχνικη αε "  # case and spacing are not differences
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A1-ENTITY"]
    [finding] = outcome.findings
    assert finding.path == "investor.legal_representatives" and "Αίτημα Τροποποίησης" in finding.message_el


def test_pske_a2_eligible_unapproved_expense_is_cut_in_full() -> None:
    data = clean_request()
    data["expense_links"][1]["expense"] = "E99"
    data["project"]["annex"]["expenses"][0]["eligible"] = False
    outcome = run(data)
    assert [f.code for f in outcome.findings if f.code == "PSKE-A2-ELIGIBLE"] == ["PSKE-A2-ELIGIBLE"] * 2
    assert sorted(c.cut for c in outcome.cuts if c.code == "PSKE-A2-ELIGIBLE") == [Decimal("319.80"),
                                                                                   Decimal("1415.00")]


def test_pske_a3_minimum_implementation_after_cuts() -> None:
    data = clean_request()
    data["project"]["annex"]["minimum_implementation_pct"] = "4"   # 1,734.80 / 51,000 = 3.40 %
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A3-MINIMUM"] and "3.40%" in outcome.findings[0].message_en
    # What earlier requests had certified counts toward implementation.
    assert run(data, History(requested={"E3": Decimal("1000.00")}, certified={"E3": Decimal("1000.00")})).findings == []


def test_pske_a4_approved_excess_is_certified_at_the_approved_value() -> None:
    data = clean_request()
    data["expense_links"][0]["unit_price"] = "1500.00"
    data["invoices"][0].update(net_value="1819.80", gross_value="2256.55")
    data["payments"][0]["amount"] = "2256.55"
    data["payment_links"][0]["amount"] = "2256.55"
    outcome = run(data)
    assert "PSKE-A4-APPROVED" in codes(outcome)
    [cut] = [c for c in outcome.cuts if c.code == "PSKE-A4-APPROVED"]
    assert (cut.expense, cut.requested, cut.certifiable, cut.cut) == ("E1", Decimal("1500.00"), Decimal("1415.00"),
                                                                      Decimal("85.00"))
    # Earlier requests of the project use up the approved value too.
    again = run(clean_request(), History(requested={"E1": Decimal("1000.00")}, certified={"E1": Decimal("1000.00")}))
    [cut] = [c for c in again.cuts if c.code == "PSKE-A4-APPROVED"]
    assert cut.cut == Decimal("1000.00") and cut.certifiable == Decimal("415.00")


def test_pske_a4_boundary_one_cent() -> None:
    data = clean_request()
    data["project"]["annex"]["expenses"][0]["approved"] = "1414.99"
    assert [c.cut for c in run(data).cuts] == [Decimal("0.01")]
    data["project"]["annex"]["expenses"][0]["approved"] = "1415.00"
    assert run(data).cuts == []


def test_pske_a5_payment_method_not_allowed_and_not_paid_in_full() -> None:
    data = clean_request()
    data["payments"][0]["kind"] = "cash"
    outcome = run(data)
    assert "PSKE-A5-PAYMENT" in codes(outcome)
    assert sum(c.cut for c in outcome.cuts if c.code == "PSKE-A5-PAYMENT") == Decimal("1734.80")
    data = clean_request()
    data["payment_links"][0]["amount"] = "2151.14"   # one cent short
    assert "PSKE-A5-PAYMENT" in codes(run(data))


def test_pske_a6_category_limit_of_the_call() -> None:
    data = clean_request()
    data["project"]["annex"]["categories"][0]["limit"] = "1700.00"
    assert codes(run(data)) == ["PSKE-A6-CATEGORY"]
    data = clean_request()
    data["project"]["annex"]["kind_limits"] = {"equipment": "1734.80"}
    assert run(data).findings == []
    data["project"]["annex"]["kind_limits"] = {"equipment": "1734.79"}
    assert codes(run(data)) == ["PSKE-A6-CATEGORY"]


def test_pske_a7_fixed_assets_in_the_register() -> None:
    data = clean_request()
    data["invoices"][0]["fixed_asset_register"] = False
    assert codes(run(data)) == ["PSKE-A7-FIXED-ASSETS"]
    data = clean_request()
    data["invoices"][0]["books"]["ledger_account"] = "64.98.00"   # an expense account, not group 1
    assert codes(run(data)) == ["PSKE-A7-FIXED-ASSETS"]


def test_pske_a8_deliverables_and_the_deposits_never_accepted() -> None:
    data = clean_request()
    data["deliverables"] = []
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A8-DELIVERABLES"] and len(outcome.findings) == 2  # entries + extrait
    data = clean_request()
    data["payments"][0].update(kind="deposit", depositor="supplier")
    outcome = run(data)
    assert "PSKE-A8-DELIVERABLES" in codes(outcome)
    # Issue 12 §3: what is not certified is the expense requested (net 1,734.80), not the gross paid.
    assert [c.cut for c in outcome.cuts if c.code == "PSKE-A8-DELIVERABLES"] == [Decimal("1734.80")]
    data["payments"][0].update(depositor="other", authorisation=False)
    assert "PSKE-A8-DELIVERABLES" in codes(run(data))
    data["payments"][0].update(authorisation=True)
    assert run(data).findings == []
    data = clean_request()
    data["payments"][0]["both_accounts_named"] = False
    assert codes(run(data)) == ["PSKE-A8-DELIVERABLES"]


def test_pske_a8_website_needs_wcag_and_rent_needs_the_lease_papers() -> None:
    data = clean_request()
    data["project"]["annex"]["expenses"][1]["kind"] = "website"
    outcome = run(data)
    assert ["WCAG" in f.message_en for f in outcome.findings if f.code == "PSKE-A8-DELIVERABLES"] == [True]
    data["deliverables"].append({"kind": "wcag_certificate", "expense": "E2"})
    assert "PSKE-A8-DELIVERABLES" not in codes(run(data))


# ---- Part B -------------------------------------------------------------------------------------

def test_pske_b1_fields_as_printed_and_never_a_description() -> None:
    data = clean_request()
    data["invoices"][0]["supplier_afm"] = ""
    data["payments"][0].update(number="πληρωμή τιμολογίου δικτυακής", issuer="")
    outcome = run(data)
    paths = {f.path for f in outcome.findings if f.code == "PSKE-B1-FIELDS"}
    assert {"invoices[0].supplier_afm", "payments[0].number", "payments[0].issuer"} <= paths
    # The requested value recorded instead of the printed one: 1,415.00 only, while both are linked.
    data = clean_request()
    data["invoices"][0].update(net_value="1415.00")
    assert "invoices[0].net_value" in {f.path for f in run(data).findings if f.code == "PSKE-B1-FIELDS"}
    # A payment recorded at the part that matches, not its printed total.
    data = clean_request()
    data["payments"][0]["amount"] = "2000.00"
    assert "payments.pay-1.amount" in {f.path for f in run(data).findings if f.code == "PSKE-B1-FIELDS"}


def test_pske_b1_books_single_and_double_entry() -> None:
    data = clean_request()
    data["payments"][0]["books"] = {}
    assert codes(run(data)) == ["PSKE-B1-BOOKS"]
    data = clean_request()
    data["project"]["books"] = "single"
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B1-BOOKS"]  # the Income–Expense book date is missing
    data["invoices"][0]["books"] = {"income_expense_book_date": "2018-05-10"}
    assert run(data).findings == []


def test_pske_b2_invoice_12345_registered_twice_instead_of_once() -> None:
    """Seed §Β2.1: two records of 1,415.00 and 319.80 instead of one of 1,734.80 linked to both."""
    data = clean_request()
    data["invoices"] = [invoice("a", "12345", "1415.00", "1754.60", fixed_asset_register=True),
                        invoice("b", "12345", "319.80", "396.55", fixed_asset_register=True)]
    data["expense_links"] = [{"expense": "E1", "invoice": "a", "unit_price": "1415.00"},
                             {"expense": "E2", "invoice": "b", "unit_price": "319.80"}]
    data["payment_links"] = [{"invoice": "a", "payment": "pay-1", "amount": "1754.60"},
                             {"invoice": "b", "payment": "pay-1", "amount": "396.55"}]
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B2-DUPLICATE"]
    assert "1.415,00 + 319,80" in outcome.findings[0].message_el


def test_pske_b2_deposit_100_registered_once_for_invoices_1_and_5() -> None:
    """Seed §Β2.2: deposit 100 of 5,000.00 pays invoices 1 and 5 of ΑΒΓ (4,800.00): one record."""
    data = clean_request()
    abg = {"supplier": "ΑΒΓ ΕΠΕ", "supplier_afm": ABG_AFM}
    data["invoices"] = [invoice("i1", "1", "1935.48", "2400.00", **abg), invoice("i5", "5", "1935.48", "2400.00",
                                                                                   **abg)]
    data["expense_links"] = [{"expense": "E3", "invoice": "i1", "unit_price": "1935.48"},
                             {"expense": "E3", "invoice": "i5", "unit_price": "1935.48"}]
    right = payment("d100", "100", "5000.00", kind="deposit", depositor="legal_representative")
    data["payments"] = [right]
    data["payment_links"] = [{"invoice": "i1", "payment": "d100", "amount": "2400.00"},
                             {"invoice": "i5", "payment": "d100", "amount": "2400.00"}]
    assert run(data).findings == []
    wrong = [payment("d100a", "100", "2400.00", kind="deposit", depositor="legal_representative"),
             payment("d100b", "100", "2400.00", kind="deposit", depositor="legal_representative")]
    data["payments"] = wrong
    data["payment_links"] = [{"invoice": "i1", "payment": "d100a", "amount": "2400.00"},
                             {"invoice": "i5", "payment": "d100b", "amount": "2400.00"}]
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B2-DUPLICATE"] and "2.400,00 + 2.400,00" in outcome.findings[0].message_el


def test_pske_b2_registered_in_an_earlier_request_of_the_project() -> None:
    body = PaymentRequestBody.model_validate(clean_request())
    history = History(invoices={invoice_identity(body.invoices[0]): "earlier-request"},
                      payments={payment_identity(body.payments[0]): "earlier-request"})
    assert [f.path for f in validate_request(body, history).findings] == ["invoices[0]", "payments[0]"]
    data = clean_request()
    data["invoices"][0]["existing"] = True   # re-linked, not re-entered
    data["payments"][0]["existing"] = True
    assert run(data, history).findings == []


def test_pske_b3_four_abg_invoices_merged_into_one_record_of_10000() -> None:
    """Seed §Β3.1: invoices 101, 102, 201, 305 of ΑΒΓ (1,000 + 2,500 + 4,500 + 2,000) as one record."""
    data = clean_request()
    abg = {"supplier": "ΑΒΓ ΕΠΕ", "supplier_afm": ABG_AFM}
    data["invoices"] = [invoice("m", "101, 102, 201, 305", "10000.00", "12400.00",
                                documents=["101", "102", "201", "305"], **abg)]
    data["expense_links"] = [{"expense": "E3", "invoice": "m", "unit_price": "10000.00"}]
    data["payments"] = [payment("p", "TX1", "12400.00")]
    data["payment_links"] = [{"invoice": "m", "payment": "p", "amount": "12400.00"}]
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B3-AGGREGATE"] and "10.000,00" in outcome.findings[0].message_el
    separate = [invoice(f"i{n}", n, net, str(Decimal(net) * Decimal("1.24")), **abg)
                for n, net in (("101", "1000.00"), ("102", "2500.00"), ("201", "4500.00"), ("305", "2000.00"))]
    data["invoices"] = separate
    data["expense_links"] = [{"expense": "E3", "invoice": i["ref"], "unit_price": i["net_value"]} for i in separate]
    data["payment_links"] = [{"invoice": i["ref"], "payment": "p", "amount": i["gross_value"]} for i in separate]
    assert run(data).findings == []


def test_pske_b3_deposits_45_and_100_merged_into_one_payment_record() -> None:
    """Seed §Β3.2: deposits 45 (1,000.00) and 100 (19,676.00) are two records; only 1,976.00 of 100 is linked."""
    data = clean_request()
    abg = {"supplier": "ΑΒΓ ΕΠΕ", "supplier_afm": ABG_AFM}
    data["invoices"] = [invoice("i", "77", "2400.00", "2976.00", **abg)]
    data["expense_links"] = [{"expense": "E3", "invoice": "i", "unit_price": "2400.00"}]
    merged = payment("m", "45 + 100", "20676.00", kind="deposit", depositor="legal_representative",
                     documents=["45", "100"])
    data["payments"] = [merged]
    data["payment_links"] = [{"invoice": "i", "payment": "m", "amount": "2976.00"}]
    assert codes(run(data)) == ["PSKE-B3-AGGREGATE"]
    data["payments"] = [payment("d45", "45", "1000.00", kind="deposit", depositor="legal_representative"),
                        payment("d100", "100", "19676.00", kind="deposit", depositor="legal_representative")]
    data["payment_links"] = [{"invoice": "i", "payment": "d45", "amount": "1000.00"},
                             {"invoice": "i", "payment": "d100", "amount": "1976.00"}]
    assert run(data).findings == []


def _rent_request(periods: list[dict[str, Any]], net: str, amended: bool = False) -> dict[str, Any]:
    data = clean_request()
    lease = {"filing_number": "ΜΙΣ-778899", "address": "Λεωφ. Κηφισίας 1, Αθήνα", "lessors": ["Κ. Λάμπρου"],
             "periods": periods, "amended": amended}
    rent = invoice("rent", "ΜΙΣ-778899", net, net, kind="ΑΠΟΔΕΙΞΗ ΕΙΣΠΡΑΞΗΣ ΕΝΟΙΚΙΟΥ/ΜΙΣΘΩΤΗΡΙΟ",
                   supplier="Κ. Λάμπρου", supplier_afm="123456783", date="2018-01-02", lease=lease)
    data["invoices"] = [rent]
    data["expense_links"] = [{"expense": "E4", "invoice": "rent", "unit_price": net}]
    data["payments"] = [payment(f"m{m}", f"TX-R{m:02d}", "400.00" if m <= 6 else "600.00", payee="lessor",
                                date=f"2018-{m:02d}-05") for m in range(1, 13)]
    data["payment_links"] = [{"invoice": "rent", "payment": f"m{m}", "amount": "400.00" if m <= 6 else "600.00"}
                             for m in range(1, 13)]
    data["deliverables"] += [{"kind": k, "expense": "E4"} for k in ("lease", "lease_gsis_filing", "lease_acceptance")]
    if amended:  # seed A8.11: an amended lease brings the earlier leases with all their deliverables
        data["deliverables"].append({"kind": "previous_leases", "expense": "E4"})
    return data


def test_pske_b4_rent_6x400_plus_6x600_is_6000() -> None:
    """Seed §Β4: rent of 2018, 400.00 a month for the first half, 600.00 for the second: 6,000.00."""
    periods = [{"months": 6, "monthly": "400.00"}, {"months": 6, "monthly": "600.00"}]
    assert run(_rent_request(periods, "6000.00")).findings == []
    outcome = run(_rent_request(periods, "4800.00"))
    assert "PSKE-B4-RENT" in codes(outcome)
    assert "6×400,00 + 6×600,00 = 6.000,00" in next(f.message_el for f in outcome.findings if f.code == "PSKE-B4-RENT")
    amended = run(_rent_request(periods, "6000.00", amended=True))
    assert codes(amended) == ["PSKE-B4-RENT"]  # a new monthly rent by amendment is a new record


def _depreciation_request(**overrides: Any) -> dict[str, Any]:
    data = clean_request()
    record = invoice("dep", "ΑΠΟΣΒΕΣΕΙΣ ΕΤΟΥΣ 2018", "5000.00", "5000.00", kind="ΜΗΤΡΩΟ ΠΑΓΙΩΝ (ΑΠΟΣΒΕΣΕΙΣ)",
                     supplier="ΜΗΤΡΩΟ ΠΑΓΙΩΝ", supplier_afm="000000000", date="2018-12-31",
                     payment_type="ΛΟΙΠΑ", payment_issuer=BENEFICIARY)
    record.update(overrides)
    data["invoices"] = [record]
    data["expense_links"] = [{"expense": "E5", "invoice": "dep", "unit_price": "5000.00"}]
    data["payments"] = [payment("dep-pay", "ΑΠΟΣΒΕΣΕΙΣ ΕΤΟΥΣ 2018", "5000.00", kind="other",
                                kind_label="ΛΟΙΠΑ (ΝΑ ΚΑΤΑΓΡΑΦΕΙ ΣΤΙΣ ΠΑΡΑΤΗΡΗΣΕΙΣ)", issuer=BENEFICIARY,
                                payee="beneficiary", date="2018-12-31")]
    data["payment_links"] = [{"invoice": "dep", "payment": "dep-pay", "amount": "5000.00"}]
    return data


def test_pske_b5_depreciation_of_2018_is_one_record_of_5000() -> None:
    """Seed §Β5: the 2018 depreciation, 5,000.00 per the books; supplier «ΜΗΤΡΩΟ ΠΑΓΙΩΝ», AFM 000000000."""
    assert run(_depreciation_request()).findings == []
    wrong = run(_depreciation_request(supplier="ΔΙΚΤΥΑΚΗ ΟΕ", supplier_afm="094019245", number="ΤΙΜ 55"))
    assert "PSKE-B5-DEPRECIATION" in codes(wrong)
    data = _depreciation_request()
    data["payments"] = []
    data["payment_links"] = []
    assert codes(run(data)) == ["PSKE-B5-DEPRECIATION"]  # no payment record; no A5 for depreciation


def _payroll_record(ref: str, employee: str, afm: str, period: str, component: str = "salary",
                    pay: str = "800.00", contributions: str = "150.00", tax: str = "50.00") -> dict[str, Any]:
    total = str(Decimal(pay) + Decimal(contributions) + Decimal(tax))
    return invoice(ref, f"{period[5:]}/{period[:4]}", total, total, kind="ΜΙΣΘΟΔΟΤΙΚΗ ΚΑΤΑΣΤΑΣΗ", supplier=employee,
                   supplier_afm=afm, date=f"{period}-28",
                   payroll={"employee": employee, "afm": afm, "period": period, "component": component,
                            "net_pay": pay, "employee_contributions": "0.00", "employer_contributions": contributions,
                            "income_tax": tax})


def test_pske_b6_payroll_per_employee_and_month_with_every_component_paid() -> None:
    """Seed §Β6: employees Α and Β, January 2018, 1,000.00 each (800 pay + 150 contributions + 50 ΦΜΥ);
    pay by transfers 1 and 2 (800 each), contributions by 3 (300), ΦΜΥ by 4 (100); Α's Easter bonus 500."""
    data = clean_request()
    data["invoices"] = [_payroll_record("a01", "Εργαζόμενος Α", EMPLOYEE_A, "2018-01"),
                        _payroll_record("b01", "Εργαζόμενος Β", EMPLOYEE_B, "2018-01"),
                        _payroll_record("a-easter", "Εργαζόμενος Α", EMPLOYEE_A, "2018-04", "easter_bonus",
                                        pay="500.00", contributions="0.00", tax="0.00")]
    data["expense_links"] = [{"expense": "E6", "invoice": r["ref"], "unit_price": r["net_value"]}
                             for r in data["invoices"]]
    data["payments"] = [payment("t1", "1", "800.00", payee="employee", date="2018-02-20"),
                        payment("t2", "2", "800.00", payee="employee", date="2018-02-20"),
                        payment("t3", "3", "300.00", payee="social_security", date="2018-03-30"),
                        payment("t4", "4", "100.00", payee="tax_office", date="2018-04-20"),
                        payment("t5", "5", "500.00", payee="employee", date="2018-04-20")]
    data["payment_links"] = [{"invoice": i, "payment": p, "amount": a} for i, p, a in (
        ("a01", "t1", "800.00"), ("b01", "t2", "800.00"), ("a01", "t3", "150.00"), ("b01", "t3", "150.00"),
        ("a01", "t4", "50.00"), ("b01", "t4", "50.00"), ("a-easter", "t5", "500.00"))]
    data["deliverables"].append({"kind": "e4_apd", "expense": "E6"})
    assert run(data).findings == []
    # The ΦΜΥ (payment 4) not yet paid: B's January is not fully paid.
    unpaid = {**data, "payment_links": [link for link in data["payment_links"]
                                        if not (link["payment"] == "t4" and link["invoice"] == "b01")]}
    assert "PSKE-B6-PAYROLL" in codes(run(unpaid))
    # Wrong case 1: everything as one record of 5,500.00.
    merged = clean_request()
    merged["invoices"] = [invoice("all", "01/2018 έως 04/2018", "5500.00", "5500.00", kind="ΜΙΣΘΟΔΟΤΙΚΗ ΚΑΤΑΣΤΑΣΗ",
                                  supplier="ΜΙΣΘΟΔΟΣΙΑ", supplier_afm=EMPLOYEE_A)]
    merged["expense_links"] = [{"expense": "E6", "invoice": "all", "unit_price": "5500.00"}]
    merged["payments"] = [payment("p", "TX5500", "6820.00")]
    merged["payment_links"] = [{"invoice": "all", "payment": "p", "amount": "5500.00"}]
    merged["deliverables"].append({"kind": "e4_apd", "expense": "E6"})
    assert "PSKE-B6-PAYROLL" in codes(run(merged))
    # A value that is not pay + contributions + tax.
    wrong_value = _payroll_record("a01", "Εργαζόμενος Α", EMPLOYEE_A, "2018-01")
    wrong_value.update(net_value="800.00", gross_value="800.00")
    data["invoices"][0] = wrong_value
    assert "PSKE-B6-PAYROLL" in codes(run(data))


def test_pske_b7_withholding_paid_in_two_records_1040_and_200() -> None:
    """Seed §Β7: invoice 1 of ΑΒΓ, net 1,000.00, gross 1,240.00, 20% withheld (200.00) → 1,040.00 + 200.00."""
    data = clean_request()
    data["invoices"] = [invoice("i1", "1", "1000.00", "1240.00", withheld="200.00", supplier="ΑΒΓ ΕΠΕ",
                                supplier_afm=ABG_AFM, date="2017-02-17")]
    data["expense_links"] = [{"expense": "E7", "invoice": "i1", "unit_price": "1000.00"}]
    data["payments"] = [payment("s", "TX1040", "1040.00"), payment("d", "TX200", "200.00", payee="tax_office")]
    data["payment_links"] = [{"invoice": "i1", "payment": "s", "amount": "1040.00"},
                             {"invoice": "i1", "payment": "d", "amount": "200.00"}]
    data["deliverables"] += [{"kind": "withholding_return"}, {"kind": "withholding_payment_id"}]
    assert run(data).findings == []
    data["payments"] = [payment("s", "TX1240", "1240.00")]
    data["payment_links"] = [{"invoice": "i1", "payment": "s", "amount": "1240.00"}]
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B7-WITHHOLDING"] and "1.040,00" in outcome.findings[0].message_el


def test_pske_b8_no_delete_of_earlier_records() -> None:
    data = clean_request()
    data["deleted_records"] = ["inv-earlier-7"]
    assert codes(run(data)) == ["PSKE-B8-NO-DELETE"]
    data = clean_request()
    data["invoices"][0]["existing"] = True  # claims to be an earlier record, but none matches
    assert codes(run(data)) == ["PSKE-B8-NO-DELETE"]


def test_pske_b9_overrun_and_links_final_check() -> None:
    data = clean_request()
    data["expense_links"][0]["unit_price"] = "1415.01"
    data["invoices"][0].update(net_value="1734.81")
    outcome = run(data)
    assert "PSKE-B9-OVERRUN" in codes(outcome) and "PSKE-A4-APPROVED" in codes(outcome)
    data = clean_request()
    data["payments"][0]["amount"] = "2500.00"
    data["payment_links"][0]["amount"] = "2200.00"   # linked for more than the invoice's gross
    assert "PSKE-B9-OVERRUN" in codes(run(data))


def test_pske_b10_category_requested_above_approved_needs_an_amendment() -> None:
    data = clean_request()
    data["project"]["annex"]["categories"][0]["approved"] = "1734.79"
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B10-CATEGORY"] and "τροποποίησης" in outcome.findings[0].message_el
    data = clean_request()
    data["project"]["annex"]["expenses"][0]["category"] = "NOPE"
    assert "PSKE-B10-CATEGORY" in codes(run(data))


@pytest.mark.parametrize("field", ["invoices", "payments"])
def test_unknown_fields_are_refused_by_the_model(field: str) -> None:
    data = clean_request()
    data[field][0]["surprise"] = 1
    with pytest.raises(ValueError, match="surprise"):
        PaymentRequestBody.model_validate(data)
