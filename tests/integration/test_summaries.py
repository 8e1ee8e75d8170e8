"""Issue 33 §8: each business's summary kept current on every status change — by the index table's stream
through the sweeper (as Lambda's mapping feeds it, template.yaml's filters applied), by the pump for
what time alone changes, by the console's own acts — so the overview and the business page read it
and never compute a compliance view per business per page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ypovoli.findings import Severity
from ypovoli.models.compliance import ComplianceItem
from ypovoli.services import summaries
from ypovoli.store.compliance import Flag
from ypovoli.store.summaries import Summary
from ypovoli_local.handlers import ROOT
from ypovoli_local.pollers import matches
from ypovoli_local.template import load_template

from tests.factories import ISSUER, OTHER_AFM, invoice
from tests.integration.conftest import World
from tests.integration.test_api import call
from tests.integration.test_console import PASSWORD, page, sign_in
from tests.integration.test_transmit import run_transmitter

pytestmark = pytest.mark.stream


def _counts(world: World, tenant: str = "acme", afm: str = ISSUER) -> dict[tuple[str, str], int]:
    kept = world.deps.summaries.of_tenant(tenant)[afm]
    return {(k, s): n for k, s, n in kept.counts}


def test_a_submission_moves_its_business_summary_through_the_stream(world: World) -> None:
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="S-1"))
    assert world.settle() > 0
    assert _counts(world) == {("mydata_invoice", "accepted"): 1}
    world.simulator.configure("down")
    run_transmitter(sent["id"])
    world.settle()
    kept = world.deps.summaries.of_tenant("acme")[ISSUER]
    assert _counts(world) == {("mydata_invoice", "deferred"): 1} and kept.light == "amber"
    world.simulator.configure("up")
    world.deps.index.make_due("acme", sent["id"], world.clock.now())
    run_transmitter(sent["id"])
    world.settle()
    kept = world.deps.summaries.of_tenant("acme")[ISSUER]
    assert kept.counts == [] and kept.light == "green" and kept.exposure_eur == Decimal("0")
    assert OTHER_AFM not in world.deps.summaries.of_tenant("acme")   # the other tenant's business is theirs


def test_the_console_reads_the_kept_summary_and_computes_no_view(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    call("POST", "/v1/invoices", body=invoice(aa="S-2"))
    world.settle()
    from ypovoli.services import compliance

    def computed(*_: Any, **__: Any) -> None:
        raise AssertionError("a page computed a compliance view")

    monkeypatch.setattr(compliance, "view", computed)
    status, _, html = page("GET", "/console", session)
    assert status == 200 and ISSUER in html and "S-2" not in html
    status, _, html = page("GET", f"/console/businesses/{ISSUER}", session)
    assert status == 200 and "S-2" in html


def test_a_flag_raised_by_a_sweep_reaches_the_summary(world: World) -> None:
    now = world.clock.now()
    flag = ComplianceItem(kind="ergani_workcard", code="ERGANI-DEVIATION", severity=Severity.WARNING,
                          subject="123456789 2026-11-23", due_at=now, message_el="απόκλιση", message_en="deviation")
    world.deps.flags.replace("acme", ISSUER, "dev#2026-11-23", [Flag("dev#2026-11-23#123456789#x", flag)], now)
    world.settle()
    assert _counts(world) == {("ergani_workcard", "ERGANI-DEVIATION"): 1}
    world.deps.flags.replace("acme", ISSUER, "dev#2026-11-23", [], now)   # judged again: cleared
    world.settle()
    assert _counts(world) == {}


def test_an_older_reading_never_replaces_a_newer_one(world: World) -> None:
    now = world.clock.now()
    newer = Summary(afm=ISSUER, light="red", counts=[("mydata_invoice", "overdue", 2)], exposure_eur=Decimal("500"),
                    next_due=now, as_of=now, open_items=2, computed_ns=2_000)
    older = Summary(afm=ISSUER, light="green", counts=[], exposure_eur=Decimal("0"), next_due=None, as_of=now,
                    open_items=0, computed_ns=1_000)
    assert world.deps.summaries.put("acme", newer, {"view": {}})
    assert not world.deps.summaries.put("acme", older, {"view": {}})
    assert world.deps.summaries.of_tenant("acme")[ISSUER].light == "red"


def test_the_boards_hold_each_business_once_whatever_shard_it_falls_on(world: World) -> None:
    """The overview's rows live on the tenant's boards (a map per shard): each business on its own
    board, read back by key with its count of changes, another tenant's boards apart, a business let
    go taken off its board."""
    from ypovoli.store.summaries import BOARD_SHARDS, board_shard
    from ypovoli_local.bench_console import _afms

    now = world.clock.now()
    afms = _afms(40)
    assert len({board_shard(afm) for afm in afms}) > BOARD_SHARDS // 2   # they spread over the boards
    for n, afm in enumerate(afms):
        assert world.deps.summaries.put("acme", Summary(
            afm=afm, light="amber", counts=[("mydata_invoice", "deferred", n + 1)], exposure_eur=Decimal(n),
            next_due=now, as_of=now, open_items=n + 1, computed_ns=1_000 + n), {"view": {}})
    world.deps.summaries.touch("acme", afms[3])
    world.deps.summaries.touch("acme", afms[3])
    wanted = afms[:10]
    got = world.deps.summaries.of_businesses("acme", wanted)
    assert sorted(got) == sorted(wanted)
    assert [got[afm].open_items for afm in wanted] == list(range(1, 11))
    assert got[afms[3]].changes == 2 and got[afms[3]].behind and not got[afms[4]].behind
    assert world.deps.summaries.page("acme", afms[3]) is not None
    assert world.deps.summaries.of_businesses("other", wanted) == {}   # the other tenant's boards are theirs
    world.deps.summaries.forget("acme", afms[5])
    assert afms[5] not in world.deps.summaries.of_tenant("acme") and len(world.deps.summaries.of_tenant("acme")) == 39
    assert world.deps.summaries.page("acme", afms[5]) is None


def test_the_pump_makes_anew_what_time_alone_changed_and_forgets_a_business_let_go(world: World) -> None:
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="S-3"))
    world.settle()
    before = world.deps.summaries.of_tenant("acme")[ISSUER]
    world.clock.advance(summaries.MAX_AGE + timedelta(minutes=1))
    assert summaries.refresh_stale(world.deps, world.clock.now()) >= 1
    after = world.deps.summaries.of_tenant("acme")[ISSUER]
    assert after.as_of > before.as_of
    assert summaries.refresh_stale(world.deps, world.clock.now()) == 0   # all fresh: nothing to do
    world.deps.index.set_afms("acme", [])
    summaries.refresh_stale(world.deps, world.clock.now())
    assert ISSUER not in world.deps.summaries.of_tenant("acme")
    assert sent["id"]


def _record(pk: str, sk: str, old: dict[str, Any] | None, new: dict[str, Any] | None, seq: int) -> dict[str, Any]:
    change: dict[str, Any] = {"Keys": {"PK": {"S": pk}, "SK": {"S": sk}}, "SequenceNumber": str(seq)}
    if old is not None:
        change["OldImage"] = {k: {"S": v} for k, v in old.items()}
    if new is not None:
        change["NewImage"] = {k: {"S": v} for k, v in new.items()}
    return {"eventName": "MODIFY" if old and new else "INSERT" if new else "REMOVE", "dynamodb": change}


def test_which_records_touch_which_business_and_the_templates_filters_agree() -> None:
    records = [
        _record("TENANT#acme", "SUB#1", None, {"afm": ISSUER, "status": "accepted"}, 1),
        _record("TENANT#acme", "SUB#1", {"afm": ISSUER, "status": "accepted"},
                {"afm": ISSUER, "status": "accepted"}, 2),                      # no change of status
        _record("TENANT#acme", "EVENT#x", None, {"afm": ISSUER}, 3),            # an event: not the view's
        _record(f"TENANT#other#FLAGS#{OTHER_AFM}", "dev#1", None, {"raised_at": "2026-11-23"}, 4),
        _record("TENANT#acme", "SUB#2", None, {"afm": ISSUER, "status": "accepted"}, 5),
        _record("SUMMARIES#acme", ISSUER, None, {"light": "red"}, 6),          # its own writes: never a loop
        _record("TENANT#acme", "DOSSIER#d", {"afm": "094019245"}, None, 7),
    ]
    assert summaries.touched(records) == [(("acme", ISSUER), "1"), (("other", OTHER_AFM), "4"),
                                          (("acme", "094019245"), "7")]
    events = load_template(ROOT / "template.yaml")["Resources"]["SweeperFunction"]["Properties"]["Events"]
    patterns = [json.loads(f["Pattern"]) for f in events["Summaries"]["Properties"]["FilterCriteria"]["Filters"]]
    passed = [r["dynamodb"]["SequenceNumber"] for r in records if any(matches(p, r) for p in patterns)]
    assert passed == ["1", "2", "4", "5", "7"]   # what Lambda lets through; the handler judges the rest


def test_a_page_never_shows_less_than_a_change_already_answered(world: World) -> None:
    """The stream runs a moment behind: a change counted on the row tells the page its figures are behind."""
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="S-4"))
    world.settle()
    assert world.deps.summaries.of_tenant("acme")[ISSUER].light == "green"
    world.simulator.configure("down")
    run_transmitter(sent["id"])                     # deferred: committed, counted, the stream not yet read
    kept = world.deps.summaries.of_tenant("acme")[ISSUER]
    assert kept.behind and kept.light == "green"
    html = page("GET", "/console", session)[2]
    assert 'data-light="amber"' in html
    assert not world.deps.summaries.of_tenant("acme")[ISSUER].behind
    world.simulator.configure("up")
