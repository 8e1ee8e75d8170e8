"""Issue 16 §1, as a newcomer does it: `ypovoli tenants create` and `ypovoli keys create` against the
running local stack give a key that works on the API at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

AFM = "100000088"


def ypovoli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ypovoli_local", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)


def test_a_tenant_and_a_key_from_the_cli_work_at_once(stack: Stack) -> None:
    created = ypovoli("tenants", "create", "cli-office", "--name", "CLI office", "--afm", AFM, "--local", stack.url)
    assert created.returncode == 0, created.stdout + created.stderr
    issued = ypovoli("keys", "create", "cli-office", "--local", stack.url)
    assert issued.returncode == 0, issued.stdout + issued.stderr
    key = issued.stdout.strip().splitlines()[-1]
    assert key.startswith("ypk_")
    status, body = stack.call("POST", "/v1/invoices", stack.invoice("CLI-1", issuer=AFM), key=key)
    assert status == 202, body
    assert stack.call("GET", f"/v1/invoices/{body['id']}", key=stack.key)[0] == 403   # tenants apart
    listed = ypovoli("keys", "list", "cli-office", "--local", stack.url)
    assert key not in listed.stdout and key[:8] not in listed.stdout.replace("ypk_", "")
    again = ypovoli("tenants", "create", "cli-office", "--local", stack.url)
    assert again.returncode == 1 and "exists already" in again.stdout
