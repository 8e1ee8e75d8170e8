"""ERGANI-* rules at their edges (SPEC §5.3; seed 001 and ergani-api.md). Test names carry the codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ypovoli.clock import ATHENS
from ypovoli.kinds.ergani.model import WorkCardDoc, WtoDoc, official
from ypovoli.kinds.ergani.rules import check_card, check_leave, check_schedule, leave_deadline

from tests.ergani_factory import EMPLOYEE_B, card_event, employee, greek, interval, week_of, workcard, wtos

DAY = dt.date(2026, 3, 10)   # a Tuesday, in winter time (+02:00)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ATHENS)


def card_codes(data: dict[str, Any], now: dt.datetime) -> list[str]:
    return sorted({f.code for f in check_card(WorkCardDoc.model_validate(data), now)})


def schedule_codes(data: dict[str, Any], code: str, now: dt.datetime, flex: dict[str, int] | None = None) -> list[str]:
    return sorted({f.code for f in check_schedule(WtoDoc.model_validate(data), code, now, flex)})


def test_ergani_card_date_a_night_end_at_11_00_of_the_next_day_passes_and_11_01_does_not() -> None:
    """ERGANI's check: «the date of f_date equals f_reference_date, or it is the next calendar day with
    a time no later than 11:00 (night work)»."""
    ok = card_event("end", at(DAY + dt.timedelta(days=1), "11:00"), reference=DAY)
    late = card_event("end", at(DAY + dt.timedelta(days=1), "11:01"), reference=DAY)
    assert card_codes(workcard(ok), at(DAY + dt.timedelta(days=1), "11:05")) == []
    assert card_codes(workcard(late), at(DAY + dt.timedelta(days=1), "11:05")) == ["ERGANI-CARD-DATE"]
    # A start is always on its reference date; nothing is declared ahead of time.
    assert card_codes(workcard(card_event("start", at(DAY, "08:00"), reference=DAY - dt.timedelta(days=1))),
                      at(DAY, "08:01")) == ["ERGANI-CARD-DATE"]
    assert card_codes(workcard(card_event("start", at(DAY, "08:00"))), at(DAY, "07:59")) == ["ERGANI-CARD-DATE"]


def test_ergani_card_late_15_minutes_pass_then_a_justification_is_required() -> None:
    """Seed 001: «με μέγιστο χρόνο καθυστέρησης (γεγονότος έναρξης/ λήξης) 15 λεπτών»."""
    event = card_event("start", at(DAY, "08:00"))
    assert card_codes(workcard(event), at(DAY, "08:15")) == []
    findings = check_card(WorkCardDoc.model_validate(workcard(event)), at(DAY, "08:15") + dt.timedelta(seconds=1))
    assert [(f.code, f.severity.value) for f in findings] == [("ERGANI-CARD-LATE", "error")]
    justified = card_event("start", at(DAY, "08:00"), reason="003")
    findings = check_card(WorkCardDoc.model_validate(workcard(justified)), at(DAY, "09:00"))
    assert [(f.code, f.severity.value) for f in findings] == [("ERGANI-CARD-LATE", "warning")]
    assert card_codes(workcard(card_event("start", at(DAY, "08:00"), reason="009")), at(DAY, "09:00")) == [
        "ERGANI-CARD-LATE"]


def test_ergani_card_duplicate_same_employee_type_and_day_twice_in_one_declaration() -> None:
    """ERGANI: «the same employee must not appear twice with the same type and reference date inside
    one declaration» — split shifts are several declarations."""
    twice = workcard(card_event("start", at(DAY, "08:00")), card_event("start", at(DAY, "08:01")))
    assert card_codes(twice, at(DAY, "08:05")) == ["ERGANI-CARD-DUPLICATE"]
    two_people = workcard(card_event("start", at(DAY, "08:00")), card_event("start", at(DAY, "08:01"), afm=EMPLOYEE_B))
    assert card_codes(two_people, at(DAY, "08:05")) == []


def test_ergani_afm_employer_and_employee_check_digits() -> None:
    assert card_codes(workcard(card_event("start", at(DAY, "08:00"), afm="123456789")), at(DAY, "08:01")) == [
        "ERGANI-AFM"]
    assert card_codes(workcard(card_event("start", at(DAY, "08:00")), employer="094019246"), at(DAY, "08:01")) == [
        "ERGANI-AFM"]


def test_official_card_keeps_every_field_and_the_athens_offset() -> None:
    """ERGANI validates JSON like its XSD: every field present; f_date ISO-8601 with the offset."""
    summer = dt.datetime(2026, 7, 1, 5, 30, tzinfo=dt.UTC)   # 08:30 in Athens, +03:00
    doc = WorkCardDoc.model_validate(workcard(card_event("start", summer)))
    [detail] = official(doc)["Cards"]["Card"][0]["Details"]["CardDetails"]
    assert detail["f_date"] == "2026-07-01T08:30:00.000000+03:00" and detail["f_reference_date"] == "2026-07-01"
    assert set(detail) == {"f_afm", "f_eponymo", "f_onoma", "f_type", "f_reference_date", "f_date", "f_aitiologia"}
    assert detail["f_aitiologia"] is None


def test_ergani_schedule_split_a_gap_of_3_hours_passes_and_2_59_does_not() -> None:
    """Seed 001: «το δεύτερο διάστημα «Από» θα πρέπει να είναι τουλάχιστον +3 ώρες από την ώρα «Έως»
    του προηγούμενου διαστήματος εργασίας»."""
    monday = dt.date(2026, 3, 16)
    now = at(monday - dt.timedelta(days=3), "12:00")

    def daily(second_start: str) -> dict[str, Any]:
        return wtos(employee(interval("ΕΡΓ", "09:00", "13:00"), interval("ΕΡΓ", second_start, "20:00"),
                             date=greek(monday)), start=greek(monday), end=greek(monday))

    assert schedule_codes(daily("16:00"), "WTODaily", now) == []
    assert schedule_codes(daily("15:59"), "WTODaily", now) == ["ERGANI-SCHEDULE-SPLIT"]


def test_ergani_schedule_flex_120_passes_and_121_does_not() -> None:
    """Seed 001: «εντός Χ λεπτών (και έως 120′ κατ΄ ανώτατο)»."""
    monday = dt.date(2026, 3, 16)
    data, now = week_of(monday), at(monday - dt.timedelta(days=1), "12:00")
    assert schedule_codes(data, "WTOWeek", now, {"123456783": 120}) == []
    assert schedule_codes(data, "WTOWeek", now, {"123456783": 121}) == ["ERGANI-SCHEDULE-FLEX"]


def test_ergani_schedule_rest_every_weekday_declared_and_rest_never_mixed_with_work() -> None:
    monday = dt.date(2026, 3, 16)
    now = at(monday - dt.timedelta(days=1), "12:00")
    data = week_of(monday)
    assert schedule_codes(data, "WTOWeek", now) == []
    del data["WTOS"]["WTO"][0]["Ergazomenoi"]["ErgazomenoiWTO"][3]   # Wednesday left out
    assert schedule_codes(data, "WTOWeek", now) == ["ERGANI-SCHEDULE-REST"]
    mixed = week_of(monday)
    mixed["WTOS"]["WTO"][0]["Ergazomenoi"]["ErgazomenoiWTO"][0]["ErgazomenosAnalytics"][
        "ErgazomenosWTOAnalytics"].append(interval("ΕΡΓ", "10:00", "12:00"))   # work on Sunday's rest day
    assert schedule_codes(mixed, "WTOWeek", now) == ["ERGANI-SCHEDULE-REST"]


def test_ergani_schedule_before_declared_before_the_work_it_covers_starts() -> None:
    """Seed 001: «Τα στοιχεία υποβάλλονται πριν την εφαρμογή της μεταβολής και σε κάθε περίπτωση πριν
    την ανάληψη υπηρεσίας από τον εργαζόμενο που αφορούν»."""
    monday = dt.date(2026, 3, 16)
    data = wtos(employee(interval("ΕΡΓ", "09:00", "17:00"), date=greek(monday)), start=greek(monday),
                end=greek(monday))
    assert schedule_codes(data, "WTODaily", at(monday, "08:59")) == []
    assert schedule_codes(data, "WTODaily", at(monday, "09:00")) == ["ERGANI-SCHEDULE-BEFORE"]


@pytest.mark.parametrize(("declared", "warns"), [(dt.date(2026, 11, 10), False), (dt.date(2026, 11, 11), True)])
def test_ergani_leave_due_an_october_leave_declared_on_10_november_passes_and_on_11_warns(
        declared: dt.date, warns: bool) -> None:
    """Seed 001: «Υποβάλλεται δήλωση των χορηγούμενων αδειών απογραφικά εντός του πρώτου δεκαημέρου
    του μήνα που ακολουθεί το μήνα χορήγησής τους»."""
    leave = wtos(employee(interval("ΑΔΚΑΝ", f_year="2026", f_req_days="022"), date="20/10/2026"),
                 start="20/10/2026", end="20/10/2026")
    findings = check_leave(WtoDoc.model_validate(leave), at(declared, "18:00"), due_day=10)
    assert [f.code for f in findings] == (["ERGANI-LEAVE-DUE"] if warns else [])
    assert leave_deadline(dt.date(2026, 12, 5), 10).date() == dt.date(2027, 1, 10)


def test_ergani_leave_year_regular_leave_carries_year_and_entitled_days() -> None:
    leave = wtos(employee(interval("ΑΔΚΑΝ"), date="20/10/2026"), start="20/10/2026", end="20/10/2026")
    assert [f.code for f in check_leave(WtoDoc.model_validate(leave), at(dt.date(2026, 11, 2), "09:00"), 10)] == [
        "ERGANI-LEAVE-YEAR"]


def test_ergani_card_pair_an_end_without_a_start_is_an_orphan_punch() -> None:
    """SPEC §5.3 ERGANI-CARD-PAIR: «An end with no start of that employee and reference date in our
    ledger … (orphan punches: sent, but flagged, since they count against the employer)»."""
    from ypovoli.kinds.ergani.rules import check_pairs

    end = card_event("end", at(DAY, "17:00"))
    nothing_before = check_pairs(WorkCardDoc.model_validate(workcard(end)), lambda *_: False)
    assert [(f.code, f.severity.value) for f in nothing_before] == [("ERGANI-CARD-PAIR", "warning")]
    assert check_pairs(WorkCardDoc.model_validate(workcard(end)), lambda *_: True) == []
    both = workcard(card_event("start", at(DAY, "09:00")), end)
    assert check_pairs(WorkCardDoc.model_validate(both), lambda *_: False) == []
