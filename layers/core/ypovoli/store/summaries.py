"""Each business's summary — what the console's overview row and business page show — kept in the
index table and made anew from the table's stream on every change that touches the business
(``services/summaries.py``; docs/architecture.md, 79).

Items: ``SUMMARIES#{tenant}`` / ``{afm}``, a partition of their own. The figures, packed in one
attribute ``row``, are what the overview reads, by key (a projection of a BatchGetItem); ``page_z`` —
the compliance view, the ΠΣΚΕ requests and the ERGANI incidents, deflated JSON — is the business
page's, one ``GetItem``.

Two refreshes of one business may run at once (two stream shards, the pump): a write is conditional on
``computed_ns``, the wall-clock moment its reads began, so an older reading never replaces a newer one.

The stream runs a moment behind the write. So that a page never shows less than the reader already saw
elsewhere (the API said «transmitted»), each status change also counts itself on the row right after
its transaction (``touch``: ``changes`` + 1); a refresh keeps the count it read first as ``seen``, and a
row with ``changes > seen`` is known to be behind — the page makes that business's summary anew.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .aws import TableStore
from .items import batch_get, conditional, item, plain, query_items, values

#: What the overview reads of each row (``page_z`` is left where it is).
ROW_FIELDS = ("SK", "row", "changes")
#: DynamoDB's item limit is 400 KB; a page larger than this once deflated is not kept (the business
#: page computes it instead) rather than refused with the row.
PAGE_LIMIT = 300_000


def summaries_pk(tenant: str) -> str:
    return f"SUMMARIES#{tenant}"


@dataclass(frozen=True)
class Summary:
    afm: str
    #: ``red`` / ``amber`` / ``green`` (``services.summaries.light``).
    light: str
    #: (kind, state, count): a state is a submission's status or the rule a sweep flagged.
    counts: list[tuple[str, str, int]]
    exposure_eur: Decimal
    next_due: datetime | None
    #: The (injected) moment the view was computed for: what "as of" the pages say.
    as_of: datetime
    open_items: int
    computed_ns: int
    #: Status changes counted on the row (``touch``), and how many of them the kept figures include.
    changes: int = 0
    seen: int = 0

    @property
    def behind(self) -> bool:
        """A change was made after these figures were read: they are not to be shown as current."""
        return self.changes > self.seen


class Summaries(TableStore):
    def _key(self, tenant: str, afm: str) -> dict[str, Any]:
        return item({"PK": summaries_pk(tenant), "SK": afm})

    def touch(self, tenant: str, afm: str) -> None:
        """A change of the business's was just committed: count it (a row is made if none is kept)."""
        self._ddb.update_item(TableName=self.table, Key=self._key(tenant, afm), UpdateExpression="ADD changes :one",
                              ExpressionAttributeValues=values({":one": 1}))

    def changes(self, tenant: str, afm: str) -> int:
        """The count of changes so far (read before a refresh reads anything else)."""
        got = self._ddb.get_item(TableName=self.table, Key=self._key(tenant, afm), ConsistentRead=True,
                                 ProjectionExpression="changes")
        return int(plain(got["Item"]).get("changes", 0)) if "Item" in got else 0

    def put(self, tenant: str, summary: Summary, page: dict[str, Any] | None) -> bool:
        """Keep ``summary`` (and its business page) unless a newer reading is already kept; the row's
        count of changes is left as it is (``summary.seen`` says how many of them it includes)."""
        page_z = zlib.compress(json.dumps(page, separators=(",", ":")).encode(), 6) if page is not None else None
        fits = page_z is not None and len(page_z) <= PAGE_LIMIT
        update = "SET #row = :row, computed_ns = :ns" + (", page_z = :page" if fits else " REMOVE page_z")
        return conditional(self._ddb.update_item, TableName=self.table, Key=self._key(tenant, summary.afm),
                           UpdateExpression=update, ExpressionAttributeNames={"#row": "row"},
                           ConditionExpression="attribute_not_exists(computed_ns) OR computed_ns < :ns",
                           ExpressionAttributeValues=values({":row": _row(summary), ":ns": summary.computed_ns,
                                                             **({":page": page_z} if fits else {})})) is not None

    def of_tenant(self, tenant: str) -> dict[str, Summary]:
        """Every kept summary of the tenant, by ΑΦΜ (one query of their partition, the rows only): the
        pump's, which also finds rows of ΑΦΜ the tenant let go."""
        found = query_items(self._ddb, None, 500, TableName=self.table,
                            KeyConditionExpression="PK = :pk", ProjectionExpression=", ".join(
                                f"#a{i}" for i in range(len(ROW_FIELDS))),
                            ExpressionAttributeNames={f"#a{i}": name for i, name in enumerate(ROW_FIELDS)},
                            ExpressionAttributeValues=values({":pk": summaries_pk(tenant)}))
        rows = (_summary(plain(raw)) for raw in found)
        return {row.afm: row for row in rows if row is not None}

    def of_businesses(self, tenant: str, afms: list[str]) -> dict[str, Summary]:
        """The kept summaries of ``afms``, by ΑΦΜ: their rows read by key (BatchGetItem), never a query —
        the overview's read, whose cost follows the office's businesses and nothing else."""
        found = batch_get(self._ddb, self.table, [self._key(tenant, afm) for afm in afms],
                          attributes=ROW_FIELDS)
        rows = (_summary(plain(raw)) for raw in found)
        return {row.afm: row for row in rows if row is not None}

    def page(self, tenant: str, afm: str) -> tuple[Summary, dict[str, Any]] | None:
        """A business's kept summary and page; ``None`` when none is kept, or its page was too large."""
        got = self._ddb.get_item(TableName=self.table, Key=self._key(tenant, afm))
        data = plain(got["Item"]) if "Item" in got else None
        summary = _summary(data) if data is not None else None
        if data is None or summary is None or "page_z" not in data:
            return None
        return summary, json.loads(zlib.decompress(bytes(data["page_z"])))

    def forget(self, tenant: str, afm: str) -> None:
        """A business no longer the tenant's: its summary goes."""
        self._ddb.delete_item(TableName=self.table, Key=self._key(tenant, afm))


def _row(summary: Summary) -> str:
    """The figures as one attribute: the overview reads 200 rows at once, and an attribute costs its
    read's parsing more than its bytes (moto's serializer most of all)."""
    return json.dumps({"light": summary.light, "counts": summary.counts, "exposure_eur": f"{summary.exposure_eur:.2f}",
                       "next_due": summary.next_due.isoformat() if summary.next_due else None,
                       "as_of": summary.as_of.isoformat(), "open_items": summary.open_items,
                       "computed_ns": summary.computed_ns, "seen": summary.seen},
                      separators=(",", ":"), ensure_ascii=False)


def _summary(data: dict[str, Any]) -> Summary | None:
    """The row as kept; ``None`` for a row that so far only counted changes (never computed)."""
    if "row" not in data:
        return None
    row = json.loads(str(data["row"]))
    return Summary(afm=str(data["SK"]), light=str(row["light"]),
                   counts=[(str(k), str(s), int(n)) for k, s, n in row["counts"]],
                   exposure_eur=Decimal(str(row["exposure_eur"])),
                   next_due=datetime.fromisoformat(row["next_due"]) if row.get("next_due") else None,
                   as_of=datetime.fromisoformat(row["as_of"]), open_items=int(row.get("open_items", 0)),
                   computed_ns=int(row["computed_ns"]), changes=int(data.get("changes", 0)),
                   seen=int(row.get("seen", 0)))
