"""Issue 30 on moto: what real clients send and what the upstream answers — a rejection that can be
corrected, AADE's «already sent» reconciled to its MARK, framework errors in the API's shape, and the
drop-in ERGANI door taking the public SDK's spellings but only the logged-in employer's documents."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ypovoli.status import Status
from ypovoli.store.events import payload_of
from ypovoli.store.items import plain
from ypovoli_local.front import gateway_call, merge_slashes, new_gateway
from ypovoli_local.handlers import load_function

from tests.ergani_factory import EMPLOYER, card_event, workcard
from tests.factories import ISSUER, invoice, multi_line_invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_ergani import ergani_call, now_in_athens
from tests.integration.test_transmit import run_transmitter


def raw_call(method: str, path: str, headers: dict[str, str], body: bytes | None = None) -> tuple[int, dict[str, Any],
                                                                                                  Any]:
    status, out_headers, out = gateway_call(new_gateway(load_function("api").app), method, path, headers, body)
    try:
        return status, out_headers, json.loads(out) if out else None
    except ValueError:
        return status, out_headers, out.decode()


def reject_next(world: World, code: str = "203", how: str = "rejected") -> None:
    world.simulator.configure("up", answer_next={"count": 1, "with": how, "code": code})


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


def test_a_rejected_invoice_keeps_its_reason_and_its_correction_is_accepted_and_linked(world: World) -> None:
    status, first = call("POST", "/v1/invoices", body=invoice(aa="301"))
    assert status == 202
    reject_next(world, "203")
    run_transmitter(first["id"])
    status, rejected = call("GET", f"/v1/invoices/{first['id']}")
    assert rejected["status"] == "rejected" and rejected["upstream_errors"][0]["code"] == "203"
    [refusal] = [f for f in rejected["findings"] if f["code"] == "UPSTREAM-REJECTED"]
    # AADE's code and message, and what it means, in both languages; a source a person can open.
    assert "203" in refusal["message_el"] and "μικτή αξία" in refusal["message_el"]
    assert "gross value" in refusal["message_en"] and "aade.gr" in refusal["source"]
    # The webhook's event says it in full, not only as a code.
    events = [json.loads(payload_of(plain(i))) for i in world.table_items() if i["SK"]["S"].startswith("EVENT#")]
    [told] = [e for e in events if e["data"]["id"] == first["id"] and e["data"]["status"] == "rejected"]
    assert told["data"]["findings"][-1]["code"] == "UPSTREAM-REJECTED" and "203" in told["data"]["findings"][-1][
        "message_en"]
    # Still the business's to do: in its compliance view (and so the console) with AADE's reason.
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    [open_item] = [i for i in view["items"] if i["submission_id"] == first["id"]]
    assert open_item["code"] == "UPSTREAM-REJECTED" and "203" in open_item["message_en"]

    # The corrected document, same series and number: a new submission that names the rejected one.
    corrected = multi_line_invoice([(Decimal("200.00"), 1)], aa="301")
    status, second = call("POST", "/v1/invoices", body=corrected)
    assert status == 202, second
    assert "UPSTREAM-RESUBMITTED" not in codes(second["findings"])
    _, now = call("GET", f"/v1/invoices/{second['id']}")
    _, before = call("GET", f"/v1/invoices/{first['id']}")
    assert now["supersedes"] == first["id"] and before["superseded_by"] == second["id"]
    assert before["status"] == "rejected"  # both dossiers kept
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert first["id"] not in [i["submission_id"] for i in view["items"]]  # corrected: nothing left to do
    run_transmitter(second["id"])
    _, sent = call("GET", f"/v1/invoices/{second['id']}")
    assert sent["status"] == "transmitted" and sent["receipt"]["mark"]
    # Once transmitted, the number is held again: a third copy is the duplicate it always was.
    status, third = call("POST", "/v1/invoices", body=corrected)
    assert status == 409 and third["id"] == second["id"] and codes(third["findings"]) == ["MYDATA-DUPLICATE"]
    dossiers = {k.split("/")[-2] for k in world.s3_keys() if k.endswith("report.json")}
    assert {first["id"], second["id"]} <= dossiers
    record = world.deps.dossiers.get_json(next(k for k in world.s3_keys()
                                               if k.endswith(f"{second['id']}/report.json")))
    assert record["supersedes"] == first["id"]


def test_the_unchanged_rejected_document_sent_again_goes_with_a_warning_that_repeats_the_reason(
        world: World) -> None:
    status, first = call("POST", "/v1/invoices", body=invoice(aa="302"))
    reject_next(world, "102")
    run_transmitter(first["id"])
    status, again = call("POST", "/v1/invoices", body=invoice(aa="302"))
    assert status == 202 and again["status"] == "accepted"
    [warning] = [f for f in again["findings"] if f["code"] == "UPSTREAM-RESUBMITTED"]
    assert warning["severity"] == "warning" and "102" in warning["message_en"] and first["id"] in warning["message_el"]


def test_another_office_never_sees_the_rejected_document_it_takes_the_number_over_from(world: World) -> None:
    world.deps.index.put_tenant("other", "Other office", [ISSUER])
    status, first = call("POST", "/v1/invoices", body=invoice(aa="303"))
    reject_next(world, "203")
    run_transmitter(first["id"])
    status, theirs = call("POST", "/v1/invoices", key=KEYS["other"], body=invoice(aa="303"))
    assert status == 202 and theirs.get("supersedes") is None
    assert all(first["id"] not in json.dumps(f) for f in theirs["findings"])
    _, ours = call("GET", f"/v1/invoices/{first['id']}")
    assert ours["status"] == "rejected" and ours.get("superseded_by") is None


def test_aade_saying_it_already_holds_the_uid_is_reconciled_to_its_mark_never_released(world: World) -> None:
    status, first = call("POST", "/v1/invoices", body=invoice(aa="304"))
    reject_next(world, "228", how="already_sent")
    run_transmitter(first["id"])
    _, got = call("GET", f"/v1/invoices/{first['id']}")
    assert got["status"] == "transmitted" and got["receipt"]["mark"] and got["receipt"]["reconciled"] is True
    assert world.simulator.state.stats()["registrations"] >= 1
    status, again = call("POST", "/v1/invoices", body=invoice(aa="304"))
    assert status == 409 and again["id"] == first["id"]


def test_framework_errors_come_in_the_api_s_shape_and_say_what_the_route_takes(world: World) -> None:
    headers = {"x-api-key": KEYS["acme"], "Content-Type": "text/plain"}
    status, _, body = raw_call("POST", "/v1/invoices", headers, json.dumps(invoice()).encode())
    assert status == 415 and body["status"] == "invalid" and body["request_id"]
    assert body["code"] == "REQUEST-CONTENT-TYPE" and "application/json" in body["message_en"]
    assert "text/plain" in body["message_en"] and body["findings"][0]["path"] == "headers.Content-Type"
    # A GET has no body: whatever Content-Type it names is not a reason to refuse it.
    status, _, listing = raw_call("GET", f"/v1/invoices?afm={ISSUER}",
                                  {"x-api-key": KEYS["acme"], "Content-Type": "text/xml"})
    assert status == 200 and "items" in listing
    status, _, method = raw_call("PATCH", "/v1/invoices", {"x-api-key": KEYS["acme"]})
    assert status == 405 and method["code"] == "METHOD_NOT_ALLOWED" and "POST" in method["message_en"]
    assert set(method) >= {"status", "findings", "request_id"}


def test_an_unmanaged_issuer_is_refused_naming_the_field_and_how_to_add_it(world: World) -> None:
    status, body = call("POST", "/v1/invoices", body=invoice(issuer="997123453"))
    assert status == 403 and body["findings"][0]["path"] == "invoice.issuer.vatNumber"
    assert "ypovoli afms add" in body["message_en"]
    status, card = call("POST", "/v1/workcards", body=workcard(card_event("start", now_in_athens(world))))
    assert status == 403 and card["findings"][0]["path"] == "document.Cards.Card[0].f_afm_ergodoti"


def test_the_drop_in_mydata_401_names_the_header_the_caller_sent(world: World) -> None:
    headers = {"aade-user-id": "erp", "ocp-apim-subscription-key": "not-a-key"}
    status, _, body = raw_call("GET", "/v1/mydata/RequestTransmittedDocs?mark=0", headers)
    assert status == 401 and body["status"] == "unauthorized"
    assert "ocp-apim-subscription-key" in body["message_en"] and "x-api-key" not in body["message_en"]
    # mydatanaut's GET: its Content-Type (text/xml on every request) is not a reason to refuse it.
    headers = {"aade-user-id": "erp", "ocp-apim-subscription-key": KEYS["acme"], "Content-Type": "text/xml"}
    status, _, doc = raw_call("GET", "/v1/mydata/RequestTransmittedDocs?mark=0", headers)
    assert status == 200 and "RequestedDoc" in doc


def test_repeated_slashes_are_one_as_the_real_services_take_them() -> None:
    assert merge_slashes("/v1/ergani//Documents/WRKCardSE") == "/v1/ergani/Documents/WRKCardSE"
    assert merge_slashes("//v1///invoices?next=a//b") == "/v1/invoices?next=a//b"


def test_the_drop_in_ergani_takes_the_sdk_s_numbers_and_only_the_logged_in_employer_s_cards(
        world: World, ergani: Any) -> None:
    world.deps.index.put_tenant("acme", "ACME", [ISSUER, EMPLOYER])
    _, _, tokens = ergani_call("Authentication", {"Username": ISSUER, "Password": KEYS["acme"], "UserType": "01"})
    card = workcard(card_event("start", now_in_athens(world)), employer=ISSUER)
    card["Cards"]["Card"][0]["f_aa"] = 0  # the SDK sends the branch as a number
    status, _, answer = ergani_call("Documents/WRKCardSE", card, tokens["accessToken"])
    assert status == 200 and answer[0]["protocol"], answer
    stored = world.deps.index.get_submission("acme", answer[0]["id"])
    assert stored is not None and stored.status is Status.TRANSMITTED
    assert world.deps.dossiers.document(stored.dossier)["Cards"]["Card"][0]["f_aa"] == "0"
    # Another ΑΦΜ of the same tenant is still not the employer logged in: ERGANI's own refusal.
    theirs = workcard(card_event("start", now_in_athens(world)), employer=EMPLOYER)
    status, _, refusal = ergani_call("Documents/WRKCardSE", theirs, tokens["accessToken"])
    assert status == 400 and refusal["message"].endswith("Το ΑΦΜ δεν αντιστοιχεί στον συνδεδεμένο εργοδότη.")
    # A schema error names the field, as our own API does.
    bad = workcard(card_event("start", now_in_athens(world)), employer=ISSUER)
    bad["Cards"]["Card"][0]["f_aa"] = "branch"
    status, _, schema = ergani_call("Documents/WRKCardSE", bad, tokens["accessToken"])
    assert status == 400 and "Cards.Card[0].f_aa" in schema["message"]
    # The SDK's legacy overtime is told what replaced it.
    status, _, legacy = ergani_call("Documents/OvTime", {"Overtimes": {"Overtime": []}}, tokens["accessToken"])
    assert status == 400 and "WTOOv" in legacy["message"]


def test_a_document_already_past_its_window_says_its_fine_exposure_in_the_202(world: World) -> None:
    """Issue 30 §5: every warning and any fine exposure in the answer, not first when it is marked."""
    from datetime import timedelta

    late_day = (world.clock.now() - timedelta(days=5)).date()
    status, body = call("POST", "/v1/invoices", body=invoice(aa="305", issue_date=late_day))
    assert status == 202 and "MYDATA-DATE" in codes(body["findings"]), body
    assert body["fine_exposure"]["amount"] and body["fine_exposure"]["basis_en"], body
    _, got = call("GET", f"/v1/invoices/{body['id']}")
    assert got["fine_exposure"] == body["fine_exposure"]


def test_sixteen_held_invoices_cost_the_audit_s_minimum_once(world: World) -> None:
    """Issue 31 §1 (seed 001: the minimum «αθροιστικά ανά φορολογικό έλεγχο»): sixteen invoices of €24
    VAT held through an outage and past their window may cost max(16 × 12, 500) = €500 — not 16 × 500.
    The compliance view, each document's own fine_exposure and the overdue webhook event agree."""
    from datetime import timedelta

    from ypovoli.services.sweep import flag_overdue

    world.simulator.configure("down")
    ids = []
    for n in range(16):
        status, body = call("POST", "/v1/invoices", body=invoice(aa=f"4{n:02d}"))
        assert status == 202
        ids.append(body["id"])
        run_transmitter(body["id"])
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert view["total_exposure_eur"] == "500.00", view["total_exposure_eur"]
    world.clock.advance(timedelta(days=3))
    flag_overdue(world.deps)
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    mine = [i for i in view["items"] if i["submission_id"] in ids]
    assert len(mine) == 16 and {i["exposure_eur"] for i in mine} == {"31.25"}
    assert view["total_exposure_eur"] == "500.00"
    _, one = call("GET", f"/v1/invoices/{ids[0]}")
    assert one["status"] == "overdue" and one["fine_exposure"]["amount"] == "31.25"
    assert "500" in one["fine_exposure"]["basis_en"]
    world.simulator.configure("up")


def test_the_business_s_books_set_the_minimum_and_the_default_is_said(world: World) -> None:
    """Issue 31 §1: «τουλάχιστον … 250 ευρώ, για επιχειρήσεις με απλογραφικά βιβλία, και 500 ευρώ για όσες
    τηρούν διπλογραφικό» — a business setting, double-entry until the business says otherwise, and said so."""
    status, settings = call("GET", f"/v1/businesses/{ISSUER}/settings")
    assert status == 200 and settings == {"afm": ISSUER, "books": "double", "books_default": True}
    world.simulator.configure("down")
    _, held = call("POST", "/v1/invoices", body=invoice(aa="501"))
    run_transmitter(held["id"])
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert view["total_exposure_eur"] == "500.00"
    status, changed = call("PUT", f"/v1/businesses/{ISSUER}/settings", body={"books": "single"})
    assert status == 200 and changed["books"] == "single" and changed["books_default"] is False
    _, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert view["total_exposure_eur"] == "250.00"
    assert call("PUT", f"/v1/businesses/{ISSUER}/settings", body={"books": "triple"})[0] == 422
    assert call("GET", f"/v1/businesses/{ISSUER}/settings", key=KEYS["other"])[0] == 403
    world.simulator.configure("up")
