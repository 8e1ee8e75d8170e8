"""The legal clock: when each kind of submission is due, and how long the outage window lasts.

Sources: seed 004 (A.1138/2020 art. 5 §6; A.1035/2020 §3.3) and shared/reference/mydata-api.md §5.1.

Defaults (each documented in docs/deadlines.md):

============================  =======================  ==============================================
kind                          channel                  due_at
============================  =======================  ==============================================
myDATA invoice                ERP                      end of the Athens day after the issue date
myDATA invoice                provider                 the issue time (real time) — we only know the
                                                       date, so the moment we received it
ERGANI work-card event        —                        event time + 15 minutes (seed 001 §5)
============================  =======================  ==============================================

``grace_until`` is ``due_at`` plus N *Athens calendar days* (N = 1 by seed 004; a setting), so
across a DST change the window is 23 or 25 hours long, never a fixed 24.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .clock import ATHENS
from .settings import Channel

WORKCARD_DELAY = timedelta(minutes=15)
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


def invoice_due_at(issue_date: date, channel: Channel, received_at: datetime) -> datetime:
    if channel is Channel.ERP:
        return end_of_athens_day(issue_date + timedelta(days=1))
    # Provider channel: real time. The invoice carries only a date; we cannot know an earlier
    # issue time than the moment it reached us, and never later than the end of its issue day.
    return min(received_at.astimezone(ATHENS), end_of_athens_day(issue_date))


def invoice_grace_until(issue_date: date, channel: Channel, due_at: datetime, grace_days: int = 1) -> datetime:
    """The end of the outage window. Provider channel, seed 004 (TF1/TF2): «εντός μίας (1) ημέρας από
    την ημερομηνία έκδοσης εκάστου παραστατικού» — counted in Athens days from the issue date, to the
    end of that day, not 24 hours from reception. ERP channel: N Athens days after the due time."""
    if channel is Channel.PROVIDER:
        return end_of_athens_day(issue_date + timedelta(days=grace_days))
    return grace_until(due_at, grace_days)


def workcard_due_at(event_at: datetime) -> datetime:
    return (event_at + WORKCARD_DELAY).astimezone(ATHENS)


def grace_until(due_at: datetime, grace_days: int = 1) -> datetime:
    return add_athens_days(due_at, grace_days)


def athens_date(moment: datetime) -> date:
    return moment.astimezone(ATHENS).date()


def athens_text(moment: datetime | None) -> str:
    """A moment as people in Greece read it: «23/11/2026 12:00», Athens time (— for none)."""
    return moment.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M") if moment else "—"
