"""Issue 32 on moto and the ERGANI simulator: overtime (WTOOv, WTOOvA) announced, amended and cancelled;
a leave corrected (WTOLeaveC) and cancelled (CancelSubmittedDocument), the original linked; the
employer's own data read through ExecuteService into the registry, which the card rules and the
compliance view then use; tenants apart."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ypovoli.clock import ATHENS
from ypovoli.status import Status
from ypovoli_local.ergani_simulator import ErganiSimulator

from tests.ergani_factory import EMPLOYEE, card_event, employee, greek, interval, week_of, workcard, wtos
from tests.factories import ISSUER
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_transmit import run_transmitter

UNFLAGGED = "234567013"   # the simulator's demo employee whose card flag is off


def athens(world: World) -> dt.datetime:
    return world.clock.now().astimezone(ATHENS)


def overtime(world: World, day: dt.date, *analytics: dict[str, Any], route: str = "WTOOv") -> tuple[int, Any]:
    return call("POST", f"/v1/work-schedules/{route}", body=wtos(
        employee(*analytics, date=greek(day)), start=greek(day), end=greek(day), employer=ISSUER))


def sent(world: World, submission_id: str) -> Any:
    run_transmitter(submission_id)
    submission = world.deps.index.get_submission("acme", submission_id)
    assert submission is not None
    return submission


def codes(body: Any) -> set[str]:
    return {f["code"] for f in body.get("findings", [])}


def test_overtime_is_announced_before_it_starts_amended_before_its_end_and_cancelled_before_it_starts(
        world: World, ergani: ErganiSimulator) -> None:
    """Extended Manual §4.1.6: «αναγγέλλεται πάντα πριν από την έναρξη … ως ενιαίο χρονικό διάστημα»;
    the end amended «πριν … [ώρα λήξης]»; «ΜΗ ΥΠΕΡΩΡΙΑ» only before it starts, else ERGANI's words."""
    tomorrow = athens(world).date() + dt.timedelta(days=1)
    status, body = overtime(world, tomorrow, interval("ΥΠ", "18:00", "20:00"))
    assert status == 202 and body["kind"] == "ergani_overtime", body
    first = sent(world, body["id"])
    assert first.status is Status.TRANSMITTED and first.receipt.protocol.startswith("ΑΚ - ΟΧΕ")
    assert ergani.state.protocols[first.receipt.protocol]["code"] == "WTOOv"
    # The same start with a new end: an amendment, before the old end.
    status, amended = overtime(world, tomorrow, interval("ΥΠ", "18:00", "21:00"))
    assert status == 202 and sent(world, amended["id"]).status is Status.TRANSMITTED, amended
    # One interval (two only across midnight), never both ΥΠ and ΧΥΠ, ΧΥΠ without times.
    status, bad = overtime(world, tomorrow, interval("ΥΠ", "18:00", "19:00"), interval("ΧΥΠ"))
    assert status == 422 and codes(bad) == {"ERGANI-OVERTIME-INTERVAL"}, bad
    status, bad = overtime(world, tomorrow, interval("ΕΡΓ", "09:00", "17:00"))
    assert status == 422 and "WTODaily" in bad["findings"][0]["message_en"], bad
    # Nothing to cancel on another day: ERGANI's own message, the day and the ΑΦΜ in it.
    other = tomorrow + dt.timedelta(days=1)
    status, nothing = overtime(world, other, interval("ΧΥΠ"))
    assert status == 422 and codes(nothing) == {"ERGANI-OVERTIME-CANCEL"}, nothing
    assert f"ΔΕΝ ΒΡΕΘΗΚΕ ΥΠΕΡΩΡΙΑ ΓΙΑ ΑΚΥΡΩΣΗ ({greek(other)})) ΓΙΑ ΤΟ ΑΦΜ: {EMPLOYEE}" in \
        nothing["findings"][0]["message_el"]
    status, cancelled = overtime(world, tomorrow, interval("ΧΥΠ"))
    assert status == 202 and sent(world, cancelled["id"]).status is Status.TRANSMITTED, cancelled
    # Already started: not announced any more (WTOOv), but declared retrospectively (WTOOvA).
    started = athens(world) - dt.timedelta(minutes=30)
    late = (started.strftime("%H:%M"), (started + dt.timedelta(hours=1)).strftime("%H:%M"))
    if started.date() == athens(world).date() and late[0] < late[1]:
        status, after = overtime(world, started.date(), interval("ΥΠ", *late))
        assert status == 422 and codes(after) == {"ERGANI-OVERTIME-BEFORE"}, after
        assert "(Athens" not in after["findings"][0]["message_en"] and "+0" not in after["findings"][0]["message_en"]


def test_retrospective_overtime_is_for_work_done_by_card_regime_employers(
        world: World, ergani: ErganiSimulator) -> None:
    yesterday = athens(world).date() - dt.timedelta(days=1)
    status, body = overtime(world, yesterday, interval("ΥΠ", "18:00", "19:00"), route="WTOOvA")
    assert status == 202 and body["kind"] == "ergani_overtime_retro", body
    assert sent(world, body["id"]).status is Status.TRANSMITTED
    status, future = overtime(world, yesterday + dt.timedelta(days=3), interval("ΥΠ", "18:00", "19:00"),
                              route="WTOOvA")
    assert status == 422 and codes(future) == {"ERGANI-OVERTIME-RETRO"}, future
    # ERGANI says the employer is not in the card regime: no retrospective overtime at all.
    with ergani.state.lock:
        ergani.state.employers[ISSUER]["Ergodotis"]["IsInCardSector"] = 0
    assert call("POST", f"/v1/businesses/{ISSUER}/employees/import")[0] == 200
    status, refused = overtime(world, yesterday, interval("ΥΠ", "19:00", "20:00"), route="WTOOvA")
    assert status == 422 and "ExProan" in refused["findings"][0]["message_en"], refused


def leave(world: World, day: dt.date, rel: tuple[str, str] = ("", "")) -> tuple[int, Any]:
    data = wtos(employee(interval("ΑΔΚΑΝ", f_year=str(day.year), f_req_days="022"), date=greek(day)),
                start=greek(day), end=greek(day), employer=ISSUER)
    data["WTOS"]["WTO"][0].update(f_rel_protocol=rel[0], f_rel_date=rel[1])
    return call("POST", "/v1/leaves", body=data)


def test_a_leave_is_corrected_by_protocol_and_the_original_links_to_its_correction(
        world: World, ergani: ErganiSimulator) -> None:
    today = athens(world).date()
    status, body = leave(world, today)
    assert status == 202, body
    original = sent(world, body["id"])
    protocol, day = original.receipt.protocol, original.receipt.submit_date[:10]
    status, wrong = leave(world, today, (protocol, "01/01/2020"))
    assert status == 422 and codes(wrong) == {"ERGANI-LEAVE-CORRECTION"}, wrong
    status, half = leave(world, today, (protocol, ""))
    assert status == 422 and codes(half) == {"ERGANI-LEAVE-CORRECTION"}, half
    status, corrected = leave(world, today, (protocol, day))
    assert status == 202 and corrected["supersedes"] == original.id, corrected
    correction = sent(world, corrected["id"])
    assert correction.status is Status.TRANSMITTED and correction.summary["code"] == "WTOLeaveC"
    assert ergani.state.protocols[correction.receipt.protocol]["code"] == "WTOLeaveC"
    status, read = call("GET", f"/v1/leaves/{original.id}")
    assert status == 200 and read["superseded_by"] == correction.id, read
    # The corrected original is no longer cancellable (its correction stands); the correction is.
    assert call("POST", f"/v1/leaves/{original.id}/cancel")[0] == 409


def test_a_transmitted_leave_is_cancelled_at_ergani_once_and_nothing_else_is(
        world: World, ergani: ErganiSimulator) -> None:
    today = athens(world).date()
    status, body = leave(world, today)
    assert status == 202, body
    queued = body["id"]
    status, refused = call("POST", f"/v1/leaves/{queued}/cancel")
    assert status == 409 and refused["code"] == "ERGANI-LEAVE-CANCEL", refused   # not sent yet
    assert sent(world, queued).status is Status.TRANSMITTED
    status, done = call("POST", f"/v1/leaves/{queued}/cancel")
    assert status == 200 and done["status"] == "cancelled", done
    assert call("POST", f"/v1/leaves/{queued}/cancel")[1]["status"] == "cancelled"   # again: the same answer
    assert len(ergani.state.revoked) == 1
    # Another office's key sees nothing; a card is not a leave.
    assert call("POST", f"/v1/leaves/{queued}/cancel", key=KEYS["other"])[0] == 403
    status, card = call("POST", "/v1/workcards", body=workcard(card_event("start", athens(world)), employer=ISSUER))
    assert status == 202
    assert call("POST", f"/v1/leaves/{card['id']}/cancel")[0] == 403


def test_staff_import_fills_the_registry_without_sensitive_fields_and_the_rules_use_it(
        world: World, ergani: ErganiSimulator) -> None:
    status, got = call("POST", f"/v1/businesses/{ISSUER}/employees/import")
    assert status == 200, got
    assert got["employer"]["in_card_sector"] is True and got["employer"]["main_kad"] == "47111000"
    assert got["employer"]["branches"] == ["0", "1"]
    people = {e["afm"]: e for e in got["items"]}
    assert people[EMPLOYEE]["card"] is True and people[EMPLOYEE]["weekly_hours"] == "40"
    assert people[EMPLOYEE]["week_days"] == 5 and people[EMPLOYEE]["flex_minutes"] == 30
    assert people[UNFLAGGED]["card"] is False and people[UNFLAGGED]["branch"] == "1"
    stored = json.dumps(call("GET", f"/v1/businesses/{ISSUER}/employees")[1], ensure_ascii=False)
    for sensitive in ("01017000000", "Amka", "1200.00", "ΟΔΟΣ"):
        assert sensitive not in stored
    # A card for the employee without the flag: said before ERGANI refuses it.
    status, refused = call("POST", "/v1/workcards", body=workcard(
        card_event("start", athens(world), afm=UNFLAGGED), employer=ISSUER))
    assert status == 422 and codes(refused) == {"ERGANI-CARD-FLAG"}, refused
    assert "Χωρίς Ένδειξη Κάρτας Εργασίας." in refused["findings"][0]["message_el"]
    # The compliance view says the employer is in the regime, and on what it rests.
    status, view = call("GET", f"/v1/businesses/{ISSUER}/compliance")
    assert status == 200 and view["card_regime"]["enrolled"] is True, view
    assert "IsInCardSector" in view["card_regime"]["basis_en"]
    # The contract's 40 hours a week bound the weekly schedule: 45 declared is a warning (overtime is WTOOv).
    monday = athens(world).date() + dt.timedelta(days=7 - athens(world).weekday())
    week = week_of(monday, ("08:00", "17:00"))
    week["f_afm_ergodoti"] = ISSUER
    status, long_week = call("POST", "/v1/work-schedules/WTOWeek", body=week)
    assert status == 202 and "ERGANI-SCHEDULE-HOURS" in codes(long_week), long_week
    week = week_of(monday + dt.timedelta(days=7))
    week["f_afm_ergodoti"] = ISSUER
    status, fine = call("POST", "/v1/work-schedules/WTOWeek", body=week)
    assert status == 202 and "ERGANI-SCHEDULE-HOURS" not in codes(fine), fine
    # Another office never reads or fills this employer's registry.
    assert call("GET", f"/v1/businesses/{ISSUER}/employees", key=KEYS["other"])[0] == 403
    assert call("POST", f"/v1/businesses/{ISSUER}/employees/import", key=KEYS["other"])[0] == 403


def test_staff_import_refuses_another_employers_session_and_reports_ergani_down(
        world: World, ergani: ErganiSimulator) -> None:
    with ergani.state.lock:
        ergani.state.default_employer = "094019245"
        ergani.state.employers["094019245"] = {**ergani.state.employers[ISSUER], "Ergodotis": {
            **ergani.state.employers[ISSUER]["Ergodotis"], "Afm": "094019245"}}
    status, refused = call("POST", f"/v1/businesses/{ISSUER}/employees/import")
    assert status == 422 and refused["code"] == "ERGANI-STAFF-IMPORT" and "094019245" in refused["message_en"]
    ergani.configure("down")
    status, down = call("POST", f"/v1/businesses/{ISSUER}/employees/import")
    assert status == 503 and down["code"] == "ERGANI-STAFF-IMPORT", down
    assert call("GET", f"/v1/businesses/{ISSUER}/employees")[1]["items"] == []
