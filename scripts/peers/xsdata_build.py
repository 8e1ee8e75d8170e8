"""Build a peer library's xsdata dataclasses from ypovoli's JSON invoice (XSD element names are the
dataclass fields' ``metadata["name"]``), so each peer builds the very same document."""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from xsdata.models.datatype import XmlDate  # type: ignore[import-not-found]


@cache
def plan(cls: type) -> list[tuple[str, str, Any]]:
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return [(f.metadata.get("name", f.name), f.name, hints.get(f.name, f.type)) for f in dataclasses.fields(cls)]


def convert(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin is list or origin is typing.List:  # noqa: UP006 — peers annotate with typing.List
        return [convert(typing.get_args(kind)[0], v) for v in value]
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return convert(options[0], value)
    if dataclasses.is_dataclass(kind):
        return build(kind, value)  # type: ignore[arg-type]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        for candidate in (value, str(value), int(value) if str(value).isdigit() else None):
            try:
                return kind(candidate)
            except ValueError:
                continue
        raise ValueError(f"{value!r} is not a {kind.__name__}")
    if kind is XmlDate:
        return XmlDate.from_string(value)
    if kind is int:
        return int(value)
    if kind is Decimal:
        return Decimal(str(value))
    if kind is float:
        return float(value)
    return str(value)


def build(cls: type, data: dict[str, Any]) -> Any:
    return cls(**{attr: convert(kind, data[xml]) for xml, attr, kind in plan(cls) if xml in data})
