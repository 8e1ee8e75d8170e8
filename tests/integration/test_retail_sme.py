"""Issue 14 on moto: businesses (REG-ACCOUNT), fiscal devices and their cadence (FHM-*) in the
compliance view and as webhook alerts, voucher pre-checks and the repayable advance kept as
dossiers — each tenant apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ypovoli.clock import ATHENS
from ypovoli.services import sweep

from tests.factories import ISSUER, OTHER_AFM
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call

NEW_AFM, SECOND_AFM, THIRD_AFM = "100000003", "100000015", "100000027"
SUPPLIER_IBAN = "GR1601101250000000012300695"


def business(afm: str = NEW_AFM, **changes: Any) -> dict[str, Any]:
    return {"afm": afm, "taxisnet_afm": afm, "entity": "legal_entity", "employer": False, "ergani_activated_on": None,
            "ame": None, "email": f"office@{afm}.gr", "username": f"user{afm}", **changes}


def codes(body: Any) -> list[str]:
    return [f["code"] for f in body["findings"]]


def test_reg_account_a_business_registers_once_with_its_own_afm_and_unique_contacts(world: World) -> None:
    status, body = call("POST", "/v1/businesses", body=business())
    assert status == 201 and body == {"afm": NEW_AFM, "ame": None, "findings": []}, body
    # Its ΑΦΜ is now one the tenant manages: its compliance view opens.
    assert call("GET", f"/v1/businesses/{NEW_AFM}/compliance")[0] == 200
    status, listing = call("GET", "/v1/businesses")
    assert status == 200 and {b["afm"] for b in listing["items"]} >= {ISSUER, NEW_AFM}
    assert call("GET", f"/v1/businesses/{NEW_AFM}", key=KEYS["other"])[0] == 403
    # The same ΑΦΜ again, whole or per ΑΜΕ: refused.
    again = business(email="second@x.gr", username="second")
    assert codes(call("POST", "/v1/businesses", body=again)[1]) == ["REG-ACCOUNT"]
    assert call("POST", "/v1/businesses", body={**again, "ame": "1234567890"})[0] == 422
    # E-mail: case-insensitive; plus-addressing is another address.
    status, body = call("POST", "/v1/businesses", body=business(SECOND_AFM, email=f"OFFICE@{NEW_AFM}.GR"))
    assert status == 422 and body["findings"][0]["path"] == "email"
    status, body = call("POST", "/v1/businesses", body=business(SECOND_AFM, email=f"office+second@{NEW_AFM}.gr",
                                                                  username=f"user{NEW_AFM}"))
    assert status == 422 and body["findings"][0]["path"] == "username"
    assert call("POST", "/v1/businesses", body=business(SECOND_AFM, email=f"office+second@{NEW_AFM}.gr"))[0] == 201


def test_reg_account_the_representatives_afm_and_an_employer_without_erganis_day_are_refused(world: World) -> None:
    today = world.clock.now().astimezone(ATHENS).date()
    status, body = call("POST", "/v1/businesses", body=business(taxisnet_afm=SECOND_AFM))
    assert status == 422 and body["findings"][0]["path"] == "taxisnet_afm"
    for activated in (None, today.isoformat()):
        status, body = call("POST", "/v1/businesses", body=business(employer=True, ergani_activated_on=activated))
        assert status == 422 and codes(body) == ["REG-ACCOUNT"], activated
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert call("POST", "/v1/businesses", body=business(employer=True, ergani_activated_on=yesterday))[0] == 201


def test_reg_account_once_per_ame_never_beside_a_whole_registration(world: World) -> None:
    first = business(THIRD_AFM, ame="1001")
    assert call("POST", "/v1/businesses", body=first)[0] == 201
    assert call("POST", "/v1/businesses", body=business(THIRD_AFM, ame="1002", email="b@x.gr", username="b"))[0] == 201
    assert call("POST", "/v1/businesses", body=business(THIRD_AFM, ame="1002", email="c@x.gr", username="c"))[0] == 422
    assert call("POST", "/v1/businesses", body=business(THIRD_AFM, email="d@x.gr", username="d"))[0] == 422
    status, one = call("GET", f"/v1/businesses/{THIRD_AFM}")
    assert status == 200 and sorted(r["ame"] for r in one["registrations"]) == ["1001", "1002"]


def device(**changes: Any) -> dict[str, Any]:
    return {"afm": ISSUER, "serial": "FHM-1", "type": "ΦΗΜΑΣ", "sector": "catering",
            "books": "double", "vat_exempt": False, **changes}


def test_fhm_cadence_a_silent_catering_device_is_flagged_with_its_fine_and_alerted_once(world: World) -> None:
    """Seed 001: «οι επιχειρήσεις του κλάδου εστίασης υποχρεούνται να στέλνουν στοιχεία ανά τρίωρο»;
    the fine «δεν μπορεί να είναι κατώτερο … των 500 ευρώ για όσες τηρούν διπλογραφικό»."""
    now = world.clock.now()
    status, created = call("POST", "/v1/fiscal-devices", body=device())
    assert status == 201 and created["findings"] == [], created
    assert dt.datetime.fromisoformat(created["due_at"]) == now + dt.timedelta(hours=3)
    world.clock.advance(dt.timedelta(hours=1))
    sent = world.clock.now().astimezone(ATHENS).isoformat()
    status, recorded = call("POST", f"/v1/fiscal-devices/{created['id']}/transmissions",
                            body={"sent_at": sent, "documents": 12, "vat_amount": "48.30"})
    assert status == 201 and recorded["id"] == created["id"], recorded
    assert dt.datetime.fromisoformat(recorded["due_at"]) == now + dt.timedelta(hours=4)
    world.clock.advance(dt.timedelta(hours=3))   # exactly at the due time: not yet late
    assert not [i for i in call("GET", f"/v1/businesses/{ISSUER}/compliance")[1]["items"] if i["code"] == "FHM-CADENCE"]
    world.clock.advance(dt.timedelta(minutes=1))
    status, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    [late] = [i for i in view["items"] if i["code"] == "FHM-CADENCE"]
    assert late["kind"] == "fiscal_device" and late["severity"] == "error" and late["subject"] == "FHM-1"
    assert late["submission_id"] == created["id"] and late["exposure_eur"] == "500.00"
    assert "λουκέτου" in late["message_el"] and view["total_exposure_eur"] == "500.00"
    assert sweep.run(world.deps, "fiscal-devices") == {"devices_alerted": 1}
    assert sweep.run(world.deps, "fiscal-devices") == {"devices_alerted": 0}   # once per lapse
    [alert] = [d for d in world.deps.events.deliveries("acme")[0] if d.type == "compliance.flagged"]
    assert alert.submission_id == created["id"]
    # The next e-send clears it.
    sent = world.clock.now().astimezone(ATHENS).isoformat()
    call("POST", f"/v1/fiscal-devices/{created['id']}/transmissions",
         body={"sent_at": sent, "documents": 3, "vat_amount": "6.00"})
    assert not [i for i in call("GET", f"/v1/businesses/{ISSUER}/compliance")[1]["items"] if i["code"] == "FHM-CADENCE"]


def test_fhm_fine_floors_by_books_and_vat() -> None:
    from decimal import Decimal

    from ypovoli.kinds.retail.fiscal_device import fine_floor
    assert [fine_floor("single", False), fine_floor("double", False), fine_floor("single", True),
            fine_floor("double", True)] == [Decimal(250), Decimal(500), Decimal(500), Decimal(1000)]


def test_fhm_eafdss_is_refused_in_use_and_catering_replaces_its_devices(world: World) -> None:
    """«έως τις 31.10.2023 πρέπει να έχουν αποσυρθεί από την χρήση όλοι οι ΕΑΦΔΣΣ» (seed 001)."""
    status, old = call("POST", "/v1/fiscal-devices", body=device(serial="OLD-1", type="ΕΑΦΔΣΣ", sector="other"))
    assert status == 201 and [(f["code"], f["severity"]) for f in old["findings"]] == [("FHM-EAFDSS", "error")]
    assert "380" in old["findings"][0]["message_el"]
    status, ftm = call("POST", "/v1/fiscal-devices", body=device(serial="FTM-1", type="ΦΤΜ"))
    assert status == 201 and [(f["code"], f["severity"]) for f in ftm["findings"]] == [("FHM-EAFDSS", "warning")]
    status, fuel = call("POST", "/v1/fiscal-devices", body=device(serial="FTM-2", type="ΦΤΜ", sector="fuel"))
    assert status == 201 and fuel["findings"] == []
    view = call("GET", f"/v1/businesses/{ISSUER}/compliance")[1]
    assert {(i["subject"], i["severity"]) for i in view["items"] if i["code"] == "FHM-EAFDSS"} == {
        ("OLD-1", "error"), ("FTM-1", "warning")}
    status, dup = call("POST", "/v1/fiscal-devices", body=device(serial="OLD-1", type="ΕΑΦΔΣΣ", sector="other"))
    assert status == 409 and dup["id"] == old["id"]
    assert call("POST", "/v1/fiscal-devices", body=device(afm=OTHER_AFM))[0] == 403
    assert call("GET", f"/v1/fiscal-devices/{old['id']}", key=KEYS["other"])[0] == 403
    assert call("POST", f"/v1/fiscal-devices/{old['id']}/transmissions", key=KEYS["other"],
                body={"sent_at": "2026-11-23T12:00:00+02:00", "documents": 1, "vat_amount": "1"})[0] == 403


def voucher_body(**changes: Any) -> dict[str, Any]:
    return {"afm": ISSUER, "awu": "2", "invoice_gross": "1240.00",
            "supplier": {"afm": "094019245", "iban": SUPPLIER_IBAN, "natural_person": False,
                         "withholding_amount": "0"},
            "products": [{"code": "ERP-1", "quantity": "1", "users_per_unit": 5, "devices_per_unit": 0,
                          "months_per_unit": 0, "earlier_quantity": "0", "subsidy": "500.00"}],
            "payments": [{"type": "transfer", "amount": "1240.00", "transaction_id": f"20261120_{SUPPLIER_IBAN}"}],
            **changes}


def test_voucher_checks_are_answered_in_euro_strings_and_kept(world: World) -> None:
    status, body = call("POST", "/v1/vouchers/redemption-checks", body=voucher_body())
    assert status == 200, body
    assert body["products"][0]["eligible_quantity"] == "0.6" and body["expected_subsidy"] == "300.00"
    assert body["products"][0]["cuts"] == [{"reason": "users", "units": "0.4", "eur": "200.00"}]
    assert body["own_contribution"] == "940.00" and codes(body) == ["VOUCHER-QTY"]
    status, kept = call("GET", f"/v1/vouchers/redemption-checks/{body['id']}")
    assert status == 200 and kept["request"]["awu"] == "2" and kept["answer"]["expected_subsidy"] == "300.00"
    assert call("GET", f"/v1/vouchers/redemption-checks/{body['id']}", key=KEYS["other"])[0] == 403
    assert call("GET", f"/v1/calculations/repayable-advance/{body['id']}")[0] == 403   # another kind's id
    bad = voucher_body(payments=[{"type": "transfer", "amount": "1240.00", "transaction_id": "20261131_X"}])
    status, refused = call("POST", "/v1/vouchers/redemption-checks", body=bad)
    assert status == 422 and refused["code"] == "VOUCHER-TXID"
    assert call("POST", "/v1/vouchers/redemption-checks", body=voucher_body(afm=OTHER_AFM))[0] == 403


def test_voucher_qty_redemptions_kept_by_invoice_count_for_the_next_invoice(world: World) -> None:
    one = voucher_body(invoice_number="INV-1", products=[
        {"code": "SEAT", "quantity": "2", "users_per_unit": 1, "subsidy": "200.00"}])
    assert call("POST", "/v1/vouchers/redemption-checks", body=one)[1]["products"][0]["eligible_quantity"] == "2"
    # The same invoice checked again replaces itself; another invoice finds 2 of 3 seats taken.
    assert call("POST", "/v1/vouchers/redemption-checks", body=one)[1]["products"][0]["eligible_quantity"] == "2"
    two = {**one, "invoice_number": "INV-2"}
    status, body = call("POST", "/v1/vouchers/redemption-checks", body=two)
    assert status == 200 and body["products"][0]["eligible_quantity"] == "1"
    assert body["products"][0]["earlier_quantity"] == "2" and body["expected_subsidy"] == "100.00"


def test_repayable_advance_is_calculated_and_kept(world: World) -> None:
    request = {"afm": ISSUER, "amount_received": "10000.00", "started_on": "2015-03-01", "branches_opened_on": [],
               "revenue_2019": "100000.00", "revenue_2020": "50000.00", "pre_tax_result_2020": "-1.00",
               "ktel": False, "headcount_reference": "5", "headcount_computed": "4.5", "lump_sum": True,
               "documents_filed_on": "2022-09-23"}
    status, body = call("POST", "/v1/calculations/repayable-advance", body=request)
    assert status == 200, body
    assert (body["retention_met"], body["clause"], body["share"], body["amount_to_repay"], body["lump_sum_amount"]) \
        == (True, "a.bb", "0.333", "3330.00", "2830.50")
    assert "33,3%" in body["clause_el"] and codes(body) == ["ADVANCE-RETURN"]
    status, kept = call("GET", f"/v1/calculations/repayable-advance/{body['id']}")
    assert status == 200 and kept["answer"]["clause"] == "a.bb"
    status, missed = call("POST", "/v1/calculations/repayable-advance", body={**request, "headcount_computed": "4"})
    assert status == 200 and missed["clause"] == "retention_not_met" and missed["amount_to_repay"] == "10000.00"
    assert "ADVANCE-RETENTION" in codes(missed) and missed["lump_sum_amount"] == "10000.00"


def test_two_silent_devices_of_one_business_cost_the_audit_minimum_once_and_say_when_they_last_sent(
        world: World) -> None:
    """Seed 001: «Το πρόστιμο αυτό δεν μπορεί να είναι κατώτερο, αθροιστικά ανά φορολογικό έλεγχο, … των 500
    ευρώ για όσες τηρούν διπλογραφικό λογιστικό σύστημα»: one audit of the business, one minimum — not one
    per device. The message says the fact: the last transmission's time (Athens), then the deadline."""
    _, first = call("POST", "/v1/fiscal-devices", body=device(serial="FHM-A"))
    call("POST", "/v1/fiscal-devices", body=device(serial="FHM-B"))
    world.clock.advance(dt.timedelta(hours=1))
    sent_at = world.clock.now().astimezone(ATHENS)
    call("POST", f"/v1/fiscal-devices/{first['id']}/transmissions",
         body={"sent_at": sent_at.isoformat(), "documents": 4, "vat_amount": "9.60"})
    world.clock.advance(dt.timedelta(hours=4))
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    late = {i["subject"]: i for i in view["items"] if i["code"] == "FHM-CADENCE"}
    assert set(late) == {"FHM-A", "FHM-B"}
    assert view["total_exposure_eur"] == "500.00", view["total_exposure_eur"]
    assert {late["FHM-A"]["exposure_eur"], late["FHM-B"]["exposure_eur"]} == {"250.00"}
    last = sent_at.strftime("%d/%m/%Y %H:%M")
    due = (sent_at + dt.timedelta(hours=3)).strftime("%d/%m/%Y %H:%M")
    assert f"last transmission at {last}" in late["FHM-A"]["message_en"]
    assert f"due by {due}" in late["FHM-A"]["message_en"]
    assert f"τελευταία διαβίβαση στις {last}" in late["FHM-A"]["message_el"]
    assert "since it was registered" in late["FHM-B"]["message_en"] and "+0" not in late["FHM-B"]["message_en"]
