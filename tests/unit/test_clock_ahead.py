"""``make test-ahead`` moves the wall clock of every Python process of the run, and only that
(``tests/clock_ahead/sitecustomize.py``); a plain run leaves it alone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from ypovoli_local.durations import parse_duration

from tests.conftest import CLOCK_AHEAD


def _expected_s() -> float:
    ahead = os.environ.get(CLOCK_AHEAD)
    return parse_duration(ahead).total_seconds() if ahead else 0.0


def test_the_wall_clock_is_as_far_ahead_as_asked(tmp_path: Path) -> None:
    """A new file's mtime is the kernel's clock, which time-machine does not move."""
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    assert abs(time.time() - probe.stat().st_mtime - _expected_s()) < 60


def test_a_python_process_the_tests_start_is_as_far_ahead(tmp_path: Path) -> None:
    """Stacks, CLIs and verifiers run in processes of their own: their clock must agree with ours."""
    theirs = subprocess.run([sys.executable, "-c", "import time; print(time.time())"], capture_output=True,
                            text=True, check=True, timeout=60).stdout
    assert abs(float(theirs) - time.time()) < 60


def test_timed_waits_keep_their_length() -> None:
    """What libfaketime broke: a timed wait's deadline is on the monotonic clock, left alone."""
    started = time.monotonic()
    assert threading.Event().wait(0.2) is False
    assert 0.15 < time.monotonic() - started < 5
