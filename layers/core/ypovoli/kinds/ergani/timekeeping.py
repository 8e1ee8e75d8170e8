"""The ERGANI deviation sweeps (issue 13 §6): what each accepted declaration adds to the employer's
timekeeping record, and the judgements the ``timekeeping`` sweep runs as their checkpoints fall due.

Checkpoints (``records.py``), all on the ``Due`` index — the sweep reads what is due, never
the history:

* ``day`` — a declared day, once its work is over plus the tolerance: missing start or end, late
  start, early end, overtime, work on a rest day (ERGANI-DEVIATION). A card event or a leave that
  arrives for a day already judged asks for the day to be judged again, at once;
* ``orphan`` — a start whose end can no longer come (11:00 of the next day): ERGANI-CARD-PAIR;
* ``leave`` — a work day with no card and no leave, a few days before the leave deadline:
  ERGANI-LEAVE-DUE;
* ``extend`` — an open-ended weekly schedule's next stretch of days.

Each judgement replaces the flags of its family (``store.compliance``); a flag raised for the first
time is announced to the tenant's webhook as ``compliance.flagged``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ... import clock
from ...findings import Severity
from ...models.compliance import ComplianceItem
from ...services.deps import Deps
from ...services.webhooks import announce
from ...store.compliance import Flag
from .. import registry
from .card_ledger import CardLedger
from .deviations import (
    DaySchedule,
    Declared,
    Deviation,
    Punch,
    judge_day,
    judge_orphans,
    leave_undeclared,
    orphan_check_at,
)
from .records import Checkpoint, Timekeeping
from .rules import leave_deadline
from .staff_store import Staff

logger = logging.getLogger(__name__)


def _tolerance(deps: Deps) -> dt.timedelta:
    return dt.timedelta(minutes=deps.settings.ergani_tolerance_min)


def record(deps: Deps, tenant: str, employer: str, declared: Declared, submission_id: str,
           declared_at: dt.datetime) -> None:
    """After a declaration was accepted: keep what it says and set the checkpoints it needs."""
    tk, tolerance, now = deps.store(Timekeeping), _tolerance(deps), clock.now()
    if declared.punches:
        deps.store(CardLedger).record(tenant, employer, declared.punches, submission_id)
        touched = sorted({(ref, who) for ref, who, _, _ in declared.punches})
        started = {(ref, who) for ref, who, kind, _ in declared.punches if kind == "0"}
        # The orphan judgement's time is fixed by the day: a start asks for it; an end only where that
        # time has passed (a late end, in an outage, clears a start already judged an orphan) — before
        # it, the start's own checkpoint (the same item) sees the end, so writing it again is a unit
        # spent for nothing. The day is asked for now only where it may have been judged already (a
        # late event): a day nobody declared has nothing to compare, and a declared day not yet over
        # has its own checkpoint, which reads these events when it falls due. Asking for those too
        # cost each card event a checkpoint write, its index move and the sweep's rewrite, for nothing
        # (issue 17 §3); the declaration is read instead (half a read unit).
        orphans = [(ref, who) for ref, who in touched
                   if (ref, who) in started or now >= orphan_check_at(ref, tolerance)]
        judged = [(ref, who) for ref, who in touched if _may_be_judged(deps, tenant, employer, ref, who, tolerance)]
        tk.schedule([(Checkpoint(tenant, employer, "orphan", ref, who), orphan_check_at(ref, tolerance))
                     for ref, who in orphans]
                    + [(Checkpoint(tenant, employer, "day", ref, who), now) for ref, who in judged])
    if declared.days:
        tk.declare_days(tenant, employer, declared.days, declared_at)
        tk.schedule([(Checkpoint(tenant, employer, "day", d.day, d.employee), d.check_at(tolerance))
                     for d in declared.days])
    if declared.extend_from is not None:
        lead = dt.timedelta(days=7)
        at = dt.datetime.combine(declared.extend_from, dt.time(), tzinfo=clock.ATHENS) - lead
        tk.schedule([(Checkpoint(tenant, employer, "extend", declared.extend_from, submission_id), at)])
    if declared.overtime:
        tk.declare_overtime(tenant, employer, declared.overtime, declared_at)
        # The day is judged once the overtime is over too (work until its end is declared, no deviation).
        tk.schedule([(Checkpoint(tenant, employer, "day", d.day, d.employee), d.ends + tolerance)
                     for d in declared.overtime if d.ends is not None])
    if declared.leaves:
        tk.declare_leaves(tenant, employer, declared.leaves, submission_id)
        tk.schedule([(Checkpoint(tenant, employer, what, day, who), now)
                     for day, who in declared.leaves for what in ("day", "leave")])


def withdraw(deps: Deps, submission: Any) -> None:
    """A leave declaration corrected or cancelled upstream: its leaves no longer stand (a correction
    that declares the same day again has already taken it over), and the days are judged again."""
    kind = registry.document_kind(submission.kind)
    declares = getattr(kind, "declared", None)   # ERGANI's kinds declare what the sweeps read
    if declares is None or not submission.dossier:
        return
    declared = declares(kind.load(deps.dossiers.document(submission.dossier)), submission.id,
                        deps.settings.ergani_schedule_horizon_days)
    if not declared.leaves:
        return
    deps.store(Timekeeping).withdraw_leaves(submission.tenant, submission.afm, declared.leaves, submission.id)
    now = clock.now()
    deps.store(Timekeeping).schedule([(Checkpoint(submission.tenant, submission.afm, what, day, who), now)
                               for day, who in declared.leaves for what in ("day", "leave")])


def _may_be_judged(deps: Deps, tenant: str, employer: str, day: dt.date, employee: str,
                   tolerance: dt.timedelta) -> bool:
    """Whether the employee's ``day`` has a declaration whose own checkpoint may have run already.
    The clock is read after the events were kept: a checkpoint that falls due later reads them."""
    schedule = deps.store(Timekeeping).holding(tenant, employer, day, employee)
    return schedule is not None and clock.now() >= schedule.check_at(tolerance)


def sweep(deps: Deps, limit_per_shard: int = 500) -> int:
    """Judge every checkpoint that is due; how many were judged."""
    now = clock.now()
    judged = 0
    for shard in range(deps.settings.outbox_shards):
        for point in deps.store(Timekeeping).due(shard, now, limit_per_shard):
            try:
                judge(deps, point, now)
            except Exception:  # one bad record must not stop the sweep; it stays due and is retried
                logger.exception("checkpoint %s of %s not judged", point.sk, point.tenant)
                continue
            judged += 1
    return judged


def judge(deps: Deps, point: Checkpoint, now: dt.datetime) -> None:
    tk, tolerance = deps.store(Timekeeping), _tolerance(deps)
    if point.what == "extend":
        _extend(deps, point)
        tk.done(point, now)
        return
    # Each judgement reads only what it needs (an orphan start needs no schedule; a day asked too
    # early, no card events).
    def held() -> DaySchedule | None:
        return tk.holding(point.tenant, point.employer, point.day, point.subject)

    def punches() -> list[Punch]:
        return deps.store(CardLedger).punches(point.tenant, point.employer, point.day, point.subject)

    family = f"{point.what}#{point.day.isoformat()}#{point.subject}#"
    if point.what == "day":
        schedule = held()
        if schedule is None:
            tk.done(point, now)  # nothing declared for the day: nothing to compare (CARD-PAIR still is)
            return
        if not schedule.flex_minutes:   # the flexible arrival ERGANI holds for the employee, if imported
            known = deps.store(Staff).employee(point.tenant, point.employer, point.subject)
            if known is not None and known.flex_minutes:
                schedule = replace(schedule, flex_minutes=known.flex_minutes)
        overtime = tk.overtime(point.tenant, point.employer, point.day, point.subject)
        overtime_until = overtime.ends if overtime is not None else None
        due = max(schedule.check_at(tolerance), overtime_until + tolerance if overtime_until else schedule.check_at(
            tolerance))
        if now < due:
            tk.schedule([(point, due)])  # asked too early: judged when the day (and its overtime) is over
            return
        on_leave = tk.on_leave(point.tenant, point.employer, point.day, point.subject)
        found = judge_day(schedule, punches(), tolerance, on_leave, overtime_until)
        _flag(deps, point, family, found, due, schedule.submission_id or None, now, schedule.name)
        if any(d.what == "missing-start" for d in found):
            deadline = leave_deadline(point.day, deps.settings.ergani_leave_due_day)
            warn_at = max(deadline - dt.timedelta(days=deps.settings.ergani_leave_warn_days), now)
            tk.schedule_if_absent(Checkpoint(point.tenant, point.employer, "leave", point.day, point.subject), warn_at)
    elif point.what == "orphan":
        at = orphan_check_at(point.day, tolerance)
        if now < at:
            tk.schedule([(point, at)])
            return
        _flag(deps, point, family, judge_orphans(point.subject, point.day, punches()), at, None, now)
    elif point.what == "leave":
        deadline = leave_deadline(point.day, deps.settings.ergani_leave_due_day)
        warn_at = deadline - dt.timedelta(days=deps.settings.ergani_leave_warn_days)
        schedule = held()
        absent = schedule is not None and schedule.is_work_day and not any(p.start for p in punches()) \
            and not tk.on_leave(point.tenant, point.employer, point.day, point.subject)
        if absent and now < warn_at:
            tk.schedule([(point, warn_at)])
            return
        found = [leave_undeclared(point.subject, point.day, deadline)] if absent else []
        _flag(deps, point, family, found, deadline, None, now)
    tk.done(point, now)


def _flag(deps: Deps, point: Checkpoint, family: str, found: list[Deviation], due: dt.datetime,
          submission_id: str | None, now: dt.datetime, name: str = "") -> None:
    kind = "ergani_leave" if point.what == "leave" else "ergani_workcard"
    if found and not name:   # the employee as declared beside the ΑΦΜ: the registry's, if the schedule had none
        known = deps.store(Staff).employees(point.tenant, point.employer).get(point.subject)
        name = f"{known.surname} {known.name}".strip() if known is not None else ""
    who = f"{name} ({point.subject})" if name else point.subject
    flags = [Flag(family + d.what, ComplianceItem(
        kind=kind, code=d.code, severity=d.severity, subject=f"{who} {point.day.isoformat()}",
        due_at=due, submission_id=submission_id, message_el=d.message_el, message_en=d.message_en,
        exposure_eur=f"{d.exposure:.2f}" if d.exposure > Decimal(0) else None)) for d in found]
    for event in deps.flags.replace(point.tenant, point.employer, family, flags, now):
        announce(deps, point.tenant, event)
        if event.data.severity is not Severity.INFO:
            logger.warning("%s %s of %s/%s", event.data.code, event.data.subject, point.tenant, point.employer)


def _extend(deps: Deps, point: Checkpoint) -> None:
    """The next ``horizon`` days of an open-ended weekly schedule (unless it is gone or replaced: a
    later declaration's days hold over its own anyway)."""
    submission = deps.index.get_submission(point.tenant, point.subject)
    if submission is None or not submission.dossier:
        return
    kind = registry.document_kind(submission.kind)
    declares = getattr(kind, "declared", None)
    if declares is None:
        return
    document = kind.load(deps.dossiers.document(submission.dossier))
    declared = declares(document, submission.id, deps.settings.ergani_schedule_horizon_days, point.day)
    record(deps, point.tenant, point.employer, declared, submission.id, submission.created_at)


def sweep_task(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    """The registry's sweep: its figures for the sweeper's report."""
    return {"judged": sweep(deps)}
