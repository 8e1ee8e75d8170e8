"""Webhooks: every status change POSTed, signed, retried with backoff, logged — and never in the
way of a transmission."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import boto3
import pytest
from ypovoli.status import Status
from ypovoli.webhooks.signing import HEADER, verify
from ypovoli_local.handlers import LambdaContext, load_function

from tests.factories import event, invoice
from tests.integration.conftest import KEYS, World, _reset_caches
from tests.integration.test_api import call
from tests.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


def set_webhook(url: str, key: str = KEYS["acme"]) -> str:
    status, body = call("PUT", "/v1/webhook", key=key, body={"url": url})
    assert status == 200, body
    assert body["secret"].startswith("whsec_") and body["secret_hint"] == body["secret"][-4:]
    return str(body["secret"])


def post_invoice(aa: str) -> str:
    status, body = call("POST", "/v1/invoices", body=invoice(aa=aa))
    assert status == 202, body
    return str(body["id"])


def sweep() -> dict:
    result: dict = load_function("sweeper").handler(event("schedule_pump.json"), LambdaContext("SweeperFunction"))
    return result


def test_every_status_change_is_posted_signed_once(world: World, receiver: Receiver) -> None:
    secret = set_webhook(receiver.url)
    sid = post_invoice("701")
    world.drain("WebhookQueue", "webhooks")
    world.clock.advance(timedelta(seconds=1))
    world.drain("TransmitQueue", "transmitter")
    world.drain("WebhookQueue", "webhooks")
    assert receiver.statuses() == ["accepted", "transmitted"]
    now = int(time.time())
    for got in receiver.received:
        assert verify(secret, got.headers[HEADER], got.body, now)
        assert not verify(secret, got.headers[HEADER], got.body.replace(b'"status"', b'"Status"'), now)
        assert not verify("whsec_wrong", got.headers[HEADER], got.body, now)
        assert got.headers["Ypovoli-Event-Id"] == got.event["id"]
    transmitted = receiver.received[1].event
    assert transmitted["data"]["id"] == sid and transmitted["data"]["previous_status"] == "accepted"
    assert transmitted["data"]["receipt"]["mark"]
    # Redelivered nudges do nothing twice.
    sqs = boto3.client("sqs")
    for item in world.table_items():
        if item["SK"]["S"].startswith("EVENT#"):
            sqs.send_message(QueueUrl=world.resources.physical["WebhookQueue"],
                             MessageBody=json.dumps({"tenant": "acme", "id": item["SK"]["S"][6:]}))
    world.drain("WebhookQueue", "webhooks")
    assert len(receiver.received) == 2
    status, log = call("GET", "/v1/webhook/deliveries")
    assert status == 200
    assert [(d["status"], d["delivery"], d["attempts"]) for d in log["items"]] == [
        ("transmitted", "delivered", 1), ("accepted", "delivered", 1)]
    assert log["items"][0]["log"][0]["http_status"] == 200
    # Tenants never see each other's events.
    status, theirs = call("GET", "/v1/webhook/deliveries", key=KEYS["other"])
    assert status == 200 and theirs["items"] == []


def test_failing_receiver_is_retried_with_backoff_and_never_blocks_transmission(
        world: World, receiver: Receiver) -> None:
    set_webhook(receiver.url)
    receiver.status = 500
    sid = post_invoice("702")
    world.drain("WebhookQueue", "webhooks")
    world.drain("TransmitQueue", "transmitter")
    world.drain("WebhookQueue", "webhooks")
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    _, log = call("GET", f"/v1/webhook/deliveries?submission_id={sid}")
    assert [(d["delivery"], d["attempts"]) for d in log["items"]] == [("pending", 1), ("pending", 1)]
    assert all(d["log"][0]["http_status"] == 500 and d["next_attempt_at"] for d in log["items"])
    assert sweep()["hooks"] == 0  # not due yet: backoff holds them
    receiver.status = 204
    world.clock.advance(timedelta(minutes=5))
    assert sweep()["hooks"] == 2
    world.drain("WebhookQueue", "webhooks")
    _, log = call("GET", "/v1/webhook/deliveries")
    assert [(d["delivery"], d["attempts"], len(d["log"])) for d in log["items"]] == [("delivered", 2, 2)] * 2
    assert sorted(receiver.statuses()) == ["accepted", "accepted", "transmitted", "transmitted"]


def test_hanging_receiver_times_out_and_is_given_up_after_the_last_attempt(
        world: World, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YPOVOLI_WEBHOOK_MAX_ATTEMPTS", "2")
    _reset_caches()
    set_webhook(receiver.url)
    receiver.delay_s = 2.0  # beyond the 1 s read timeout
    post_invoice("703")
    world.drain("WebhookQueue", "webhooks")
    world.clock.advance(timedelta(hours=1))
    assert sweep()["hooks"] == 1
    world.drain("WebhookQueue", "webhooks")
    _, log = call("GET", "/v1/webhook/deliveries")
    [only] = log["items"]
    assert only["delivery"] == "failed" and only["attempts"] == 2 and only["next_attempt_at"] is None
    assert all("Timeout" in attempt["error"] for attempt in only["log"])
    world.clock.advance(timedelta(days=1))
    assert sweep()["hooks"] == 0  # given up: off the due index


def test_without_a_webhook_events_are_kept_not_posted(world: World, receiver: Receiver) -> None:
    post_invoice("704")
    world.drain("WebhookQueue", "webhooks")
    _, log = call("GET", "/v1/webhook/deliveries")
    assert [d["delivery"] for d in log["items"]] == ["no_endpoint"]
    assert receiver.received == []
    status, _ = call("GET", "/v1/webhook")
    assert status == 404


def test_webhook_targets_must_be_public_https(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YPOVOLI_WEBHOOK_ALLOW_PRIVATE", "false")
    _reset_caches()
    refused = ["http://203.0.113.9/hook", "https://10.0.0.5/hook", "https://127.0.0.1:8443/hook",
               "https://[::1]/hook", "https://169.254.169.254/latest/meta-data", "https://user:pw@8.8.8.8/x",
               "ftp://8.8.8.8/hook", "https:///nohost"]
    for url in refused:
        status, body = call("PUT", "/v1/webhook", body={"url": url})
        assert status == 422, url
        assert [f["code"] for f in body["findings"]] == ["WEBHOOK-URL"], url
        assert body["findings"][0]["message_el"] and body["findings"][0]["message_en"]
    status, body = call("PUT", "/v1/webhook", body={"url": "https://8.8.8.8/hook", "extra": 1})
    assert status == 422 and body["findings"][0]["code"] == "REQUEST-BODY"
    status, body = call("PUT", "/v1/webhook", raw=b"{not json")
    assert status == 400
    status, body = call("PUT", "/v1/webhook", body={"url": "https://8.8.8.8/hook"})
    assert status == 200
    status, body = call("GET", "/v1/webhook")
    assert status == 200 and body["url"] == "https://8.8.8.8/hook" and body["secret"] is None
    status, _ = call("DELETE", "/v1/webhook")
    assert status == 204
    assert call("GET", "/v1/webhook")[0] == 404
    assert call("PUT", "/v1/webhook", key=None, body={"url": "https://8.8.8.8/hook"})[0] == 401


def test_a_tenant_with_a_trickling_receiver_does_not_delay_another_tenants_event(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18 §5: acme's receiver answers a byte every 0.3 s (no per-read timeout ever fires);
    other's event is still delivered within seconds — one delivery per invocation, consumers in
    parallel as the template's ScalingConfig allows — and acme's deliveries end at their total
    deadline instead of the 40 s the answer would take."""
    import threading

    from ypovoli_local.pollers import QueuePoller
    from ypovoli_local.stack import LOCAL_CONCURRENCY

    from tests.factories import OTHER_AFM

    monkeypatch.setenv("YPOVOLI_WEBHOOK_TIMEOUT_S", "6")
    _reset_caches()
    slow, quick = Receiver(trickle_s=0.3).start(), Receiver().start()
    try:
        set_webhook(slow.url)
        set_webhook(quick.url, key=KEYS["other"])
        post_invoice("801")
        status, body = call("POST", "/v1/invoices", key=KEYS["other"], body=invoice(aa="803", issuer=OTHER_AFM))
        assert status == 202, body
        template = world.resources.functions()["WebhookFunction"]["Events"]["Deliver"]["Properties"]
        assert template["BatchSize"] == 1 and template["ScalingConfig"]["MaximumConcurrency"] >= LOCAL_CONCURRENCY
        stop = threading.Event()
        pollers = []
        for instance in range(LOCAL_CONCURRENCY):
            module = load_function("webhooks", instance=instance or None)
            module.deliverer.cache_clear()
            pollers.append(QueuePoller(boto3.client("sqs"), world.resources.physical["WebhookQueue"],
                                       world.resources.arns["WebhookQueue"], module.handler, "webhooks",
                                       int(template["BatchSize"]), stop))
        started = time.monotonic()
        for poller in pollers:
            poller.start()
        while not quick.received and time.monotonic() - started < 20:
            time.sleep(0.05)
        assert quick.statuses() == ["accepted"]
        # Causal, not timed: other's event arrived while acme's first attempt was still open (its
        # delivery has no logged attempt yet), so it did not wait behind the trickling receiver.
        _, acme_log = call("GET", "/v1/webhook/deliveries")
        assert [d["log"] for d in acme_log["items"]] == [[]], acme_log
        # acme's event is being answered meanwhile (its copy may take its message a moment after
        # other's was delivered: which consumer polls first is SQS's choice, not ours)
        while not slow.received and time.monotonic() - started < 20:
            time.sleep(0.05)
        assert len(slow.received) == 1
        _, log = call("GET", "/v1/webhook/deliveries")
        while any(not d["log"] for d in log["items"]) and time.monotonic() - started < 20:
            time.sleep(0.2)
            _, log = call("GET", "/v1/webhook/deliveries")
        stop.set()
        assert time.monotonic() - started < 15   # cut at 6 s, not 40 s
        assert [d["delivery"] for d in log["items"]] == ["pending"]
        assert all("Timeout" in d["log"][0]["error"] for d in log["items"])
    finally:
        slow.stop()
        quick.stop()


def test_an_event_item_stays_inside_one_write_unit_and_old_items_still_deliver(world: World) -> None:
    """Issue 17 §3: the ``transmitted`` event — the largest, with its receipt — is kept deflated, so its
    item stays within DynamoDB's 1 KB write unit; an item written before (plain ``payload``) still reads."""
    import sys
    import zlib

    from ypovoli.store.events import payload_of
    from ypovoli.store.items import plain

    sys.path.insert(0, "scripts")
    from ypovoli_local.meter import item_size

    set_webhook("https://8.8.8.8/hook")   # deliverable events (without a webhook they are recorded final)
    sid = post_invoice("731")
    world.clock.advance(timedelta(seconds=1))
    world.drain("TransmitQueue", "transmitter")
    items = [i for i in world.table_items() if i.get("submission_id", {}).get("S") == sid
             and i["SK"]["S"].startswith("EVENT#")]
    assert len(items) >= 2
    for raw in items:
        assert item_size(raw) <= 1024, item_size(raw)
        body = json.loads(payload_of(plain(raw)))
        assert body["data"]["id"] == sid
        # …and while a delivery holds it (its lease and token added): each write of a delivery is one unit
        key = str(raw["SK"]["S"]).removeprefix("EVENT#")
        claim = world.deps.events.claim("acme", key, world.clock.now() + timedelta(seconds=1), timedelta(seconds=60))
        assert claim is not None
        held = next(i for i in world.table_items() if i["SK"] == raw["SK"] and i["PK"] == raw["PK"])
        assert "claim_token" in held and item_size(held) <= 1024, item_size(held)
    old = {**plain(items[0])}
    old["payload"] = zlib.decompress(bytes(old.pop("payload_z"))).decode()
    assert payload_of(old) == payload_of(plain(items[0]))


def test_a_tenant_without_a_webhook_has_its_events_recorded_final_and_no_delivery_run(world: World,
                                                                                     receiver: Receiver) -> None:
    """Issue 17 §3: with no webhook there is nothing to deliver — no message, no invocation, no claim —
    and the deliveries listing still shows each event, as the deliverer would have finished it."""
    sid = post_invoice("741")
    world.clock.advance(timedelta(seconds=1))
    world.drain("TransmitQueue", "transmitter")
    assert world.queue_messages("WebhookQueue") == []
    events = [i for i in world.table_items() if i.get("submission_id", {}).get("S") == sid
              and i["SK"]["S"].startswith("EVENT#")]
    assert len(events) == 2 and all("GSI2PK" not in i and i["delivery"]["S"] == "no_endpoint" for i in events)
    status, page = call("GET", "/v1/webhook/deliveries")
    assert status == 200
    mine = [d for d in page["items"] if d["submission_id"] == sid]
    assert {d["status"] for d in mine} == {"accepted", "transmitted"}
    assert all(d["delivery"] == "no_endpoint" and d["log"][0]["error"] == "no webhook configured" for d in mine)
    # The webhook set, the next submission's events are delivered
    set_webhook(receiver.url)
    other = post_invoice("742")
    world.drain("WebhookQueue", "webhooks")
    assert [(r.event["data"]["id"], r.event["data"]["status"]) for r in receiver.received] == [(other, "accepted")]


def test_a_webhook_set_in_another_process_is_seen_by_the_next_status_change(world: World) -> None:
    from ypovoli.store.index import Index

    here, elsewhere = world.deps.index, Index(world.deps.index.table, world.deps.index.shards)
    assert here.hooked("acme") is False                 # no webhook: read, and not trusted later
    elsewhere.set_webhook("acme", "https://8.8.8.8/hook", "whsec_0123456789abcdef0123")
    assert here.hooked("acme") is True                  # read again: never missed
    elsewhere.set_webhook("acme", None, None)
    assert here.hooked("acme") is True and here.hook_seen("acme") is True   # a webhook is trusted a moment


def test_a_first_delivery_is_read_not_leased_and_written_once(world: World, receiver: Receiver) -> None:
    """Issue 17 §3: the first attempt reads the event (a fifth of a write's price) instead of leasing it
    (a write): one write for the whole delivery. Two copies of its nudge taken at once may both post —
    delivery is at least once — but only one attempt is logged; a retry is leased as before."""
    from botocore.client import BaseClient

    set_webhook(receiver.url)
    sid = post_invoice("751")
    [item] = [i for i in world.table_items() if i.get("submission_id", {}).get("S") == sid
              and i["SK"]["S"].startswith("EVENT#")]
    key = str(item["SK"]["S"]).removeprefix("EVENT#")
    calls: list[str] = []
    original = BaseClient._make_api_call

    def counted(self: BaseClient, operation: str, params: dict) -> dict:
        if params.get("TableName") == world.deps.index.table:
            calls.append(operation)
        return original(self, operation, params)

    from ypovoli.services.webhooks import Deliverer

    deliverer = Deliverer(world.deps)
    BaseClient._make_api_call = counted   # type: ignore[method-assign]
    try:
        assert deliverer.attempt("acme", key).outcome == "delivered"
    finally:
        BaseClient._make_api_call = original   # type: ignore[method-assign]
    assert calls.count("UpdateItem") == 1, calls      # the record of the attempt, nothing before the POST
    _, log = call("GET", f"/v1/webhook/deliveries?submission_id={sid}")
    assert [(d["delivery"], d["attempts"], len(d["log"])) for d in log["items"]] == [("delivered", 1, 1)]
    assert deliverer.attempt("acme", key).outcome == "skipped"   # a nudge again: read, nothing posted
    assert len(receiver.received) == 1

    # Two copies of one nudge at the same moment: both may post, one attempt is logged.
    other = post_invoice("752")
    [item] = [i for i in world.table_items() if i.get("submission_id", {}).get("S") == other
              and i["SK"]["S"].startswith("EVENT#")]
    key = str(item["SK"]["S"]).removeprefix("EVENT#")
    now = world.clock.now()
    one, two = world.deps.events.take_first("acme", key, now), world.deps.events.take_first("acme", key, now)
    assert one and two and one.token is None
    from ypovoli.models.events import DeliveryAttempt

    assert world.deps.events.finish(one, DeliveryAttempt(at=now, http_status=200), "delivered")
    assert not world.deps.events.finish(two, DeliveryAttempt(at=now, http_status=200), "delivered")
    _, log = call("GET", f"/v1/webhook/deliveries?submission_id={other}")
    assert [(d["delivery"], d["attempts"], len(d["log"])) for d in log["items"]] == [("delivered", 1, 1)]

    # A failed first attempt is retried under a lease, as before.
    receiver.status = 500
    third = post_invoice("753")
    world.drain("WebhookQueue", "webhooks")
    [item] = [i for i in world.table_items() if i.get("submission_id", {}).get("S") == third
              and i["SK"]["S"].startswith("EVENT#")]
    key = str(item["SK"]["S"]).removeprefix("EVENT#")
    assert item["attempts"]["N"] == "1" and "claim_token" not in item
    world.clock.advance(timedelta(minutes=5))
    assert world.deps.events.take_first("acme", key, world.clock.now()) is False   # not a first attempt
    receiver.status = 204
    assert deliverer.attempt("acme", key).outcome == "delivered"
    _, log = call("GET", f"/v1/webhook/deliveries?submission_id={third}")
    assert [(d["delivery"], d["attempts"], len(d["log"])) for d in log["items"]] == [("delivered", 2, 2)]
