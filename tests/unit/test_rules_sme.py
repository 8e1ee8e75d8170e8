"""ADVANCE-RETENTION, ADVANCE-RETURN (seed 001, ΓΔΟΥ 85/29-11-2022) and VOUCHER-TXID, VOUCHER-QTY,
VOUCHER-WITHHOLDING (seed 002) at every edge; each figure from the seed's words, worked by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ypovoli.findings import Severity
from ypovoli.kinds.sme.advance import AdvanceRequest, calculate
from ypovoli.kinds.sme.voucher import VoucherCheckRequest, check

AFM = "094019245"
SUPPLIER_IBAN = "GR1601101250000000012300695"
FACTOR = Decimal("1.5")


def advance(**changes: Any) -> AdvanceRequest:
    base: dict[str, Any] = {
        "afm": AFM, "amount_received": "10000.00", "started_on": "2015-03-01", "branches_opened_on": [],
        "revenue_2019": "100000.00", "revenue_2020": "20000.00", "pre_tax_result_2020": "-5000.00", "ktel": False,
        "headcount_reference": "10", "headcount_computed": "10", "lump_sum": False, "documents_filed_on": None}
    return AdvanceRequest.model_validate({**base, **changes})


def clause(**changes: Any) -> str:
    return calculate(advance(**changes)).clause


# ---- ADVANCE-RETURN ---------------------------------------------------------------------------------

def test_advance_return_a_aa_needs_a_drop_strictly_over_70_percent() -> None:
    """«αα) … ποσοστού 25% … εφόσον η μείωση των εσόδων … ξεπερνάει το 70% … και … ζημίες προ φόρων»."""
    assert clause(revenue_2020="29999.99") == "a.aa"
    assert clause(revenue_2020="30000.00") == "a.bb"   # exactly 70%: «ξεπερνάει» is strict
    answer = calculate(advance(revenue_2020="29999.99"))
    assert answer.share == Decimal("0.25") and answer.amount_to_repay == Decimal("2500.00")


def test_advance_return_a_bb_from_30_to_70_percent_inclusive() -> None:
    """«ββ) … 33,3% … εφόσον η μείωση … ανέρχεται τουλάχιστον σε 30% και ως 70% … και καταγράφει ζημίες»."""
    assert clause(revenue_2020="70000.00") == "a.bb"   # exactly 30%
    assert clause(revenue_2020="70000.01") == "a.cc"   # just under 30%
    answer = calculate(advance(revenue_2020="50000.00"))
    assert answer.share == Decimal("0.333") and answer.amount_to_repay == Decimal("3330.00")   # 10,000 × 33,3%


def test_advance_return_a_cc_every_other_business_of_a_and_the_loss_is_required() -> None:
    """«γγ) Επιστροφή ποσοστού 50% … για όλες τις λοιπές επιχειρήσεις»."""
    assert clause(pre_tax_result_2020="0.00") == "a.cc"        # no loss: not αα
    assert clause(pre_tax_result_2020="-0.01") == "a.aa"
    assert calculate(advance(pre_tax_result_2020="0.00")).amount_to_repay == Decimal("5000.00")


def test_advance_return_ktel_needs_no_loss() -> None:
    """«Ειδικά οι εταιρείες Κ.Τ.Ε.Λ. Α.Ε. και Κ.Τ.Ε.Λ. δεν απαιτείται να πληρούν το κριτήριο της ζημίας»."""
    assert clause(pre_tax_result_2020="100.00", ktel=True) == "a.aa"
    assert clause(pre_tax_result_2020="100.00", ktel=True, started_on="2019-06-01", revenue_2020="69999.99") == "b.aa"


def test_advance_return_b_started_on_or_after_1_1_2019_branch_in_the_window_or_no_2019_revenue() -> None:
    """«β) Για επιχειρήσεις που έχουν κάνει έναρξη εργασιών μετά την 1η Ιανουαρίου 2019 ή άνοιξαν
    υποκατάστημα από την 1η Απριλίου 2019 έως την 31η Δεκεμβρίου 2020 … ή έχουν μηδενικά ακαθάριστα έσοδα»."""
    assert clause(started_on="2018-12-31") == "a.aa"
    assert clause(started_on="2019-01-01") == "b.aa"
    assert clause(branches_opened_on=["2019-03-31"]) == "a.aa"
    assert clause(branches_opened_on=["2019-04-01"]) == "b.aa"
    assert clause(branches_opened_on=["2020-12-31"]) == "b.aa"
    assert clause(branches_opened_on=["2021-01-01"]) == "a.aa"
    assert clause(revenue_2019="0.00", revenue_2020="5000.00") == "b.bb"


def test_advance_return_b_aa_over_30_percent_strictly() -> None:
    """«αα) … 25% … εφόσον η μείωση … ξεπερνάει το 30% … και … ζημίες»; «ββ) … 33,3% … για όλες τις λοιπές»."""
    assert clause(started_on="2020-02-01", revenue_2020="69999.99") == "b.aa"
    assert clause(started_on="2020-02-01", revenue_2020="70000.00") == "b.bb"
    assert clause(started_on="2020-02-01", revenue_2020="10000.00", pre_tax_result_2020="1.00") == "b.bb"


def test_advance_return_rounded_to_the_cent_half_up() -> None:
    """«Για τον υπολογισμό του επιστρεπτέου ποσού διενεργείται στρογγυλοποίηση στο δεύτερο δεκαδικό ψηφίο»."""
    # 1.50 × 33,3% = 0.4995 → 0.50; 10,001.01 × 33,3% = 3,330.33633 → 3,330.34
    assert calculate(advance(amount_received="1.50", revenue_2020="50000.00")).amount_to_repay == Decimal("0.50")
    assert calculate(advance(amount_received="10001.01",
                             revenue_2020="50000.00")).amount_to_repay == Decimal("3330.34")


# ---- ADVANCE-RETENTION ------------------------------------------------------------------------------------

def test_advance_retention_met_when_short_by_less_than_one_unit() -> None:
    """«εάν το αποτέλεσμα … είναι μικρότερο κατά λιγότερο από μία μονάδα … θεωρείται ότι τηρήθηκε»;
    «μικρότερο κατά μία μονάδα και άνω … θεωρείται ότι δεν τηρήθηκε»."""
    met = calculate(advance(headcount_computed="9.01"))
    assert met.retention_met and met.clause == "a.aa"
    missed = calculate(advance(headcount_computed="9.00"))
    assert not missed.retention_met and missed.clause == "retention_not_met" and missed.share == Decimal(1)
    assert missed.amount_to_repay == Decimal("10000.00")
    assert [f.code for f in missed.findings if f.severity is Severity.ERROR] == ["ADVANCE-RETENTION"]


def test_advance_return_lump_sum_discount_only_if_filed_by_23_september_2022() -> None:
    """«… με έκπτωση 15% … ισχύει μόνο εφόσον τα απαιτούμενα δικαιολογητικά έχουν υποβληθεί το αργότερο
    μέχρι και την 23η Σεπτεμβρίου 2022»."""
    on_time = calculate(advance(lump_sum=True, documents_filed_on="2022-09-23"))
    assert on_time.amount_to_repay == Decimal("2500.00") and on_time.lump_sum_amount == Decimal("2125.00")
    late = calculate(advance(lump_sum=True, documents_filed_on="2022-09-24"))
    assert late.lump_sum_amount == Decimal("2500.00")
    assert calculate(advance(lump_sum=False, documents_filed_on="2022-09-01")).lump_sum_amount is None
    missed = calculate(advance(lump_sum=True, documents_filed_on="2022-09-01", headcount_computed="8"))
    assert missed.lump_sum_amount == Decimal("10000.00")   # retention not met: no discount either


# ---- VOUCHER-QTY ------------------------------------------------------------------------------------------

def voucher(products: list[dict[str, Any]], **changes: Any) -> VoucherCheckRequest:
    base: dict[str, Any] = {
        "afm": AFM, "awu": "2", "invoice_gross": "1240.00",
        "supplier": {"afm": "800123456", "iban": SUPPLIER_IBAN, "natural_person": False, "withholding_amount": "0"},
        "products": products, "payments": [{"type": "transfer", "amount": "1240.00", "transaction_id": "BANK-1"}]}
    return VoucherCheckRequest.model_validate({**base, **changes})


def line(**changes: Any) -> dict[str, Any]:
    return {"code": "ERP-1", "quantity": "1", "users_per_unit": 0, "devices_per_unit": 0, "months_per_unit": 0,
            "earlier_quantity": "0", "subsidy": "500.00", **changes}


def test_voucher_qty_per_user_licences_cut_in_proportion_the_seeds_example() -> None:
    """«5 χρήστες ανά μονάδα τιμολόγησης … εάν μία εταιρία έχει 2 ΕΜΕ … δε δικαιούται μία πλήρη μονάδα
    αυτού του προϊόντος … αλλά μέρος αυτής, με αντίστοιχη περικοπή της επιδότησης» — with the rule's
    2 × 150% = 3 users (the seed's «3,5» contradicts its own rule): 3 ÷ 5 = 0.6 of a unit."""
    answer = check(voucher([line(users_per_unit=5)]), FACTOR)
    [product] = answer.products
    assert product.eligible_quantity == Decimal("0.6") and product.expected_subsidy == Decimal("300.00")
    assert [(c.reason, c.units, c.eur) for c in product.cuts] == [("users", Decimal("0.4"), Decimal("200.00"))]
    assert [f.code for f in answer.findings] == ["VOUCHER-QTY"]
    assert answer.own_contribution == Decimal("940.00") and answer.to_pay_before_redemption == Decimal("940.00")


def test_voucher_qty_devices_months_and_the_tightest_axis() -> None:
    """«ανά συσκευή = ΕΜΕ Χ 150%»; «ανά μήνα/έτος = 36 μήνες»; «0 … δεν υπάρχει σχετικός περιορισμός»."""
    [months] = check(voucher([line(quantity="4", months_per_unit=12, subsidy="400.00")]), FACTOR).products
    assert months.eligible_quantity == Decimal("3") and months.expected_subsidy == Decimal("300.00")
    assert months.cuts[0].reason == "months"
    [both] = check(voucher([line(quantity="2", users_per_unit=1, devices_per_unit=2)]), FACTOR).products
    assert both.eligible_quantity == Decimal("1.5") and both.cuts[0].reason == "devices"   # 3 ÷ 2 < 3 ÷ 1
    [free] = check(voucher([line(quantity="50")]), FACTOR).products
    assert free.eligible_quantity == Decimal("50") and free.cuts == []


def test_voucher_qty_earlier_redemptions_count_from_any_supplier() -> None:
    """«Οι έλεγχοι λαμβάνουν υπόψη και προηγούμενες τιμολογήσεις του συγκεκριμένου προϊόντος … ενδεχομένως
    τρίτου προμηθευτή»."""
    [product] = check(voucher([line(users_per_unit=1, quantity="2", earlier_quantity="2")]), FACTOR).products
    assert product.eligible_quantity == Decimal("1") and product.expected_subsidy == Decimal("250.00")
    [kept] = check(voucher([line(users_per_unit=1, quantity="2")]), FACTOR, {"ERP-1": Decimal("3")}).products
    assert kept.eligible_quantity == Decimal("0") and kept.expected_subsidy == Decimal("0.00")


def test_voucher_qty_the_factor_is_a_setting() -> None:
    [product] = check(voucher([line(users_per_unit=5)]), Decimal("1.75")).products   # 3.5 users: the seed's figure
    assert product.eligible_quantity == Decimal("0.7") and product.expected_subsidy == Decimal("350.00")


def test_voucher_qty_rounded_once_from_the_exact_share() -> None:
    [product] = check(voucher([line(quantity="7", users_per_unit=1, subsidy="100.00")]), FACTOR).products
    assert product.eligible_quantity == Decimal("3") and product.expected_subsidy == Decimal("42.86")   # 300/7


# ---- VOUCHER-WITHHOLDING ------------------------------------------------------------------------------------

def test_voucher_withholding_counts_toward_the_own_contribution() -> None:
    """«ο δικαιούχος δεν υποχρεούται σε καταβολή του ποσού που αντιστοιχεί στην παρακράτηση πριν την
    εξαργύρωση της επιταγής»."""
    answer = check(voucher([line()], supplier={"afm": "800123456", "iban": SUPPLIER_IBAN, "natural_person": True,
                                               "withholding_amount": "200.00"}), FACTOR)
    assert answer.own_contribution == Decimal("740.00") and answer.to_pay_before_redemption == Decimal("540.00")
    assert [f.code for f in answer.findings] == ["VOUCHER-WITHHOLDING"]


# ---- VOUCHER-TXID -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("txid", "ok"), [
    ("FT24123ABCD", True),
    (f"20240229_{SUPPLIER_IBAN}", True),           # a leap day is a real date
    (f"20230229_{SUPPLIER_IBAN}", False),          # not a real date
    ("20240105_GR1601101250000000012300696", False),   # check digits wrong
    ("20240105_GR9608100010000001234567890", False),   # valid, but not the supplier's
    ("   ", False),
    ("", False),
])
def test_voucher_txid_bank_id_or_date_and_the_suppliers_iban(txid: str, ok: bool) -> None:
    """«ο μοναδικός κωδικός που εκδίδει το τραπεζικό ίδρυμα … (transaction_ID)», else «ΕΕΕΕΜΜΗΗ_ΙΒΑΝ» (seed 002)."""
    answer = check(voucher([line()], payments=[{"type": "transfer", "amount": "1240.00", "transaction_id": txid}]),
                   FACTOR)
    codes = [f.code for f in answer.findings if f.severity is Severity.ERROR]
    assert codes == ([] if ok else ["VOUCHER-TXID"])


def test_every_retail_and_sme_request_example_in_the_openapi_is_a_valid_request() -> None:
    from ypovoli.kinds.retail.business import BusinessRequest
    from ypovoli.kinds.retail.fiscal_device import DeviceRequest, TransmissionRequest
    from ypovoli.openapi import build_openapi

    schemas = build_openapi()["components"]["schemas"]
    for model in (BusinessRequest, DeviceRequest, TransmissionRequest, VoucherCheckRequest, AdvanceRequest):
        [example] = schemas[model.__name__]["examples"]
        model.model_validate(example)
