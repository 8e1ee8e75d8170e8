"""Every source a finding cites is one a person can open (issue 31 §4): a legal text, a guide's section or
a public reference — never a file name of this repository, a seed's file name or a section of SPEC.md.
Checked on every string the package can put in a finding (docstrings and comments aside)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "core" / "ypovoli"
#: What a person cannot open: our seed files, SPEC.md's sections, our shared/reference notes.
OURS = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|SPEC(\.md)? ?§|shared/reference|\bseed 00\d")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_finding_can_cite_a_file_of_ours_or_a_spec_section() -> None:
    offending = [f"{path.relative_to(PACKAGE)}:{line}: {text[:80]}"
                 for path in PACKAGE.rglob("*.py")
                 for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))) if OURS.search(text)]
    assert offending == []


def test_people_read_times_in_athens_and_amounts_in_their_own_number_format() -> None:
    """Issue 31 §5: no ISO timestamps with offsets or microseconds in a message; Greek amounts «1.734,80»,
    English ones «1,734.80»."""
    import datetime as dt
    from decimal import Decimal

    from ypovoli.kinds.mydata_invoice.kind import late_finding, outage_finding
    from ypovoli.rules.common import english_amount, greek_amount

    moment = dt.datetime(2026, 12, 10, 12, 57, 3, 123456, tzinfo=dt.UTC)
    for finding in (late_finding(moment), outage_finding(3, moment)):
        for text in (finding.message_el, finding.message_en):
            assert "10/12/2026 14:57" in text and "+0" not in text and ".123456" not in text, text
    assert greek_amount(Decimal("1734.8")) == "1.734,80" and english_amount(Decimal("1734.8")) == "1,734.80"
