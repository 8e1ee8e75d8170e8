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


def test_a_chunked_body_is_read_up_to_the_same_limit(stack: Stack) -> None:
    """Issue 34 §3: a client streaming without Content-Length (Transfer-Encoding: chunked) is served as
    API Gateway serves it; past 10 MiB the same 413 in our shape."""
    import http.client

    target = urlsplit(stack.url)

    def post(chunks: list[bytes]) -> tuple[int, dict[str, object]]:
        connection = http.client.HTTPConnection(str(target.hostname), target.port, timeout=60)
        connection.request("POST", "/v1/invoices", body=iter(chunks), encode_chunked=True,
                           headers={"x-api-key": stack.key, "Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"})
        answer = connection.getresponse()
        body = json.loads(answer.read() or b"null")
        connection.close()
        return answer.status, body

    raw = json.dumps(stack.invoice("CHUNK-1"), ensure_ascii=False).encode()
    status, body = post([raw[:50], raw[50:200], raw[200:]])
    assert status == 202 and body["status"] == "accepted", body
    # Past the limit the front answers and closes while the client still sends (as API Gateway does):
    # a raw socket sends what it can, then reads the answer.
    import socket

    with socket.create_connection((str(target.hostname), target.port), timeout=60) as sock:
        sock.sendall(b"POST /v1/invoices HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: application/json\r\nx-api-key: " + stack.key.encode() + b"\r\n\r\n")
        chunk = b"y" * 1_048_576
        try:
            for _ in range(11):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass   # the answer came first
        answer = b""
        while b"REQUEST-SIZE" not in answer:   # the front closes the connection after its answer
            try:
                got = sock.recv(65536)
            except ConnectionResetError:
                break
            if not got:
                break
            answer += got
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head[:100]
    assert b"REQUEST-SIZE" in payload


def test_the_stack_stops_within_ten_seconds_of_sigterm_under_load() -> None:
    """Issue 34 §3: SIGTERM while clients keep posting — the process is gone within 10 s."""
    import time

    from tests.e2e.conftest import start_stack

    process, running = start_stack()
    stop = threading.Event()

    def load() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            try:
                running.call("POST", "/v1/invoices", running.invoice(f"TERM-{threading.get_ident()}-{number}"))
            except OSError:
                time.sleep(0.05)

    clients = [threading.Thread(target=load, daemon=True) for _ in range(4)]
    try:
        for client in clients:
            client.start()
        time.sleep(3)
        began = time.monotonic()
        process.terminate()
        process.wait(timeout=15)
        took = time.monotonic() - began
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
    assert took < 10, f"stopped after {took:.1f} s"
