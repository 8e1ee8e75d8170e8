"""No 5xx on input (issue 18 §3): characters XML 1.0 does not allow (NUL, ESC, lone surrogates,
U+FFFE) and JSON nested 100,000 deep are refused at the door with a finding, and arbitrary Unicode in
any string field of the invoice body never makes the API answer 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import invoice
from tests.integration.conftest import World
from tests.integration.test_api import call


def string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in string_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in string_paths(v, (*path, i))]
    return [path] if isinstance(value, str) else []


def with_text(body: dict[str, Any], path: tuple[Any, ...], text: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text
    return copy


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\ufffe", "\ud800"], ids=["NUL", "ESC", "U+FFFE", "surrogate"])
def test_characters_xml_does_not_allow_are_422_with_the_path(world: World, bad: str) -> None:
    body = invoice(aa="H-1")
    body["invoiceHeader"]["series"] = f"A{bad}"
    raw = json.dumps(body).encode()  # ensure_ascii: a lone surrogate travels as its \\ud800 escape
    status, answer = call("POST", "/v1/invoices", raw=raw)
    assert status == 422 and answer["code"] == "REQUEST-BODY", answer
    assert answer["findings"][0]["path"] == "body.invoiceHeader.series"
    assert world.s3_keys() == []  # nothing kept


def test_json_nested_100000_deep_is_400(world: World) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    status, answer = call("POST", "/v1/invoices", raw=deep)
    assert status == 400 and answer["code"] == "REQUEST-BODY", answer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arbitrary_unicode_in_any_string_field_never_gives_a_5xx(world: World, data: st.DataObject) -> None:
    body = invoice(aa="H-2")
    path = data.draw(st.sampled_from(string_paths(body)))
    text = data.draw(st.text(max_size=40))
    status, answer = call("POST", "/v1/invoices", raw=json.dumps(with_text(body, path, text)).encode())
    assert status < 500, (path, text, answer)


def test_ids_of_any_shape_are_answered_as_absent_before_any_lookup(world: World) -> None:
    for path in ("/v1/invoices/" + "x" * 3000, "/v1/invoices/%00", "/v1/dossiers/" + "é" * 600,
                 "/v1/invoices/" + "x" * 3000 + "/cancel", "/v1/dossiers/" + "y" * 2000 + "/report"):
        method = "POST" if path.endswith("/cancel") else "GET"
        status, answer = call(method, path)
        assert status == 403 and answer["code"] == "FORBIDDEN", (path, status, answer)
