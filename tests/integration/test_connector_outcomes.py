"""Every way AADE can answer, end to end: the simulator is told how to answer the next call
(``answer_next``), the transmitter handler runs as Lambda runs it, and the submission ends in the
status SPEC §3 promises — with nothing sent twice and the evidence in the dossier."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ypovoli.status import Status

from tests.integration.conftest import World
from tests.integration.test_transmit import accepted, run_transmitter


def answer_next(world: World, kind: str, code: str = "", count: int = 1) -> None:
    world.simulator.configure("up", answer_next={"count": count, "with": kind, "code": code})


def registrations(world: World) -> int:
    """Documents AADE registered so far (the simulator lives for the whole session)."""
    return int(world.simulator.state.stats()["registrations"])


def test_rejected_keeps_aade_codes_and_is_never_retried(world: World) -> None:
    sid = accepted(world, "R-1")
    before = registrations(world)
    answer_next(world, "rejected", "228")
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.REJECTED
    assert [e.code for e in sub.upstream_errors] == ["228"]
    exchange = world.deps.dossiers.exchange(sub.dossier, 1)
    assert exchange is not None and exchange["outcome"] == "rejected" and b"228" in (exchange["response"] or b"")
    world.clock.advance(timedelta(hours=2))
    run_transmitter(sid)  # a redelivered nudge, a later pump: a rejected document stays rejected
    assert world.deps.index.get_submission("acme", sid).status is Status.REJECTED  # type: ignore[union-attr]
    assert registrations(world) == before


@pytest.mark.parametrize("kind", ["throttled", "technical_error"])
def test_429_and_technical_error_defer_then_send_without_reconciling(world: World, kind: str) -> None:
    sid = accepted(world, f"T-{kind}")
    before = registrations(world)
    answer_next(world, kind)
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.DEFERRED and sub.outage is not None
    assert ("429" if kind == "throttled" else "TechnicalError") in sub.outage.last_error
    world.clock.advance(timedelta(hours=1))
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED and sub.receipt is not None
    assert not sub.receipt.reconciled  # a definite non-delivery: no look-up needed before re-sending
    assert registrations(world) == before + 1


@pytest.mark.parametrize("kind", ["bad_request", "server_error"])
def test_a_bad_400_or_a_500_is_reconciled_before_sending_again(world: World, kind: str) -> None:
    sid = accepted(world, f"A-{kind}")
    before = registrations(world)
    answer_next(world, kind)
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.DEFERRED
    calls = world.simulator.state.stats()["calls"]
    world.clock.advance(timedelta(hours=1))
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED
    # It looked first (RequestTransmittedDocs), found nothing, then sent once.
    assert world.simulator.state.stats()["calls"] == calls + 2
    assert registrations(world) == before + 1


def test_refused_credentials_defer_and_are_logged_as_configuration(world: World,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    sid = accepted(world, "C-1")
    answer_next(world, "unauthorized")
    run_transmitter(sid)
    assert world.deps.index.get_submission("acme", sid).status is Status.DEFERRED  # type: ignore[union-attr]
    assert "refused our credentials" in caplog.text


def test_the_simulator_disagrees_with_us_when_its_own_checks_say_so(world: World) -> None:
    """Its checks are its own: a counterpart ΑΦΜ AADE refuses (202) reaches it only if our rules let
    it through — here we force it past intake by registering the dossier as-is, then AADE says no."""
    from ypovoli.kinds.mydata_invoice.aade.xml import build_invoices_doc, parse_xml
    from ypovoli.kinds.mydata_invoice.model import Invoice
    from ypovoli_local.aade_checks import business_errors

    from tests.factories import invoice

    body = invoice(aa="D-1")
    body["counterpart"]["vatNumber"] = "090000044"  # check digit wrong
    doc = parse_xml(build_invoices_doc([Invoice.model_validate(body)]))
    [element] = doc.findall("{*}invoice")
    assert [code for code, _ in business_errors(element, world.clock.now())] == ["202"]


def test_answer_next_is_validated(world: World) -> None:
    for bad in ({"with": "sideways"}, {"with": "rejected", "count": 0}, {"with": "rejected", "code": "x"}):
        with pytest.raises(ValueError, match="answer_next"):
            world.simulator.configure("up", answer_next=bad)
