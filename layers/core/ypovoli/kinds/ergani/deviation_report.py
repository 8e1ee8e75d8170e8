"""The monthly deviation report of one employer (issue 13 §9): per employee and day, the declared
schedule beside the card events, and what differs — JSON for machines, an HTML page for people.

Computed on read from the employer's timekeeping record (two range queries on its own partitions),
with the same judgement the sweeps use (``kinds.ergani.deviations``), so the report and the
compliance view can never disagree. A day not yet over is shown as pending, not judged.
"""

from __future__ import annotations

import calendar
import datetime as dt

from pydantic import BaseModel

from ...clock import ATHENS
from ...services.deps import Deps
from ...templates_env import template
from .card_ledger import CardLedger
from .deviations import DaySchedule, Deviation, judge_day
from .records import Timekeeping


class ReportPunch(BaseModel):
    type: str  # "start" | "end"
    at: dt.datetime


class ReportDeviation(BaseModel):
    code: str
    what: str
    message_el: str
    message_en: str


class ReportDay(BaseModel):
    date: dt.date
    employee: str
    scheduled: list[str]
    day_off: str = ""
    flex_minutes: int = 0
    actual: list[ReportPunch]
    state: str  # "ok" | "deviation" | "pending" | "unscheduled"
    deviations: list[ReportDeviation]


class EmployeeTotals(BaseModel):
    employee: str
    days: int
    deviations: int
    scheduled_minutes: int
    worked_minutes: int


class DeviationReport(BaseModel):
    afm: str
    month: str
    generated_at: dt.datetime
    days: list[ReportDay]
    employees: list[EmployeeTotals]


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _hm(moment: dt.datetime) -> str:
    return moment.astimezone(ATHENS).strftime("%H:%M")


def _worked(punches: list[tuple[bool, dt.datetime]]) -> int:
    """Minutes between each start and the next end (split shifts are several pairs)."""
    minutes, began = 0, None
    for start, at in sorted(punches, key=lambda p: p[1]):
        if start:
            began = at
        elif began is not None:
            minutes += int((at - began).total_seconds() // 60)
            began = None
    return minutes


def build(deps: Deps, tenant: str, afm: str, month: str, now: dt.datetime) -> DeviationReport:
    first, last = _month_bounds(month)
    tolerance = dt.timedelta(minutes=deps.settings.ergani_tolerance_min)
    schedules = deps.store(Timekeeping).month(tenant, afm, first, last)
    punches = deps.store(CardLedger).between(tenant, afm, first, last)
    leaves = deps.store(Timekeeping).leaves_between(tenant, afm, first, last)
    days: list[ReportDay] = []
    totals: dict[str, EmployeeTotals] = {}
    for key in sorted(set(schedules) | set(punches)):
        day, employee = key
        schedule: DaySchedule | None = schedules.get(key)
        actual = sorted(punches.get(key, []), key=lambda p: p.at)
        found: list[Deviation] = []
        if schedule is None:
            state = "unscheduled"
        elif now < schedule.check_at(tolerance):
            state = "pending"
        else:
            found = judge_day(schedule, actual, tolerance, key in leaves)
            state = "deviation" if found else "ok"
        days.append(ReportDay(
            date=day, employee=employee,
            scheduled=[f"{_hm(a)}–{_hm(b)}" for a, b in schedule.intervals] if schedule else [],
            day_off=schedule.off if schedule else "", flex_minutes=schedule.flex_minutes if schedule else 0,
            actual=[ReportPunch(type="start" if p.start else "end", at=p.at.astimezone(ATHENS)) for p in actual],
            state=state, deviations=[ReportDeviation(code=d.code, what=d.what, message_el=d.message_el,
                                                     message_en=d.message_en) for d in found]))
        row = totals.setdefault(employee, EmployeeTotals(employee=employee, days=0, deviations=0,
                                                         scheduled_minutes=0, worked_minutes=0))
        row.days += 1
        row.deviations += len(found)
        if schedule:
            row.scheduled_minutes += sum(int((b - a).total_seconds() // 60) for a, b in schedule.intervals)
        row.worked_minutes += _worked([(p.start, p.at) for p in actual])
    return DeviationReport(afm=afm, month=month, generated_at=now, days=days,
                           employees=sorted(totals.values(), key=lambda t: t.employee))


def render_html(report: DeviationReport) -> str:
    return template("deviation_report.html").render(report=report, hm=_hm)
