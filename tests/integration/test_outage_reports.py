"""Outage listing and per-issuer statistics (seed 004), on request and monthly to S3; and the
pull-forward of deferred documents when the link returns."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import boto3
from ypovoli.services.reports import report_key
from ypovoli.status import Status
from ypovoli_local.handlers import LambdaContext, load_function

from tests.factories import ISSUER, OTHER_AFM
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_transmit import accepted


def statuses(world: World, ids: list[str]) -> list[Status]:
    found = [world.deps.index.get_submission("acme", i) for i in ids]
    return [s.status for s in found if s is not None]


def outage_then_recovery(world: World, count: int) -> list[str]:
    ids = [accepted(world, f"9{n:02d}") for n in range(count)]
    world.simulator.configure("down")
    world.drain("TransmitQueue", "transmitter")
    assert statuses(world, ids) == [Status.DEFERRED] * count
    world.simulator.configure("up")
    return ids


def test_link_back_pulls_deferred_documents_forward(world: World) -> None:
    ids = outage_then_recovery(world, 3)
    # Nothing is due yet (each waits out its backoff) — until one call succeeds.
    assert world.drain("TransmitQueue", "transmitter") == 0
    fresh = accepted(world, "950")
    world.drain("TransmitQueue", "transmitter")  # the fresh one succeeds: the link is back
    world.drain("TransmitQueue", "transmitter")  # the three, pulled forward, without moving the clock
    assert statuses(world, [*ids, fresh]) == [Status.TRANSMITTED] * 4
    for sid in ids:
        sub = world.deps.index.get_submission("acme", sid)
        assert sub is not None and sub.receipt is not None and sub.receipt.transmission_failure == 3


def test_outage_report_lists_documents_and_issuer_statistics(world: World) -> None:
    ids = outage_then_recovery(world, 2)
    world.clock.advance(timedelta(hours=1))
    world.deps.index.pull_forward("mydata", world.clock.now())
    for sid in ids:
        world.deps.queue.send("acme", sid)
    world.drain("TransmitQueue", "transmitter")
    assert statuses(world, ids) == [Status.TRANSMITTED] * 2

    status, report = call("GET", "/v1/reports/outages?month=2026-11")
    assert status == 200 and report["month"] == "2026-11"
    assert sorted(d["id"] for d in report["documents"]) == sorted(ids)
    first = report["documents"][0]
    assert first["issuer_afm"] == ISSUER and first["transmission_failure"] == 3 and first["late"] is False
    assert {"issue_date", "document_number", "net_value", "vat_amount", "total_value", "document_type"} <= set(first)
    [stats] = report["issuers"]
    assert stats["issuer_afm"] == ISSUER and stats["documents"] == 2 and stats["by_indicator"] == {"3": 2}
    assert Decimal(stats["vat_amount"]) == sum(Decimal(d["vat_amount"]) for d in report["documents"])
    assert Decimal(stats["longest_delay_hours"]) >= Decimal("1.00")

    assert call("GET", "/v1/reports/outages?month=2026-10")[1]["documents"] == []
    assert call("GET", f"/v1/reports/outages?month=2026-11&afm={ISSUER}")[1]["issuers"] == report["issuers"]
    assert call("GET", f"/v1/reports/outages?month=2026-11&afm={OTHER_AFM}")[0] == 403
    for bad in ("2026-13", "2026-1", "november", ""):
        status, body = call("GET", f"/v1/reports/outages?month={bad}")
        assert status == 400 and body["findings"][0]["code"] == "REQUEST-QUERY"
    theirs = call("GET", "/v1/reports/outages?month=2026-11", key=KEYS["other"])[1]
    assert theirs["documents"] == [] and theirs["issuers"] == []

    # The monthly schedule: the previous Athens month, every tenant, into S3.
    world.clock.advance(timedelta(days=10))
    sweeper = load_function("sweeper")
    result = sweeper.handler({"task": "outage-report"}, LambdaContext("SweeperFunction"))
    assert result["reports"] == {"acme": 2, "other": 0}
    s3 = boto3.client("s3")
    stored = json.loads(s3.get_object(Bucket=world.deps.dossiers.bucket, Key=report_key("acme", "2026-11"))["Body"]
                        .read())
    assert stored["documents"] == report["documents"] and stored["issuers"] == report["issuers"]
    assert sweeper.handler({"task": "outage-report", "month": "2026-1"}, LambdaContext("SweeperFunction"))[
        "error"] == "unknown task"
