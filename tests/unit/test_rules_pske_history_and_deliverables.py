"""Issue 12 §4 and §6: ΠΣΚΕ limits across requests on certified amounts, B8 re-links, and the A8/B7
deliverables seed 003 states. Every test quotes the seed sentence it is derived from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ypovoli.kinds.pske.history import History, invoice_identity, payment_identity
from ypovoli.kinds.pske.model import PaymentRequestBody
from ypovoli.kinds.pske.rules import Outcome, premature_files, validate_request

from tests.pske_factory import ABG_AFM, clean_request, invoice, payment


def run(data: dict[str, Any], history: History | None = None) -> Outcome:
    return validate_request(PaymentRequestBody.model_validate(data), history)


def codes(outcome: Outcome) -> list[str]:
    return sorted({f.code for f in outcome.findings})


# ---- §4 history across requests -------------------------------------------------------------------

def test_pske_a4_counts_what_earlier_requests_certified_not_what_they_requested() -> None:
    """A4: «Σε περίπτωση που διαπιστώνεται υπέρβαση, τότε η δαπάνη πιστοποιείται στο ύψος της
    εγκεκριμένης αξίας.» An earlier request linked 1,415.00 to E1 but 1,000.00 of it was cut: the
    approved 1,415.00 still has 1,000.00 of room, so this request's 1,415.00 is cut by 415.00."""
    earlier = History(requested={"E1": Decimal("1415.00")}, certified={"E1": Decimal("415.00")})
    [cut] = [c for c in run(clean_request(), earlier).cuts if c.code == "PSKE-A4-APPROVED"]
    assert (cut.requested, cut.certifiable, cut.cut) == (Decimal("1415.00"), Decimal("1000.00"), Decimal("415.00"))


def test_pske_a6_category_limit_counts_certified_amounts_of_earlier_requests() -> None:
    """A6: «Μη Υπέρβαση ορίων δαπανών ανά κατηγορία αλλά και είδος δαπάνης». The SRV category has a
    call limit of 15,000.00; earlier requests certified 14,000.00 of it (having requested 16,000.00)."""
    data = clean_request()
    data["expense_links"] = [{"expense": "E3", "invoice": "inv-12345", "unit_price": "1000.00"}]
    data["invoices"][0].update(net_value="1000.00", gross_value="1240.00", fixed_asset_register=False)
    data["payments"][0]["amount"] = "1240.00"
    data["payment_links"][0]["amount"] = "1240.00"
    within = History(requested={"E3": Decimal("16000.00")}, certified={"E3": Decimal("14000.00")})
    assert "PSKE-A6-CATEGORY" not in codes(run(data, within))     # 14,000 + 1,000 = the limit, not over
    over = History(requested={"E3": Decimal("14000.01")}, certified={"E3": Decimal("14000.01")})
    assert "PSKE-A6-CATEGORY" in codes(run(data, over))


def test_pske_b10_category_approved_counts_certified_amounts_of_earlier_requests() -> None:
    """B10: «requested amount per category ≤ approved, else a physical/financial amendment first» —
    the EQ category is approved at 20,000.00; earlier requests certified 18,265.20 of it."""
    data = clean_request()   # 1,734.80 to EQ
    assert "PSKE-B10-CATEGORY" not in codes(run(data, History(certified={"E1": Decimal("18265.20")})))
    assert "PSKE-B10-CATEGORY" in codes(run(data, History(certified={"E1": Decimal("18265.21")})))


def test_pske_b8_an_existing_record_whose_value_changed_is_a_finding() -> None:
    """B8: «δεν διαγράφεται το παραστατικό και δεν γίνεται νέα εγγραφή του. Αυτό που δύναται να
    τροποποιηθεί είναι η αντιστοίχιση/σύνδεση … τροποποιώντας την ποσότητα ή και την τιμή μονάδας»:
    the record's own values never change."""
    body = PaymentRequestBody.model_validate(clean_request())
    key = invoice_identity(body.invoices[0])
    data = clean_request()
    data["invoices"][0]["existing"] = True
    data["expense_links"] = []
    history = History(invoices={key: "earlier"}, values={key: Decimal("1734.80")})
    assert "PSKE-B8-NO-DELETE" not in codes(run(data, history))
    data["invoices"][0]["net_value"] = "1700.00"     # same number, supplier and date; another value
    outcome = run(data, history)
    assert [f.path for f in outcome.findings if f.code == "PSKE-B8-NO-DELETE"] == ["invoices[0]"]
    assert "1.734,80" in next(f.message_el for f in outcome.findings if f.code == "PSKE-B8-NO-DELETE")


def test_pske_b8_relink_is_checked_against_what_was_certified_before() -> None:
    """B8: «σε περιπτώσεις όπου η αιτηθείσα αξία ενός παραστατικού τιμολόγησης είχε περικοπεί μερικώς
    ή ολικώς … Αυτό που δύναται να τροποποιηθεί είναι η αντιστοίχιση/σύνδεση». Invoice 12345 (net
    1,734.80) had 1,415.00 certified; re-linking it now can ask at most the 319.80 left."""
    body = PaymentRequestBody.model_validate(clean_request())
    inv, pay = invoice_identity(body.invoices[0]), payment_identity(body.payments[0])
    history = History(invoices={inv: "earlier"}, payments={pay: "earlier"},
                      values={inv: Decimal("1734.80"), pay: Decimal("2151.15")},
                      requested={"E1": Decimal("1415.00")}, certified={"E1": Decimal("1415.00")},
                      invoice_certified={inv: Decimal("1415.00")})
    data = clean_request()
    data["invoices"][0]["existing"] = True
    data["payments"][0]["existing"] = True
    data["expense_links"] = [{"expense": "E2", "invoice": "inv-12345", "unit_price": "319.80"}]
    assert run(data, history).findings == []
    data["expense_links"] = [{"expense": "E2", "invoice": "inv-12345", "unit_price": "319.80"},
                             {"expense": "E1", "invoice": "inv-12345", "unit_price": "100.00"}]
    outcome = run(data, history)
    assert {"PSKE-B8-NO-DELETE", "PSKE-A4-APPROVED"} <= set(codes(outcome))
    # Both ceilings agree on the same 100.00 (E1 is used up, and so is the invoice): cut once.
    assert sum(c.cut for c in outcome.cuts) == Decimal("100.00")
    # With E1's approved value raised, only the invoice's own ceiling holds: B8 cuts the 100.00.
    data["project"]["annex"]["expenses"][0]["approved"] = "2000.00"
    [cut] = run(data, history).cuts
    assert (cut.code, cut.requested, cut.certifiable, cut.cut) == (
        "PSKE-B8-NO-DELETE", Decimal("419.80"), Decimal("319.80"), Decimal("100.00"))


def test_the_outcome_records_what_survives_per_link_for_the_next_request() -> None:
    """A4 on this request (E1 approved 1,414.99, 1,415.00 linked): the history keeps 1,414.99 certified."""
    data = clean_request()
    data["project"]["annex"]["expenses"][0]["approved"] = "1414.99"
    assert run(data).certified == [Decimal("1414.99"), Decimal("319.80")]


# ---- §6 rules the seed states ------------------------------------------------------------------------

def _promotion(data: dict[str, Any]) -> dict[str, Any]:
    data["project"]["annex"]["expenses"].append({"code": "E8", "description": "Έντυπα προβολής", "category": "SRV",
                                                 "kind": "promotion", "approved": "500.00"})
    data["invoices"].append(invoice("pr", "77", "500.00", "620.00"))
    data["expense_links"].append({"expense": "E8", "invoice": "pr", "unit_price": "500.00"})
    data["payments"].append(payment("pp", "TX77", "620.00"))
    data["payment_links"].append({"invoice": "pr", "payment": "pp", "amount": "620.00"})
    return data


def test_pske_a8_samples_of_printed_promotion_material_not_photocopies() -> None:
    """A8.8: «Προσκόμιση δειγμάτων των εντύπων και όχι φωτοτυπιών, για δαπάνες που αφορούν την
    κατηγορία «Προβολή – Προώθηση»»."""
    data = _promotion(clean_request())
    assert codes(run(data)) == ["PSKE-A8-SAMPLES"]
    data["deliverables"].append({"kind": "promotion_samples", "expense": "E8", "file": "Προβολή/φυλλάδιο.pdf",
                                 "photocopy": True})
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A8-SAMPLES"] and outcome.findings[0].path.endswith(".photocopy")
    data["deliverables"][-1]["photocopy"] = False
    assert run(data).findings == []


def test_pske_a8_premature_aid_payment_certificates_in_the_dossier() -> None:
    """A8.15: «Τα δικαιολογητικά καταβολής της ενίσχυσης (πχ πιστοποιητικά από Πρωτοδικεία και ΓΕΜΗ,
    φορολογική και ασφαλιστική ενημερότητα κλπ) πρέπει να αποστέλλονται … μετά την παραλαβή της
    επιστολής ενημέρωσης επί των αποτελεσμάτων ελέγχου και όχι κατά το στάδιο εξέτασης»."""
    data = clean_request()
    data["deliverables"].append({"kind": "aid_payment_certificates", "file": "Γενικά παραδοτέα/ενημερότητα.pdf"})
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A8-PREMATURE"] and outcome.findings[0].severity.value == "warning"
    names = ["ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ/Γενικά παραδοτέα/Φορολογική Ενημερότητα.pdf",
             "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ/Γενικά παραδοτέα/Πιστοποιητικό ΓΕΜΗ.pdf",
             "ΚΡ-12345_ΕΝΔΙΑΜΕΣΟ/Εξοπλισμός/12345.pdf"]
    assert [f.path for f in premature_files(names)] == sorted([f"upload/{names[0]}", f"upload/{names[1]}"])


def test_pske_a3_minimum_in_euros_where_the_call_sets_one() -> None:
    """A3: «πιθανές περικοπές δύναται να διαμορφώσουν το ποσοστό υλοποίησης κάτω από το ελάχιστο
    όριο» — «ελάχιστων – κατώτατων ορίων Π/Υ»: the call's lower budget limit in euros."""
    data = clean_request()   # 1,734.80 certifiable
    data["project"]["annex"]["minimum_budget"] = "1734.80"
    assert run(data).findings == []
    data["project"]["annex"]["minimum_budget"] = "1734.81"
    outcome = run(data)
    assert codes(outcome) == ["PSKE-A3-MINIMUM"] and outcome.findings[0].path == "project.annex.minimum_budget"
    # After a cut (E1 approved at 1,400.00): what survives is 1,719.80, below a limit of 1,720.00.
    data["project"]["annex"]["minimum_budget"] = "1720.00"
    data["project"]["annex"]["expenses"][0]["approved"] = "1400.00"
    assert "project.annex.minimum_budget" in [f.path for f in run(data).findings]


def _withholding(withheld: str) -> dict[str, Any]:
    data = clean_request()
    gross = Decimal("1240.00")
    data["invoices"] = [invoice("i1", "1", "1000.00", str(gross), withheld=withheld, supplier="ΑΒΓ ΕΠΕ",
                                supplier_afm=ABG_AFM, date="2017-02-17")]
    data["expense_links"] = [{"expense": "E7", "invoice": "i1", "unit_price": "1000.00"}]
    data["payments"] = [payment("s", "TXS", str(gross - Decimal(withheld))),
                        payment("d", "TXD", withheld, payee="tax_office")]
    data["payment_links"] = [{"invoice": "i1", "payment": "s", "amount": str(gross - Decimal(withheld))},
                             {"invoice": "i1", "payment": "d", "amount": withheld}]
    data["deliverables"] += [{"kind": "withholding_return"}, {"kind": "withholding_payment_id"}]
    return data


def test_pske_b7_withholding_rate_is_20_or_3_percent_of_the_net() -> None:
    """B7: «Υπόκειται σε παρακράτηση φόρου 20% (επί της καθαρής του αξίας) ύψους 200,00€» — the seed's
    rule speaks of «παρακράτηση φόρου 20% ή 3%»."""
    assert run(_withholding("200.00")).findings == []
    assert run(_withholding("30.00")).findings == []
    outcome = run(_withholding("199.99"))
    assert codes(outcome) == ["PSKE-B7-WITHHOLDING"] and "20% (200,00 €)" in outcome.findings[0].message_el


def test_pske_b7_deliverables_for_the_withheld_tax() -> None:
    """B7: «Τα απαραίτητα παραδοτέα … για την πληρωμή του παρακρατούμενου φόρου είναι: 1. η προσωρινή
    δήλωση παρακρατούμενων φόρων 2. η ταυτότητα πληρωμής για την πληρωμή του φόρου 3. το παραστατικό
    πληρωμής του φόρου»."""
    data = _withholding("200.00")
    data["deliverables"] = [d for d in data["deliverables"] if d["kind"] != "withholding_payment_id"]
    outcome = run(data)
    assert codes(outcome) == ["PSKE-B7-DELIVERABLES"] and "ταυτότητα πληρωμής" in outcome.findings[0].message_el
    data["payment_links"] = [link for link in data["payment_links"] if link["payment"] != "d"]
    assert "PSKE-B7-WITHHOLDING" in codes(run(data))   # item 3: the tax's own payment record


def test_pske_a8_card_of_a_legal_person_needs_proof_and_statement() -> None:
    """A8.6: «Τεκμηρίωση περί εταιρικής πιστωτικής κάρτας στις περιπτώσεις που οι δικαιούχοι της
    επένδυσης είναι νομικά πρόσωπα και προσκόμιση αντιγράφου κίνησης της κάρτας.» A8.7: the same for
    a corporate debit card, with the extrait."""
    data = clean_request()   # ΑΕ: a legal person
    data["project"]["annex"]["allowed_payment_methods"].append("credit_card")
    data["payments"][0]["kind"] = "credit_card"
    assert [f.message_en for f in run(data).findings if f.code == "PSKE-A8-CARD"] == [
        "Card payment by a legal person: proof that the card is the company's is missing.",
        "Card payment by a legal person: the credit card's statement is missing."]
    data["deliverables"] += [{"kind": "corporate_card_proof"}, {"kind": "card_statement"}]
    assert run(data).findings == []
    sole = clean_request()
    sole["project"]["annex"]["allowed_payment_methods"].append("debit_card")
    sole["payments"][0]["kind"] = "debit_card"
    assert codes(run(sole)) == ["PSKE-A8-CARD"]
    for who in ("investor", "project"):
        target = sole[who] if who == "investor" else sole["project"]["annex"]["investor"]
        target["legal_form"] = "Ατομική επιχείρηση"
    assert run(sole).findings == []


def test_pske_a8_other_deliverables_permits_loans_and_earlier_leases() -> None:
    """A8.12: «Σε περίπτωση σύναψης δανείων … πρέπει να προσκομίζονται οι σχετικές συμβάσεις.» A8.13:
    «προβλεπόμενες άδειες για κτιριακές εργασίες.»"""
    data = clean_request()
    data["project"]["annex"]["financed_by_loan"] = True
    data["project"]["annex"]["expenses"][0]["kind"] = "building_works"
    outcome = run(data)
    assert sorted(f.path for f in outcome.findings if f.code == "PSKE-A8-DELIVERABLES") == [
        "expenses.E1", "project.annex.financed_by_loan"]
    data["deliverables"] += [{"kind": "loan_contracts"}, {"kind": "permits", "expense": "E1"}]
    assert "PSKE-A8-DELIVERABLES" not in codes(run(data))


# ---- issue 31 §2: identities and history, as the seed words them ----------------------------------

def test_pske_a1_a_share_written_60_00_percent_is_the_approved_60() -> None:
    """A1: the investor's data must be «ίδια» with the approved Technical Annex — a composition of 60% and
    40% is the same however the percentage is written («60», «60.00 %», «60,00»)."""
    for spelling in ("60.00 %", "60,00", "60 %", " 60 "):
        data = clean_request()
        data["investor"]["shareholders"][0]["share_pct"] = spelling
        assert "PSKE-A1-ENTITY" not in codes(run(data)), spelling
    data = clean_request()
    data["investor"]["shareholders"][0]["share_pct"] = "61"
    assert "PSKE-A1-ENTITY" in codes(run(data))


def test_pske_a6_counts_earlier_requests_of_expenses_this_request_does_not_link() -> None:
    """A6: «Μη Υπέρβαση ορίων δαπανών ανά κατηγορία αλλά και είδος δαπάνης» — over the project, not over
    what this request happens to link: an earlier €14,500.00 certified for E7 (SRV) plus €1,000.00 for E3
    now exceeds the SRV limit of €15,000.00."""
    data = clean_request()
    data["expense_links"] = [{"expense": "E3", "invoice": "inv-12345", "unit_price": "1000.00"}]
    data["invoices"][0].update(net_value="1000.00", gross_value="1240.00", fixed_asset_register=False)
    data["payments"][0]["amount"] = "1240.00"
    data["payment_links"][0]["amount"] = "1240.00"
    assert "PSKE-A6-CATEGORY" in codes(run(data, History(certified={"E7": Decimal("14500.00")})))
    assert "PSKE-A6-CATEGORY" not in codes(run(data, History(certified={"E7": Decimal("14000.00")})))


def test_pske_b10_counts_earlier_requests_of_expenses_this_request_does_not_link() -> None:
    """B10: requested per category ≤ approved, over the project: E2 certified €18,500.00 before, E1 now."""
    data = clean_request()
    data["expense_links"] = [link for link in data["expense_links"] if link["expense"] == "E1"]
    assert "PSKE-B10-CATEGORY" in codes(run(data, History(certified={"E2": Decimal("18600.00")})))


def test_pske_b2_1_rent_and_depreciation_are_registered_for_each_use() -> None:
    """B2.1: «Εξαίρεση στον παραπάνω κανόνα καταχώρησης αποτελούν τα παραστατικά τα οποία αφορούν στις
    δαπάνες: 1. Ενοικίαση επαγγελματικού χώρου 2. Αποσβέσεις» — the same lease requested again (for
    another year) is no duplicate."""
    from ypovoli.kinds.pske.model import InvoiceRecord

    from tests.unit.test_rules_pske import _rent_request

    periods = [{"months": 6, "monthly": "400.00"}, {"months": 6, "monthly": "600.00"}]
    data = _rent_request(periods, "6000.00")
    earlier = History(invoices={invoice_identity(InvoiceRecord.model_validate(data["invoices"][0])): "req-2018"})
    assert "PSKE-B2-DUPLICATE" not in codes(run(data, earlier))
    # An ordinary invoice registered again is still the duplicate B2 forbids.
    plain = clean_request()
    seen = History(invoices={invoice_identity(InvoiceRecord.model_validate(plain["invoices"][0])): "req-1"})
    assert "PSKE-B2-DUPLICATE" in codes(run(plain, seen))
