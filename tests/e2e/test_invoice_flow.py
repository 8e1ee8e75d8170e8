"""Over HTTP against the local stack: POST → poll → transmitted with a MARK; bad input; outage.

The flows run twice: on a stack whose clock is the machine's, and on one whose clock starts a year
later. Every invoice is dated from the stack's clock (``Stack.invoice``), so neither the day the
suite runs nor where the stack's clock stands changes the outcome."""

from __future__ import annotations

import time
from typing import Any

import pytest
from ypovoli.webhooks.signing import HEADER, verify

from tests.e2e.conftest import Stack
from tests.factories import ISSUER
from tests.receiver import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def test_post_then_transmitted_with_a_mark(any_stack: Stack) -> None:
    stack = any_stack
    status, body = stack.call("POST", "/v1/invoices", stack.invoice("9001"))
    assert status == 202, body
    final = stack.wait_for(body["id"], {"transmitted", "rejected"})
    assert final["status"] == "transmitted", final
    assert final["receipt"]["mark"] > 0 and final["receipt"]["qr_url"]
    assert final["afm"] == ISSUER and final["attempts"] == 1
    again = stack.call("POST", "/v1/invoices", stack.invoice("9001"))
    assert again[0] == 409 and again[1]["id"] == body["id"]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"{broken", 400), (b'{"invoiceHeader": 1}', 422), (b'{"x": "' + b"y" * 1_100_000 + b'"}', 413)])
def test_bad_input_is_4xx_with_findings(stack: Stack, raw: bytes, expected: int) -> None:
    status, body = stack.call("POST", "/v1/invoices", raw=raw)
    assert status == expected and body["findings"]


def test_unknown_key_and_foreign_ids(stack: Stack) -> None:
    assert stack.call("GET", "/v1/invoices/nope", key="wrong")[0] == 401
    assert stack.call("GET", "/v1/invoices/nope")[0] == 403
    assert stack.call("POST", "/v1/invoices", stack.invoice("1", issuer="094019245"))[0] == 403


def test_outage_defers_then_transmits_with_the_indicator(any_stack: Stack) -> None:
    stack = any_stack
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "down"})[0] == 200
    status, body = stack.call("POST", "/v1/invoices", stack.invoice("9002"))
    assert status == 202
    deferred = stack.wait_for(body["id"], {"deferred"})
    assert deferred["status"] == "deferred" and deferred["outage"]["failures"] >= 1
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "up"})[0] == 200
    stack.call("POST", "/_local/clock", {"advance": "PT1H"})
    final = stack.wait_for(body["id"], {"transmitted"})
    assert final["status"] == "transmitted" and final["receipt"]["transmission_failure"] == 3
    assert "MYDATA-OUTAGE" in [f["code"] for f in final["findings"]]


def test_local_controls_validate_their_input(stack: Stack) -> None:
    assert stack.call("POST", "/_local/clock", {"advance": "soon"})[0] == 400
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "sideways"})[0] == 400
    status, now = stack.call("GET", "/_local/clock")
    assert status == 200 and now["now"]


def test_webhook_receives_signed_status_changes(any_stack: Stack) -> None:
    stack = any_stack
    receiver = Receiver().start()
    try:
        status, config = stack.call("PUT", "/v1/webhook", {"url": receiver.url})
        assert status == 200
        status, body = stack.call("POST", "/v1/invoices", stack.invoice("9003"))
        assert status == 202
        stack.wait_for(body["id"], {"transmitted"})
        def received_mine() -> list[Any]:   # the shared stack's other tests send invoices of the same tenant too
            return [r for r in list(receiver.received) if r.event["data"]["id"] == body["id"]]

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "transmitted" not in [r.event["data"]["status"] for r in received_mine()]:
            time.sleep(0.2)
        mine = received_mine()
        assert [r.event["data"]["status"] for r in mine] == ["accepted", "transmitted"]
        assert all(verify(config["secret"], r.headers[HEADER], r.body, int(time.time())) for r in mine)
    finally:
        stack.call("DELETE", "/v1/webhook")
        receiver.stop()
