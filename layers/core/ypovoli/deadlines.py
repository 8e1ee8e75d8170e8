"""The legal clock's calendar: Athens days, the end of a legal day, the outage window counted in
Athens days. When each kind of submission is due is its own (``kinds/<kind>/``: myDATA's
``deadlines.py``, ERGANI's ``rules.py``…), built on these.

``grace_until`` is ``due_at`` plus N *Athens calendar days* (N = 1 by seed 004; a setting), so
across a DST change the window is 23 or 25 hours long, never a fixed 24.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .clock import ATHENS

#: The last instant of a legal day: a deadline "by the end of the day" holds until 00:00 of the next,
#: so 23:59:59.5 is still in time (issue 12 §8).
END_OF_DAY = time(23, 59, 59, 999999)


def end_of_athens_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=ATHENS)


def add_athens_days(moment: datetime, days: int) -> datetime:
    """The same Athens wall-clock time ``days`` calendar days later."""
    if moment.tzinfo is None:
        raise ValueError("aware datetimes only")
    local = moment.astimezone(ATHENS).replace(tzinfo=None)
    return (local + timedelta(days=days)).replace(tzinfo=ATHENS)


def grace_until(due_at: datetime, grace_days: int = 1) -> datetime:
    return add_athens_days(due_at, grace_days)


def athens_date(moment: datetime) -> date:
    return moment.astimezone(ATHENS).date()


def athens_text(moment: datetime | None) -> str:
    """A moment as people in Greece read it: «23/11/2026 12:00», Athens time (— for none)."""
    return moment.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M") if moment else "—"
