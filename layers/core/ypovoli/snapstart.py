"""Lambda SnapStart (template.yaml: ``SnapStart: ApplyOn: PublishedVersions``): a function's memory is
snapshotted after its module-level code has run and every cold start resumes from it. What must not be
resumed is redone after each restore: connections (a snapshot's sockets are dead) and randomness (every
restored copy would otherwise draw the same backoff jitter).

``prime(services, *work)`` is what a function would otherwise do on its first event — botocore's
service models parsed, the kinds it serves imported, the XSD compiled — done during the snapshot's
own init only (``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start``), so a restored copy starts with it.
Without SnapStart it does nothing: an on-demand init would only move the same work from the first
event to the import (issue 17 §2 measures both: ``scripts/ypovoli_local/bench_first.py``).

``forget_after_restore(fn)`` registers a function's own per-process state (its ``@cache`` of clients
and stores); ``register()`` hands the lot to the runtime's hook, where there is one — on Lambda with
SnapStart (``snapshot_restore_py`` ships in the Python 3.12+ runtime); elsewhere it does nothing.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

_forget: list[Callable[[], None]] = []


#: Lambda's ``AWS_LAMBDA_INITIALIZATION_TYPE`` while it runs the init a snapshot is taken of.
SNAPSHOT_INIT = "snap-start"


def priming() -> bool:
    return os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == SNAPSHOT_INIT


def prime(services: tuple[str, ...], *work: Callable[[], object]) -> bool:
    """At a snapshot's init: build ``services``' clients (their models stay parsed after a restore,
    the clients themselves are made anew) and run ``work``. ``False`` when this init is not one."""
    if not priming():
        return False
    from .store import aws

    for service in services:
        aws.client(service)
    for step in work:
        step()
    build_models()
    return True


def build_models() -> int:
    """Build every deferred model of ours imported so far (``models/base.py``: built on first use),
    so that a restored copy's first event finds them ready; how many were built."""
    from pydantic import BaseModel

    built, seen, pending = 0, set(), list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        pending.extend(model.__subclasses__())
        if model.__module__.startswith("ypovoli.") and not model.__pydantic_complete__:
            built += bool(model.model_rebuild(raise_errors=False))
    return built


def forget_after_restore(clear: Callable[[], None]) -> None:
    _forget.append(clear)


def after_restore() -> None:
    """What a restored copy redoes before its first event."""
    from .settings import reset_settings
    from .store import aws

    random.seed()           # its own jitter (``random`` was seeded once, in the snapshot)
    aws.forget_clients()    # fresh clients and credentials: the snapshot's connections are closed
    reset_settings()
    for clear in _forget:
        clear()


def register() -> bool:
    """Hand :func:`after_restore` to the SnapStart runtime hook; ``False`` where there is none."""
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:
        return False
    register_after_restore(after_restore)
    return True
