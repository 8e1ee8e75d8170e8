"""SnapStart's after-restore hook (issue 17 §2): what a restored copy must not share with the snapshot —
clients, cached settings, randomness, the functions' own caches — is redone; and the hook is handed to
the runtime only where the runtime offers one."""

from __future__ import annotations

import random
import sys
import types

import pytest
from ypovoli import snapstart
from ypovoli.store import aws


def test_after_restore_forgets_clients_caches_and_reseeds() -> None:
    aws.client.cache_clear()
    before = aws.client("s3")
    cleared: list[str] = []
    snapstart.forget_after_restore(lambda: cleared.append("function cache"))
    random.seed(42)
    in_snapshot = random.random()
    random.seed(42)
    snapstart.after_restore()
    assert random.random() != in_snapshot            # reseeded: not the snapshot's sequence
    assert aws.client("s3") is not before            # a new client, new connections
    assert aws.client("s3")._request_signer._credentials is not before._request_signer._credentials  # re-read
    assert aws._loader() is aws._loader()            # botocore's parsed data is kept: restores stay cheap
    assert cleared == ["function cache"]
    snapstart._forget.pop()


def test_the_hook_goes_to_the_runtime_only_where_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[object] = []
    monkeypatch.setitem(sys.modules, "snapshot_restore_py",
                        types.SimpleNamespace(register_after_restore=registered.append))
    assert snapstart.register() and registered == [snapstart.after_restore]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)   # an import that fails, as off Lambda
    assert snapstart.register() is False


def test_priming_runs_only_in_a_snapshots_init(monkeypatch: pytest.MonkeyPatch) -> None:
    """``prime`` is the first event's work done at the snapshot's init (issue 17 §2); an on-demand init
    (no ``AWS_LAMBDA_INITIALIZATION_TYPE``, or ``on-demand``) does none of it."""
    done: list[str] = []
    for value in (None, "on-demand"):
        if value is None:
            monkeypatch.delenv("AWS_LAMBDA_INITIALIZATION_TYPE", raising=False)
        else:
            monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", value)
        assert snapstart.prime(("sqs",), lambda: done.append("work")) is False
    assert done == []
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")
    aws.forget_clients()
    assert snapstart.prime(("sqs",), lambda: done.append("work")) is True
    assert done == ["work"] and aws.client.cache_info().currsize == 1   # the client was built


def test_every_function_primes_what_its_first_event_needs() -> None:
    """Each function's snapshot init, run for real: its kinds are imported and its clients built."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root / "layers/core"), "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start",
           "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
           "POWERTOOLS_SERVICE_NAME": "ypovoli", "YPOVOLI_INDEX_TABLE": "t", "YPOVOLI_IDEMPOTENCY_TABLE": "i",
           "YPOVOLI_DOSSIER_BUCKET": "b", "YPOVOLI_DROP_BUCKET": "d", "YPOVOLI_TRANSMIT_QUEUE_URL": "http://q",
           "YPOVOLI_WEBHOOK_QUEUE_URL": "http://w", "YPOVOLI_API_KEY_PEPPER": "p" * 32}
    expected = {"api": "ypovoli.kinds.mydata_invoice.kind", "transmitter": "ypovoli.kinds.ergani.kind",
                "sweeper": "ypovoli.kinds.ergani.timekeeping", "dropzone": "ypovoli.kinds.pske.kind",
                "webhooks": "ypovoli.services.webhooks"}
    for name, module in expected.items():
        program = ("import importlib.util, sys\nspec = importlib.util.spec_from_file_location('app', "
                   f"'functions/{name}/app.py')\nm = importlib.util.module_from_spec(spec)\n"
                   "spec.loader.exec_module(m)\nfrom ypovoli.store import aws\n"
                   f"assert {module!r} in sys.modules\n"
                   "from ypovoli.models.events import DeliveryAttempt\nfrom ypovoli.findings import Finding\n"
                   "assert DeliveryAttempt.__pydantic_complete__, 'a deferred model left unbuilt'\n"
                   "print(aws.client.cache_info().currsize)")
        out = subprocess.run([sys.executable, "-c", program], env=env, cwd=root, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, (name, out.stderr[-2000:])
        assert int(out.stdout.split()[-1]) >= 2, name


def test_our_models_are_built_on_first_use_or_by_priming() -> None:
    """``models/base.py``: a model's validator is built when first used — or by ``build_models`` in a
    snapshot's init — and validates the same either way."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    program = ("from ypovoli.models.reports import IssuerStats, OutageReport\n"
               "assert not OutageReport.__pydantic_complete__\n"
               "from ypovoli import snapstart\nassert snapstart.build_models() >= 2\n"
               "assert OutageReport.__pydantic_complete__ and IssuerStats.__pydantic_complete__\n"
               "from ypovoli.models.incidents import Incident\nassert not Incident.__pydantic_complete__\n"
               "try:\n    Incident.model_validate({})\nexcept Exception as e:\n    print(type(e).__name__)\n"
               "assert Incident.__pydantic_complete__\n")
    out = subprocess.run([sys.executable, "-c", program], cwd=root, capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "PYTHONPATH": str(root / "layers/core")})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ValidationError"
