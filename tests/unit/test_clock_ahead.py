"""``make test-ahead`` moves the tests' wall clock, and only that (``tests/conftest.py``)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ypovoli_local.durations import parse_duration

from tests.conftest import CLOCK_AHEAD


def test_the_wall_clock_is_as_far_ahead_as_asked(tmp_path: Path) -> None:
    """A new file's mtime is the kernel's clock, which time-machine does not move."""
    ahead = os.environ.get(CLOCK_AHEAD)
    expected = parse_duration(ahead).total_seconds() if ahead else 0.0
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    assert abs(time.time() - probe.stat().st_mtime - expected) < 60


def test_timed_waits_keep_their_length() -> None:
    """What libfaketime broke: a timed wait's deadline is on the monotonic clock, left alone."""
    started = time.monotonic()
    assert threading.Event().wait(0.2) is False
    assert 0.15 < time.monotonic() - started < 5
