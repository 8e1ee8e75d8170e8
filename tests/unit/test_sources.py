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
