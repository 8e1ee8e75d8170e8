"""The sweeps, by name: what each schedule runs (``{"task": name}``), for every kind at once.

Each sweep reads sparse GSIs by time (``Due``, ``Grace``) or a registry partition, never a scan:
its cost follows what is due, not what is stored. A schedule names one sweep or a routine of
several (``pump`` — the every-few-minutes one); a new sweep is a function and a line in ``SWEEPS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from .. import clock
from ..kinds import registry
from ..models.events import status_event
from ..status import Status
from ..store.index import DueEntry
from ..store.queue import NudgeQueue
from .deps import Deps
from .reports import write_monthly_reports
from .transmit import with_finding
from .webhooks import announce

logger = logging.getLogger(__name__)

#: A sweep: the dependencies and the schedule's input in, a small JSON-able report out.
Sweep = Callable[[Deps, dict[str, Any]], dict[str, Any]]


def _pump(deps: Deps, query: Callable[[int, datetime, int], list[DueEntry]], queue: NudgeQueue,
          limit_per_shard: int) -> int:
    """What a sparse time index says is due, shard by shard → its queue."""
    now = clock.now()
    pumped = 0
    for shard in range(deps.settings.outbox_shards):
        due = query(shard, now, limit_per_shard)
        if due:
            pumped += queue.send_many([(e.tenant, e.submission_id) for e in due])
    return pumped


def pump(deps: Deps, limit_per_shard: int = 500) -> int:
    """Outbox entries due for an attempt, upstream by upstream → the transmit queue."""
    pumped = 0
    for upstream in registry.upstreams():
        pumped += _pump(deps, partial(deps.index.due_entries, upstream), deps.queue, limit_per_shard)
    return pumped


def pump_hooks(deps: Deps, limit_per_shard: int = 500) -> int:
    """Webhook events due for (re)delivery → the webhook queue."""
    if not deps.hooks_queue.url:
        return 0
    return _pump(deps, deps.index.due_hooks, deps.hooks_queue, limit_per_shard)


def flag_overdue(deps: Deps, limit_per_shard: int = 500) -> list[tuple[str, str]]:
    """Submissions past ``grace_until`` and still unsent → ``overdue``, with the finding and the fine
    exposure their kind states."""
    now = clock.now()
    flipped: list[tuple[str, str]] = []
    for shard in range(deps.settings.outbox_shards):
        for entry in deps.index.grace_expired(shard, now, limit_per_shard):
            submission = deps.index.get_submission(entry.tenant, entry.submission_id)
            if submission is None or submission.status not in (Status.ACCEPTED, Status.DEFERRED, Status.TRANSMITTING):
                continue
            finding, fine = registry.document_kind(submission.kind).overdue(submission, deps.settings)
            from .compliance import audit_share  # with the first overdue document only (cold start)

            fine = audit_share(deps, submission, fine)
            findings = with_finding(list(submission.findings), finding)
            previous = Status.DEFERRED if submission.status is Status.TRANSMITTING else submission.status
            event = status_event(submission, previous, now, status=Status.OVERDUE, fine_exposure=fine,
                                 findings=findings)
            if deps.index.mark_overdue(entry.tenant, entry.submission_id, fine, findings, now, event):
                announce(deps, entry.tenant, event)
                flipped.append((entry.tenant, entry.submission_id))
                logger.warning("overdue: %s/%s (fine exposure €%s)", entry.tenant, entry.submission_id, fine.amount)
    return flipped


def _outbox(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    return {"pumped": pump(deps)}


def _overdue(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    return {"overdue": len(flag_overdue(deps))}


def _webhooks(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    return {"hooks": pump_hooks(deps)}


def _links(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    """How long each upstream has been unreachable, in seconds (0 when it is up): the sweeper
    publishes it as ``UpstreamDownSeconds`` for the alarm of template.yaml."""
    now = clock.now()
    down: dict[str, int] = {}
    for upstream in registry.upstreams():
        since = deps.index.link_down_since(upstream)
        down[upstream] = max(0, int((now - since).total_seconds())) if since else 0
    return {"links_down_s": down}


def _outage_report(deps: Deps, task: dict[str, Any]) -> dict[str, Any]:
    month = task.get("month")
    return {"reports": write_monthly_reports(deps, str(month) if month else None)}


def _summaries(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    from . import summaries

    return {"summaries_refreshed": summaries.refresh_stale(deps, clock.now())}


def _of_kind(name: str) -> Sweep:
    """A kind's own sweep (the registry's line), its module imported when it first runs."""
    def sweep(deps: Deps, task: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = registry.SWEEPS[name].load()(deps, task)
        return found

    return sweep


#: Every sweep by name, the kinds' own among them. Overdue first in the routine: a document flipped now
#: is pumped in the same run.
SWEEPS: dict[str, Sweep] = {
    "overdue": _overdue,
    "outbox": _outbox,
    "webhooks": _webhooks,
    "outage-report": _outage_report,
    "links": _links,
    **{name: _of_kind(name) for name in registry.SWEEPS},
    "summaries": _summaries,
}
#: Schedules that run several sweeps in order.
ROUTINES: dict[str, tuple[str, ...]] = {"pump": ("overdue", "outbox", *registry.SWEEPS, "webhooks", "links",
                                                 "summaries")}


def names() -> list[str]:
    return sorted({*SWEEPS, *ROUTINES})


def run(deps: Deps, task: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the sweep or routine ``task``; its figures merged into one report."""
    report: dict[str, Any] = {}
    for name in ROUTINES.get(task, (task,)):
        report.update(SWEEPS[name](deps, params or {}))
    return report
