"""Start the real local stack (``ypovoli local``, as ``make run`` does) for the session; stop it after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import free_port
from tests.factories import ISSUER, OTHER_AFM

DEMO_KEY = "ypk_e2e-demo-key-0123456789"


@dataclass
class Stack:
    url: str
    key: str

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

    def wait_for(self, submission_id: str, statuses: set[str], timeout_s: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            status, body = self.call("GET", f"/v1/invoices/{submission_id}")
            assert status == 200, body
            if body["status"] in statuses or time.monotonic() > deadline:
                return dict(body)
            time.sleep(0.2)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    port = free_port()
    env = {**os.environ, "YPOVOLI_PORT": str(port), "YPOVOLI_DEMO_KEY": DEMO_KEY,
           "YPOVOLI_DEMO_AFMS": f"{ISSUER},{OTHER_AFM}", "YPOVOLI_LOCAL_TICK_S": "0.5"}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "ypovoli_local", "local"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("local stack exited:\n" + (process.stdout.read() if process.stdout else ""))
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):  # noqa: S310 — loopback only
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("local stack did not answer /health within 60 s")
    yield Stack(url, DEMO_KEY)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
