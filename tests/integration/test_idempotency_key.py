"""Issue 16 §3: ``Idempotency-Key`` on every POST — the same key and body within 24 h replays the
first answer and status (nothing done twice); the same key with another body is a 422; keys are the
tenant's own."""

from __future__ import annotations

import json
from typing import Any

from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.factories import OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World


def post(path: str, body: Any, idempotency_key: str | None, key: str = KEYS["acme"]) -> tuple[int, dict[str, Any], Any]:
    headers = {"Content-Type": "application/json", "x-api-key": key}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    status, out, raw = gateway_call(new_gateway(load_function("api").app), "POST", path, headers,
                                    json.dumps(body).encode())
    return status, out, json.loads(raw) if raw else None


def submissions(world: World) -> int:
    return sum(1 for i in world.table_items() if str(i["SK"]["S"]).startswith("SUB#"))


def test_a_retried_post_replays_its_first_answer_and_does_nothing_twice(world: World) -> None:
    status, headers, first = post("/v1/invoices", invoice(aa="IK-1"), "order-4711")
    assert status == 202 and "Idempotent-Replayed" not in headers
    status, headers, again = post("/v1/invoices", invoice(aa="IK-1"), "order-4711")
    assert status == 202 and again == first and headers["Idempotent-Replayed"] == "true"   # not a 409
    assert submissions(world) == 1
    # The same key with another body: refused, nothing done.
    status, _, refused = post("/v1/invoices", invoice(aa="IK-2"), "order-4711")
    assert status == 422 and refused["code"] == "IDEMPOTENCY-KEY"
    assert submissions(world) == 1
    # Without the header, a repeat is what it always was: the duplicate rule answers.
    assert post("/v1/invoices", invoice(aa="IK-1"), None)[0] == 409


def test_refusals_are_replayed_too_and_keys_are_the_tenants_own(world: World) -> None:
    bad = invoice(aa="IK-3")
    bad["invoiceSummary"]["totalGrossValue"] = "1.00"
    status, _, first = post("/v1/invoices", bad, "k-1")
    assert status == 422 and post("/v1/invoices", bad, "k-1")[2] == first
    # Another tenant using the same key string is another request altogether.
    status, _, theirs = post("/v1/invoices", invoice(aa="IK-4", issuer=OTHER_AFM), "k-1", key=KEYS["other"])
    assert status == 202, theirs
    status, _, unreadable = post("/v1/invoices", invoice(aa="IK-5"), "x" * 300)
    assert status == 400 and unreadable["code"] == "IDEMPOTENCY-KEY"
