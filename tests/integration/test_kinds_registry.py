"""A throwaway kind, added the way a real one is — its own model, rule and upstream, and one
registry line (here, ``monkeypatch``) — goes through the same intake, outbox, transmitter, sweeps,
statuses and dossier layout as myDATA, with no edit anywhere else. Its upstream's outage and return
pull forward its own entries only."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict
from ypovoli.connectors.base import Outcome, SendResult, UpstreamUnavailable
from ypovoli.findings import Finding, Severity
from ypovoli.kinds import registry
from ypovoli.kinds.base import CheckContext, Deadlines, DocumentKind, Payload
from ypovoli.kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ypovoli.models.reports import OutageDocument
from ypovoli.models.submission import FineExposure, Receipt, Submission
from ypovoli.rules.input import parse_as
from ypovoli.services import sweep
from ypovoli.services.intake import accept
from ypovoli.services.transmit import Transmitter
from ypovoli.settings import Settings
from ypovoli.status import Status

from tests.factories import ISSUER, invoice
from tests.integration.conftest import World


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    afm: str
    number: str
    text: str


def _finding(code: str, severity: Severity, el: str, en: str) -> Finding:
    return Finding(code=code, severity=severity, path="note", message_el=el, message_en=en, source="test")


class NoteKind:
    name = "test_note"
    upstream = "noteboard"

    def parse(self, payload: Any) -> tuple[Note | None, list[Finding]]:
        return parse_as(Note, payload, "NOTE-SCHEMA", "note", "test")

    def afm(self, document: Note) -> str:
        return document.afm

    def natural_key(self, document: Note) -> str:
        return document.number

    def deadlines(self, document: Note, now: datetime, settings: Settings) -> Deadlines:
        return Deadlines(now + timedelta(hours=1), now + timedelta(hours=2))

    def check(self, document: Note, context: CheckContext) -> list[Finding]:
        if document.text.strip():
            return []
        return [_finding("NOTE-EMPTY", Severity.ERROR, "Κενό σημείωμα.", "An empty note.")]

    def summary(self, document: Note, natural_key: str) -> dict[str, Any]:
        return {"number": natural_key}

    def dump(self, document: Note) -> dict[str, Any]:
        return document.model_dump()

    def load(self, data: dict[str, Any]) -> Note:
        return Note.model_validate(data)

    def duplicate(self, natural_key: str, existing_id: str | None) -> Finding:
        return _finding("NOTE-DUPLICATE", Severity.ERROR, "Ήδη υποβλήθηκε.", f"Already submitted ({existing_id}).")

    def overdue(self, submission: Submission, settings: Settings) -> tuple[Finding, FineExposure]:
        return (_finding("NOTE-LATE", Severity.WARNING, "Εκπρόθεσμο.", "Late."),
                FineExposure(amount=Decimal(10), basis_el="δέκα", basis_en="ten"))

    def late(self, submission: Submission) -> Finding:
        return _finding("NOTE-LATE", Severity.WARNING, "Εκπρόθεσμο.", "Late.")

    def sent_during_outage(self, submission: Submission, receipt: Receipt) -> Finding | None:
        return None

    def outage_record(self, submission: Submission, receipt: Receipt) -> OutageDocument | None:
        return None


class Noteboard:
    """A fake upstream with a protocol number for a receipt, and an off switch."""

    upstream = "noteboard"
    records_incidents = False

    def __init__(self) -> None:
        self.up = True
        self.registered: dict[str, str] = {}

    def build(self, kind: DocumentKind, document: Any, submission: Submission) -> Payload:
        return Payload(json.dumps(kind.dump(document)).encode(), "application/json")

    def send(self, payload: Payload) -> SendResult:
        if not self.up:
            return SendResult(Outcome.TRANSIENT, "connect failed: noteboard is down")
        number = json.loads(payload.body)["number"]
        protocol = self.registered.setdefault(number, f"N-{len(self.registered) + 1}")
        return SendResult(Outcome.SUCCESS, fields={"protocol": protocol}, body=b'{"ok": true}')

    def lookup(self, kind: DocumentKind, document: Any, submission: Submission, now: datetime) -> Receipt | None:
        if not self.up:
            raise UpstreamUnavailable("noteboard is down")
        protocol = self.registered.get(submission.natural_key)
        return Receipt(protocol=protocol, received_at=now, reconciled=True) if protocol else None

    def attachments(self, result: SendResult, payload: Payload, submission: Submission) -> dict[str, tuple[bytes, str]]:
        return {}

    def receipt(self, result: SendResult, payload: Payload, submission: Submission, now: datetime) -> Receipt:
        return Receipt(protocol=str(result.fields["protocol"]), received_at=now)


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> Noteboard:
    kind = NoteKind()
    noteboard = Noteboard()
    # The registry line a real kind adds in kinds/registry.py:
    monkeypatch.setitem(registry.DOCUMENT_KINDS, kind.name, kind)
    monkeypatch.setitem(registry.UPSTREAMS, "noteboard", lambda _settings: noteboard)
    return noteboard


def note(number: str, text: str = "hello") -> dict[str, Any]:
    return {"afm": ISSUER, "number": number, "text": text}


def submit(world: World, body: dict[str, Any]) -> str:
    outcome = accept(world.deps, registry.document_kind("test_note"), "acme", {ISSUER}, body, json.dumps(body).encode())
    assert outcome.kind == "accepted" and outcome.submission is not None, outcome
    return outcome.submission.id


def get(world: World, submission_id: str) -> Submission:
    found = world.deps.index.get_submission("acme", submission_id)
    assert found is not None
    return found


def test_a_new_kind_is_checked_kept_sent_and_receipted_like_any_other(world: World, board: Noteboard) -> None:
    kind = registry.document_kind("test_note")
    refused = accept(world.deps, kind, "acme", {ISSUER}, note("1", text=" "), b"{}")
    assert refused.kind == "invalid" and [f.code for f in refused.findings] == ["NOTE-EMPTY"]
    assert accept(world.deps, kind, "acme", {ISSUER}, {"afm": ISSUER}, b"{}").findings[0].code == "NOTE-SCHEMA"
    assert accept(world.deps, kind, "acme", {"111111111"}, note("1"), b"{}").kind == "forbidden"

    sid = submit(world, note("1"))
    again = accept(world.deps, kind, "acme", {ISSUER}, note("1"), b"{}")
    assert again.kind == "duplicate" and again.existing_id == sid and again.findings[0].code == "NOTE-DUPLICATE"

    assert Transmitter(world.deps).attempt("acme", sid).outcome == "transmitted"
    sent = get(world, sid)
    assert sent.status is Status.TRANSMITTED and sent.kind == "test_note"
    assert sent.receipt is not None and sent.receipt.protocol == "N-1"
    assert any(k.startswith(f"tenants/acme/{ISSUER}/test_note/") and k.endswith("attempts/1.json")
               for k in world.s3_keys())


def test_an_outage_defers_and_the_return_pulls_forward_only_that_upstream(world: World, board: Noteboard) -> None:
    transmitter = Transmitter(world.deps)
    world.simulator.configure("down")
    invoice_id = accept(world.deps, MYDATA_INVOICE, "acme", {ISSUER}, invoice(aa="K1"), b"{}").submission
    assert invoice_id is not None
    assert transmitter.attempt("acme", invoice_id.id).outcome == "deferred"

    board.up = False
    first = submit(world, note("2"))
    assert transmitter.attempt("acme", first).outcome == "deferred"
    assert get(world, first).outage is not None

    board.up = True
    second = submit(world, note("3"))
    assert transmitter.attempt("acme", second).outcome == "transmitted"  # the link is back …
    now = world.clock.now()
    due = {e.submission_id for shard in range(world.deps.settings.outbox_shards)
           for e in world.deps.index.due_entries("noteboard", shard, now)}
    assert first in due  # … so its deferred entry is due at once,
    still_waiting = {e.submission_id for shard in range(world.deps.settings.outbox_shards)
                     for e in world.deps.index.due_entries("mydata", shard, now)}
    assert invoice_id.id not in still_waiting  # while myDATA's entry keeps its backoff.
    assert transmitter.attempt("acme", first).outcome == "transmitted"
    world.simulator.configure("up")


def test_the_overdue_sweep_asks_the_kind_for_its_finding_and_fine(world: World, board: Noteboard) -> None:
    board.up = False
    sid = submit(world, note("4"))
    assert Transmitter(world.deps).attempt("acme", sid).outcome == "deferred"
    world.clock.advance(timedelta(hours=3))
    assert sweep.run(world.deps, "overdue") == {"overdue": 1}
    late = get(world, sid)
    assert late.status is Status.OVERDUE and late.fine_exposure is not None and late.fine_exposure.amount == 10
    assert "NOTE-LATE" in [f.code for f in late.findings]


def test_unknown_kinds_and_sweeps_are_named_in_the_error() -> None:
    with pytest.raises(registry.UnknownKind, match="mydata_invoice"):
        registry.document_kind("nope")
    assert {"pump", "outbox", "overdue", "webhooks", "outage-report"} <= set(sweep.names())


def test_each_registry_line_names_its_kind_and_upstream() -> None:
    """The name and upstream written beside each module line are the kind's own."""
    for table in (registry.DOCUMENT_KINDS, registry.EVALUATIONS):
        for name, line in table.declared().items():
            kind = line.load()
            assert kind.name == name, line
            assert line.upstream == getattr(kind, "upstream", ""), line
    assert registry.upstreams() == ["ergani", "mydata"]
    assert registry.evaluation("pske_request").name == "pske_request"
    with pytest.raises(registry.UnknownKind, match="pske_request"):
        registry.evaluation("nope")


def _imported_after(code: str) -> set[str]:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    program = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "layers/core"), str(root)]),
           "POWERTOOLS_SERVICE_NAME": "ypovoli", "AWS_DEFAULT_REGION": "eu-central-1"}
    out = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True,
                         cwd=root, timeout=120)
    return set(out.stdout.split())


def _load_function(name: str) -> str:
    return ("import importlib.util\nspec = importlib.util.spec_from_file_location('app', "
            f"'functions/{name}/app.py')\nmodule = importlib.util.module_from_spec(spec)\n"
            "spec.loader.exec_module(module)")


def test_kinds_are_imported_on_first_use_only() -> None:
    """Issue 17 §2: the registry, the API, the webhook and transmitter functions and the sweeper import
    no kind at start; a kind's module comes in when the kind is first asked for — for the API, by the
    first request of a route of that kind."""
    kinds = ("ypovoli.kinds.mydata_invoice.kind", "ypovoli.kinds.ergani.kind", "ypovoli.kinds.pske.kind",
             "ypovoli.kinds.sme.kind")
    assert not set(kinds) & _imported_after("import ypovoli.kinds.registry")
    for function in ("webhooks", "transmitter", "sweeper", "api"):
        started = _imported_after(_load_function(function))
        assert not set(kinds) & started, function
        # …nor what only some requests need: the OpenAPI document (every model), the report templates
        assert not {"ypovoli.openapi", "jinja2", "ypovoli.kinds.ergani.deviations"} & started, function
    asked = _imported_after("from ypovoli.kinds import registry\nregistry.document_kind('ergani_workcard')")
    assert "ypovoli.kinds.ergani.kind" in asked and "ypovoli.kinds.mydata_invoice.kind" not in asked

