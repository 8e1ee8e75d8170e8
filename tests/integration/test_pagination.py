"""Every listing of the API pages the same way (issue 16 §3): ``?limit=`` and a ``next`` path to follow,
absent on the last page; every item once, newest first; a cursor never opens another listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import ISSUER, OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.pske_factory import clean_request


def walk(first: str, key: str = KEYS["acme"]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every item of a listing, following ``next`` from ``first``; and the cursors met on the way."""
    items: list[dict[str, Any]] = []
    cursors: list[str] = []
    path: str | None = first
    for _ in range(20):
        assert path is not None
        status, page = call("GET", path, key=key)
        assert status == 200, page
        items += page["items"]
        path = page.get("next")
        if path is None:
            assert "next_cursor" not in page
            return items, cursors
        cursors.append(page["next_cursor"])
        assert parse_qs(urlsplit(path).query)["cursor"] == [page["next_cursor"]]
        assert parse_qs(urlsplit(path).query)["limit"] == parse_qs(urlsplit(first).query)["limit"]
    raise AssertionError("the listing never ended")


def _invoices(world: World) -> list[str]:
    ids = []
    for n in range(5):
        world.clock.advance(dt.timedelta(seconds=1))
        status, body = call("POST", "/v1/invoices", body=invoice(aa=f"P-{n}"))
        assert status == 202, body
        ids.append(body["id"])
    return ids


def _dossiers(world: World) -> list[str]:
    ids = []
    for n in range(3):
        world.clock.advance(dt.timedelta(seconds=1))
        request = clean_request()
        request["afm"], request["invoices"][0]["number"] = ISSUER, f"D-{n}"
        status, body = call("POST", "/v1/dossiers", body=request)
        assert status in (201, 422), body
        ids.append(body["id"])
    return ids


def _incidents(world: World) -> list[str]:
    starts = []
    for n in range(3):
        since = world.clock.now() - dt.timedelta(hours=3 - n)
        world.deps.incidents.held("ergani", "acme", ISSUER, since, f"sub-{n}", world.clock.now())
        starts.append(since.isoformat())
    return starts


LISTINGS: dict[str, tuple[str, Callable[[World], list[str]], str]] = {
    "invoices": (f"/v1/invoices?afm={ISSUER}&limit=2", _invoices, "id"),
    "dossiers": (f"/v1/dossiers?afm={ISSUER}&limit=2", _dossiers, "id"),
    "incidents": (f"/v1/businesses/{ISSUER}/incidents?limit=2", _incidents, "start"),
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_a_listing_comes_a_page_at_a_time_newest_first(world: World, name: str) -> None:
    first, make, field = LISTINGS[name]
    made = make(world)
    items, cursors = walk(first)
    assert [str(item[field]) if field != "start" else dt.datetime.fromisoformat(item["start"]).isoformat()
            for item in items] == list(reversed(made))
    assert cursors, "more items than a page, yet no next page"
    # A cursor opens only its own listing: not another tenant's, not another ΑΦΜ's.
    other = first.split("?")[0].replace(ISSUER, OTHER_AFM)
    status, refused = call("GET", f"{other}?afm={OTHER_AFM}&cursor={cursors[0]}", key=KEYS["other"])
    assert status == 400 and refused["findings"][0]["code"] == "REQUEST-QUERY", refused
    status, refused = call("GET", f"{first}&cursor=bm90LWEtY3Vyc29y")
    assert status == 400 and refused["status"] == "invalid"


def test_webhook_deliveries_and_businesses_page_too(world: World) -> None:
    _invoices(world)
    deliveries, cursors = walk("/v1/webhook/deliveries?limit=2")
    assert len(deliveries) >= 5 and cursors
    assert len({d["event_id"] for d in deliveries}) == len(deliveries)   # every one once
    assert call("GET", f"/v1/webhook/deliveries?limit=2&cursor={cursors[0]}", key=KEYS["other"])[0] == 400
    world.deps.index.put_tenant("acme", "ACME", [ISSUER, "100000015", "123456783"])
    businesses, cursors = walk("/v1/businesses?limit=1")
    assert [b["afm"] for b in businesses] == sorted([ISSUER, "100000015", "123456783"]) and len(cursors) == 2


def test_limit_must_be_a_number_and_is_kept_within_bounds(world: World) -> None:
    _invoices(world)
    assert call("GET", f"/v1/invoices?afm={ISSUER}&limit=lots")[0] == 400
    status, page = call("GET", f"/v1/invoices?afm={ISSUER}&limit=0")
    assert status == 200 and len(page["items"]) == 1   # brought up to 1
    status, page = call("GET", f"/v1/invoices?afm={ISSUER}&limit=5000")
    assert status == 200 and len(page["items"]) == 5 and "next" not in page


def test_a_kind_s_listing_pages_past_the_other_kinds_and_statuses_of_the_same_afm(world: World) -> None:
    # ByAfm keeps keys only: kind and status are judged on the items read from the table, page by page.
    from tests.ergani_factory import card_event, workcard

    invoices = []
    for n in range(4):
        world.clock.advance(dt.timedelta(seconds=1))
        status, body = call("POST", "/v1/invoices", body=invoice(aa=f"K-{n}"))
        assert status == 202, body
        invoices.append(body["id"])
        for m in range(2):
            world.clock.advance(dt.timedelta(seconds=1))
            card = workcard(card_event("start", world.clock.now(), afm="123456783" if m else "100000015"),
                            employer=ISSUER)
            card["Cards"]["Card"][0]["f_comments"] = f"K-{n}-{m}"
            status, body = call("POST", "/v1/workcards", body=card)
            assert status == 202, body
    items, _ = walk(f"/v1/invoices?afm={ISSUER}&limit=3")
    assert [i["id"] for i in items] == invoices[::-1]
    items, _ = walk(f"/v1/invoices?afm={ISSUER}&limit=2&status=accepted")
    assert [i["id"] for i in items] == invoices[::-1]
    assert walk(f"/v1/invoices?afm={ISSUER}&limit=2&status=transmitted")[0] == []
    items, _ = walk(f"/v1/workcards?afm={ISSUER}&limit=5")
    assert len(items) == 8 and not set(invoices) & {i["id"] for i in items}
