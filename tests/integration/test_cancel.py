"""``POST /v1/invoices/{id}/cancel`` (SPEC §3): AADE first, then recorded once; the same path as the
drop-in ``CancelInvoice`` (kinds/mydata_invoice/cancel.py), answered in the JSON API's shapes."""

from __future__ import annotations

from ypovoli.status import Status

from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.integration.test_transmit import accepted, run_transmitter


def test_cancel_a_transmitted_invoice_then_again(world: World) -> None:
    sid = accepted(world, "X-1")
    run_transmitter(sid)
    status, body = call("POST", f"/v1/invoices/{sid}/cancel")
    assert status == 200 and body["status"] == "cancelled", body
    assert body["receipt"]["cancelled_by_mark"] and body["receipt"]["mark"]
    assert any(k.endswith(f"{sid}/cancellation.response.xml") for k in world.s3_keys())
    calls = world.simulator.state.stats()["calls"]
    again = call("POST", f"/v1/invoices/{sid}/cancel")
    assert again == (200, body) and world.simulator.state.stats()["calls"] == calls  # nothing sent twice
    assert world.deps.index.get_submission("acme", sid).status is Status.CANCELLED  # type: ignore[union-attr]


def test_an_invoice_not_yet_at_aade_cannot_be_cancelled(world: World) -> None:
    sid = accepted(world, "X-2")
    status, body = call("POST", f"/v1/invoices/{sid}/cancel")
    assert status == 409 and body["code"] == "MYDATA-CANCEL" and "accepted" in body["message_en"]
    assert body["findings"][0]["message_el"]


def test_aade_refusal_and_silence(world: World) -> None:
    sid = accepted(world, "X-3")
    run_transmitter(sid)
    world.simulator.configure("down")
    status, body = call("POST", f"/v1/invoices/{sid}/cancel")
    assert status == 503 and body["code"] == "MYDATA-CANCEL" and "Nothing was recorded" in body["message_en"]
    assert world.deps.index.get_submission("acme", sid).status is Status.TRANSMITTED  # type: ignore[union-attr]
    world.simulator.configure("up")
    mark = world.deps.index.get_submission("acme", sid).receipt.mark  # type: ignore[union-attr]
    world.simulator.state.by_mark[mark].cancelled_by = 1  # cancelled at AADE by some other channel
    status, body = call("POST", f"/v1/invoices/{sid}/cancel")
    assert status == 422 and "104" in body["message_en"]


def test_another_tenants_invoice_is_403(world: World) -> None:
    sid = accepted(world, "X-4")
    assert call("POST", f"/v1/invoices/{sid}/cancel", key=KEYS["other"])[0] == 403
    assert call("POST", "/v1/invoices/nope/cancel")[0] == 403
    assert call("POST", f"/v1/invoices/{sid}/cancel", key=None)[0] == 401
