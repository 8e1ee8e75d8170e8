"""Each business's summary, kept current so the console never computes a compliance view per business
per page (issue 33 §8; docs/architecture.md, 79).

What changes a business's view — a submission's status, a sweep's flag, a kind's kept record, a
device, an incident — is a write to the index table; the table's stream brings each such write to
:func:`from_stream` (the sweeper's DynamoDB event), which computes the view once per business of the
batch and keeps it (``store/summaries.py``). What changes with time alone (a deadline passing, a day
without cards) is caught by the pump: :func:`refresh_stale` makes anew the summaries older than
:data:`MAX_AGE`, a few each run; a business with none yet gets one when first asked for. The console's
own acts refresh at once, so the page an officer lands on after acting already shows what was done.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..models.compliance import ComplianceItem, ComplianceView
from ..store.summaries import Summary
from .deps import Deps

#: A summary older than this is made anew by the pump even when nothing was written: deadlines pass,
#: days end without cards, flags expire.
MAX_AGE = timedelta(minutes=15)
#: At most this many summaries made anew while the overview is asked for (those behind a change).
INLINE_LIMIT = 10
#: At most this many summaries made anew per pump run, the oldest first (the rest wait for the next
#: run; a page makes anew what it finds behind a change).
STALE_LIMIT = 10
#: The business page's incidents, as many as it shows (each kind's part: as many as the part reads).
INCIDENTS_SHOWN = 10
#: Index items whose change can change a business's view, by the start of their sort key (under the
#: tenant's partition); a flag is known by its partition (``…#FLAGS#{afm}``).
WATCHED = ("SUB#", "DOSSIER#", "DEVICE#", "INCIDENT#")
FLAGS = "#FLAGS#"


def light(items: list[ComplianceItem]) -> str:
    """red: something is in error (overdue, a silent device, a refused ΕΑΦΔΣΣ); amber: something
    waits or was flagged; green: nothing is due but what is merely queued."""
    severities = {i.severity.value for i in items}
    if "error" in severities:
        return "red"
    if "warning" in severities:
        return "amber"
    return "green"


def state_of(item: ComplianceItem) -> str:
    """What a count says of an item: a submission's status, or the rule a sweep flagged."""
    return item.status or item.code


def summarize(view: ComplianceView, computed_ns: int, seen: int = 0) -> Summary:
    counts = Counter((i.kind, state_of(i)) for i in view.items)
    return Summary(afm=view.afm, light=light(view.items),
                   counts=[(k, s, n) for (k, s), n in sorted(counts.items())],
                   exposure_eur=Decimal(view.total_exposure_eur),
                   next_due=min((i.due_at for i in view.items), default=None), as_of=view.as_of,
                   open_items=len(view.items), computed_ns=computed_ns, changes=seen, seen=seen)


@dataclass
class BusinessState:
    """What the business page shows: the compliance view, each kind's part of the page (by name,
    ``registry.PAGE_PARTS``), the upstream incidents — as kept, or just computed."""

    summary: Summary
    view: ComplianceView
    parts: dict[str, list[Any]] = field(default_factory=dict)
    incidents: list[Any] = field(default_factory=list)


def refresh(deps: Deps, tenant: str, afm: str, now: datetime) -> BusinessState:
    """Compute the business's view and page parts now and keep them (unless a newer reading is kept)."""
    from ..kinds import registry
    from .compliance import view

    started = time.time_ns()   # wall clock, not the injected one: it orders readings, it is no deadline
    seen = deps.summaries.changes(tenant, afm)   # first: a change counted after this is not in the figures
    # Each part read once: the page's, and the view's (``known``).
    parts = {name: part.read(deps, tenant, afm) for name, part in registry.page_parts().items()}
    current = view(deps, tenant, afm, now, parts)
    incidents = [i for upstream in registry.INCIDENT_NOTICES
                 for i in deps.incidents.of_employer(tenant, afm, upstream, limit=INCIDENTS_SHOWN)[0]]
    state = BusinessState(summarize(current, started, seen), current, parts, incidents)
    deps.summaries.put(tenant, state.summary, {
        "view": current.model_dump(mode="json"),
        **{name: [p.model_dump(mode="json") for p in found] for name, found in parts.items()},
        "incidents": [i.model_dump(mode="json") for i in incidents]})
    return state


def business(deps: Deps, tenant: str, afm: str, now: datetime) -> BusinessState:
    """The business page's state: as kept, or computed (and kept) when none is or it is behind."""
    kept = deps.summaries.page(tenant, afm)
    if kept is None or kept[0].behind:
        return refresh(deps, tenant, afm, now)
    from ..kinds import registry
    from ..models.incidents import Incident

    summary, page = kept
    return BusinessState(summary, ComplianceView.model_validate(page["view"]),
                         {name: part.load(page.get(name, [])) for name, part in registry.page_parts().items()},
                         [Incident.model_validate(i) for i in page.get("incidents", [])])


def overview(deps: Deps, tenant: str, afms: Iterable[str], now: datetime) -> list[Summary]:
    """One summary per business, ΑΦΜ order: as kept (read by key), computed only for a business that has
    none yet or whose figures are behind a change just made — at most :data:`INLINE_LIMIT` of them
    (in a burst the rest show as kept, with their "as of", until the stream has caught up)."""
    wanted = sorted(set(afms))
    kept = deps.summaries.of_businesses(tenant, wanted)
    rows = []
    budget = INLINE_LIMIT
    for afm in wanted:
        row = kept.get(afm)
        if (row is None or row.behind) and (budget > 0 or row is None):
            budget -= 1
            row = refresh(deps, tenant, afm, now).summary
        rows.append(row)
    return rows


def touched(records: Iterable[dict[str, Any]]) -> list[tuple[tuple[str, str], str]]:
    """The (tenant, ΑΦΜ) each stream record concerns, once each, with the sequence number of its first
    record (where a failed batch resumes). Records of anything else are passed over."""
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        change = record.get("dynamodb") or {}
        found = _business_of(change)
        if found is not None and found not in seen:
            seen[found] = str(change.get("SequenceNumber", ""))
    return list(seen.items())


def _text(attributes: dict[str, Any], name: str) -> str:
    value = attributes.get(name)
    return str(value.get("S", "")) if isinstance(value, dict) else ""


def _business_of(change: dict[str, Any]) -> tuple[str, str] | None:
    keys = change.get("Keys") or {}
    pk, sk = _text(keys, "PK"), _text(keys, "SK")
    if not pk.startswith("TENANT#"):
        return None
    rest = pk.removeprefix("TENANT#")
    if FLAGS in rest:
        tenant, _, afm = rest.partition(FLAGS)
        return (tenant, afm) if tenant and afm else None
    if "#" in rest or not sk.startswith(WATCHED):
        return None
    old, new = change.get("OldImage") or {}, change.get("NewImage") or {}
    if sk.startswith("SUB#") and old and new and _text(old, "status") == _text(new, "status"):
        return None   # a submission written again without a change of status: its view is as it was
    image = new or old
    afm = _text(image, "afm")
    return (rest, afm) if rest and afm else None


def from_stream(deps: Deps, records: list[dict[str, Any]], now: datetime) -> list[str]:
    """Refresh each business a batch of stream records touched; the sequence numbers to retry from
    (the first record of the first business that failed, as Lambda's partial batch response wants)."""
    from ..store.index import Busy

    for (tenant, afm), sequence in touched(records):
        tenant_item = deps.index.get_tenant(tenant)
        if tenant_item is None or afm not in tenant_item.get("afms", []):
            continue   # a business no longer the tenant's (or a record of another table's shape)
        try:
            refresh(deps, tenant, afm, now)
        except Busy:
            return [sequence]
    return []


def refresh_stale(deps: Deps, now: datetime, limit: int = STALE_LIMIT) -> int:
    """The pump's: every kept summary older than :data:`MAX_AGE` made anew — oldest first, at most
    ``limit``. A business with none yet gets one when a page or the stream first asks; summaries of
    ΑΦΜ no longer the tenant's go."""
    due: list[tuple[datetime, str, str]] = []
    for tenant in deps.index.list_tenants():
        tenant_item = deps.index.get_tenant(tenant) or {}
        afms = {str(a) for a in tenant_item.get("afms", [])}
        kept = deps.summaries.of_tenant(tenant)
        for afm in set(kept) - afms:
            deps.summaries.forget(tenant, afm)
        for afm, summary in kept.items():
            if afm in afms and summary.as_of < now - MAX_AGE:
                due.append((summary.as_of, tenant, afm))
    due.sort()
    for _, tenant, afm in due[:limit]:
        refresh(deps, tenant, afm, now)
    return min(len(due), limit)
