"""Start the real local stack (``ypovoli local``, as ``make run`` does) for the session; stop it after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.factories import ISSUER, OTHER_AFM, invoice

DEMO_KEY = "ypk_e2e-demo-key-0123456789"
#: The person the stack seeds for the console (``demo@ypovoli.local``).
CONSOLE_PASSWORD = "e2e-console-password-42"


@dataclass
class Stack:
    url: str
    key: str
    #: Where the stack writes moto's, the pollers' and the functions' logs (``--log-file``), and what it
    #: printed to its terminal.
    log: Path | None = None
    terminal: Path | None = None

    def call(self, method: str, path: str, body: Any = None, key: str | None = None,
             raw: bytes | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={  # noqa: S310
            "Content-Type": "application/json", "x-api-key": key if key is not None else self.key})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — loopback only
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def today(self) -> date:
        """The stack's own Athens day: every document a test sends is dated from it, never from the
        machine's calendar or a fixture's fixed date (the stack's clock may be anywhere)."""
        status, body = self.call("GET", "/_local/clock")
        assert status == 200, body
        return date.fromisoformat(body["today"])

    def invoice(self, aa: str, **changes: Any) -> dict[str, Any]:
        """The sample invoice, issued today by the stack's clock."""
        return invoice(aa=aa, issue_date=self.today(), **changes)

    def wait_for(self, submission_id: str, statuses: set[str], timeout_s: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            status, body = self.call("GET", f"/v1/invoices/{submission_id}")
            assert status == 200, body
            if body["status"] in statuses or time.monotonic() > deadline:
                return dict(body)
            time.sleep(0.2)


def start_stack(**extra_env: str) -> tuple[subprocess.Popen[str], Stack]:
    """``ypovoli local`` (what ``make run`` starts) on a free port, once it answers ``/health``."""
    port = free_port()
    env = {**os.environ, "YPOVOLI_PORT": str(port), "YPOVOLI_DEMO_KEY": DEMO_KEY,
           "YPOVOLI_DEMO_AFMS": f"{ISSUER},{OTHER_AFM}", "YPOVOLI_LOCAL_TICK_S": "0.5",
           "YPOVOLI_DEMO_CONSOLE_PASSWORD": CONSOLE_PASSWORD, **extra_env}
    env.pop("AWS_ENDPOINT_URL", None)
    # Its output goes to a file, not a pipe nobody reads: a full pipe would stall the stack mid-suite.
    log = tempfile.NamedTemporaryFile("w+", prefix="ypovoli-stack-", suffix=".out", delete=False)  # noqa: SIM115
    env["YPOVOLI_LOCAL_LOG"] = log.name.removesuffix(".out") + ".log"
    process = subprocess.Popen([sys.executable, "-m", "ypovoli_local", "local"], env=env,
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(process, url, log.name)
    except BaseException:
        process.kill()  # never leave a stack behind, whatever went wrong while it started
        raise
    return process, Stack(url, DEMO_KEY, Path(env["YPOVOLI_LOCAL_LOG"]), Path(log.name))


def _wait_for_health(process: subprocess.Popen[str], url: str, log: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("local stack exited:\n" + Path(log).read_text(encoding="utf-8", errors="replace"))
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):  # noqa: S310 — loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("local stack did not answer /health within 60 s")


def stop_stack(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    process, running = start_stack()
    yield running
    stop_stack(process)


@pytest.fixture(scope="session")
def stack_a_year_ahead() -> Iterator[Stack]:
    """A second stack whose clock starts 365 days after the machine's: the flow must not care."""
    process, running = start_stack(YPOVOLI_LOCAL_CLOCK_OFFSET="P365D")
    yield running
    stop_stack(process)


@pytest.fixture(params=["today", "a-year-ahead"])
def any_stack(request: pytest.FixtureRequest) -> Stack:
    return request.getfixturevalue("stack" if request.param == "today" else "stack_a_year_ahead")
