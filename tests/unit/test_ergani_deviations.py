"""ERGANI-DEVIATION, the sweeps' ERGANI-CARD-PAIR and ERGANI-LEAVE-DUE, ERGANI-SCHEDULE-BREAK and
ERGANI-SCHEDULE-OVERLAP, at their edges (SPEC §5.3; seed 001)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ypovoli.clock import ATHENS
from ypovoli.findings import Severity
from ypovoli.kinds.ergani.deviations import DaySchedule, Punch, declared_days, judge_day, judge_orphans, orphan_check_at
from ypovoli.kinds.ergani.model import WtoDoc
from ypovoli.kinds.ergani.rules import check_breaks, check_overlap

from tests.ergani_factory import EMPLOYEE, employee, greek, interval, week_of, wtos

DAY = dt.date(2026, 11, 24)   # a Tuesday
TOLERANCE = dt.timedelta(minutes=15)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ATHENS)


def nine_to_five(flex: int = 0) -> DaySchedule:
    return DaySchedule(EMPLOYEE, DAY, ((at("09:00"), at("17:00")),), flex_minutes=flex)


def whats(schedule: DaySchedule, *punches: tuple[str, str], leave: bool = False) -> list[str]:
    found = judge_day(schedule, [Punch(kind == "start", at(hhmm)) for kind, hhmm in punches], TOLERANCE, leave)
    assert all(d.code == "ERGANI-DEVIATION" and d.message_el and d.message_en for d in found)
    return [d.what for d in found]


def test_ergani_deviation_an_on_time_day_is_clean() -> None:
    assert whats(nine_to_five(), ("start", "09:00"), ("end", "17:00")) == []


def test_ergani_deviation_late_start_beyond_the_tolerance() -> None:
    assert whats(nine_to_five(), ("start", "09:15"), ("end", "17:00")) == []
    assert whats(nine_to_five(), ("start", "09:16"), ("end", "17:00")) == ["late-start"]


def test_ergani_deviation_flexible_arrival_is_honoured_and_the_end_moves_with_it() -> None:
    """Seed 001: with «Ευέλικτη Προσέλευση» the employee «συμπληρώνει το ωράριο εργασίας του ανάλογα
    με την ώρα προσέλευσής του»."""
    assert whats(nine_to_five(flex=60), ("start", "09:40"), ("end", "17:40")) == []
    # The end moved with the arrival: leaving at 17:00 after a 09:40 start is 40′ early.
    assert whats(nine_to_five(flex=60), ("start", "09:40"), ("end", "17:00")) == ["early-end"]
    assert whats(nine_to_five(flex=60), ("start", "10:15"), ("end", "18:00")) == []
    assert whats(nine_to_five(flex=60), ("start", "10:16"), ("end", "18:00")) == ["late-start"]


def test_ergani_deviation_early_end_and_overtime_beyond_the_tolerance() -> None:
    assert whats(nine_to_five(), ("start", "09:00"), ("end", "16:45")) == []
    assert whats(nine_to_five(), ("start", "09:00"), ("end", "16:44")) == ["early-end"]
    assert whats(nine_to_five(), ("start", "09:00"), ("end", "17:15")) == []
    found = judge_day(nine_to_five(), [Punch(True, at("09:00")), Punch(False, at("17:16"))], TOLERANCE)
    assert [d.what for d in found] == ["overtime"] and found[0].exposure == Decimal(10500)


def test_ergani_deviation_missing_start_or_end() -> None:
    assert whats(nine_to_five()) == ["missing-start"]
    assert whats(nine_to_five(), ("start", "09:00")) == ["missing-end"]
    assert whats(nine_to_five(), ("end", "17:00")) == ["missing-start"]


def test_ergani_deviation_a_declared_leave_overrides_the_schedule() -> None:
    assert whats(nine_to_five(), leave=True) == []


def test_ergani_deviation_split_shifts_are_held_at_their_first_start_and_last_end() -> None:
    split = DaySchedule(EMPLOYEE, DAY, ((at("09:00"), at("13:00")), (at("17:00"), at("21:00"))))
    assert whats(split, ("start", "09:00"), ("end", "13:00"), ("start", "17:00"), ("end", "21:00")) == []
    assert whats(split, ("start", "09:00"), ("end", "13:00")) == ["early-end"]


def test_ergani_deviation_work_on_a_declared_rest_day() -> None:
    rest = DaySchedule(EMPLOYEE, DAY, off="ΑΝ")
    assert whats(rest) == []
    assert whats(rest, ("start", "10:00"), ("end", "14:00")) == ["rest-day-work"]
    assert rest.check_at(TOLERANCE) == at("00:15", DAY + dt.timedelta(days=1))


def test_a_day_is_judged_once_its_work_and_the_flex_and_the_tolerance_are_over() -> None:
    assert nine_to_five().check_at(TOLERANCE) == at("17:15")
    assert nine_to_five(flex=60).check_at(TOLERANCE) == at("18:15")


def test_ergani_card_pair_a_start_alone_after_11_00_of_the_next_day() -> None:
    """ERGANI's own check: an end on the reference date or the next day no later than 11:00."""
    assert orphan_check_at(DAY, TOLERANCE) == at("11:15", DAY + dt.timedelta(days=1))
    [orphan] = judge_orphans(EMPLOYEE, DAY, [Punch(True, at("22:00"))])
    assert orphan.code == "ERGANI-CARD-PAIR" and orphan.severity is Severity.WARNING
    next_morning = at("06:00", DAY + dt.timedelta(days=1))
    assert judge_orphans(EMPLOYEE, DAY, [Punch(True, at("22:00")), Punch(False, next_morning)]) == []


def test_declared_days_expand_a_weekly_schedule_with_sunday_as_day_zero() -> None:
    monday = dt.date(2026, 11, 23)
    doc = WtoDoc.model_validate({**week_of(monday), "f_afm_ergodoti": "094019245"})
    days = declared_days(doc, "WTOWeek", "sub-1", horizon=14)
    assert len(days) == 14 and min(d.day for d in days) == monday
    by_day = {d.day: d for d in days}
    assert by_day[monday].intervals == ((at("09:00", monday), at("17:00", monday)),)
    assert by_day[dt.date(2026, 11, 29)].off == "ΑΝ" and not by_day[dt.date(2026, 11, 29)].is_work_day  # Sunday
    later = declared_days(doc, "WTOWeek", "sub-1", horizon=7, since=monday + dt.timedelta(days=14))
    assert min(d.day for d in later) == monday + dt.timedelta(days=14) and len(later) == 7


def test_a_night_interval_ends_on_the_next_day() -> None:
    doc = WtoDoc.model_validate(wtos(employee(interval("ΕΡΓ", "22:00", "06:00"), date=greek(DAY)),
                                     start=greek(DAY), end=greek(DAY)))
    [night] = declared_days(doc, "WTODaily", "sub-2", horizon=28)
    assert night.intervals == ((at("22:00"), at("06:00", DAY + dt.timedelta(days=1))),)


def breaks(hours: tuple[str, str], terms: dict[str, object]) -> WtoDoc:
    return WtoDoc.model_validate({**wtos(employee(interval("ΕΡΓ", *hours), date=greek(DAY)), start=greek(DAY),
                                         end=greek(DAY)), "breaks": {EMPLOYEE: terms}})


def test_ergani_schedule_break_the_contractual_schedule_is_not_stretched_by_an_outside_break() -> None:
    """Seed 001: «08:00 – 16:00 με διάλειμμα 30 λεπτών ΕΚΤΟΣ ωραρίου … συμπληρώνεται το συμβατικό
    ωράριο … 08:00 – 16:00 και όχι 08.00 – 16:30»."""
    outside = {"minutes": 30, "within_schedule": False, "daily_minutes": 480}
    [stretched] = check_breaks(breaks(("08:00", "16:30"), outside), "WTODaily")
    assert stretched.code == "ERGANI-SCHEDULE-BREAK" and stretched.severity is Severity.ERROR
    assert "16:00" in stretched.message_el
    assert check_breaks(breaks(("08:00", "16:00"), outside), "WTODaily") == []
    inside = {"minutes": 30, "within_schedule": True, "daily_minutes": 480}
    assert check_breaks(breaks(("08:00", "16:30"), inside), "WTODaily") == []


def test_ergani_schedule_overlap_the_latest_declaration_holds() -> None:
    doc = WtoDoc.model_validate(wtos(employee(interval("ΕΡΓ", "09:00", "17:00"), date=greek(DAY)),
                                     start=greek(DAY), end=greek(DAY)))
    assert check_overlap(doc, "WTODaily", lambda *_: False) == []
    [overlap] = check_overlap(doc, "WTODaily", lambda employer, day, who: day == DAY and who == EMPLOYEE)
    assert overlap.code == "ERGANI-SCHEDULE-OVERLAP" and overlap.severity is Severity.INFO
    assert DAY.isoformat() in overlap.message_en
