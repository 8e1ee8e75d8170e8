"""Issue 32 §1, pure: ERGANI-OVERTIME-* against the ERGANI II manual's own sentences (Extended Manual
20.02.2026 §4.1.6–4.1.7, quoted per test), the retrospective deadline, and declared overtime in the
deviation sweep."""

from __future__ import annotations

import datetime as dt

from ypovoli.clock import ATHENS
from ypovoli.kinds.ergani.deviations import DaySchedule, Punch, judge_day
from ypovoli.kinds.ergani.model import WtoDoc
from ypovoli.kinds.ergani.overtime import OvertimeDay, check_overtime, overtime_days, retro_deadline

from tests.ergani_factory import EMPLOYEE, employee, greek, interval, wtos

DAY = dt.date(2026, 12, 10)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ATHENS)


def doc(*analytics: dict[str, str]) -> WtoDoc:
    return WtoDoc.model_validate(wtos(employee(*analytics, date=greek(DAY)), start=greek(DAY), end=greek(DAY)))


def found(document: WtoDoc, now: dt.datetime, held: OvertimeDay | None = None, ends: dt.datetime | None = None,
          code: str = "WTOOv", regime: bool | None = None) -> list[str]:
    return sorted(f.code for f in check_overtime(document, code, now, lambda *_: held, lambda *_: ends, regime))


def test_overtime_is_announced_before_it_starts() -> None:
    """«Η νόμιμη υπερωριακή απασχόληση αναγγέλλεται πάντα πριν από την έναρξη της πραγματοποίησής της»."""
    assert found(doc(interval("ΥΠ", "18:00", "20:00")), at("17:59")) == []
    assert found(doc(interval("ΥΠ", "18:00", "20:00")), at("18:00")) == ["ERGANI-OVERTIME-BEFORE"]


def test_the_end_is_amended_before_the_old_end_with_everything_else_the_same() -> None:
    """«για την τροποποίηση της ώρας λήξης υποβάλλεται δήλωση με τα ίδια στοιχεία … με μόνη εξαίρεση
    το πεδίο [Ώρα λήξης]», «η [ημερομηνία-ώρα] της υποβολής πρέπει να είναι προγενέστερη της … λήξης»."""
    held = OvertimeDay(EMPLOYEE, DAY, ((at("18:00"), at("20:00")),))
    assert found(doc(interval("ΥΠ", "18:00", "21:00")), at("19:30"), held) == []
    assert found(doc(interval("ΥΠ", "18:00", "21:00")), at("20:00"), held) == ["ERGANI-OVERTIME-BEFORE"]


def test_one_continuous_interval_a_second_only_across_midnight_and_never_overlapping() -> None:
    """«ως ενιαίο χρονικό διάστημα»; «δύναται να καταχωρηθεί και δεύτερη Ώρα Έναρξης και Ώρα Λήξης …
    όταν το τέλος της μια βάρδιας συμπίπτει με την αλλαγή της ημέρας»."""
    two = doc(interval("ΥΠ", "01:00", "02:00"), interval("ΥΠ", "22:00", "23:00"))
    assert found(two, at("00:30")) == []
    overlapping = doc(interval("ΥΠ", "18:00", "20:00"), interval("ΥΠ", "19:00", "21:00"))
    assert found(overlapping, at("10:00")) == ["ERGANI-OVERTIME-INTERVAL"]
    three = doc(interval("ΥΠ", "01:00", "02:00"), interval("ΥΠ", "18:00", "19:00"), interval("ΥΠ", "22:00", "23:00"))
    assert found(three, at("00:30")) == ["ERGANI-OVERTIME-INTERVAL"]


def test_a_cancellation_leaves_the_times_empty_and_finds_an_overtime_not_yet_started() -> None:
    """«τα πεδία [Ώρα Έναρξης] και [Ώρα Λήξης] παραμένουν κενά»; «Απαραίτητη προϋπόθεση … προηγούμενη
    υποβολή … με [Ημερομηνία – Ώρα Έναρξης] της υπερωρίας μεταγενέστερη της … υποβολής της ακύρωσης»."""
    held = OvertimeDay(EMPLOYEE, DAY, ((at("18:00"), at("20:00")),))
    assert found(doc(interval("ΧΥΠ")), at("17:00"), held) == []
    assert found(doc(interval("ΧΥΠ")), at("18:30"), held) == ["ERGANI-OVERTIME-CANCEL"]
    assert found(doc(interval("ΧΥΠ")), at("17:00"), None) == ["ERGANI-OVERTIME-CANCEL"]
    assert found(doc(interval("ΧΥΠ", "18:00", "20:00")), at("17:00"), held) == ["ERGANI-OVERTIME-INTERVAL"]


def test_overtime_starts_after_the_schedule() -> None:
    """«Το πεδίο [Ώρα Έναρξης] της δήλωσης συμπίπτει με την ώρα λήξης του ωραρίου της υπερεργασίας»."""
    assert found(doc(interval("ΥΠ", "16:00", "18:00")), at("10:00"), ends=at("17:00")) == ["ERGANI-OVERTIME-START"]
    assert found(doc(interval("ΥΠ", "18:00", "19:00")), at("10:00"), ends=at("17:00")) == []


def test_retrospective_overtime_by_the_end_of_the_next_month_for_card_employers_only() -> None:
    """«υποβάλλεται έως τη λήξη του επόμενου ημερολογιακού μήνα από την πραγματοποίησή τους», only for
    employers «που έχουν ενταχθεί στο ηλεκτρονικό σύστημα … ψηφιακής κάρτας»."""
    assert retro_deadline(dt.date(2026, 12, 10)) == dt.datetime(2027, 1, 31, 23, 59, 59, 999999, tzinfo=ATHENS)
    assert retro_deadline(dt.date(2026, 11, 30)).date() == dt.date(2026, 12, 31)
    worked = doc(interval("ΥΠ", "18:00", "19:00"))
    assert found(worked, at("20:00", dt.date(2027, 1, 31)), code="WTOOvA") == []
    assert found(worked, at("00:01", dt.date(2027, 2, 1)), code="WTOOvA") == ["ERGANI-OVERTIME-RETRO"]
    assert found(worked, at("17:00"), code="WTOOvA") == ["ERGANI-OVERTIME-RETRO"]   # not worked yet
    assert found(worked, at("20:00"), code="WTOOvA", regime=False) == ["ERGANI-OVERTIME-RETRO"]


def test_declared_overtime_is_no_deviation_work_past_it_is() -> None:
    schedule = DaySchedule(EMPLOYEE, DAY, ((at("09:00"), at("17:00")),))
    punches = [Punch(True, at("09:00")), Punch(False, at("19:50"))]
    tolerance = dt.timedelta(minutes=15)
    assert [d.what for d in judge_day(schedule, punches, tolerance)] == ["overtime"]
    assert judge_day(schedule, punches, tolerance, overtime_until=at("20:00")) == []
    late = [Punch(True, at("09:00")), Punch(False, at("20:30"))]
    [past] = judge_day(schedule, late, tolerance, overtime_until=at("20:00"))
    assert past.what == "overtime" and "20:00" in past.message_en
    days = overtime_days(doc(interval("ΥΠ", "22:00", "01:00")), "s1")
    assert days[0].intervals == ((at("22:00"), at("01:00", DAY + dt.timedelta(days=1))),)


def test_offline_nothing_is_known_of_earlier_overtime_so_a_cancellation_is_not_judged() -> None:
    from ypovoli.kinds.ergani.overtime import NOT_KNOWN

    assert found(doc(interval("ΧΥΠ")), at("17:00"), NOT_KNOWN) == []
    assert found(doc(interval("ΥΠ", "18:00", "20:00")), at("19:00"), NOT_KNOWN) == ["ERGANI-OVERTIME-BEFORE"]


def test_the_registry_completes_the_break_terms_the_client_did_not_send() -> None:
    """Seed 001: «συμπληρώνεται το συμβατικό ωράριο … ανεξάρτητα αν το διάλειμμα είναι εντός ή εκτός
    ΩΡΑΡΙΟΥ … 08:00 – 16:00 και όχι 08.00 – 16:30»: 40 h over 5 days is an 8-hour day; a 30′ break
    outside the schedule must not stretch it."""
    from decimal import Decimal

    from ypovoli.kinds.ergani.kind import with_registry
    from ypovoli.kinds.ergani.rules import check_breaks
    from ypovoli.kinds.ergani.staff import Employee

    stretched = WtoDoc.model_validate(wtos(employee(interval("ΕΡΓ", "08:00", "16:30"), date=greek(DAY)),
                                           start=greek(DAY), end=greek(DAY)))
    assert check_breaks(stretched, "WTODaily") == []   # nothing known of the break
    staff = {EMPLOYEE: Employee(afm=EMPLOYEE, weekly_hours=Decimal(40), week_days=5, break_minutes=30,
                                break_within=False)}
    [finding] = check_breaks(with_registry(stretched, staff), "WTODaily")
    assert finding.code == "ERGANI-SCHEDULE-BREAK" and "16:00" in finding.message_en
