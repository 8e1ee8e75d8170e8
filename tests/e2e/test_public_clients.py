"""Issue 30 §1: the public client libraries from PyPI, unchanged, each in its own virtualenv (`make setup`
makes them from tests/e2e/clients/*.txt), against the local stack's drop-in doors — pointed there the way
docs/clients.md tells their users. Each script in tests/e2e/clients/ prints what every call answered."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from ypovoli.kinds.mydata_invoice.aade.xml import build_invoices_doc
from ypovoli.kinds.mydata_invoice.model import Invoice

from tests.e2e.conftest import Stack
from tests.factories import ISSUER, ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

CLIENTS = ROOT / "tests" / "e2e" / "clients"
VENVS = ROOT / ".venv" / "clients"


def drive(stack: Stack, script: str, tmp_path: Path, aa: str) -> dict[str, Any]:
    python = VENVS / script / "bin" / "python"
    assert python.exists(), f"{python} is missing: `make setup` installs the public clients (tests/e2e/clients)"
    _, clock = stack.call("GET", "/_local/clock")
    xml = tmp_path / f"{aa}.xml"
    xml.write_bytes(build_invoices_doc([Invoice.model_validate(stack.invoice(aa))]))
    env = {"PATH": os.environ.get("PATH", ""), "YPOVOLI_URL": stack.url, "YPOVOLI_KEY": stack.key,
           "YPOVOLI_AFM": ISSUER, "YPOVOLI_NOW": datetime.fromisoformat(clock["now"]).isoformat(),
           "YPOVOLI_INVOICE_XML": str(xml), "YPOVOLI_AA": aa}
    # Not the suite's PYTHONPATH (make test-ahead's clock shim needs time-machine, which these virtualenvs
    # lack): the clients read no clock of their own; every date they send comes from the stack's.
    if "HOME" in os.environ:
        env["HOME"] = os.environ["HOME"]
    done = subprocess.run([str(python), str(CLIENTS / f"{script}.py")], env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_ergani_sdk_unchanged(stack: Stack, tmp_path: Path) -> None:
    """`ergani` 1.0.1: it asks for `…/v1/ergani//Documents/…` and sends branches and weekdays as numbers."""
    out = drive(stack, "ergani_sdk", tmp_path, "SDK-E")
    for call in ("work_card", "weekly_schedule", "daily_schedule"):
        [answer] = out[call]
        assert answer["protocol"] and answer["submission_id"], (call, out)
    assert out["overtime"]["status"] == 400 and "WTOOv" in out["overtime"]["message"], out


def test_mydata_client_unchanged(stack: Stack, tmp_path: Path) -> None:
    out = drive(stack, "mydata_client", tmp_path, "SDK-MC")
    assert out["send_invoices"]["status"] == "Success" and out["send_invoices"]["mark"], out
    assert out["send_invoices"]["mark"] in out["request_transmitted_docs"]["marks"], out
    assert out["request_docs"]["refused"] and "RequestTransmittedDocs" in out["request_docs"]["message"], out
    wrong = out["wrong_key"]
    assert wrong["refused"] and "ocp-apim-subscription-key" in wrong["message"] and "x-api-key" not in wrong["message"]


def test_mydatanaut_unchanged(stack: Stack, tmp_path: Path) -> None:
    """`mydatanaut` 0.1.4 sends `Content-Type: text/xml` on its GETs too."""
    out = drive(stack, "mydatanaut_client", tmp_path, "702")
    assert out["send_invoice"]["status"] == "Success" and out["send_invoice"]["mark"], out
    assert out["send_invoice"]["mark"] in out["request_transmitted_docs"]["marks"], out
    assert out["cancel_invoice"]["status"] == "Success" and out["cancel_invoice"]["cancellation_mark"], out


def test_mydatapy_unchanged(stack: Stack, tmp_path: Path) -> None:
    out = drive(stack, "mydatapy_client", tmp_path, "SDK-MP")
    assert out["send_invoice"]["statusCode"] == "Success" and out["send_invoice"]["invoiceMark"], out
    assert out["own_template"]["statusCode"] == "Success" and out["own_template"]["invoiceMark"], out
