"""``make test-ahead`` puts this directory on ``PYTHONPATH``: every Python process of the run — pytest,
its xdist workers, the local stacks and CLIs the tests start, the example verifiers — starts with its
wall clock ``YPOVOLI_TEST_CLOCK_AHEAD`` (an ISO-8601 duration) ahead, as if the machine's were.

time-machine moves ``time.time``, ``datetime.now``, ``date.today`` and the like, and lets them tick;
the monotonic clock stays, so every timeout keeps its length. Not libfaketime: it shifts the monotonic
clock too, and CPython's timed waits (``Event.wait``, lock timeouts) take absolute deadlines on it
that then lie a year away — they never end.
"""

from __future__ import annotations

import os

_AHEAD = os.environ.get("YPOVOLI_TEST_CLOCK_AHEAD")

if _AHEAD:
    from datetime import UTC, datetime

    import time_machine
    from ypovoli_local.durations import parse_duration

    time_machine.travel(datetime.now(UTC) + parse_duration(_AHEAD), tick=True).start()
