"""The sweeper's work: pump what is due back into the queue, flip what passed its window to overdue.

Both read sparse GSIs by time (``Due``, ``Grace``), never scan: the cost follows what is due, not
what is stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .. import clock
from ..models.events import status_event
from ..status import Status
from ..store.index import DueEntry
from ..store.queue import NudgeQueue
from .deps import Deps
from .exposure import fine_exposure
from .transmit import overdue_finding, vat_of, with_finding
from .webhooks import announce

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    pumped: int = 0
    overdue: int = 0
    hooks: int = 0


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
    """Outbox entries due for an attempt → the transmit queue."""
    return _pump(deps, deps.index.due_entries, deps.queue, limit_per_shard)


def pump_hooks(deps: Deps, limit_per_shard: int = 500) -> int:
    """Webhook events due for (re)delivery → the webhook queue."""
    if not deps.hooks_queue.url:
        return 0
    return _pump(deps, deps.index.due_hooks, deps.hooks_queue, limit_per_shard)


def flag_overdue(deps: Deps, limit_per_shard: int = 500) -> list[tuple[str, str]]:
    """Submissions past ``grace_until`` and still unsent → ``overdue`` with their fine exposure."""
    now = clock.now()
    flipped: list[tuple[str, str]] = []
    for shard in range(deps.settings.outbox_shards):
        for entry in deps.index.grace_expired(shard, now, limit_per_shard):
            submission = deps.index.get_submission(entry.tenant, entry.submission_id)
            if submission is None or submission.status not in (Status.ACCEPTED, Status.DEFERRED, Status.TRANSMITTING):
                continue
            fine = fine_exposure(vat_of(submission), deps.settings.double_entry_books)
            findings = with_finding(list(submission.findings), overdue_finding(submission.grace_until))
            previous = Status.DEFERRED if submission.status is Status.TRANSMITTING else submission.status
            event = status_event(submission, previous, now, status=Status.OVERDUE, fine_exposure=fine,
                                 findings=findings)
            if deps.index.mark_overdue(entry.tenant, entry.submission_id, fine, findings, now, event):
                announce(deps, entry.tenant, event)
                flipped.append((entry.tenant, entry.submission_id))
                logger.warning("overdue: %s/%s (fine exposure €%s)", entry.tenant, entry.submission_id, fine.amount)
    return flipped


def sweep(deps: Deps) -> SweepReport:
    flipped = flag_overdue(deps)
    return SweepReport(pumped=pump(deps), overdue=len(flipped), hooks=pump_hooks(deps))
