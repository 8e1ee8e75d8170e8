"""Lambda SnapStart (template.yaml: ``SnapStart: ApplyOn: PublishedVersions``): a function's memory is
snapshotted after its module-level code has run and every cold start resumes from it. What must not be
resumed is redone after each restore: connections (a snapshot's sockets are dead) and randomness (every
restored copy would otherwise draw the same backoff jitter).

``forget_after_restore(fn)`` registers a function's own per-process state (its ``@cache`` of clients
and stores); ``register()`` hands the lot to the runtime's hook, where there is one — on Lambda with
SnapStart (``snapshot_restore_py`` ships in the Python 3.12+ runtime); elsewhere it does nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable

_forget: list[Callable[[], None]] = []


def forget_after_restore(clear: Callable[[], None]) -> None:
    _forget.append(clear)


def after_restore() -> None:
    """What a restored copy redoes before its first event."""
    from .settings import reset_settings
    from .store import aws

    random.seed()           # its own jitter (``random`` was seeded once, in the snapshot)
    aws.client.cache_clear()  # fresh clients: the snapshot's connections are closed
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
