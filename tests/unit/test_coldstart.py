"""The init without the garbage collector (issue 17 §2, ``ypovoli.coldstart``): off while a function's
modules load, back on after — and the init's heap frozen only on Lambda; every function does it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = sorted(p.parent.name for p in (ROOT / "functions").glob("*/app.py"))

PROBE = """
import gc, json, sys
import ypovoli.coldstart
off = not gc.isenabled()
import ypovoli.coldstart as again   # a second import (a second function in one process) changes nothing
ypovoli.coldstart.settle()
print(json.dumps({"off_while_loading": off, "on_after": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("on_lambda", [True, False])
def test_collector_off_while_loading_on_after_frozen_only_on_lambda(on_lambda: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
    env["PYTHONPATH"] = str(ROOT / "layers/core")
    if on_lambda:
        env["AWS_LAMBDA_FUNCTION_NAME"] = "TransmitterFunction"
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60,
                         check=True)
    got = json.loads(out.stdout)
    assert got["off_while_loading"] and got["on_after"]
    # Frozen on Lambda: the init's objects leave every later collection. Elsewhere (tests, the local
    # stack: one long-lived process with garbage of its own) nothing is frozen.
    assert (got["frozen"] > 1000) if on_lambda else got["frozen"] == 0


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_loads_without_the_collector_and_settles_at_the_end(name: str) -> None:
    tree = ast.parse((ROOT / "functions" / name / "app.py").read_text(encoding="utf-8"))
    body = [node for node in tree.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))   # the docstring
            and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")]
    first, last = body[0], body[-1]
    assert isinstance(first, ast.Import) and [a.name for a in first.names] == ["ypovoli.coldstart"], \
        f"functions/{name}/app.py: `import ypovoli.coldstart` must come before every other import"
    assert isinstance(last, ast.Expr) and ast.unparse(last.value) == "ypovoli.coldstart.settle()", \
        f"functions/{name}/app.py: `ypovoli.coldstart.settle()` must be its last statement"
