"""ERGANI II end to end on moto and the ERGANI simulator (issue 13): intake with ERGANI's own
checks, one login for many sends, refresh on an expired token, force majeure through an outage,
rejections with ERGANI's Greek message, schedules and leaves, tenants apart."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
from ypovoli.clock import ATHENS
from ypovoli.status import Status
from ypovoli_local.ergani_simulator import ErganiSimulator
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.ergani_factory import card_event, employee, greek, interval, week_of, workcard, wtos
from tests.factories import ISSUER, OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_transmit import run_transmitter


def now_in_athens(world: World) -> dt.datetime:
    return world.clock.now().astimezone(ATHENS)


def post_card(world: World, *events: dict[str, Any], key: str = KEYS["acme"]) -> tuple[int, Any]:
    return call("POST", "/v1/workcards", key=key, body=workcard(*events, employer=ISSUER))


def get(world: World, submission_id: str) -> Any:
    sub = world.deps.index.get_submission("acme", submission_id)
    assert sub is not None
    return sub


def test_a_card_start_is_checked_sent_with_one_login_and_kept_with_its_protocol(
        world: World, ergani: ErganiSimulator) -> None:
    event_at = now_in_athens(world) - dt.timedelta(minutes=3)
    status, body = post_card(world, card_event("start", event_at))
    assert status == 202 and body["kind"] == "ergani_workcard", body
    assert body["due_at"] == (event_at + dt.timedelta(minutes=15)).isoformat()
    run_transmitter(body["id"])
    sub = get(world, body["id"])
    assert sub.status is Status.TRANSMITTED and sub.receipt.protocol.startswith("ΑΚ - ΚΑΡ") and sub.receipt.submit_date
    pdf = next(k for k in world.s3_keys() if body["id"] in k and k.endswith("protocol.pdf"))
    assert boto3.client("s3").get_object(Bucket=world.deps.dossiers.bucket, Key=pdf)["Body"].read().startswith(b"%PDF")
    tags = boto3.client("s3").get_object_tagging(Bucket=world.deps.dossiers.bucket, Key=pdf)["TagSet"]
    assert tags == [{"Key": "retention", "Value": "timekeeping"}]   # ERGANI-RETENTION: the ten-year rule
    status, read = call("GET", f"/v1/workcards/{body['id']}")
    assert status == 200 and read["receipt"]["protocol"] == sub.receipt.protocol
    # A second declaration reuses the session: ERGANI's limiter never sees a login per call.
    status, second = post_card(world, card_event("end", now_in_athens(world) - dt.timedelta(minutes=1)))
    run_transmitter(second["id"])
    assert get(world, second["id"]).status is Status.TRANSMITTED
    assert ergani.state.stats()["logins"] == 1
    exchange = world.deps.dossiers.exchange(get(world, body["id"]).dossier, 1)
    assert exchange is not None and exchange["target"] == "WRKCardSE"
    detail = json.loads(exchange["request"])
    card = detail["Cards"]["Card"][0]["Details"]["CardDetails"][0]
    assert card["f_date"].endswith("+02:00") and card["f_aitiologia"] is None and "f_afm_ergodoti" not in card


def test_an_expired_token_is_refreshed_not_logged_in_again(world: World, ergani: ErganiSimulator) -> None:
    status, first = post_card(world, card_event("start", now_in_athens(world)))
    assert status == 202
    run_transmitter(first["id"])
    ergani.expire_tokens()
    status, second = post_card(world, card_event("end", now_in_athens(world)))
    assert status == 202
    run_transmitter(second["id"])
    assert get(world, second["id"]).status is Status.TRANSMITTED
    assert ergani.state.stats()["logins"] == 1   # refreshed (Authentication/Refresh), no second login


def test_ergani_force_majeure_through_an_outage_a_late_event_goes_with_003(
        world: World, ergani: ErganiSimulator) -> None:
    """Seed 001 (ΥΑ art. 2 §4): «Σε περίπτωση που επέλθει γεγονός ανωτέρας βίας … που εμποδίζει … τη
    διαβίβαση των στοιχείων … στο Π.Σ. Εργάνη ΙΙ, ο εργοδότης υποχρεούται να ειδοποιήσει αμέσως …
    την οικεία Επιθεώρηση Εργασίας»."""
    ergani.configure("down")
    status, body = post_card(world, card_event("start", now_in_athens(world)))
    assert status == 202
    run_transmitter(body["id"])
    assert get(world, body["id"]).status is Status.DEFERRED
    world.clock.advance(dt.timedelta(minutes=30))
    ergani.configure("up")
    world.deps.index.make_due("acme", body["id"], world.clock.now())
    run_transmitter(body["id"])
    sub = get(world, body["id"])
    assert sub.status is Status.TRANSMITTED and sub.receipt.late_justification == "003"
    assert "ERGANI-FORCE-MAJEURE" in [f.code for f in sub.findings]
    exchange = world.deps.dossiers.exchange(sub.dossier, 2)
    assert exchange is not None
    sent = json.loads(exchange["request"])
    assert sent["Cards"]["Card"][0]["Details"]["CardDetails"][0]["f_aitiologia"] == "003"
    # The incident: when it began and ended, what it held, and the notice the employer owes.
    status, listing = call("GET", f"/v1/businesses/{ISSUER}/incidents")
    assert status == 200, listing
    [incident] = listing["items"]
    assert incident["affected"] == [body["id"]] and incident["end"] is not None
    assert incident["start"] <= incident["end"]
    assert "Επιθεώρηση Εργασίας" in incident["notice_el"] and ISSUER in incident["notice_el"]
    assert "αποκαταστάθηκε" in incident["notice_el"]
    assert "εργαζόμενοι: ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783)" in incident["notice_el"]   # named as declared
    assert call("GET", f"/v1/businesses/{ISSUER}/incidents", key=KEYS["other"])[0] == 403


def test_intake_refuses_what_ergani_would_and_ergani_refusals_are_rejected(
        world: World, ergani: ErganiSimulator) -> None:
    late = card_event("start", now_in_athens(world) - dt.timedelta(minutes=40))
    status, body = post_card(world, late)
    assert status == 422 and body["findings"][0]["code"] == "ERGANI-CARD-LATE"
    assert body["findings"][0]["message_el"] and body["findings"][0]["message_en"]
    status, body = call("POST", "/v1/workcards", body={"Cards": {"Card": []}})
    assert status == 422 and body["findings"][0]["code"] == "ERGANI-SCHEMA"
    ergani.configure("up", {"count": 1, "with": "rejected"})
    status, body = post_card(world, card_event("start", now_in_athens(world)))
    run_transmitter(body["id"])
    sub = get(world, body["id"])
    assert sub.status is Status.REJECTED and "Παράρτημα" in sub.upstream_errors[0].message


def test_schedules_and_leaves_are_declared_as_ergani_documents(world: World, ergani: ErganiSimulator) -> None:
    today = now_in_athens(world).date()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    status, week = call("POST", f"/v1/work-schedules/WTOWeek?afm={ISSUER}",
                        body={k: v for k, v in week_of(monday).items() if k != "f_afm_ergodoti"})
    assert status == 202 and week["kind"] == "ergani_wto_week", week
    daily = wtos(employee(interval("ΕΡΓ", "09:00", "13:00"), interval("ΕΡΓ", "17:00", "21:00"), date=greek(monday)),
                 start=greek(monday), end=greek(monday), employer=ISSUER)
    status, day = call("POST", "/v1/work-schedules/WTODaily", body=daily)
    assert status == 202, day
    leave = wtos(employee(interval("ΑΔΚΑΝ", f_year=str(today.year), f_req_days="022"), date=greek(today)),
                 start=greek(today), end=greek(today), employer=ISSUER)
    status, declared = call("POST", "/v1/leaves", body=leave)
    assert status == 202, declared
    for submission_id in (week["id"], day["id"], declared["id"]):
        run_transmitter(submission_id)
        assert get(world, submission_id).status is Status.TRANSMITTED
    assert ergani.state.stats()["protocols"] == 3
    # The same declaration again is one submission (ERGANI would give a second protocol).
    status, again = call("POST", "/v1/work-schedules/WTODaily", body=daily)
    assert status == 409 and again["code"] == "ERGANI-DUPLICATE" and again["id"] == day["id"]


def test_an_employer_the_tenant_does_not_manage_is_forbidden(world: World, ergani: ErganiSimulator) -> None:
    status, _ = post_card(world, card_event("start", now_in_athens(world)), key=KEYS["other"])
    assert status == 403
    status, mine = post_card(world, card_event("start", now_in_athens(world)))
    assert call("GET", f"/v1/workcards/{mine['id']}", key=KEYS["other"])[0] == 403
    _, _, raw = gateway_call(new_gateway(load_function("api").app), "GET", f"/v1/workcards?afm={ISSUER}",
                             {"x-api-key": KEYS["acme"]}, None)
    assert [item["id"] for item in json.loads(raw)["items"]] == [mine["id"]]


def test_listings_come_a_page_at_a_time_per_kind_with_a_cursor_that_only_opens_its_own_listing(
        world: World, ergani: ErganiSimulator) -> None:
    ids = []
    for minutes in range(5):
        world.clock.advance(dt.timedelta(minutes=1))
        status, body = post_card(world, card_event("start", now_in_athens(world), afm="123456783" if minutes % 2
                                                   else "100000015"))
        assert status == 202, body
        ids.append(body["id"])
    assert call("POST", "/v1/invoices", body=invoice(aa="LIST-1"))[0] == 202   # another kind, same ΑΦΜ
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        status, page = call("GET", f"/v1/workcards?afm={ISSUER}&limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, page
        seen += [item["id"] for item in page["items"]]
        assert all(item["kind"] == "ergani_workcard" for item in page["items"])
        cursor = page.get("next_cursor", "")
        if not cursor:
            break
    assert seen == list(reversed(ids))   # newest first, every one once, no invoice among them
    run_transmitter(ids[0])
    status, sent = call("GET", f"/v1/workcards?afm={ISSUER}&status=transmitted")
    assert status == 200 and [item["id"] for item in sent["items"]] == [ids[0]]
    assert call("GET", f"/v1/workcards?afm={ISSUER}&status=lost")[0] == 400
    _, first = call("GET", f"/v1/workcards?afm={ISSUER}&limit=2")
    status, refused = call("GET", f"/v1/workcards?afm={ISSUER}&cursor=not-a-cursor")
    assert status == 400 and refused["findings"][0]["code"] == "REQUEST-QUERY"
    # Another tenant cannot use acme's cursor, even for an ΑΦΜ of its own.
    status, _ = call("GET", f"/v1/workcards?afm={OTHER_AFM}&cursor={first['next_cursor']}", key=KEYS["other"])
    assert status == 400


def ergani_call(path: str, body: Any, token: str | None = None) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    status, out_headers, raw = gateway_call(new_gateway(load_function("api").app), "POST", f"/v1/ergani/{path}",
                                            headers, json.dumps(body).encode())
    return status, out_headers, json.loads(raw)


def test_the_drop_in_ergani_endpoint_answers_as_ergani_does(world: World, ergani: ErganiSimulator) -> None:
    """Issue 13 §7: an ERGANI client changes only its base URL — Authentication with the ypovoli key
    as the password, Documents/{code} with the Bearer token, ERGANI's answers."""
    status, _, refused = ergani_call("Authentication", {"Username": ISSUER, "Password": "wrong", "Usertype": "01"})
    assert status == 401 and refused["message"]
    status, _, tokens = ergani_call("Authentication", {"Username": ISSUER, "Password": KEYS["acme"],
                                                       "Usertype": "01"})
    assert status == 200 and tokens["accessTokenExpired"] == 10800 and tokens["refreshToken"]
    card = workcard(card_event("start", now_in_athens(world)), employer=ISSUER)
    status, _, answer = ergani_call("Documents/WRKCardSE", card, tokens["accessToken"])
    assert status == 200 and answer[0]["protocol"].startswith("ΑΚ - ΚΑΡ") and answer[0]["submitDate"], answer
    # Sent again: the same protocol, not a second one.
    status, _, again = ergani_call("Documents/WRKCardSE", card, tokens["accessToken"])
    assert status == 200 and again[0]["protocol"] == answer[0]["protocol"]
    assert ergani.state.stats()["protocols"] == 1
    # ERGANI's own refusal shape, with our findings' Greek text.
    late = workcard(card_event("start", now_in_athens(world) - dt.timedelta(hours=1)), employer=ISSUER)
    status, _, refusal = ergani_call("Documents/WRKCardSE", late, tokens["accessToken"])
    assert status == 400 and "ERGANI-CARD-LATE" in refusal["message"]
    # A schedule: the employer is the one the token was issued for.
    monday = now_in_athens(world).date() + dt.timedelta(days=7 - now_in_athens(world).date().weekday())
    schedule = {k: v for k, v in week_of(monday).items() if k != "f_afm_ergodoti"}
    status, _, declared = ergani_call("Documents/WTOWeek", schedule, tokens["accessToken"])
    assert status == 200, declared
    # ERGANI down: kept and queued (503, retry later); the same declaration later gets its protocol.
    ergani.configure("down")
    held = workcard(card_event("end", now_in_athens(world)), employer=ISSUER)
    status, headers, queued = ergani_call("Documents/WRKCardSE", held, tokens["accessToken"])
    assert status == 503 and headers.get("Retry-After") and "κρατήθηκε" in queued["message"]
    ergani.configure("up")
    status, _, later = ergani_call("Documents/WRKCardSE", held, tokens["accessToken"])
    assert status == 200 and later[0]["protocol"]
    # Tokens: a forged or missing one is refused; the refresh gives a new pair; another tenant's key
    # cannot log in for acme's employer.
    assert ergani_call("Documents/WRKCardSE", card, "ypv1.forged.token")[0] == 401
    assert ergani_call("Documents/WRKCardSE", card)[0] == 401
    status, _, renewed = ergani_call("Authentication/Refresh", {"AccessToken": tokens["accessToken"],
                                                                "RefreshToken": tokens["refreshToken"]})
    assert status == 200 and renewed["accessToken"] != tokens["accessToken"]
    assert ergani_call("Authentication", {"Username": ISSUER, "Password": KEYS["other"]})[0] == 401


def test_a_tenant_declares_under_its_own_ergani_account_when_it_has_one(
        world: World, ergani: ErganiSimulator, monkeypatch: Any) -> None:
    """Issue 18 §8 for ERGANI: per-tenant credentials in Secrets Manager; their own token pair."""
    from ypovoli.store.secrets import Credentials, TenantSecrets

    from tests.integration.conftest import _reset_caches

    monkeypatch.setenv("YPOVOLI_TENANT_SECRETS_TTL_S", "0")
    _reset_caches()
    ergani.state.accounts["acme-ergani"] = "acme-password"
    secrets = TenantSecrets(world.deps.settings.tenant_secrets_prefix)
    try:
        secrets.put("acme", "ergani", Credentials("acme-ergani", "not-the-password"))
        status, body = post_card(world, card_event("start", now_in_athens(world)))
        assert status == 202
        run_transmitter(body["id"])
        assert get(world, body["id"]).status is not Status.TRANSMITTED   # ERGANI refused acme's login
        secrets.put("acme", "ergani", Credentials("acme-ergani", "acme-password"))
        world.clock.advance(dt.timedelta(minutes=1))
        world.deps.index.make_due("acme", body["id"], world.clock.now())
        run_transmitter(body["id"])
        assert get(world, body["id"]).status is Status.TRANSMITTED
    finally:
        secrets.remove("acme", "ergani")
        ergani.state.accounts.pop("acme-ergani", None)


def test_an_end_without_a_declared_start_is_sent_but_flagged_as_an_orphan(
        world: World, ergani: ErganiSimulator) -> None:
    status, start = post_card(world, card_event("start", now_in_athens(world) - dt.timedelta(minutes=5)))
    assert status == 202 and start["findings"] == []
    status, end = post_card(world, card_event("end", now_in_athens(world)))
    assert status == 202 and end["findings"] == []   # its start was declared through ypovoli before
    status, orphan = post_card(world, card_event("end", now_in_athens(world), afm="100000015"))
    assert status == 202 and [f["code"] for f in orphan["findings"]] == ["ERGANI-CARD-PAIR"]
    run_transmitter(orphan["id"])
    assert get(world, orphan["id"]).status is Status.TRANSMITTED


def test_a_card_held_past_its_window_by_ergani_s_outage_carries_no_fine_once_sent_with_003(
        world: World, ergani: ErganiSimulator) -> None:
    """Seed 001 (ΥΑ art. 2 §4): ERGANI's outage is force majeure «που δεν οφείλεται σε υπαιτιότητα του
    εργοδότη»: held past its window it is marked overdue with the card's fine, but sent with the lawful
    justification 003 and the incident on record, it carries none (issue 32 §5). The notice names the
    incident's times in Athens time."""
    from ypovoli.services.sweep import flag_overdue

    ergani.configure("down")
    status, body = post_card(world, card_event("start", now_in_athens(world)))
    assert status == 202
    run_transmitter(body["id"])
    world.clock.advance(dt.timedelta(days=3))
    flag_overdue(world.deps)
    overdue = get(world, body["id"])
    assert overdue.status is Status.OVERDUE and overdue.fine_exposure is not None and overdue.fine_exposure.amount
    ergani.configure("up")
    world.deps.index.make_due("acme", body["id"], world.clock.now())
    run_transmitter(body["id"])
    sent = get(world, body["id"])
    assert sent.status is Status.TRANSMITTED and sent.receipt.late_justification == "003"
    assert sent.fine_exposure is None
    _, listing = call("GET", f"/v1/businesses/{ISSUER}/incidents")
    [incident] = listing["items"]
    began = dt.datetime.fromisoformat(incident["start"]).astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")
    ended = dt.datetime.fromisoformat(incident["end"]).astimezone(ATHENS).strftime("%d/%m/%Y %H:%M")
    assert f"από {began}" in incident["notice_el"] and f"αποκαταστάθηκε στις {ended}" in incident["notice_el"]
