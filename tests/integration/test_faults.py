"""Injected faults, not hope: a flaky upstream that also accepts-then-times-out, transmitters killed
mid-batch at the worst lines, and 50 identical POSTs at once. Every invoice ends transmitted exactly
once (one registration in the simulator, one MARK) or overdue with its evidence; none is lost."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto.dynamodb.models import DynamoDBBackend
from ypovoli.kinds.mydata_invoice.connector import MyDataConnector
from ypovoli.status import Status
from ypovoli.store.dossiers import Dossiers
from ypovoli.store.index import Index
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import LambdaContext, load_function
from ypovoli_local.pollers import sqs_event

from tests.factories import event, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_transmit import accepted


class Killed(BaseException):
    """The Lambda process dies: not an Exception, so nothing in the handler can catch it."""


class Chaos:
    """Kills the process at chosen lines, with a probability and a budget."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, seed: int, rate: float, budget: int) -> None:
        self.monkeypatch, self.rng, self.rate, self.budget = monkeypatch, random.Random(seed), rate, budget
        self.kills: Counter[str] = Counter()

    def _maybe_kill(self, where: str) -> None:
        if sum(self.kills.values()) < self.budget and self.rng.random() < self.rate:
            self.kills[where] += 1
            raise Killed(where)

    def before(self, owner: type, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self._maybe_kill(f"before {owner.__name__}.{name}")
            return original(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, wrapped)

    def after(self, owner: type, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            self._maybe_kill(f"after {owner.__name__}.{name}")
            return result

        self.monkeypatch.setattr(owner, name, wrapped)


def transmit_round(world: World, crashes: Counter[str]) -> int:
    """Run the transmitter over everything in its queue, as Lambda would; a killed batch returns to
    the queue (its visibility timeout, shortened here)."""
    sqs = boto3.client("sqs")
    url, arn = world.resources.physical["TransmitQueue"], world.resources.arns["TransmitQueue"]
    handler = load_function("transmitter").handler
    handled = 0
    for _ in range(200):
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages", [])
        if not messages:
            break
        try:
            result = handler(sqs_event(messages, arn), LambdaContext("TransmitterFunction"))
        except Killed as kill:
            crashes[str(kill)] += 1
            for m in messages:
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
            continue
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
        handled += len(messages)
    return handled


def test_flaky_upstream_and_killed_transmitters_lose_nothing_and_send_nothing_twice(
        world: World, monkeypatch: pytest.MonkeyPatch, record_property: Callable[[str, object], None]) -> None:
    n = 30
    world.simulator.state.rng = random.Random(20261123)
    world.simulator.state.hang_s = 1.5  # beyond the 1 s read timeout: the answer is lost, the MARK is not
    ids = [accepted(world, f"F{i:03d}") for i in range(n)]
    world.simulator.configure("flaky", 0.3, 0.1)
    chaos = Chaos(monkeypatch, seed=7, rate=0.12, budget=10)
    chaos.after(Index, "claim")                    # lease taken, nothing else done
    chaos.before(Dossiers, "put")                  # dossier half-written
    chaos.after(MyDataConnector, "send_invoices")  # upstream registered it; we never learned the MARK
    chaos.before(Index, "record_transmitted")      # receipt in S3, index not updated
    chaos.after(Index, "record_transmitted")       # recorded, message never acknowledged

    crashes: Counter[str] = Counter()
    sweeper = load_function("sweeper").handler
    rounds = 0
    while rounds < 300:
        rounds += 1
        transmit_round(world, crashes)
        subs = [world.deps.index.get_submission("acme", i) for i in ids]
        if all(s is not None and s.status in (Status.TRANSMITTED, Status.REJECTED) for s in subs):
            break
        world.clock.advance(timedelta(minutes=10))  # past leases and backoffs
        sweeper(event("schedule_pump.json"), LambdaContext("SweeperFunction"))

    subs = [world.deps.index.get_submission("acme", i) for i in ids]
    found = [s for s in subs if s is not None]
    by_status = Counter(s.status.value for s in found)
    registrations = world.simulator.state.registrations
    duplicates = sum(registrations.get(s.natural_key, 0) - 1 for s in found if registrations.get(s.natural_key))
    lost = n - sum(1 for s in found if s.status is Status.TRANSMITTED
                   or (s.status is Status.OVERDUE and s.outage is not None))
    reconciled = sum(1 for s in found if s.receipt is not None and s.receipt.reconciled)
    counts = (f"submitted={n} transmitted={by_status['transmitted']} overdue={by_status['overdue']} "
              f"duplicates={duplicates} lost={lost} reconciled={reconciled} kills={sum(crashes.values())} "
              f"rounds={rounds} upstream_calls={world.simulator.state.calls}")
    record_property("counts", counts)
    print(counts)

    assert lost == 0 and duplicates == 0, counts
    assert by_status["transmitted"] == n, counts
    for s in found:
        assert s.receipt is not None
        assert registrations[s.natural_key] == 1
        assert world.simulator.state.active_by_uid[s.natural_key] == s.receipt.mark  # the MARK we hold is AADE's
    assert not [i for i in world.table_items() if i["SK"]["S"].startswith("OUTBOX#")]
    assert sum(crashes.values()) >= 5, crashes  # the faults really happened
    assert reconciled >= 1, counts              # and the ambiguous ones were found, not re-sent


@pytest.fixture
def atomic_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB applies a conditional write atomically; moto's Python does not guard its check-then-
    write against threads. One lock around its writes restores the service's guarantee, so what is
    tested is our code's concurrency, not the emulator's."""
    lock = threading.RLock()
    for name in ("put_item", "update_item", "delete_item", "transact_write_items"):
        original = getattr(DynamoDBBackend, name)

        def guarded(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return __original(*args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, guarded)


def test_fifty_identical_posts_at_once_are_stored_once_and_sent_once(
        world: World, atomic_moto: None, record_property: Callable[[str, object], None]) -> None:
    # Eight "Lambda instances" (separate copies of the API module), fifty clients at once.
    gateways = [new_gateway(load_function("api", instance=i).app) for i in range(8)]
    locks = [threading.Lock() for _ in gateways]
    body = json.dumps(invoice(aa="C-50")).encode()
    results: list[tuple[int, dict[str, Any]]] = []
    start = threading.Barrier(50)

    def client(k: int) -> None:
        start.wait()
        with locks[k % 8]:  # one request at a time per instance, as in Lambda
            status, _, out = gateway_call(gateways[k % 8], "POST", "/v1/invoices",
                                          {"Content-Type": "application/json", "x-api-key": KEYS["acme"]}, body)
        results.append((status, json.loads(out)))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    statuses = Counter(status for status, _ in results)
    accepted_ids = {out["id"] for status, out in results if status == 202}
    assert statuses[202] == 1 and statuses[409] == 49, statuses
    [sid] = accepted_ids
    assert all(out["id"] == sid for status, out in results if status == 409)
    items = world.table_items()
    assert sum(1 for i in items if i["SK"]["S"].startswith("SUB#")) == 1
    assert sum(1 for i in items if i["SK"]["S"].startswith("OUTBOX#")) == 1
    assert {k.split("/")[6] for k in world.s3_keys() if k.startswith("tenants/acme/")} == {sid}  # no orphans
    for _ in range(3):  # the nudge, plus redeliveries and pumps: still one send
        transmit_round(world, Counter())
        load_function("sweeper").handler(event("schedule_pump.json"), LambdaContext("SweeperFunction"))
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    assert world.simulator.state.registrations[sub.natural_key] == 1
    counts = f"posted=50 accepted={statuses[202]} duplicate_answers={statuses[409]} stored=1 sent=1"
    record_property("counts", counts)
    print(counts)
