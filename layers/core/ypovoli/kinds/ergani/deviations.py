"""The deviation sweeps' arithmetic (SPEC §5.3 ERGANI-DEVIATION, ERGANI-CARD-PAIR, ERGANI-LEAVE-DUE;
seed 001; ergani-api.md §5 «Scheduled sweeps»): a declared day and the card events of that day in,
what differs out. Pure: the store gives the facts, the sweep decides when to ask.

A declared day is judged once its work is over and the tolerance has passed (``check_at``); a day
judged again (a late end arrives) is judged whole, so its findings replace the earlier ones.

* flexible arrival is honoured and **the end moves with it** (seed 001: the employee «συμπληρώνει το
  ωράριο εργασίας του ανάλογα με την ώρα προσέλευσής του»): a start 40′ late with 60′ of flex is on
  time, and the day then ends 40′ later;
* split shifts are several pairs a day: the first start is held against the first interval, the
  last end against the last one;
* a full-day leave declared for the day overrides the schedule (manual 01.01.2024 §2.4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ...clock import ATHENS
from ...findings import Severity
from .model import OFF_TYPES, WORK_TYPES, EmployeeEntry, WtoDoc, parse_greek_date
from .rules import API, NIGHT_END, SEED

#: Published fines per employee (ergani-api.md §4, «Other published fines»): a card record missing or
#: differing from the actual start/end; an unregistered schedule or overtime change.
CARD_RECORD_FINE = Decimal(3000)
UNDECLARED_CHANGE_FINE = Decimal(10500)


@dataclass(frozen=True)
class DaySchedule:
    """One employee's declared day (the latest declaration holds: ERGANI-SCHEDULE-OVERLAP)."""

    employee: str
    day: dt.date
    #: Work intervals as Athens moments; an interval past midnight ends on the next day.
    intervals: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    #: ``ΑΝ`` (ρεπό, rest day) or ``ΜΕ`` (non-work day), for a day without work.
    off: str = ""
    flex_minutes: int = 0
    submission_id: str = ""
    #: The employee as declared («ΕΠΩΝΥΜΟ ΟΝΟΜΑ»), for people's texts beside the ΑΦΜ.
    name: str = ""

    @property
    def is_work_day(self) -> bool:
        return bool(self.intervals)

    def check_at(self, tolerance: dt.timedelta) -> dt.datetime:
        """When the day can be judged: its last end, moved by the whole flex, plus the tolerance;
        for a day off, its midnight plus the tolerance."""
        if self.intervals:
            return self.intervals[-1][1] + dt.timedelta(minutes=self.flex_minutes) + tolerance
        return dt.datetime.combine(self.day + dt.timedelta(days=1), dt.time(), tzinfo=ATHENS) + tolerance


@dataclass(frozen=True)
class Punch:
    start: bool
    at: dt.datetime


@dataclass(frozen=True)
class Deviation:
    """One thing that differs, keyed by ``what`` within its employee and day."""

    code: str
    what: str
    severity: Severity
    message_el: str
    message_en: str
    exposure: Decimal = Decimal(0)
    source: str = SEED
    extra: dict[str, str] = field(default_factory=dict)


def _hm(moment: dt.datetime) -> str:
    return moment.astimezone(ATHENS).strftime("%H:%M")


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def judge_day(schedule: DaySchedule, punches: list[Punch], tolerance: dt.timedelta,
              leave_declared: bool = False, overtime_until: dt.datetime | None = None) -> list[Deviation]:
    """ERGANI-DEVIATION: the declared day against its card events (judged after ``check_at``).
    ``overtime_until``: the end of the overtime announced for the day (WTOOv) — work until then is
    declared, no deviation; work past it is."""
    who = f"{schedule.name} ({schedule.employee})" if schedule.name else schedule.employee
    day = schedule.day.isoformat()
    starts = sorted(p.at for p in punches if p.start)
    ends = sorted(p.at for p in punches if not p.start)
    if not schedule.is_work_day:
        if not starts and not ends:
            return []
        kind_el = "ρεπό" if schedule.off == "ΑΝ" else "ημέρα μη εργασίας"
        kind_en = "rest day" if schedule.off == "ΑΝ" else "non-work day"
        return [Deviation("ERGANI-DEVIATION", "rest-day-work", Severity.WARNING,
                          f"Ο εργαζόμενος {who} χτύπησε κάρτα την {day}, δηλωμένη ως {kind_el}: δηλώστε τη μεταβολή "
                          "του ωραρίου (ΨΟΧΕ) πριν από την εργασία.",
                          f"Employee {who} clocked in on {day}, declared as a {kind_en}: declare the schedule change "
                          "(ΨΟΧΕ) before the work.", UNDECLARED_CHANGE_FINE)]
    if leave_declared:
        return []
    first_from, last_to = schedule.intervals[0][0], schedule.intervals[-1][1]
    flex = dt.timedelta(minutes=schedule.flex_minutes)
    out: list[Deviation] = []
    if not starts:
        return [Deviation("ERGANI-DEVIATION", "missing-start", Severity.WARNING,
                          f"Ο εργαζόμενος {who} δεν έχει έναρξη στην κάρτα την {day} (ωράριο από {_hm(first_from)}): "
                          "αν ήταν σε άδεια, δηλώστε τη (WTOLeave)· αλλιώς η κάρτα δεν αντιστοιχεί στην "
                          "πραγματικότητα.",
                          f"Employee {who} has no card start on {day} (scheduled from {_hm(first_from)}): if on leave, "
                          "declare it (WTOLeave); otherwise the card does not match reality.", CARD_RECORD_FINE)]
    first_start = starts[0]
    used_flex = min(max(first_start - first_from, dt.timedelta()), flex)
    if first_start > first_from + flex + tolerance:
        out.append(Deviation(
            "ERGANI-DEVIATION", "late-start", Severity.WARNING,
            f"Ο εργαζόμενος {who} ξεκίνησε στις {_hm(first_start)} την {day}, {_minutes(first_start - first_from)}′ "
            f"μετά το ωράριο ({_hm(first_from)}, ευέλικτη προσέλευση {schedule.flex_minutes}′).",
            f"Employee {who} started at {_hm(first_start)} on {day}, {_minutes(first_start - first_from)} minutes "
            f"after the schedule ({_hm(first_from)}, flexible arrival {schedule.flex_minutes} minutes).",
            CARD_RECORD_FINE))
    expected_end = last_to + used_flex
    if not ends or ends[-1] < first_start:
        out.append(Deviation(
            "ERGANI-DEVIATION", "missing-end", Severity.WARNING,
            f"Ο εργαζόμενος {who} δεν έχει λήξη στην κάρτα την {day} (ωράριο έως {_hm(expected_end)}): λείπει η "
            "αποχώρηση, ή εργάζεται υπερωριακά χωρίς δήλωση.",
            f"Employee {who} has no card end on {day} (scheduled until {_hm(expected_end)}): the end is missing, or "
            "the employee works overtime that was not declared.", CARD_RECORD_FINE))
        return out
    last_end = ends[-1]
    if last_end < expected_end - tolerance:
        out.append(Deviation(
            "ERGANI-DEVIATION", "early-end", Severity.WARNING,
            f"Ο εργαζόμενος {who} αποχώρησε στις {_hm(last_end)} την {day}, {_minutes(expected_end - last_end)}′ "
            f"πριν τη λήξη του ωραρίου ({_hm(expected_end)}).",
            f"Employee {who} left at {_hm(last_end)} on {day}, {_minutes(expected_end - last_end)} minutes before "
            f"the scheduled end ({_hm(expected_end)}).", CARD_RECORD_FINE))
    elif last_end > max(expected_end, overtime_until or expected_end) + tolerance:
        if overtime_until is not None and overtime_until > expected_end:
            out.append(Deviation(
                "ERGANI-DEVIATION", "overtime", Severity.WARNING,
                f"Ο εργαζόμενος {who} αποχώρησε στις {_hm(last_end)} την {day}, "
                f"{_minutes(last_end - overtime_until)}′ μετά τη λήξη της αναγγελθείσας υπερωρίας "
                f"({_hm(overtime_until)}): η λήξη της υπερωρίας τροποποιείται (WTOOv) πριν από την παλιά λήξη.",
                f"Employee {who} left at {_hm(last_end)} on {day}, {_minutes(last_end - overtime_until)} minutes "
                f"after the announced overtime ended ({_hm(overtime_until)}): an overtime's end is amended (WTOOv) "
                "before the old end.", UNDECLARED_CHANGE_FINE, API))
            return out
        out.append(Deviation(
            "ERGANI-DEVIATION", "overtime", Severity.WARNING,
            f"Ο εργαζόμενος {who} αποχώρησε στις {_hm(last_end)} την {day}, {_minutes(last_end - expected_end)}′ "
            f"μετά τη λήξη του ωραρίου ({_hm(expected_end)}): η υπερωρία δηλώνεται (WTOOv) πριν γίνει.",
            f"Employee {who} left at {_hm(last_end)} on {day}, {_minutes(last_end - expected_end)} minutes after "
            f"the scheduled end ({_hm(expected_end)}): overtime is declared (WTOOv) before it is worked.",
            UNDECLARED_CHANGE_FINE, API))
    return out


def orphan_check_at(reference: dt.date, tolerance: dt.timedelta) -> dt.datetime:
    """After this an end for ``reference`` can no longer be declared (ERGANI-CARD-DATE: the next day
    no later than 11:00), so a start still alone is an orphan for good."""
    return dt.datetime.combine(reference + dt.timedelta(days=1), NIGHT_END, tzinfo=ATHENS) + tolerance


def judge_orphans(employee: str, reference: dt.date, punches: list[Punch]) -> list[Deviation]:
    """ERGANI-CARD-PAIR: starts of the day left without an end after the last moment one could come."""
    starts = sum(1 for p in punches if p.start)
    ends = sum(1 for p in punches if not p.start)
    if starts <= ends:
        return []
    return [Deviation("ERGANI-CARD-PAIR", "orphan-start", Severity.WARNING,
                      f"Ο εργαζόμενος {employee} έχει έναρξη χωρίς λήξη για την {reference} και η λήξη δεν μπορεί πια "
                      "να δηλωθεί (έως 11:00 της επομένης): μεμονωμένη κίνηση, μετρά εις βάρος του εργοδότη.",
                      f"Employee {employee} has a start without an end for {reference}, and the end can no longer be "
                      "declared (until 11:00 the next day): an orphan punch, which counts against the employer.",
                      CARD_RECORD_FINE, API)]


def leave_undeclared(employee: str, day: dt.date, deadline: dt.datetime) -> Deviation:
    """ERGANI-LEAVE-DUE, ahead of time: a scheduled work day without a card start and without a leave."""
    return Deviation("ERGANI-LEAVE-DUE", "leave-undeclared", Severity.WARNING,
                     f"Ο εργαζόμενος {employee} δεν εργάστηκε την {day} (χωρίς κάρτα) και δεν έχει δηλωθεί άδεια: "
                     f"αν ήταν άδεια, δηλώνεται έως {deadline:%d/%m/%Y} (WTOLeave).",
                     f"Employee {employee} did not work on {day} (no card) and no leave is declared: if it was a "
                     f"leave, it is due by {deadline:%d/%m/%Y} (WTOLeave).")


# ---- declared days out of a ΨΟΧΕ ------------------------------------------------------------------------

def _entry_day(entry: EmployeeEntry, day: dt.date, flex: int, submission_id: str) -> DaySchedule | None:
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    off = ""
    for interval in entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics:
        if interval.f_type in OFF_TYPES:
            off = interval.f_type
        elif interval.f_type in WORK_TYPES and interval.f_from and interval.f_to:
            begins = dt.datetime.combine(day, dt.time.fromisoformat(interval.f_from), tzinfo=ATHENS)
            ends = dt.datetime.combine(day, dt.time.fromisoformat(interval.f_to), tzinfo=ATHENS)
            intervals.append((begins, ends if ends > begins else ends + dt.timedelta(days=1)))
    if not intervals and not off:
        return None
    return DaySchedule(entry.f_afm, day, tuple(sorted(intervals)), "" if intervals else off, flex, submission_id,
                       f"{entry.f_eponymo} {entry.f_onoma}".strip())


def declared_days(doc: WtoDoc, code: str, submission_id: str, horizon: int,
                  since: dt.date | None = None) -> list[DaySchedule]:
    """Every employee-day a `WTOWeek` or `WTODaily` declares. A weekly schedule repeats from its «from»
    date (or ``since``, when the sweep extends it) to its «to» date, or for ``horizon`` days when it
    has none."""
    days: list[DaySchedule] = []
    for wto in doc.WTOS.WTO:
        if not wto.f_from_date:
            continue
        start = max(parse_greek_date(wto.f_from_date), since or dt.date.min)
        end = parse_greek_date(wto.f_to_date) if wto.f_to_date else start + dt.timedelta(days=horizon - 1)
        for entry in wto.Ergazomenoi.ErgazomenoiWTO:
            flex = doc.flex.get(entry.f_afm, 0)
            if code == "WTOWeek":
                if entry.f_day == "":
                    continue
                weekday = (int(entry.f_day) - 1) % 7  # ERGANI 0 = Sunday; Python 0 = Monday
                day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
                while day <= end:
                    if (found := _entry_day(entry, day, flex, submission_id)) is not None:
                        days.append(found)
                    day += dt.timedelta(days=7)
            elif entry.f_date and (found := _entry_day(entry, parse_greek_date(entry.f_date), flex,
                                                       submission_id)) is not None:
                days.append(found)
    return days


@dataclass(frozen=True)
class Declared:
    """What one accepted declaration tells the sweeps: card events, declared days, leaves, and where
    an open-ended weekly schedule must be extended from."""

    #: (reference date, employee, type 0/1, event time ISO with the Athens offset)
    punches: list[tuple[dt.date, str, str, str]] = field(default_factory=list)
    days: list[DaySchedule] = field(default_factory=list)
    leaves: list[tuple[dt.date, str]] = field(default_factory=list)
    #: Overtime announced (WTOOv/WTOOvA), per employee-day; a cancelled day has no intervals.
    overtime: list[Any] = field(default_factory=list)
    #: An open-ended weekly schedule was expanded up to the day before this one.
    extend_from: dt.date | None = None
