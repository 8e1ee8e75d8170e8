"""The README, top to bottom, as written (bash, curl, sed, python3), against one local stack whose clock
stands a year after the machine's: a reader who follows it on any day gets what it promises. Only the
address and the key are put in, as a reader would from ``make run``'s table. Every ``bash`` block runs
(but the two commands, which CI itself runs); commands for a real AWS account are ``text`` blocks."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

README = ROOT / "README.md"
FIRST_RUN = "## A two-minute tour"


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def readme_blocks() -> list[str]:
    """Every bash block from the tour on, in the README's order."""
    text = README.read_text(encoding="utf-8")
    return bash_blocks(text[text.index(FIRST_RUN):])


#: What each section's commands must print, in order of the README.
EXPECTED = (
    '"status": "transmitted"', "MYDATA-DUPLICATE", "MYDATA-TOTALS",                       # the tour
    " codes", '"next": "/v1/invoices?afm=800123456&limit=1&cursor=', '"status": "not_found"',  # reference
    "offline validation", "receipt.mark", "uploaded 3,093 bytes", "pske_upload",            # the CLI
    '"status": "deferred"', "MYDATA-OUTAGE", '"status": "overdue"', "MYDATA-LATE",          # outage demo
    '"documents": [{', '"status": "cancelled"',
    '"status": "rejected"', "UPSTREAM-REJECTED", '"supersedes": "',                        # upstream says no
    "<statusCode>Success</statusCode>", "<invoiceMark>",                                   # drop-in myDATA
    '"delivery": "delivered"',                                                             # webhooks
    '"protocol": "ΑΚ - ', '"late_justification": "003"', "ERGANI-FORCE-MAJEURE", "Επιθεώρηση Εργασίας",  # ERGANI
    '"kind": "ergani_wto_daily"', '"code": "ERGANI-DEVIATION"', '"exposure_eur": "3000.00"', '"what": "missing-end"',
    "PSKE-B2-DUPLICATE",                                                                   # ΠΣΚΕ
    '"afm": "100000003"', '"code": "FHM-CADENCE"', '"exposure_eur": "500.00"', "λουκέτου",  # retail and SME
    '"eligible_quantity": "0.6"', '"reason": "users"', '"code": "VOUCHER-QTY"',
)


def test_every_bash_block_is_run_and_aws_commands_are_text() -> None:
    text = README.read_text(encoding="utf-8")
    [two_commands] = bash_blocks(text[:text.index(FIRST_RUN)])   # make run, make test: what CI itself runs
    assert [line.split()[:2] for line in two_commands.splitlines()] == [["make", "run"], ["make", "test"]]
    assert not [b for b in readme_blocks() if "sam deploy" in b or "--stack ypovoli" in b], \
        "commands for a deployed stack belong in text blocks"
    commands = [line for block in readme_blocks() for line in block.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if "<id>" in line or "$(date" in line], \
        "the README's commands take ids from the answers and dates from the stack"


def test_the_readme_runs_top_to_bottom_as_written_a_year_ahead(stack_a_year_ahead: Stack, tmp_path: Path) -> None:
    stack = stack_a_year_ahead
    script = "\n".join(readme_blocks())
    script = script.replace("export KEY=ypk_…", f"export KEY={stack.key}")
    script = script.replace("localhost:8000", stack.url.removeprefix("http://"))
    script = script.replace("/tmp/invoice.json", str(tmp_path / "invoice.json"))
    out_path = tmp_path / "readme.out"
    # A file, not a pipe: the webhook receiver the README starts in the background must not hold the
    # output open; its own process group is killed afterwards whatever happens.
    with out_path.open("w", encoding="utf-8") as out:
        run = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, stdout=out,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            returncode = run.wait(timeout=600)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
    output = out_path.read_text(encoding="utf-8")
    assert returncode == 0, output
    [dated] = re.findall(r'"issueDate": "([0-9-]+)"', (tmp_path / "invoice.json").read_text(encoding="utf-8"))
    assert timedelta(0) <= stack.today() - date.fromisoformat(dated) <= timedelta(days=10), \
        "the sample is dated from the stack's clock, a year ahead"
    for expected in EXPECTED:
        assert expected in output, f"{expected} not in what the README printed:\n{output}"
    positions = [output.index(s) for s in ('"status": "transmitted"', '"status": "deferred"', '"status": "overdue"',
                                           "<invoiceMark>", '"protocol": "ΑΚ - ', "PSKE-B2-DUPLICATE",
                                           '"code": "FHM-CADENCE"')]
    assert positions == sorted(positions), "the README's sections printed out of order"
    # The demos leave the stack as they found it: upstreams up, nothing scripted, no webhook.
    assert stack.call("GET", "/v1/webhook")[0] == 404
