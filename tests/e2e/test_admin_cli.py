"""Issue 16 §1 and issue 34 §1, as a newcomer does it: the same operator commands on the local stack
(`--local`, its demo key) as in AWS — a tenant and a key that work on the API at once, `--json` on
each, console users and dead-letter queues without AWS credentials, and a mistake said in one line,
never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

AFM = "100000088"


def ypovoli(*args: str, env: dict[str, str] | None = None, columns: int = 200) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "YPOVOLI_"))}
    return subprocess.run([sys.executable, "-m", "ypovoli_local", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False, env={**clean, "COLUMNS": str(columns), **(env or {})})


def test_a_tenant_and_a_key_from_the_cli_work_at_once(stack: Stack) -> None:
    local = {"YPOVOLI_URL": stack.url, "YPOVOLI_KEY": stack.key}   # a loopback YPOVOLI_URL: the local stack
    created = ypovoli("tenants", "create", "cli-office", "--name", "CLI office", "--afm", AFM, "--json", env=local)
    assert created.returncode == 0, created.stdout + created.stderr
    assert json.loads(created.stdout) == {"tenant": "cli-office", "name": "CLI office", "afms": [AFM]}
    issued = ypovoli("keys", "create", "cli-office", "--local", "--url", stack.url, "--key", stack.key)
    assert issued.returncode == 0, issued.stdout + issued.stderr
    key = issued.stdout.strip().splitlines()[-1]
    assert key.startswith("ypk_")
    status, body = stack.call("POST", "/v1/invoices", stack.invoice("CLI-1", issuer=AFM), key=key)
    assert status == 202, body
    assert stack.call("GET", f"/v1/invoices/{body['id']}", key=stack.key)[0] == 403   # tenants apart
    listed = ypovoli("keys", "list", "cli-office", "--json", env=local)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 1
    assert key not in listed.stdout and key[:8] not in listed.stdout.replace("ypk_", "")
    again = ypovoli("tenants", "create", "cli-office", env=local)
    assert again.returncode == 2 and "exists already" in again.stderr and "Traceback" not in again.stderr


def test_console_users_and_dead_letter_queues_on_the_local_stack_need_no_aws_account(stack: Stack) -> None:
    local = {"YPOVOLI_URL": stack.url, "YPOVOLI_KEY": stack.key, "YPOVOLI_CONSOLE_PASSWORD": "a long passphrase 1"}
    added = ypovoli("console-users", "add", "demo", "cli@ypovoli.local", "--local", "--json", env=local)
    assert added.returncode == 0, added.stdout + added.stderr
    assert json.loads(added.stdout) == {"tenant": "demo", "email": "cli@ypovoli.local"}
    shown = ypovoli("dlq", "show", "--json", env=local)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert json.loads(shown.stdout)["stack"] == "ypovoli-local"
    assert set(json.loads(shown.stdout)["waiting"]) == {"transmit", "webhooks", "drop"}


def test_mistakes_are_one_line_and_never_a_traceback(stack: Stack) -> None:
    wrong_key = ypovoli("keys", "list", "demo", "--local", "--url", stack.url, "--key", "ypk_not-the-demo-key")
    assert wrong_key.returncode == 2 and "refused the key" in wrong_key.stderr and "Traceback" not in wrong_key.stderr
    no_region = ypovoli("dlq", "show", "--stack", "ypovoli", env={"AWS_CONFIG_FILE": "/dev/null"})
    assert no_region.returncode == 2 and "no AWS region" in no_region.stderr, no_region.stderr
    assert "Traceback" not in no_region.stderr and len(no_region.stderr.strip().splitlines()) <= 2
    # The local stack's administration is its demo key's holder's only.
    assert stack.call("GET", "/_local/admin", key="")[0] == 401
    assert "demo_key" not in stack.call("GET", "/_local/stack", key="")[1]


def test_codes_fit_an_80_column_terminal_with_nothing_cut() -> None:
    shown = ypovoli("codes", columns=80)
    assert shown.returncode == 0
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80
    from ypovoli.codes import CODES

    text = shown.stdout.replace("\n", "").replace("│", "").replace(" ", "")
    for code in CODES:
        assert code.code.replace(" ", "") in text, code.code
    as_json = json.loads(ypovoli("codes", "--json").stdout)
    assert {c["code"] for c in as_json} == {c.code for c in CODES}
