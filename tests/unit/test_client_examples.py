"""docs/clients.md: the Python and Node.js webhook verifiers in examples/clients/ accept what ypovoli
signs and refuse a tampered body, a wrong secret and an old timestamp."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ypovoli.webhooks.signing import signature

from tests.conftest import CLOCK_AHEAD
from tests.factories import ROOT

CLIENTS = ROOT / "examples" / "clients"
BODY = b'{"id":"evt_1","type":"submission.status_changed","data":{"status":"transmitted"}}'


@pytest.mark.parametrize("runner", [[sys.executable, str(CLIENTS / "verify_webhook.py")],
                                    ["node", str(CLIENTS / "verify_webhook.js")]], ids=["python", "node"])
def test_the_example_verifiers_agree_with_the_signer(runner: list[str], tmp_path: Path) -> None:
    if runner[0] == "node" and os.environ.get(CLOCK_AHEAD):
        pytest.skip("make test-ahead moves Python's clocks; node keeps the machine's, a year behind the signer")
    body_file = tmp_path / "body.json"
    body_file.write_bytes(BODY)
    now = int(time.time())

    def run(secret: str, header: str, body: bytes = BODY) -> str:
        body_file.write_bytes(body)
        return subprocess.run([*runner, secret, header, str(body_file)], capture_output=True, text=True,
                              timeout=30, check=False).stdout.strip()

    good = signature("whsec_test", now, BODY)
    assert run("whsec_test", good) == "valid"
    assert run("whsec_test", good, BODY.replace(b"transmitted", b"rejected")) == "invalid"
    assert run("whsec_other", good) == "invalid"
    assert run("whsec_test", signature("whsec_test", now - 301, BODY)) == "invalid"
