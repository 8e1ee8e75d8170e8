"""Transmitter, sweeper and dropzone handlers fed with their events/ samples, against moto and the
myDATA simulator; outages, reconciliation and redelivery."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

import boto3
import pytest
from ypovoli.kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ypovoli.services.intake import accept
from ypovoli.status import Status
from ypovoli_local.handlers import LambdaContext, load_function

from tests.factories import ISSUER, event, invoice
from tests.integration.conftest import World


def accepted(world: World, aa: str = "101") -> str:
    outcome = accept(world.deps, MYDATA_INVOICE, "acme", {ISSUER}, invoice(aa=aa), b"{}")
    assert outcome.kind == "accepted" and outcome.submission is not None
    return outcome.submission.id


def run_transmitter(submission_id: str, tenant: str = "acme") -> dict:
    sample = event("sqs_transmit.json")
    sample["Records"][0]["body"] = json.dumps({"tenant": tenant, "id": submission_id})
    result: dict = load_function("transmitter").handler(sample, LambdaContext("TransmitterFunction"))
    return result


def status_of(world: World, submission_id: str) -> Status:
    sub = world.deps.index.get_submission("acme", submission_id)
    assert sub is not None
    return sub.status


def test_transmitter_sample_sends_and_keeps_the_receipt(world: World) -> None:
    sid = accepted(world)
    assert run_transmitter(sid) == {"batchItemFailures": []}
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED and sub.attempts == 1
    assert sub.receipt is not None and sub.receipt.mark and sub.receipt.qr_url
    assert sub.receipt.uid == sub.natural_key and sub.receipt.transmission_failure is None
    names = {k.split(f"{sid}/", 1)[1] for k in world.s3_keys()}
    # The receipt's source is myDATA's own answer, kept as it came beside the request, in one object
    # an attempt: no second, derived object.
    assert names == {"original.json", "report.json", "attempts/1.json"}, names
    exchange = world.deps.dossiers.exchange(sub.dossier, 1)
    assert exchange is not None and exchange["outcome"] == "success" and exchange["http_status"] == 200
    assert exchange["request"].startswith(b"<?xml") and b"<invoice>" in exchange["request"]
    assert exchange["sent_at"] <= exchange["answered_at"]
    assert str(sub.receipt.mark).encode() in (exchange["response"] or b"")
    stored = json.loads(world.deps.dossiers.get(f"{sub.dossier}attempts/1.json") or b"{}")
    assert stored["request"]["content_type"] == "application/xml" and "text" in stored["request"]
    # Redelivered message: nothing happens twice.
    before = world.simulator.state.stats()["registrations"]
    assert run_transmitter(sid) == {"batchItemFailures": []}
    assert world.simulator.state.stats()["registrations"] == before


def test_outage_defers_then_sends_with_the_indicator(world: World) -> None:
    sid = accepted(world, "201")
    world.simulator.configure("down")
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.DEFERRED and sub.outage is not None
    assert sub.outage.record["issuer_afm"] == ISSUER and sub.outage.record["document_type"] == "1.1"
    world.simulator.configure("up")
    run_transmitter(sid)  # not due yet: backoff holds it
    assert status_of(world, sid) is Status.DEFERRED
    world.clock.advance(timedelta(hours=1))
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    assert sub.receipt is not None and sub.receipt.transmission_failure == 3
    assert "MYDATA-OUTAGE" in [f.code for f in sub.findings]
    first, last = world.deps.dossiers.exchange(sub.dossier, 1), world.deps.dossiers.exchange(sub.dossier, sub.attempts)
    # the failed attempt is kept too: what was sent, and that no answer came
    assert first is not None and first["outcome"] != "success" and first["response"] is None and first["error"]
    assert last is not None and b"<transmissionFailure>3</transmissionFailure>" in last["request"]


def test_sweeper_sample_pumps_due_entries_and_flags_overdue(world: World) -> None:
    sid = accepted(world, "301")
    world.queue_messages()
    sweeper = load_function("sweeper")
    world.simulator.configure("down")
    run_transmitter(sid)
    world.clock.advance(timedelta(days=3))
    result = sweeper.handler(event("schedule_pump.json"), LambdaContext("SweeperFunction"))
    assert result["overdue"] == 1 and result["pumped"] >= 1
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.OVERDUE
    assert sub.fine_exposure is not None and sub.fine_exposure.amount == 500  # double-entry minimum
    world.simulator.configure("up")
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    assert {"MYDATA-OUTAGE", "MYDATA-LATE"} <= {f.code for f in sub.findings}


def test_the_pump_leaves_a_nudged_entry_to_its_nudge_for_a_minute_but_a_deferred_one_not(world: World) -> None:
    from ypovoli.services.sweep import pump
    from ypovoli.store.keys import NUDGED_GRACE

    sid = accepted(world, "351")          # intake nudged it: its message is on the queue
    due = lambda: {e.submission_id for shard in range(world.deps.settings.outbox_shards)  # noqa: E731
                   for e in world.deps.index.due_entries("mydata", shard, world.clock.now())}
    assert sid not in due() and pump(world.deps) == 0   # no second message for a claim that would fail
    world.clock.advance(NUDGED_GRACE + timedelta(seconds=1))
    assert sid in due()                   # the nudge was lost or not taken: the net catches it
    world.simulator.configure("down")
    run_transmitter(sid)                  # deferred: no nudge brings it back, the pump does, at its time
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.DEFERRED and sid not in due()
    outbox = boto3.client("dynamodb").get_item(TableName=world.deps.index.table, Key={
        "PK": {"S": "TENANT#acme"}, "SK": {"S": f"OUTBOX#{sid}"}})["Item"]
    next_at = datetime.fromisoformat(outbox["next_attempt_at"]["S"])
    world.clock.advance(next_at - world.clock.now() + timedelta(microseconds=1))
    assert sid in due()


def test_ambiguous_timeout_reconciles_instead_of_sending_twice(world: World) -> None:
    sid = accepted(world, "401")
    registered = world.simulator.state.stats()["registrations"]
    world.simulator.state.hang_s = 2.0
    world.simulator.configure("flaky", 0.0, 1.0)  # registers, then never answers in time
    run_transmitter(sid)
    assert status_of(world, sid) is Status.DEFERRED
    assert world.simulator.state.stats()["registrations"] == registered + 1
    world.simulator.configure("up")
    world.clock.advance(timedelta(hours=1))
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED and sub.receipt is not None
    assert sub.receipt.reconciled
    assert world.simulator.state.stats()["registrations"] == registered + 1  # found, not re-sent
    # No answer of ours holds this receipt (the send timed out; the lookup found it): receipt.json does.
    kept = world.deps.dossiers.get_json(f"{sub.dossier}receipt.json")
    assert kept["mark"] == sub.receipt.mark and kept["reconciled"] is True
    # The first attempt's exchange: what was sent, and that no answer came in time.
    first = world.deps.dossiers.exchange(sub.dossier, 1)
    assert first is not None and first["outcome"] == "ambiguous" and first["response"] is None
    assert b"<invoice>" in first["request"]


def test_a_crash_between_the_send_and_its_record_is_reconciled_not_sent_again(world: World,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The exchange is written after the send: a process that dies between the two leaves no record of
    the attempt and its claim leased; the next attempt asks AADE, finds the document, and keeps the
    receipt it found. Registered once."""
    from ypovoli.store.dossiers import Dossiers

    sid = accepted(world, "402")
    registered = world.simulator.state.stats()["registrations"]
    real = Dossiers.put_json

    def dies_on_the_exchange(self: Dossiers, key: str, data: object) -> None:
        if "/attempts/" in key:
            raise SystemExit("killed after the send")
        real(self, key, data)

    monkeypatch.setattr(Dossiers, "put_json", dies_on_the_exchange)
    with pytest.raises(SystemExit):
        run_transmitter(sid)
    monkeypatch.setattr(Dossiers, "put_json", real)
    assert world.simulator.state.stats()["registrations"] == registered + 1
    assert status_of(world, sid) is Status.TRANSMITTING
    world.clock.advance(timedelta(minutes=10))   # the lease runs out; the pump's nudge comes
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED and sub.receipt is not None and sub.receipt.reconciled
    assert world.simulator.state.stats()["registrations"] == registered + 1
    assert world.deps.dossiers.exchange(sub.dossier, 1) is None
    assert world.deps.dossiers.get_json(f"{sub.dossier}receipt.json")["mark"] == sub.receipt.mark


def test_a_dossier_of_the_two_object_attempt_layout_still_reads(world: World) -> None:
    """Dossiers written before an attempt was one object keep ``attempts/{n}.request.*`` and
    ``.response.*``: :meth:`Dossiers.exchange` reads them as one."""
    sid = accepted(world, "403")
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None
    dossiers = world.deps.dossiers
    dossiers.put(f"{sub.dossier}attempts/1.request.xml", b"<InvoicesDoc/>", "application/xml")
    assert dossiers.exchange(sub.dossier, 1) == {"attempt": 1, "request": b"<InvoicesDoc/>", "response": None}
    dossiers.put(f"{sub.dossier}attempts/1.response.xml", b"<ResponseDoc/>", "application/xml")
    assert dossiers.exchange(sub.dossier, 1) == {"attempt": 1, "request": b"<InvoicesDoc/>",
                                                 "response": b"<ResponseDoc/>"}
    assert dossiers.exchange(sub.dossier, 2) is None


def test_upstream_validation_error_is_rejected_with_its_codes(world: World) -> None:
    sid = accepted(world, "501")
    world.simulator.state.user_id = "someone-else"  # 401 → configuration problem, retried
    run_transmitter(sid)
    assert status_of(world, sid) is Status.DEFERRED
    world.simulator.state.user_id = "it-user"


def test_malformed_transmit_message_is_dropped_not_retried(world: World) -> None:
    sample = event("sqs_transmit.json")
    sample["Records"][0]["body"] = "not json"
    result = load_function("transmitter").handler(sample, LambdaContext("TransmitterFunction"))
    assert result == {"batchItemFailures": []}


def test_dropzone_sample_files_a_report(world: World) -> None:
    drop_bucket = world.resources.physical["DropBucket"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Αίτημα Ελέγχου/αίτημα.pdf", b"%PDF-1.4")
        archive.writestr("../escape.txt", b"x")
    key = f"incoming/acme/{ISSUER}/P-12345_Αίτημα.zip"
    boto3.client("s3").put_object(Bucket=drop_bucket, Key=key, Body=buffer.getvalue())
    sample = event("sqs_s3_drop.json")
    body = json.loads(sample["Records"][0]["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = drop_bucket
    body["Records"][0]["s3"]["object"]["key"] = body["Records"][0]["s3"]["object"]["key"].replace("demo", "acme")
    sample["Records"][0]["body"] = json.dumps(body)
    dropzone = load_function("dropzone")
    assert dropzone.handler(sample, LambdaContext("DropzoneFunction")) == {"batchItemFailures": []}
    reports = [k for k in world.s3_keys() if k.endswith("report.json")]
    assert len(reports) == 1
    report = json.loads(boto3.client("s3").get_object(Bucket=world.deps.dossiers.bucket, Key=reports[0])["Body"].read())
    assert report["status"] == "invalid" and [f["code"] for f in report["findings"]] == ["ZIP-TRAVERSAL"]
    # The same event again: the same report, nothing more.
    dropzone.handler(sample, LambdaContext("DropzoneFunction"))
    assert [k for k in world.s3_keys() if k.endswith("report.json")] == reports
    test_event = {"Records": [{**sample["Records"][0], "body": json.dumps({"Event": "s3:TestEvent"})}]}
    assert dropzone.handler(test_event, LambdaContext("DropzoneFunction")) == {"batchItemFailures": []}


def test_a_dossier_written_before_the_intake_record_held_the_document_is_still_sent(world: World) -> None:
    """Dossiers of the earlier layout (``submission.json`` beside a findings-only ``report.json``) may
    wait in the outbox across the deployment that changed it: they are read and sent all the same."""
    sid = accepted(world, "777")
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None
    record = world.deps.dossiers.get_json(f"{sub.dossier}report.json")
    world.deps.dossiers.put_json(f"{sub.dossier}submission.json", record.pop("document"))
    world.deps.dossiers.put_json(f"{sub.dossier}report.json", record)
    assert run_transmitter(sid) == {"batchItemFailures": []}
    assert status_of(world, sid) is Status.TRANSMITTED


def test_a_retry_through_an_outage_stays_amber_in_the_compliance_view(world: World) -> None:
    """While the transmitter tries again (``transmitting``), a document held through an outage is still
    waiting on it: the view keeps its warning instead of flickering to "queued" at every retry."""
    from ypovoli.findings import Severity
    from ypovoli.services import compliance

    sid = accepted(world, "901")
    world.simulator.configure("down")
    run_transmitter(sid)
    assert status_of(world, sid) is Status.DEFERRED
    world.clock.advance(timedelta(hours=1))
    assert world.deps.index.claim("acme", sid, world.clock.now(), timedelta(seconds=30)) is not None
    assert status_of(world, sid) is Status.TRANSMITTING
    item = next(i for i in compliance.view(world.deps, "acme", ISSUER, world.clock.now()).items
                if i.submission_id == sid)
    assert item.severity is Severity.WARNING and "Σε αναμονή" in item.message_el
    world.simulator.configure("up")


def test_a_claim_carries_the_submission_as_it_left_it(world: World) -> None:
    """The claim's own write returns the submission (issue 17 §3: one read fewer per attempt), and it is
    exactly what a read after it finds."""
    sid = accepted(world, "911")
    claim = world.deps.index.claim("acme", sid, world.clock.now(), timedelta(seconds=30))
    assert claim is not None and claim.submission is not None
    assert claim.submission == world.deps.index.get_submission("acme", sid)
    assert claim.submission.status is Status.TRANSMITTING and claim.previous_status is Status.ACCEPTED


def test_a_transmitted_invoice_s_submission_item_stays_inside_one_write_unit(world: World) -> None:
    from ypovoli.store.dossiers import dossier_prefix
    from ypovoli_local.meter import item_size

    sid = accepted(world, "901")
    run_transmitter(sid)
    raw = boto3.client("dynamodb").get_item(TableName=world.deps.index.table, Key={
        "PK": {"S": "TENANT#acme"}, "SK": {"S": f"SUB#{sid}"}})["Item"]
    # the dossier prefix is the keys' own (not written), empty lists are not written
    assert "dossier" not in raw and "upstream_errors" not in raw
    assert item_size(raw) <= 1024, item_size(raw)   # 1 unit a write, 2 in a transaction
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    assert sub.dossier == dossier_prefix("acme", sub.afm, sub.kind, sub.created_at, sid)
    assert world.deps.dossiers.get(f"{sub.dossier}attempts/1.json")
