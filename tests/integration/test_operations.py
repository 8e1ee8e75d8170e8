"""Operable (issue 18 §8): dead-letter queues redriven, tenants' own AADE credentials from Secrets
Manager (rotated without a deploy, never logged), the receiver's replay guard, the link metric."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import boto3
import pytest
from ypovoli.services import sweep
from ypovoli.status import Status
from ypovoli.store.secrets import Credentials, TenantSecrets
from ypovoli_local.ops import redrive

from tests.factories import OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World, _reset_caches
from tests.integration.test_api import call
from tests.integration.test_transmit import run_transmitter


def test_dlq_redrive_moves_every_message_back_with_its_tenant_group(world: World) -> None:
    sqs = boto3.client("sqs")
    stack = world.resources.stack_name
    dead, source = world.resources.physical["TransmitDLQ"], world.resources.physical["TransmitQueue"]
    bodies = [json.dumps({"tenant": "acme", "id": f"s-{n}"}) for n in range(13)] + ["not json"]
    for body in bodies:
        sqs.send_message(QueueUrl=dead, MessageBody=body)
    assert redrive(sqs, stack, "transmit", dry_run=True).left == 14
    result = redrive(sqs, stack, "transmit")
    assert (result.moved, result.left) == (14, 0)
    got: list[str] = []
    while batch := sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, AttributeNames=["All"],
                                       MessageSystemAttributeNames=["All"]).get("Messages", []):
        for message in batch:
            got.append(message["Body"])
            sqs.delete_message(QueueUrl=source, ReceiptHandle=message["ReceiptHandle"])
    assert sorted(got) == sorted(bodies)
    assert redrive(sqs, stack, "transmit").moved == 0   # again: nothing left, nothing doubled


def test_each_tenant_transmits_under_its_own_aade_account_rotated_without_a_deploy(
        world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("YPOVOLI_TENANT_SECRETS_TTL_S", "0")   # every read sees a rotation at once
    _reset_caches()
    world.simulator.state.accounts["acme-user"] = "acme-right-key"
    secrets = TenantSecrets(world.deps.settings.tenant_secrets_prefix)
    try:
        secrets.put("acme", "mydata", Credentials("acme-user", "acme-wrong-key"))
        caplog.set_level(logging.DEBUG, logger="ypovoli")
        status, first = call("POST", "/v1/invoices", body=invoice(aa="CR-1"))
        assert status == 202
        run_transmitter(first["id"])
        refused = world.deps.index.get_submission("acme", first["id"])
        assert refused is not None and refused.status is not Status.TRANSMITTED   # AADE said 401 to acme's key
        # The other tenant has no secret: the deployment's account still works for it.
        status, theirs = call("POST", "/v1/invoices", key=KEYS["other"], body=invoice(aa="CR-2", issuer=OTHER_AFM))
        run_transmitter(theirs["id"], tenant="other")
        other = world.deps.index.get_submission("other", theirs["id"])
        assert other is not None and other.status is Status.TRANSMITTED
        # Rotation: the next attempt uses the new key, no deploy, no restart.
        secrets.put("acme", "mydata", Credentials("acme-user", "acme-right-key"))
        world.clock.advance(timedelta(hours=1))
        world.deps.index.make_due("acme", first["id"], world.clock.now())
        run_transmitter(first["id"])
        sent = world.deps.index.get_submission("acme", first["id"])
        assert sent is not None and sent.status is Status.TRANSMITTED
        assert "acme-right-key" not in caplog.text and "acme-wrong-key" not in caplog.text
        assert "acme-right-key" not in repr(Credentials("acme-user", "acme-right-key"))
    finally:
        secrets.remove("acme", "mydata")
        world.simulator.state.accounts.pop("acme-user", None)


def test_the_pump_reports_how_long_each_upstream_has_been_down(world: World) -> None:
    assert sweep.run(world.deps, "links")["links_down_s"] == {"ergani": 0, "mydata": 0}
    world.deps.index.mark_link_down("mydata", world.clock.now(), "connect failed")
    world.clock.advance(timedelta(minutes=90))
    assert sweep.run(world.deps, "pump")["links_down_s"] == {"ergani": 0, "mydata": 5400}
