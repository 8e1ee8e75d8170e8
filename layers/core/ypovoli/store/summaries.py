"""Each business's summary — what the console's overview row and business page show — kept in the
index table and made anew from the table's stream on every change that touches the business
(``services/summaries.py``; docs/architecture.md, 79).

Items, in a partition of their own (``SUMMARIES#{tenant}``):

* ``{afm}`` — the business's own: its figures packed in one attribute ``row``, and ``page_z``, the
  compliance view, each kind's page part and the incidents as deflated JSON: the business page's,
  one ``GetItem``.
* ``#BOARD#00`` … ``#BOARD#15`` — the overview's: maps ``rows`` (ΑΦΜ → the packed row), ``ns`` (ΑΦΜ →
  ``computed_ns``) and ``changes`` (ΑΦΜ → count), each ΑΦΜ on the board its CRC names. The overview
  reads the boards it needs by key: what a read costs follows the values it returns, and 200 rows as
  200 map entries cost a quarter of 200 items (moto's serializer, botocore's parser, DynamoDB's RCUs).

Two refreshes of one business may run at once (two stream shards, the pump): a write is conditional on
``computed_ns``, the wall-clock moment its reads began, so an older reading never replaces a newer one.

The stream runs a moment behind the write. So that a page never shows less than the reader already saw
elsewhere (the API said «transmitted»), each status change also counts itself on the row right after
its transaction (``touch``: the board's ``changes`` + 1); a refresh keeps the count it read first as ``seen``, and a
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
from .items import batch_get, conditional, item, plain, values

#: A tenant's rows are kept on this many board items (``#BOARD#00``…), each ΑΦΜ on one of them by its
#: CRC: the overview reads a few items whatever the office's size, and an item holds ~1,000 rows (400 KB).
BOARD_SHARDS = 16
BOARD = "#BOARD#"
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


def board_shard(afm: str) -> int:
    return zlib.crc32(afm.encode()) % BOARD_SHARDS


class Summaries(TableStore):
    def _key(self, tenant: str, afm: str) -> dict[str, Any]:
        return item({"PK": summaries_pk(tenant), "SK": afm})

    def _board(self, tenant: str, shard: int) -> dict[str, Any]:
        return item({"PK": summaries_pk(tenant), "SK": f"{BOARD}{shard:02d}"})

    def _on_board(self, tenant: str, afm: str, **request: Any) -> bool:
        """One update of the afm's entries on its board item (``#e`` names the ΑΦΜ), the item and its
        maps made first if it has none yet — a nested path cannot be written into a map not there."""
        condition = request.pop("ConditionExpression", "")
        key = self._board(tenant, board_shard(afm))
        names = {**request.pop("ExpressionAttributeNames", {}), "#e": afm}
        for first in (True, False):
            if conditional(self._ddb.update_item, TableName=self.table, Key=key, ExpressionAttributeNames=names,
                           ConditionExpression="attribute_exists(#rows)" + (f" AND ({condition})" if condition else ""),
                           **request) is not None:
                return True
            if not first:
                return False
            # Either the board has no maps yet, or the condition refused: make the maps (a no-op when
            # they are there) and ask once more.
            self._ddb.update_item(
                TableName=self.table, Key=key, ExpressionAttributeValues=values({":none": {}}),
                ExpressionAttributeNames={"#rows": "rows", "#ns": "ns", "#changes": "changes"},
                UpdateExpression="SET #rows = if_not_exists(#rows, :none), #ns = if_not_exists(#ns, :none), "
                                 "#changes = if_not_exists(#changes, :none)")
        return False

    def touch(self, tenant: str, afm: str) -> None:
        """A change of the business's was just committed: count it on its board."""
        self._on_board(tenant, afm, UpdateExpression="SET #changes.#e = if_not_exists(#changes.#e, :zero) + :one",
                       ExpressionAttributeNames={"#rows": "rows", "#changes": "changes"},
                       ExpressionAttributeValues=values({":zero": 0, ":one": 1}))

    def changes(self, tenant: str, afm: str) -> int:
        """The count of changes so far (read before a refresh reads anything else)."""
        got = self._ddb.get_item(TableName=self.table, Key=self._board(tenant, board_shard(afm)), ConsistentRead=True,
                                 ProjectionExpression="#changes.#e",
                                 ExpressionAttributeNames={"#changes": "changes", "#e": afm})
        return int(plain(got.get("Item", {})).get("changes", {}).get(afm, 0))

    def put(self, tenant: str, summary: Summary, page: dict[str, Any] | None) -> bool:
        """Keep ``summary`` (and its business page) unless a newer reading is already kept: the business's
        own item first, then its row on the board, each conditional on ``computed_ns``. The count of
        changes is left as it is (``summary.seen`` says how many of them the figures include)."""
        page_z = zlib.compress(json.dumps(page, separators=(",", ":")).encode(), 6) if page is not None else None
        fits = page_z is not None and len(page_z) <= PAGE_LIMIT
        update = "SET #row = :row, computed_ns = :ns" + (", page_z = :page" if fits else " REMOVE page_z")
        row = _row(summary)
        kept = conditional(self._ddb.update_item, TableName=self.table, Key=self._key(tenant, summary.afm),
                           UpdateExpression=update, ExpressionAttributeNames={"#row": "row"},
                           ConditionExpression="attribute_not_exists(computed_ns) OR computed_ns < :ns",
                           ExpressionAttributeValues=values({":row": row, ":ns": summary.computed_ns,
                                                             **({":page": page_z} if fits else {})})) is not None
        # The board follows even when the item refused: a crash between the two writes left the board
        # behind the item, and the next reading as new as the item's repairs it.
        boarded = self._on_board(
            tenant, summary.afm, UpdateExpression="SET #rows.#e = :row, #ns.#e = :ns",
            ConditionExpression="attribute_not_exists(#ns.#e) OR #ns.#e < :ns",
            ExpressionAttributeNames={"#rows": "rows", "#ns": "ns"},
            ExpressionAttributeValues=values({":row": row, ":ns": summary.computed_ns}))
        return kept or boarded

    def _boards(self, tenant: str, shards: list[int]) -> dict[str, Summary]:
        found = batch_get(self._ddb, self.table, [self._board(tenant, shard) for shard in shards],
                          attributes=("rows", "changes"))
        rows: dict[str, Summary] = {}
        for raw in found:
            changes = raw.get("changes", {}).get("M", {})
            for afm, packed in raw.get("rows", {}).get("M", {}).items():
                rows[afm] = _summary_of(afm, str(packed["S"]), int(changes.get(afm, {}).get("N", 0)))
        return rows

    def of_tenant(self, tenant: str) -> dict[str, Summary]:
        """Every summary on the tenant's boards, by ΑΦΜ: the pump's, which also finds rows of ΑΦΜ the
        tenant let go."""
        return self._boards(tenant, list(range(BOARD_SHARDS)))

    def of_businesses(self, tenant: str, afms: list[str]) -> dict[str, Summary]:
        """The kept summaries of ``afms``, by ΑΦΜ: their boards read by key (BatchGetItem of at most
        :data:`BOARD_SHARDS` items), never a query — the overview's read, whose cost follows the office's
        businesses and nothing else."""
        wanted = set(afms)
        rows = self._boards(tenant, sorted({board_shard(afm) for afm in wanted}))
        return {afm: row for afm, row in rows.items() if afm in wanted}

    def page(self, tenant: str, afm: str) -> tuple[Summary, dict[str, Any]] | None:
        """A business's kept summary and page; ``None`` when none is kept, or its page was too large."""
        got = self._ddb.get_item(TableName=self.table, Key=self._key(tenant, afm))
        data = plain(got["Item"]) if "Item" in got else None
        if data is None or "row" not in data or "page_z" not in data:
            return None
        summary = _summary_of(afm, str(data["row"]), self.changes(tenant, afm))
        return summary, json.loads(zlib.decompress(bytes(data["page_z"])))

    def forget(self, tenant: str, afm: str) -> None:
        """A business no longer the tenant's: its summary goes, item and board row."""
        self._ddb.delete_item(TableName=self.table, Key=self._key(tenant, afm))
        conditional(self._ddb.update_item, TableName=self.table, Key=self._board(tenant, board_shard(afm)),
                    UpdateExpression="REMOVE #rows.#e, #ns.#e, #changes.#e",
                    ConditionExpression="attribute_exists(#rows)",
                    ExpressionAttributeNames={"#rows": "rows", "#ns": "ns", "#changes": "changes", "#e": afm})


def _row(summary: Summary) -> str:
    """The figures as one attribute: the overview reads 200 rows at once, and an attribute costs its
    read's parsing more than its bytes (moto's serializer most of all)."""
    return json.dumps({"light": summary.light, "counts": summary.counts, "exposure_eur": f"{summary.exposure_eur:.2f}",
                       "next_due": summary.next_due.isoformat() if summary.next_due else None,
                       "as_of": summary.as_of.isoformat(), "open_items": summary.open_items,
                       "computed_ns": summary.computed_ns, "seen": summary.seen},
                      separators=(",", ":"), ensure_ascii=False)


def _summary_of(afm: str, packed: str, changes: int) -> Summary:
    row = json.loads(packed)
    return Summary(afm=afm, light=str(row["light"]),
                   counts=[(str(k), str(s), int(n)) for k, s, n in row["counts"]],
                   exposure_eur=Decimal(str(row["exposure_eur"])),
                   next_due=datetime.fromisoformat(row["next_due"]) if row.get("next_due") else None,
                   as_of=datetime.fromisoformat(row["as_of"]), open_items=int(row.get("open_items", 0)),
                   computed_ns=int(row["computed_ns"]), changes=changes, seen=int(row.get("seen", 0)))
