from __future__ import annotations

import socket

import pytest

#: ``make test-ahead`` sets it (an ISO-8601 duration): every Python process of the run has its wall
#: clock that far ahead (``tests/clock_ahead/sitecustomize.py``).
CLOCK_AHEAD = "YPOVOLI_TEST_CLOCK_AHEAD"


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
