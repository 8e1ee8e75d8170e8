"""The myDATA fine summed as the law sums it (issue 31 §1). Seed 001, «Λουκέτα»: «πρόστιμο ύψους ίσο με
το 50% επί του ΦΠΑ που αναγράφεται επί του κάθε μη διαβιβασθέντος στοιχείου. Το πρόστιμο αυτό δεν μπορεί
να είναι κατώτερο, αθροιστικά ανά φορολογικό έλεγχο, των 250 ευρώ, για επιχειρήσεις με απλογραφικά
βιβλία, και των 500 ευρώ για όσες τηρούν διπλογραφικό λογιστικό σύστημα.» and «Για πράξεις που δεν
επιβαρύνονται με ΦΠΑ, επιβάλλεται πρόστιμο ύψους 500 ευρώ ανά φορολογικό έλεγχο, εφόσον ο φορολογούμενος
τηρεί απλογραφικά βιβλία και 1.000 ευρώ, ανά φορολογικό έλεγχο, αν ο φορολογούμενος τηρεί διπλογραφικό
λογιστικό σύστημα.» Every figure below is worked from those words, not from the code."""

from __future__ import annotations

from decimal import Decimal

from ypovoli.kinds.mydata_invoice.fines import audit_shares, audit_total, fine_exposure


def test_sixteen_documents_of_24_vat_cost_the_minimum_once_not_sixteen_times() -> None:
    vats = {f"d{i}": Decimal("24.00") for i in range(16)}
    # 16 × 12 = 192 < 500: the double-entry minimum, once for the audit.
    assert audit_total(vats, double_entry=True) == Decimal(500)
    shares = audit_shares(vats, double_entry=True)
    assert sum(s.amount for s in shares.values()) == Decimal("500.00")
    assert {s.amount for s in shares.values()} == {Decimal("31.25")}
    assert "500" in shares["d0"].basis_en and "per audit" in shares["d0"].basis_en
    assert "κατ' αναλογία" in shares["d0"].basis_el   # the ΦΗΜ scale, by analogy, said so


def test_above_the_minimum_the_fine_is_half_of_each_document_s_vat() -> None:
    vats = {"a": Decimal("2400.00"), "b": Decimal("240.00")}
    assert audit_total(vats, double_entry=True) == Decimal("1320.00")   # 1,200 + 120 > 500
    shares = audit_shares(vats, double_entry=True)
    assert shares["a"].amount == Decimal("1200.00") and shares["b"].amount == Decimal("120.00")


def test_single_entry_books_have_the_lower_minimum() -> None:
    assert audit_total({"a": Decimal("24.00")}, double_entry=False) == Decimal(250)
    assert fine_exposure(Decimal("24.00"), double_entry=False).amount == Decimal(250)


def test_documents_without_vat_cost_one_fixed_amount_per_audit_split_among_them() -> None:
    vats = {"x": Decimal(0), "y": Decimal(0), "z": Decimal(0)}
    assert audit_total(vats, double_entry=True) == Decimal(1000)
    shares = audit_shares(vats, double_entry=True)
    assert sum(s.amount for s in shares.values()) == Decimal(1000)
    assert sorted(s.amount for s in shares.values()) == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert audit_total({"x": Decimal(0)}, double_entry=False) == Decimal(500)


def test_both_kinds_of_document_in_one_audit_add_their_two_scales() -> None:
    vats = {"vat": Decimal("24.00"), "none": Decimal(0)}
    assert audit_total(vats, double_entry=True) == Decimal(1500)   # 500 (VAT documents) + 1,000 (without VAT)
