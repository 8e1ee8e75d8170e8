from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

import pytest

#: ``make test-ahead`` sets it (an ISO-8601 duration): the tests' wall clock runs that far ahead, and
#: every local stack a test starts adds it to its clock offset (``tests/e2e/conftest.py``).
CLOCK_AHEAD = "YPOVOLI_TEST_CLOCK_AHEAD"


def pytest_configure(config: pytest.Config) -> None:
    """Under ``make test-ahead``, move this process's wall clock (``time.time``, ``datetime.now``,
    ``date.today``) and let it tick; the monotonic clock stays, so timeouts keep their length. Runs in
    the controller and in every xdist worker."""
    ahead = os.environ.get(CLOCK_AHEAD)
    if not ahead:
        return
    import time_machine
    from ypovoli_local.durations import parse_duration

    traveller = time_machine.travel(datetime.now(UTC) + parse_duration(ahead), tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit and integration tests never reach a real AWS account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "YpovoliTest")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the counts fault and load tests record (``record_property("counts", …)``); works
    under xdist, whose reports carry user properties back to the controller."""
    lines = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "counts" and report.when == "call":
                lines.append(f"{report.nodeid.split('::')[-1]}: {value}")
    if lines:
        terminalreporter.section("fault-test counts")
        for line in sorted(lines):
            terminalreporter.write_line(line)
