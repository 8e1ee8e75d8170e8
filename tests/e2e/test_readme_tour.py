"""The README's two-minute tour, run as written (bash, curl, sed, python3), against a local stack
whose clock stands a year after the machine's: a reader who follows it on any day gets what it
promises. Only the address and the key are put in, as a reader would from ``make run``'s table."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def blocks_between(start: str, end: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)```", text[text.index(start):text.index(end)], flags=re.S)


def tour_blocks() -> list[str]:
    return blocks_between("## A two-minute tour", "### Drop-in myDATA endpoint")


def test_the_tour_has_no_placeholders_a_reader_must_fill_in() -> None:
    blocks = tour_blocks()
    assert len(blocks) >= 4
    commands = [line for block in blocks for line in block.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if "<id>" in line or "$(date" in line], \
        "the tour's commands take ids from the answers and dates from the stack"


def test_the_tour_runs_as_written_a_year_ahead(stack_a_year_ahead: Stack, tmp_path: Path) -> None:
    stack = stack_a_year_ahead
    script = "\n".join(tour_blocks())
    script = script.replace("export KEY=ypk_…", f"export KEY={stack.key}")
    script = script.replace("localhost:8000", stack.url.removeprefix("http://"))
    script = script.replace("/tmp/invoice.json", str(tmp_path / "invoice.json"))
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    [dated] = re.findall(r'"issueDate": "([0-9-]+)"', (tmp_path / "invoice.json").read_text(encoding="utf-8"))
    # Dated by the stack's clock (a year ahead; the tour itself moves it three days on), not the sample's.
    assert timedelta(0) <= stack.today() - date.fromisoformat(dated) <= timedelta(days=4)
    for expected in ('"status": "transmitted"', "MYDATA-DUPLICATE", "MYDATA-TOTALS", '"status": "deferred"',
                     "MYDATA-OUTAGE", '"status": "overdue"', "MYDATA-LATE", '"documents": [{',
                     '"status": "cancelled"'):
        assert expected in out, f"{expected} not in the tour's output:\n{out}"
    order = [out.index(s) for s in ('"status": "transmitted"', '"status": "deferred"', '"status": "overdue"')]
    assert order == sorted(order)


def run_blocks(stack: Stack, blocks: list[str], expected: tuple[str, ...], timeout_s: int = 120) -> str:
    """README blocks joined and run as written by bash (only the address and the key put in, as a
    reader would from `make run`'s table); every ``expected`` text must appear in what they print."""
    script = f"export KEY={stack.key}\n" + "\n".join(blocks).replace("localhost:8000",
                                                                     stack.url.removeprefix("http://"))
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout_s, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    for text in expected:
        assert text in run.stdout, f"{text} not in the output:\n{run.stdout}"
    return run.stdout


def test_the_ergani_demo_runs_as_written_a_year_ahead(stack_a_year_ahead: Stack) -> None:
    """Issue 13's demo: a start sent with a protocol; ERGANI down, an end deferred; half an hour on,
    ERGANI back: sent with the justification 003, ERGANI-FORCE-MAJEURE, the incident and its notice.
    Then tomorrow's schedule declared, a start at 09:00, the clock past the shift's end without an
    end: the missing end in the compliance view and in the month's deviation report."""
    stack = stack_a_year_ahead
    blocks = blocks_between("### ERGANI II: work cards", "### ΠΣΚΕ payment requests")
    assert len(blocks) == 2
    run_blocks(stack, blocks, ('"protocol": "ΕΥΣ', '"status": "deferred"', '"late_justification": "003"',
                               "ERGANI-FORCE-MAJEURE", "Επιθεώρηση Εργασίας", '"end": "', '"kind": "ergani_wto_daily"',
                               '"code": "ERGANI-DEVIATION"', '"exposure_eur": "3000.00"', '"what": "missing-end"'),
               timeout_s=240)


def test_the_retail_demo_runs_as_written_a_year_ahead(stack_a_year_ahead: Stack) -> None:
    """Issue 14's demo: a catering business, its device, one e-send, four hours on: FHM-CADENCE with
    its fine in the compliance view; a voucher check that cuts a quantity and says why."""
    stack = stack_a_year_ahead
    blocks = blocks_between("### Cash registers (ΦΗΜ)", "## What is where")
    assert len(blocks) == 2
    run_blocks(stack, blocks, ('"afm": "100000003"', '"code": "FHM-CADENCE"', '"exposure_eur": "500.00"',
                               "λουκέτου", '"eligible_quantity": "0.6"', '"reason": "users"', '"code": "VOUCHER-QTY"'))


def test_the_drop_in_and_pske_demos_run_as_written_with_shipped_samples(stack_a_year_ahead: Stack) -> None:
    """The drop-in myDATA block (AADE's XML from examples/) and the ΠΣΚΕ block (examples/pske-request.json),
    as written: nothing from tests/, dates from the stack's clock."""
    stack = stack_a_year_ahead
    blocks = blocks_between("### Drop-in myDATA endpoint", "### Webhooks") \
        + blocks_between("### ΠΣΚΕ payment requests", "### Cash registers (ΦΗΜ)")
    assert len(blocks) == 2
    run_blocks(stack, blocks, ("<statusCode>Success</statusCode>", "<invoiceMark>", '"status": "accepted"',
                               "PSKE-B2-DUPLICATE"))
