"""moto in-process, with the resources of template.yaml, and the handler modules Lambda runs."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws
from ypovoli import clock
from ypovoli.auth import key_digest
from ypovoli.services.deps import Deps
from ypovoli.settings import get_settings, reset_settings
from ypovoli.store import aws
from ypovoli_local.ergani_simulator import ErganiSimulator, demo_employers
from ypovoli_local.handlers import ROOT, load_function
from ypovoli_local.mydata_simulator import MyDataSimulator
from ypovoli_local.template import LocalResources, load_template

from tests.factories import ISSUER, OTHER_AFM

PEPPER = "integration-pepper-0123456789"
KEYS = {"acme": "key-acme-0123456789", "other": "key-other-0123456789"}


@dataclass
class World:
    resources: LocalResources
    deps: Deps
    simulator: MyDataSimulator
    clock: clock.FixedClock
    stream: Any = None

    def settle(self) -> int:
        """Feed the index table's stream to the sweeper's handler, as Lambda's event source mapping does
        (the businesses' summaries, which the console reads), until nothing is left; how many records."""
        from ypovoli_local.pollers import StreamPoller, moto_stream_trimmer

        if self.stream is None:
            function = self.resources.functions()["SweeperFunction"]["Events"]["Summaries"]["Properties"]
            self.stream = StreamPoller(
                boto3.client("dynamodbstreams"), self.resources.streams["IndexTable"], load_function("sweeper").handler,
                "sweeper", int(function["BatchSize"]),
                [json.loads(f["Pattern"]) for f in function["FilterCriteria"]["Filters"]],
                trim=moto_stream_trimmer(self.resources.physical["IndexTable"]))
        read = total = self.stream.poll_once()
        while read:
            read = self.stream.poll_once()
            total += read
        return total

    def s3_keys(self) -> list[str]:
        s3 = boto3.client("s3")
        listed = s3.list_objects_v2(Bucket=self.deps.dossiers.bucket)
        return [o["Key"] for o in listed.get("Contents", [])]

    def table_items(self) -> list[dict[str, Any]]:
        return list(boto3.client("dynamodb").scan(TableName=self.deps.index.table)["Items"])

    def queue_messages(self, queue: str = "TransmitQueue") -> list[dict[str, Any]]:
        sqs = boto3.client("sqs")
        got = sqs.receive_message(QueueUrl=self.resources.physical[queue], MaxNumberOfMessages=10,
                                  VisibilityTimeout=0)
        return list(got.get("Messages", []))

    def drain(self, queue: str, function: str, rounds: int = 20) -> int:
        """Feed what waits in ``queue`` to ``function``'s handler as Lambda would; delete what it did."""
        from ypovoli_local.pollers import QueuePoller

        module = load_function(function)
        poller = QueuePoller(boto3.client("sqs"), self.resources.physical[queue], self.resources.arns[queue],
                             module.handler, function, 10)
        handled = 0
        for _ in range(rounds):
            got = poller.poll_once(wait_s=0)
            if not got:
                break
            handled += got
        return handled


def _reset_caches() -> None:
    reset_settings()
    aws.client.cache_clear()
    for name, attr in (("api", "deps"), ("transmitter", "transmitter"), ("sweeper", "deps"), ("dropzone", "stores"),
                       ("webhooks", "deliverer")):
        getattr(load_function(name), attr).cache_clear()
    api = load_function("api")
    api.KEY_CACHE.clear()
    api.AFM_CACHE.clear()


@pytest.fixture(scope="session")
def simulator() -> Iterator[MyDataSimulator]:
    sim = MyDataSimulator("127.0.0.1", 0, "it-user", "it-key")
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def ergani_simulator() -> Iterator[ErganiSimulator]:
    sim = ErganiSimulator("127.0.0.1", 0, "it-ergani", "it-ergani-password")
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def ergani(world: World, ergani_simulator: ErganiSimulator) -> ErganiSimulator:
    """The ERGANI simulator, fresh for this test (its logins and protocols start at nothing)."""
    ergani_simulator.configure("up")
    state = ergani_simulator.state
    with state.lock:
        state.logins.clear()
        state.sessions.clear()
        state.refreshes.clear()
        state.protocols.clear()
        state.calls = 0
        state.overtime.clear()
        state.revoked.clear()
        state.employers = demo_employers()
        state.account_employers.clear()
        state.default_employer = "800123456"
    return ergani_simulator


@pytest.fixture
def world(simulator: MyDataSimulator, ergani_simulator: ErganiSimulator,
          monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[World]:
    from datetime import UTC, datetime

    fixed = clock.FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    clock.set_clock(fixed)
    simulator.configure("up")
    # moto in-process answers each call on the caller's thread, and its backends are not thread-safe
    # (a timer thread writing while the main thread reads: "dictionary changed size during iteration").
    # One lock around its dispatch, as the local stack's moto server has.
    from moto.core.botocore_stubber import BotocoreStubber
    moto_lock = threading.RLock()
    dispatch = BotocoreStubber.__call__

    def serialized(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with moto_lock:
            return dispatch(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", serialized)
    with mock_aws():
        resources = LocalResources("ypovoli-it", load_template(ROOT / "template.yaml"), parameters={
            "ApiKeyPepper": PEPPER, "MyDataBaseUrl": simulator.base_url, "MyDataUserId": "it-user",
            "MyDataSubscriptionKey": "it-key", "ErganiBaseUrl": ergani_simulator.base_url,
            "ErganiUsername": "it-ergani", "ErganiPassword": "it-ergani-password",
        # The table's stream only where a test reads it (``@pytest.mark.stream``): in-process moto keeps
        # every record unread and copies them with the table in each transaction.
        }, with_streams=request.node.get_closest_marker("stream") is not None)
        resources.create(boto3.session.Session())
        for key, value in resources.function_environment("ApiFunction").items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("YPOVOLI_MYDATA_READ_TIMEOUT_S", "1")
        monkeypatch.setenv("YPOVOLI_MYDATA_CONNECT_TIMEOUT_S", "0.5")
        # moto in-process is not thread-safe inside a DynamoDB transaction (it deep-copies the table
        # while another thread writes): the drop-in's parallel intake runs one worker here.
        monkeypatch.setenv("YPOVOLI_DROPIN_INTAKE_WORKERS", "1")
        # Test receivers listen on loopback; test_webhooks.py checks the refusal with this off.
        monkeypatch.setenv("YPOVOLI_WEBHOOK_ALLOW_PRIVATE", "true")
        monkeypatch.setenv("YPOVOLI_WEBHOOK_TIMEOUT_S", "1")
        _reset_caches()
        deps = Deps.from_settings(get_settings())
        deps.index.put_tenant("acme", "ACME", [ISSUER])
        deps.index.put_tenant("other", "Other office", [OTHER_AFM])
        for tenant, key in KEYS.items():
            deps.index.put_api_key(key_digest(key, PEPPER), tenant, fixed.now())
        yield World(resources, deps, simulator, fixed)
    _reset_caches()
    clock.set_clock(clock.SystemClock())
    simulator.configure("up")
    assert "AWS_ENDPOINT_URL" not in os.environ
