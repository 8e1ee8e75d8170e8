"""Request bodies as an integrator sends them: the examples of the OpenAPI document (``/docs``) and,
through the links in ``examples/``, the files the README sends. Each is tested valid as shipped."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def sample(name: str) -> Any:
    """A sample by file name: JSON parsed, anything else as text."""
    text = (HERE / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text
