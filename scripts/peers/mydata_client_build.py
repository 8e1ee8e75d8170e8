"""Runs inside its own virtualenv with ``mydata-client`` (PyPI) installed: builds the same invoice
as ypovoli's benchmark with that library's xsdata dataclasses and serializes it, for N seconds,
and prints invoices per second. Kept out of the project's environment on purpose: mydata-client
and mydatanaut both install a top-level package called ``mydata``."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
import types
import typing
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from mydata.client import serialize  # type: ignore[import-not-found]
from mydata.models_2_0_0 import InvoicesDoc  # type: ignore[import-not-found]
from xsdata.models.datatype import XmlDate  # type: ignore[import-not-found]


@cache
def plan(cls: type) -> list[tuple[str, str, Any]]:
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return [(f.metadata.get("name", f.name), f.name, hints[f.name]) for f in dataclasses.fields(cls)]


def convert(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin is list:
        inner = typing.get_args(kind)[0]
        return [convert(inner, v) for v in value]
    if origin in (typing.Union, types.UnionType):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
        return convert(kind, value)
    if dataclasses.is_dataclass(kind):
        return build(kind, value)
    if kind is XmlDate:
        return XmlDate.from_string(value)
    if kind is int:
        return int(value)
    if kind is Decimal:
        return Decimal(str(value))
    return str(value)


def build(cls: type, data: dict[str, Any]) -> Any:
    return cls(**{attr: convert(kind, data[xml]) for xml, attr, kind in plan(cls) if xml in data})


def main() -> None:
    invoice = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    seconds = float(sys.argv[2])
    payload = {"invoice": [invoice]}
    xml = serialize(build(InvoicesDoc, payload))
    assert "<invoiceDetails>" in xml or "invoiceDetails" in xml
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(10):
            serialize(build(InvoicesDoc, payload))
        done += 10
    print(json.dumps({"rate": done / elapsed, "bytes": len(xml)}))


if __name__ == "__main__":
    main()
