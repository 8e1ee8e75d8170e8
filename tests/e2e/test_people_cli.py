"""The people's CLI against a running stack (issue 16 §5): ``ypovoli submit`` many files at once with a
summary table, ``ypovoli status``, ``ypovoli upload-dossier`` through the presigned POST to its report —
configured by YPOVOLI_URL / YPOVOLI_KEY or by a profile file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner
from ypovoli_local.cli import app

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def run(stack: Stack, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250", "YPOVOLI_URL": stack.url,
                                                      "YPOVOLI_KEY": stack.key, **(env or {})})
    return result.exit_code, result.output


def test_submit_many_files_then_read_one_back(stack: Stack, tmp_path: Path) -> None:
    files = []
    for aa in ("CLI-1", "CLI-2"):
        path = tmp_path / f"{aa}.json"
        path.write_text(json.dumps(stack.invoice(aa), ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    wrong = stack.invoice("CLI-3")
    wrong["invoiceSummary"]["totalGrossValue"] = "999.00"
    (tmp_path / "wrong.json").write_text(json.dumps(wrong), encoding="utf-8")
    code, output = run(stack, "submit", *files, str(tmp_path / "wrong.json"), "--wait", "0")
    assert code == 1, output   # one file was refused
    assert output.count("accepted") == 2 and "MYDATA-TOTALS" in output and "invalid" in output
    assert "AADE would answer" in output, output   # the finding's message, not only its code
    ids = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", output)
    assert len(ids) == 2
    # The same file again: the same Idempotency-Key, the first answer replayed (nothing twice).
    code, again = run(stack, "submit", files[0])
    assert code == 0 and ids[0] in again and "transmitted" in again   # by default it waits for AADE's answer
    stack.wait_for(ids[0], {"transmitted"})
    code, shown = run(stack, "status", ids[0])
    assert code == 0 and "transmitted" in shown and "receipt.mark" in shown
    assert run(stack, "status", "00000000-0000-0000-0000-000000000000")[0] == 1


def test_a_profile_file_names_the_stack_and_the_key(stack: Stack, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(f'[local]\nurl = "{stack.url}"\nkey = "{stack.key}"\n', encoding="utf-8")
    env = {"YPOVOLI_URL": "", "YPOVOLI_KEY": "", "YPOVOLI_PROFILE_FILE": str(profiles)}
    code, output = run(stack, "status", "00000000-0000-0000-0000-000000000000", "--profile", "local", env=env)
    assert code == 1 and "no submission" in output
    code, output = run(stack, "status", "x", "--profile", "prod", env=env)
    assert code == 2 and "no profile [prod]" in output
    code, output = run(stack, "status", "x", env={**env, "YPOVOLI_PROFILE_FILE": str(tmp_path / "none.toml")})
    assert code == 2 and "where is ypovoli?" in output
    code, output = run(stack, "status", "x", env={"YPOVOLI_KEY": "wrong-key-0123456789"})
    assert code == 2 and "401" in output


def test_upload_a_shipped_dossier_and_wait_for_its_report(stack: Stack) -> None:
    code, output = run(stack, "upload-dossier", str(ROOT / "examples" / "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"),
                       "--afm", "800123456", "--wait", "60")
    assert "uploaded" in output and "report_url" in output, output
    assert code in (0, 1) and ("accepted" in output or "invalid" in output)


def test_submit_exits_non_zero_for_a_rejection_and_prints_the_upstream_s_reason(stack: Stack, tmp_path: Path) -> None:
    """Issue 30 §5: the outcome of a file is what the upstream said, waited for; warnings are printed."""
    path = tmp_path / "CLI-R.json"
    path.write_text(json.dumps(stack.invoice("CLI-R"), ensure_ascii=False), encoding="utf-8")
    assert stack.call("POST", "/_local/upstreams/mydata",
                      {"mode": "up", "answer_next": {"count": 1, "with": "rejected", "code": "203"}})[0] == 200
    code, output = run(stack, "submit", str(path), "--wait", "30")
    assert code == 1 and "rejected" in output and "UPSTREAM-REJECTED" in output and "gross value" in output, output
    ids = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", output)
    code, shown = run(stack, "status", ids[0])
    assert "rejected" in shown and "upstream_error" in shown and "203" in shown, shown
    # Sent again unchanged: accepted with a warning that repeats the reason (and sent; this time AADE takes it).
    path.write_text(json.dumps(stack.invoice("CLI-R"), ensure_ascii=False) + " ", encoding="utf-8")
    code, again = run(stack, "submit", str(path), "--wait", "30")
    assert code == 0 and "UPSTREAM-RESUBMITTED (warning)" in again and "transmitted" in again, again


def test_list_json_and_80_columns(stack: Stack, tmp_path: Path) -> None:
    """Issue 34 §1: `ypovoli list` by business and kind (today's, by status), `--json` on the people's
    commands, and a status that fits 80 columns with its URLs whole."""
    path = tmp_path / "LIST-1.json"
    path.write_text(json.dumps(stack.invoice("LIST-1"), ensure_ascii=False), encoding="utf-8")
    code, output = run(stack, "submit", str(path), "--json")
    assert code == 0, output
    [sent] = json.loads(output)
    stack.wait_for(sent["id"], {"transmitted"})
    # The stack's own day (its clock is moved by other tests; --today is the machine's Athens day).
    code, listed = run(stack, "list", "--since", stack.today().isoformat(), "--kind", "mydata_invoice", "--json")
    assert code == 0, listed
    rows = json.loads(listed)
    assert sent["id"] in {r["id"] for r in rows} and all(r["kind"] == "mydata_invoice" for r in rows)
    code, table = run(stack, "list", "--status", "transmitted", env={"COLUMNS": "80"})
    assert code == 0 and "LIST-1" in table and max(len(line) for line in table.splitlines()) <= 80, table
    code, shown = run(stack, "status", sent["id"], env={"COLUMNS": "80"})
    assert code == 0 and max(len(line) for line in shown.splitlines()) <= 80, shown
    qr = json.loads(run(stack, "status", sent["id"], "--json")[1])["receipt"]["qr_url"]
    assert qr.replace("/", "") in shown.replace("│", "").replace(" ", "").replace("\n", "").replace("/", "")
    assert run(stack, "list", "--kind", "nothing")[0] == 2
