"""The local stack as a newcomer meets it (issue 16 §7): a one-line error when its port is taken; its
logs in a file, not the terminal; and no moto race under flaky load — the log ends without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def test_a_taken_port_is_one_line_and_nothing_starts(stack: Stack) -> None:
    port = str(urlsplit(stack.url).port)
    run = subprocess.run([sys.executable, "-m", "ypovoli_local", "local", "--port", port], capture_output=True,
                         text=True, timeout=60, check=False, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 1, run.stdout + run.stderr
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is taken" in lines[0] and "Traceback" not in lines[0]


def test_flaky_load_leaves_no_traceback_and_the_terminal_only_the_table(stack: Stack) -> None:
    assert stack.log is not None and stack.terminal is not None
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "flaky", "failure_rate": 0.3,
                                                           "accept_then_timeout_rate": 0.1})[0] == 200
    ids: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for k in range(5):
            status, body = stack.call("POST", "/v1/invoices", stack.invoice(f"MANNERS-{n}-{k}"))
            assert status == 202, body
            with lock:
                ids.append(body["id"])
            stack.call("GET", f"/v1/invoices/{body['id']}")
            stack.call("GET", "/v1/invoices?afm=800123456&limit=5")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stack.call("POST", "/_local/reset")[0] == 200
    for submission_id in ids:
        assert stack.wait_for(submission_id, {"transmitted"}, timeout_s=90)["status"] == "transmitted"
    log = stack.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "dictionary changed size" not in log, log[-4000:]
    terminal = stack.terminal.read_text(encoding="utf-8", errors="replace")
    assert "ypovoli local stack" in terminal and "Traceback" not in terminal
    assert not [line for line in terminal.splitlines() if line.startswith("{") and json.loads(line)], \
        "the functions' JSON logs belong in the log file"
