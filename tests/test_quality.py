"""The quality gate runs inside the suite, so `make test` (and CI) enforce it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_cfn_lint_is_clean_on_template() -> None:
    result = run(str(BIN / "cfn-lint"), "template.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.xdist_group("mypy")
def test_mypy_strict_is_clean() -> None:
    result = run(str(BIN / "mypy"), "layers/core/ypovoli", "scripts/ypovoli_local", "functions")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_spec_rule_code_of_this_stage_has_a_rule_and_a_test() -> None:
    spec_codes = ["MYDATA-AFM", "MYDATA-TYPE", "MYDATA-VAT-RATE", "MYDATA-TOTALS", "MYDATA-DUPLICATE",
                  "MYDATA-DATE", "MYDATA-OUTAGE", "MYDATA-LATE", "MYDATA-SCHEMA", "MYDATA-CLASSIFICATION",
                  "PSKE-A1-ENTITY", "PSKE-A2-ELIGIBLE", "PSKE-A3-MINIMUM", "PSKE-A4-APPROVED", "PSKE-A5-PAYMENT",
                  "PSKE-A6-CATEGORY", "PSKE-A7-FIXED-ASSETS", "PSKE-A8-DELIVERABLES", "PSKE-A9-STRUCTURE",
                  "PSKE-A9-SIZE", "PSKE-A9-NAMES", "PSKE-B1-FIELDS", "PSKE-B1-BOOKS", "PSKE-B2-DUPLICATE",
                  "PSKE-B3-AGGREGATE", "PSKE-B4-RENT", "PSKE-B5-DEPRECIATION", "PSKE-B6-PAYROLL",
                  "PSKE-B7-WITHHOLDING", "PSKE-B8-NO-DELETE", "PSKE-B9-OVERRUN", "PSKE-B10-CATEGORY"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "layers/core/ypovoli").rglob("*.py"))
    test_files = [p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_quality.py"]
    tests = "\n".join(p.read_text(encoding="utf-8") for p in test_files)
    for rule in spec_codes:
        assert f'"{rule}"' in code, f"{rule} has no rule"
        assert rule in tests or rule.lower().replace("-", "_") in tests, f"{rule} has no test"
