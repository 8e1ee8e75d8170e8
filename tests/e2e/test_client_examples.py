"""docs/clients.md: the Python and Node.js submit examples, run against the local stack as an
integrator would run them — a transmitted invoice with its MARK, and the same order id sent again
answered from the first call (Idempotency-Key), not submitted twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

CLIENTS = ROOT / "examples" / "clients"


@pytest.mark.parametrize("runner", [[sys.executable, str(CLIENTS / "submit.py")], ["node", str(CLIENTS / "submit.js")]],
                         ids=["python", "node"])
def test_the_example_submitters_get_a_receipt_once(stack: Stack, runner: list[str], tmp_path: Path) -> None:
    name = Path(runner[1]).suffix.lstrip(".")
    document = tmp_path / "invoice.json"
    document.write_text(json.dumps(stack.invoice(f"CLIENT-{name.upper()}")), encoding="utf-8")
    env = {**os.environ, "YPOVOLI_URL": stack.url, "YPOVOLI_KEY": stack.key}
    first = subprocess.run([*runner, str(document), f"order-{name}"], capture_output=True, text=True, timeout=90,
                           env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    sent = json.loads(first.stdout.strip().splitlines()[-1])
    assert sent["status"] == "transmitted" and sent["receipt"]["mark"]
    again = subprocess.run([*runner, str(document), f"order-{name}"], capture_output=True, text=True, timeout=90,
                           env=env, check=False)
    assert again.returncode == 0 and json.loads(again.stdout.strip().splitlines()[-1])["id"] == sent["id"]
