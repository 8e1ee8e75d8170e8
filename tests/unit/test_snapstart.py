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
    assert cleared == ["function cache"]
    snapstart._forget.pop()


def test_the_hook_goes_to_the_runtime_only_where_there_is_one(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: list[object] = []
    monkeypatch.setitem(sys.modules, "snapshot_restore_py",
                        types.SimpleNamespace(register_after_restore=registered.append))
    assert snapstart.register() and registered == [snapstart.after_restore]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)   # an import that fails, as off Lambda
    assert snapstart.register() is False
