"""The code layer as ``sam build`` makes it (``layers/core/Makefile``): the package with its bytecode,
which the runtime reads without looking at the source again (Lambda's /opt is read-only: source alone
would be compiled on every cold start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build(target: Path, python: str) -> str:
    out = subprocess.run(["make", "-s", "-C", str(ROOT / "layers/core"), "build-CoreLayer",
                          f"ARTIFACTS_DIR={target}", f"PYTHON={python}"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_layer_ships_bytecode_that_is_read_instead_of_the_source(tmp_path: Path) -> None:
    said = _build(tmp_path, sys.executable)
    assert "bytecode compiled by" in said
    package = tmp_path / "python" / "ypovoli"
    assert (package / "templates").is_dir() and (package / "samples" / "invoice.json").is_file()
    assert not [p for p in (ROOT / "layers/core/ypovoli").rglob("*.py")
                if not (package / p.relative_to(ROOT / "layers/core/ypovoli")).is_file()]
    # A source changed after the build is not read: the shipped bytecode is what runs.
    status = package / "status.py"
    status.write_text(status.read_text(encoding="utf-8") + "\nraise SystemExit('the source was compiled again')\n",
                      encoding="utf-8")
    program = "import ypovoli.status as s\nprint(s.Status.TRANSMITTED.value, s.__cached__)\n"
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(tmp_path / "python"), "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.returncode == 0, out.stderr
    value, cached = out.stdout.split()
    assert value == "transmitted" and cached.endswith(f".cpython-{sys.version_info.major}{sys.version_info.minor}.pyc")


def test_without_the_runtimes_python_the_layer_ships_source_and_says_so(tmp_path: Path) -> None:
    said = _build(tmp_path, "python-that-is-not-here")
    assert "ships source only" in said
    assert (tmp_path / "python" / "ypovoli" / "status.py").is_file()
    assert not list((tmp_path / "python").rglob("*.pyc"))
