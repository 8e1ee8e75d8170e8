"""Issue 13 §5, §6, §9: the ERGANI sweeps on moto — a declared day against its card events, orphan
starts, absences without a leave, open-ended weekly schedules — seen in the compliance view, sent as
webhook alerts, and in the monthly deviation report; incidents announced at their start and end."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ypovoli.clock import ATHENS
from ypovoli.services import sweep
from ypovoli.status import Status
from ypovoli.store.events import payload_of
from ypovoli.store.items import plain
from ypovoli_local.ergani_simulator import ErganiSimulator
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.ergani_factory import EMPLOYEE, card_event, employee, greek, interval, week_of, workcard, wtos
from tests.factories import ISSUER, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_transmit import run_transmitter


def athens(world: World) -> dt.datetime:
    return world.clock.now().astimezone(ATHENS)


def move_to(world: World, day: dt.date, hhmm: str) -> dt.datetime:
    target = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ATHENS)
    assert target >= world.clock.now()
    world.clock.advance(target - world.clock.now())
    return target


def declare_day(world: World, day: dt.date, start: str = "09:00", end: str = "17:00") -> dict[str, Any]:
    status, body = call("POST", "/v1/work-schedules/WTODaily", body=wtos(
        employee(interval("ΕΡΓ", start, end), date=greek(day)), start=greek(day), end=greek(day), employer=ISSUER))
    assert status == 202, body
    return dict(body)


def punch(world: World, kind: str, minutes_ago: int = 1, reference: dt.date | None = None) -> dict[str, Any]:
    status, body = call("POST", "/v1/workcards", body=workcard(
        card_event(kind, athens(world) - dt.timedelta(minutes=minutes_ago), reference), employer=ISSUER))
    assert status == 202, body
    return dict(body)


def compliance(world: World, key: str = KEYS["acme"]) -> tuple[int, Any]:
    return call("GET", f"/v1/businesses/{ISSUER}/compliance", key=key)


def flags(world: World) -> list[dict[str, Any]]:
    status, view = compliance(world)
    assert status == 200, view
    # What the sweeps raised (a leave still to send is an open submission of the same code instead).
    return [i for i in view["items"] if i["code"] in ("ERGANI-DEVIATION", "ERGANI-CARD-PAIR")
            or (i["code"] == "ERGANI-LEAVE-DUE" and i["submission_id"] is None)]


def alerts(world: World) -> list[dict[str, Any]]:
    return [d for d in world.deps.events.deliveries("acme", limit=200)[0] if d.type == "compliance.flagged"]  # type: ignore


def test_ergani_deviation_a_missing_end_shows_in_the_compliance_view_and_is_alerted_once(
        world: World, ergani: ErganiSimulator) -> None:
    tomorrow = athens(world).date() + dt.timedelta(days=1)
    schedule = declare_day(world, tomorrow)
    move_to(world, tomorrow, "09:02")
    punch(world, "start", 2)
    move_to(world, tomorrow, "17:14")
    sweep.run(world.deps, "timekeeping")
    assert not [f for f in flags(world) if f["code"] == "ERGANI-DEVIATION"]   # within the tolerance still
    move_to(world, tomorrow, "17:16")
    assert sweep.run(world.deps, "pump")["judged"] >= 1
    [missing] = [f for f in flags(world) if f["code"] == "ERGANI-DEVIATION"]
    assert missing["severity"] == "warning"
    assert missing["subject"] == f"ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ ({EMPLOYEE}) {tomorrow.isoformat()}"   # the name, as declared
    assert missing["exposure_eur"] == "3000.00" and missing["submission_id"] == schedule["id"]
    assert "λήξη" in missing["message_el"] and "end" in missing["message_en"]
    sweep.run(world.deps, "timekeeping")   # judged again: the same flag, no second alert
    [alert] = alerts(world)
    assert alert.submission_id == schedule["id"]
    # The end arrives (late, overtime): the day is judged again, the missing end gives way to overtime.
    move_to(world, tomorrow, "17:40")
    punch(world, "end", 5)
    sweep.run(world.deps, "timekeeping")
    [overtime] = [f for f in flags(world) if f["code"] == "ERGANI-DEVIATION"]
    assert "WTOOv" in overtime["message_el"] and overtime["exposure_eur"] == "10500.00"
    assert len(alerts(world)) == 2
    assert compliance(world, KEYS["other"])[0] == 403


def test_ergani_card_pair_a_start_left_without_an_end_is_flagged_after_11_00_next_day(
        world: World, ergani: ErganiSimulator) -> None:
    today = athens(world).date()
    punch(world, "start", 1)
    move_to(world, today + dt.timedelta(days=1), "11:14")
    sweep.run(world.deps, "timekeeping")
    assert not [f for f in flags(world) if f["code"] == "ERGANI-CARD-PAIR"]
    move_to(world, today + dt.timedelta(days=1), "11:16")
    sweep.run(world.deps, "timekeeping")
    [orphan] = [f for f in flags(world) if f["code"] == "ERGANI-CARD-PAIR"]
    assert orphan["subject"] == f"{EMPLOYEE} {today.isoformat()}" and orphan["exposure_eur"] == "3000.00"


def test_an_end_before_the_orphan_time_does_not_write_the_starts_checkpoint_again(
        world: World, ergani: ErganiSimulator) -> None:
    """Issue 17 §3: the orphan judgement is asked for by a start; an end that comes before its time is
    seen by that same checkpoint, so the end's declaration spends no write on it — and the start left
    alone is still judged (the test above)."""
    import boto3

    def orphan_points() -> list[dict[str, Any]]:
        return [i for i in world.table_items() if str(i["SK"]["S"]).startswith(f"CHECK#{ISSUER}#orphan#")]

    day = athens(world).date()
    punch(world, "start", 10)
    [point] = orphan_points()
    boto3.client("dynamodb").delete_item(TableName=world.deps.index.table, Key={"PK": point["PK"], "SK": point["SK"]})
    world.clock.advance(dt.timedelta(hours=8))
    punch(world, "end", 1, reference=day)
    assert orphan_points() == []                       # the end did not write it again…
    # …nor a day checkpoint: nobody declared the day, there is nothing to compare it with
    assert not [i for i in world.table_items() if str(i["SK"]["S"]).startswith(f"CHECK#{ISSUER}#day#")]


def test_a_card_event_of_a_declared_day_not_yet_over_leaves_the_days_checkpoint_at_its_time(
        world: World, ergani: ErganiSimulator) -> None:
    """Issue 17 §3: the day's own checkpoint (at its end + flex + tolerance) reads the events when it
    falls due; a start during the day does not move it to now for the sweep to move it back."""
    tomorrow = athens(world).date() + dt.timedelta(days=1)
    declare_day(world, tomorrow)

    def day_points() -> list[str]:
        return [str(i["check_at"]["S"]) for i in world.table_items()
                if str(i["SK"]["S"]).startswith(f"CHECK#{ISSUER}#day#{tomorrow.isoformat()}")]

    declared = day_points()
    assert len(declared) == 1
    move_to(world, tomorrow, "09:02")
    punch(world, "start", 2)
    assert day_points() == declared
    sweep.run(world.deps, "timekeeping")   # nothing of that day is due: nothing to put back
    assert day_points() == declared


def test_ergani_leave_due_an_absence_without_a_leave_is_flagged_before_the_deadline_and_cleared_by_one(
        world: World, ergani: ErganiSimulator) -> None:
    tomorrow = athens(world).date() + dt.timedelta(days=1)   # 24 November: leaves due by 10 December
    declare_day(world, tomorrow)
    move_to(world, tomorrow, "17:20")
    sweep.run(world.deps, "timekeeping")
    assert [f["code"] for f in flags(world)] == ["ERGANI-DEVIATION"]   # no start at all
    move_to(world, dt.date(2026, 12, 7), "23:58")
    sweep.run(world.deps, "timekeeping")
    assert "ERGANI-LEAVE-DUE" not in [f["code"] for f in flags(world)]
    move_to(world, dt.date(2026, 12, 8), "00:00")   # three days (a setting) before the end of 10 December
    sweep.run(world.deps, "timekeeping")
    leave_flag = next(f for f in flags(world) if f["code"] == "ERGANI-LEAVE-DUE")
    assert leave_flag["due_at"].startswith("2026-12-10T23:59") and leave_flag["exposure_eur"] is None
    status, body = call("POST", "/v1/leaves", body=wtos(
        employee(interval("ΑΔΚΑΝ", f_year="2026", f_req_days="020"), date=greek(tomorrow)),
        start=greek(tomorrow), end=greek(tomorrow), employer=ISSUER))
    assert status == 202, body
    sweep.run(world.deps, "timekeeping")
    assert [f["code"] for f in flags(world)] == []   # the absence was a leave: both flags gone


def test_rest_day_work_and_an_open_ended_weekly_schedule_extended_as_days_pass(
        world: World, ergani: ErganiSimulator) -> None:
    from ypovoli.kinds.ergani.records import Timekeeping

    today = athens(world).date()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    status, week = call("POST", "/v1/work-schedules/WTOWeek", body=week_of(monday) | {"f_afm_ergodoti": ISSUER})
    assert status == 202, week
    saturday = monday + dt.timedelta(days=5)
    move_to(world, saturday, "10:01")
    punch(world, "start", 1)
    move_to(world, saturday + dt.timedelta(days=1), "00:16")
    sweep.run(world.deps, "timekeeping")
    assert any("ρεπό" in f["message_el"] for f in flags(world) if f["code"] == "ERGANI-DEVIATION")
    horizon = world.deps.settings.ergani_schedule_horizon_days
    beyond = monday + dt.timedelta(days=horizon + 2)
    assert world.deps.store(Timekeeping).holding("acme", ISSUER, beyond, EMPLOYEE) is None
    move_to(world, monday + dt.timedelta(days=horizon - 7), "00:01")
    sweep.run(world.deps, "timekeeping")
    held = world.deps.store(Timekeeping).holding("acme", ISSUER, beyond, EMPLOYEE)
    assert held is not None and held.submission_id == week["id"]


def test_ergani_schedule_overlap_a_redeclared_day_is_noted_and_the_latest_holds(
        world: World, ergani: ErganiSimulator) -> None:
    from ypovoli.kinds.ergani.records import Timekeeping

    tomorrow = athens(world).date() + dt.timedelta(days=1)
    first = declare_day(world, tomorrow)
    assert "ERGANI-SCHEDULE-OVERLAP" not in [f["code"] for f in first["findings"]]
    world.clock.advance(dt.timedelta(minutes=1))
    second = declare_day(world, tomorrow, "10:00", "18:00")
    assert "ERGANI-SCHEDULE-OVERLAP" in [f["code"] for f in second["findings"]]
    held = world.deps.store(Timekeeping).holding("acme", ISSUER, tomorrow, EMPLOYEE)
    assert held is not None and held.submission_id == second["id"]
    assert held.intervals[0][0].strftime("%H:%M") == "10:00"


def test_the_compliance_view_lists_what_is_still_to_send_soonest_first_with_what_it_may_cost(
        world: World, ergani: ErganiSimulator) -> None:
    status, queued = call("POST", "/v1/invoices", body=invoice(aa="CV-1"))
    assert status == 202
    ergani.configure("down")
    held = punch(world, "start", 1)
    run_transmitter(held["id"])
    status, view = compliance(world)
    assert status == 200, view
    by_id = {i["submission_id"]: i for i in view["items"]}
    assert by_id[held["id"]]["severity"] == "warning" and by_id[held["id"]]["exposure_eur"] == "3000.00"
    assert "ΕΡΓΑΝΗ" in by_id[held["id"]]["message_el"]
    assert by_id[queued["id"]]["severity"] == "info" and by_id[queued["id"]]["exposure_eur"] is None
    assert [i["due_at"] for i in view["items"]] == sorted(i["due_at"] for i in view["items"])
    assert view["total_exposure_eur"] == "3000.00"
    run_transmitter(queued["id"])   # sent: gone from the view
    assert queued["id"] not in {i["submission_id"] for i in compliance(world)[1]["items"]}
    # Past the window it is overdue: an error with the fine the kind states.
    world.clock.advance(dt.timedelta(minutes=20))
    sweep.run(world.deps, "overdue")
    item = next(i for i in compliance(world)[1]["items"] if i["submission_id"] == held["id"])
    assert item["severity"] == "error" and item["code"] == "ERGANI-CARD-LATE"
    assert world.deps.index.get_submission("acme", held["id"]).status is Status.OVERDUE  # type: ignore[union-attr]


def test_an_ergani_incident_is_announced_at_its_start_and_at_its_end(world: World, ergani: ErganiSimulator) -> None:
    ergani.configure("down")
    held = punch(world, "start", 1)
    run_transmitter(held["id"])
    world.clock.advance(dt.timedelta(minutes=30))
    ergani.configure("up")
    world.deps.index.make_due("acme", held["id"], world.clock.now())
    run_transmitter(held["id"])
    events = [d for d in world.deps.events.deliveries("acme", limit=100)[0] if d.type.startswith("incident.")]
    assert sorted(d.type for d in events) == ["incident.ended", "incident.started"]
    ended = next(d for d in events if d.type == "incident.ended")
    payload = json.loads(payload_of(plain(next(i for i in world.table_items()
                                               if i["SK"]["S"].endswith(f"#{ended.event_id}")))))
    assert payload["data"]["afm"] == ISSUER and payload["data"]["end"] and "Επιθεώρηση Εργασίας" in \
        payload["data"]["notice_el"]


def test_the_monthly_deviation_report_in_json_and_html(world: World, ergani: ErganiSimulator) -> None:
    tomorrow = athens(world).date() + dt.timedelta(days=1)
    declare_day(world, tomorrow)
    move_to(world, tomorrow, "09:20")
    punch(world, "start", 1)   # 09:19: late beyond the tolerance
    move_to(world, tomorrow, "17:05")
    punch(world, "end", 1)
    move_to(world, tomorrow, "18:00")
    status, report = call("GET", f"/v1/businesses/{ISSUER}/deviations?month={tomorrow:%Y-%m}")
    assert status == 200, report
    [day] = report["days"]
    assert day["scheduled"] == ["09:00–17:00"] and [p["type"] for p in day["actual"]] == ["start", "end"]
    assert day["state"] == "deviation" and [d["what"] for d in day["deviations"]] == ["late-start"]
    assert report["employees"] == [{"employee": EMPLOYEE, "days": 1, "deviations": 1, "scheduled_minutes": 480,
                                    "worked_minutes": 465}]
    status, headers, raw = gateway_call(new_gateway(load_function("api").app), "GET",
                                        f"/v1/businesses/{ISSUER}/deviations?month={tomorrow:%Y-%m}&format=html",
                                        {"x-api-key": KEYS["acme"]}, None)
    html = raw.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Αποκλίσεις ωραρίου" in html and "09:00–17:00" in html and "ERGANI-DEVIATION" in html
    assert call("GET", f"/v1/businesses/{ISSUER}/deviations?month=2026-13")[0] == 400
    assert call("GET", f"/v1/businesses/{ISSUER}/deviations?month=0000-01")[0] == 400   # no such year
    assert call("GET", f"/v1/businesses/{ISSUER}/deviations?month=9999-12")[1]["days"] == []
    assert call("GET", f"/v1/businesses/{ISSUER}/deviations?month={tomorrow:%Y-%m}", key=KEYS["other"])[0] == 403
