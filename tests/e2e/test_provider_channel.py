"""``YPOVOLI_MYDATA_CHANNEL=provider make run`` runs the stack on the provider channel (issue 12 §9):
an outage is sent with indicator 2 (Πάροχος – ΑΑΔΕ, seed 004 «Transmission Failure_2»), not the ERP's 3."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Stack, start_stack, stop_stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


@pytest.fixture(scope="module")
def provider_stack() -> Iterator[Stack]:
    process, running = start_stack(YPOVOLI_MYDATA_CHANNEL="provider")
    yield running
    stop_stack(process)


def test_an_outage_on_the_provider_channel_is_marked_2(provider_stack: Stack) -> None:
    stack = provider_stack
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "down"})[0] == 200
    try:
        status, body = stack.call("POST", "/v1/invoices", stack.invoice("P-1"))
        assert status == 202, body
        assert stack.wait_for(body["id"], {"deferred"})["status"] == "deferred"
    finally:
        assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "up"})[0] == 200
    stack.call("POST", "/_local/clock", {"advance": "PT1H"})
    final = stack.wait_for(body["id"], {"transmitted"})
    assert final["status"] == "transmitted" and final["receipt"]["transmission_failure"] == 2
