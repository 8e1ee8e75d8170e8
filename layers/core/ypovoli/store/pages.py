"""Cursor pagination for every listing: one page of a DynamoDB query, and the cursor of the next.

A cursor is the key of the last item shown (base64 of its key attributes), so a page never skips what
a filter kept after the limit was reached. It is checked against the listing it is used for — the same
partition, the same key prefix — before it reaches DynamoDB: a cursor of another tenant, ΑΦΜ or listing
is refused (:class:`BadCursor`, a 400), never a way into someone else's items, and never a 500 for a
start key outside the query's bounds.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class BadCursor(ValueError):
    """A listing cursor that is not ours, or not for this listing."""


@dataclass(frozen=True)
class Listing:
    """Where a listing's items live: the key attributes of its index (table key first), the values its
    cursor must hold exactly (the partition), and the prefixes its sort key must start with."""

    key_names: Sequence[str]
    equal: Mapping[str, str] = field(default_factory=dict)
    prefixed: Mapping[str, str] = field(default_factory=dict)

    def encode(self, attributes: Mapping[str, Any]) -> str:
        position = {k: attributes[k]["S"] for k in self.key_names}
        return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> dict[str, Any]:
        try:
            position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            if not isinstance(position, dict) or set(position) != set(self.key_names) \
                    or not all(isinstance(v, str) for v in position.values()):
                raise ValueError("shape")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadCursor("not a cursor of this listing") from exc
        if any(position[k] != v for k, v in self.equal.items()) \
                or any(not position[k].startswith(p) for k, p in self.prefixed.items()):
            raise BadCursor("not a cursor of this listing")
        return {k: {"S": v} for k, v in position.items()}


def query_page(ddb: Any, listing: Listing, limit: int, cursor: str | None,
               whole: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
               **request: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Up to ``limit`` items of the query (reading on past pages a filter emptied), and the cursor of the
    next page — ``None`` when fewer than ``limit`` were found. A full page may be the last: the next
    then answers empty, without a cursor. ``whole``: what a page of a ``KEYS_ONLY`` index found, read
    whole (and filtered: a filter on such an index sees only keys, so it is applied there)."""
    start = listing.decode(cursor) if cursor else None
    found: list[dict[str, Any]] = []
    filtered = "FilterExpression" in request or whole is not None
    while len(found) < limit:
        got = ddb.query(**request, Limit=max(limit, 25) if filtered else max(limit - len(found), 1),
                        **({"ExclusiveStartKey": start} if start else {}))
        items = got.get("Items", [])
        found.extend((whole(items) if whole is not None and items else items)[: limit - len(found)])
        start = got.get("LastEvaluatedKey")
        if not start:
            break
    return found, listing.encode(found[-1]) if len(found) == limit else None


def page_of_sorted(values: Iterable[str], limit: int, cursor: str | None) -> tuple[list[str], str | None]:
    """A page of an in-memory sorted listing (of distinct strings): those after the cursor's value."""
    after = ""
    if cursor:
        try:
            after = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadCursor("not a cursor of this listing") from exc
    rest = [v for v in sorted(values) if v > after]
    page = rest[:limit]
    more = len(rest) > limit
    return page, base64.urlsafe_b64encode(page[-1].encode()).decode().rstrip("=") if more and page else None
