"""The drop-in myDATA endpoint: AADE's request and answer shapes, honest through outages (never a
fake MARK), and the real MARK for the same document sent again later."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from ypovoli.kinds.mydata_invoice.aade.response import parse_response_doc
from ypovoli.kinds.mydata_invoice.aade.xml import build_invoices_doc
from ypovoli.kinds.mydata_invoice.model import Invoice
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.factories import OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World


def send(body: bytes, key: str = KEYS["acme"], user: str | None = "acme-erp") -> tuple[int, Any]:
    headers = {"Content-Type": "application/xml", "Ocp-Apim-Subscription-Key": key}
    if user is not None:
        headers["aade-user-id"] = user
    status, _, out = gateway_call(new_gateway(load_function("api").app), "POST", "/v1/mydata/SendInvoices",
                                  headers, body)
    return status, out


def doc(*invoices: dict[str, Any]) -> bytes:
    return build_invoices_doc([Invoice.model_validate(i) for i in invoices])


def test_send_invoices_answers_like_aade_with_the_real_mark(world: World) -> None:
    status, out = send(doc(invoice(aa="D-1"), invoice(aa="D-2")))
    assert status == 200
    entries = parse_response_doc(out)
    assert [e.status_code for e in entries] == ["Success", "Success"] and [e.index for e in entries] == [1, 2]
    state = world.simulator.state
    for entry in entries:
        assert entry.invoice_uid and state.active_by_uid[entry.invoice_uid] == entry.invoice_mark
        assert entry.qr_url
    assert len([i for i in world.table_items() if i["SK"]["S"].startswith("SUB#")]) == 2


def test_outage_answers_honestly_then_the_same_call_returns_the_mark(world: World) -> None:
    world.simulator.configure("down")
    status, out = send(doc(invoice(aa="D-3")))
    [entry] = parse_response_doc(out)
    assert status == 200 and entry.status_code == "TechnicalError" and entry.invoice_mark is None
    assert entry.errors[0][0] == "206" and "queued" in entry.errors[0][1]
    world.simulator.configure("up")
    status, out = send(doc(invoice(aa="D-3")))  # what an ERP does with a TechnicalError: send again
    [entry] = parse_response_doc(out)
    assert entry.status_code == "Success" and entry.invoice_mark
    assert world.simulator.state.registrations[entry.invoice_uid or ""] == 1
    status, out = send(doc(invoice(aa="D-3")))  # and again: still the one MARK, nothing re-sent
    [again] = parse_response_doc(out)
    assert again.invoice_mark == entry.invoice_mark
    assert world.simulator.state.registrations[entry.invoice_uid or ""] == 1


def test_invalid_documents_get_aade_codes_and_nothing_is_stored(world: World) -> None:
    wrong = invoice(aa="D-4")
    wrong["invoiceSummary"]["totalGrossValue"] = "125.00"
    status, out = send(doc(wrong, invoice(aa="D-5", issuer=OTHER_AFM)))
    assert status == 200
    first, second = parse_response_doc(out)
    assert first.status_code == "ValidationError" and first.errors[0][0] == "203"
    assert "MYDATA-TOTALS" in first.errors[0][1]
    assert second.status_code == "ValidationError" and second.errors[0][0] == "201"  # not this user's issuer
    assert not [i for i in world.table_items() if i["SK"]["S"].startswith("SUB#")]


def test_broken_and_hostile_xml_is_an_xml_syntax_error(world: World) -> None:
    for body in (b"<InvoicesDoc", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                 b"<InvoicesDoc>&e;</InvoicesDoc>", b"<other/>"):
        status, out = send(body)
        [entry] = parse_response_doc(out)
        assert status == 200 and entry.status_code == "XMLSyntaxError" and entry.errors[0][0] == "101"
    root = etree.fromstring(doc(invoice(aa="D-6")))
    etree.SubElement(root[0], "{http://www.aade.gr/myDATA/invoice/v1.0}surprise").text = "x"
    [entry] = parse_response_doc(send(etree.tostring(root))[1])
    assert entry.status_code == "XMLSyntaxError"  # the official XSD refuses it, as AADE would


def test_aade_headers_are_required(world: World) -> None:
    assert send(doc(invoice(aa="D-7")), user=None)[0] == 401
    assert send(doc(invoice(aa="D-7")), key="ypk_unknown")[0] == 401


def request_docs(query: str, key: str = KEYS["acme"]) -> tuple[int, bytes]:
    headers = {"Ocp-Apim-Subscription-Key": key, "aade-user-id": "acme-erp"}
    status, _, out = gateway_call(new_gateway(load_function("api").app), "GET",
                                  f"/v1/mydata/RequestTransmittedDocs{query}", headers, None)
    return status, out


def test_request_transmitted_docs_lists_what_was_sent_by_mark_with_pages(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from ypovoli.kinds.mydata_invoice import dropin as mydata_dropin
    from ypovoli.kinds.mydata_invoice.aade.response import parse_requested_doc

    _, out = send(doc(invoice(aa="R-1"), invoice(aa="R-2"), invoice(aa="R-3")))
    marks = sorted(e.invoice_mark or 0 for e in parse_response_doc(out))
    status, body = request_docs("?mark=0")
    docs, token = parse_requested_doc(body)
    assert status == 200 and [d.mark for d in docs] == marks and token is None
    assert all(d.qr_url and d.uid for d in docs)
    assert [d.mark for d in parse_requested_doc(request_docs(f"?mark={marks[0]}")[1])[0]] == marks[1:]
    monkeypatch.setattr(mydata_dropin, "PAGE", 2)
    first, token = parse_requested_doc(request_docs("?mark=0")[1])
    assert [d.mark for d in first] == marks[:2] and token is not None
    rest, token = parse_requested_doc(request_docs(f"?mark=0&nextPartitionKey={token[0]}&nextRowKey={token[1]}")[1])
    assert [d.mark for d in rest] == marks[2:] and token is None
    # Another tenant sees none of them; a request without a mark gets AADE's plain 400.
    assert parse_requested_doc(request_docs("?mark=0", key=KEYS["other"])[1])[0] == []
    assert request_docs("")[0] == 400 and request_docs("?mark=abc")[0] == 400


def test_answers_validate_against_aade_official_response_and_requested_doc_xsds(world: World) -> None:
    from pathlib import Path

    from ypovoli.kinds.mydata_invoice.aade import xsd

    def schema(name: str) -> etree.XMLSchema:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        return etree.XMLSchema(etree.parse(str(Path(xsd.XSD_DIR) / "v2.0.1" / name), parser))

    _, out = send(doc(invoice(aa="X-1")))
    assert schema("response-v2.0.1.xsd").validate(etree.fromstring(out))
    _, body = request_docs("?mark=0")
    requested = schema("requestedInvoicesDoc-v2.0.1.xsd")
    assert requested.validate(etree.fromstring(body)), requested.error_log


def cancel(mark: int | str, key: str = KEYS["acme"]) -> tuple[int, bytes]:
    headers = {"Ocp-Apim-Subscription-Key": key, "aade-user-id": "acme-erp"}
    status, _, out = gateway_call(new_gateway(load_function("api").app), "POST",
                                  f"/v1/mydata/CancelInvoice?mark={mark}", headers, None)
    return status, out


def test_cancel_invoice_by_mark_upstream_first_then_recorded_once(world: World) -> None:
    from tests.integration.test_api import call

    _, out = send(doc(invoice(aa="C-1")))
    [sent] = parse_response_doc(out)
    assert sent.invoice_mark
    world.simulator.configure("down")
    [entry] = parse_response_doc(cancel(sent.invoice_mark)[1])
    assert entry.status_code == "TechnicalError" and entry.errors[0][0] == "206"
    world.simulator.configure("up")
    status, out = cancel(sent.invoice_mark)
    [entry] = parse_response_doc(out)
    assert status == 200 and entry.status_code == "Success" and entry.cancellation_mark
    registration = world.simulator.state.by_mark[sent.invoice_mark]
    assert registration.cancelled_by == entry.cancellation_mark
    [again] = parse_response_doc(cancel(sent.invoice_mark)[1])  # idempotent: the same cancellation MARK
    assert again.cancellation_mark == entry.cancellation_mark
    assert registration.cancelled_by == entry.cancellation_mark
    sid = next(i["SK"]["S"][4:] for i in world.table_items() if i["SK"]["S"].startswith("SUB#"))
    _, view = call("GET", f"/v1/invoices/{sid}")
    assert view["status"] == "cancelled" and view["receipt"]["cancelled_by_mark"] == entry.cancellation_mark
    # Unknown MARKs and other tenants' MARKs get the same "not found".
    for mark, key in ((999, KEYS["acme"]), (sent.invoice_mark, KEYS["other"])):
        [refused] = parse_response_doc(cancel(mark, key)[1])
        assert refused.status_code == "ValidationError" and refused.errors[0][0] == "104"
    assert cancel("x")[0] == 400


def test_credit_note_correlated_to_a_mark_then_refused_once_that_mark_is_cancelled(world: World) -> None:
    from tests.integration.test_api import call

    _, out = send(doc(invoice(aa="K-1")))
    [sent] = parse_response_doc(out)
    credit = invoice(aa="K-2", invoiceType="5.1", correlatedInvoices=[sent.invoice_mark])
    status, body = call("POST", "/v1/invoices", body=credit)
    assert status == 202 and body["findings"] == [], body
    assert parse_response_doc(cancel(sent.invoice_mark or 0)[1])[0].status_code == "Success"
    status, body = call("POST", "/v1/invoices", body={**credit, "invoiceHeader": {
        **credit["invoiceHeader"], "aa": "K-3"}})
    assert status == 422 and [f["code"] for f in body["findings"]] == ["MYDATA-CORRELATION"]


def test_one_deadline_for_the_whole_call_entries_not_reached_say_so_and_kept_ones_are_queued(
        world: World) -> None:
    """Issue 18 §4: intake and sending share one deadline well under API Gateway's 29 s. Documents
    whose intake could not start answer TechnicalError "not reached" (nothing kept); documents kept
    but not sent in time answer "queued" — and the pump sends them later — never a made-up MARK."""
    from ypovoli.kinds.mydata_invoice.dropin import send_invoices
    from ypovoli.status import Status

    from tests.integration.test_transmit import run_transmitter

    body = doc(*(invoice(aa=f"DL-{n}") for n in range(12)))
    out = send_invoices(world.deps, "acme", set(world.deps.index.get_tenant("acme")["afms"]), body,
                        lambda t, s: None, budget_s=0)
    entries = parse_response_doc(out)
    assert [e.index for e in entries] == list(range(1, 13))
    assert all(e.status_code == "TechnicalError" and "not reached" in e.errors[0][1] for e in entries)
    assert not [i for i in world.table_items() if i["SK"]["S"].startswith("SUB#")]   # nothing kept

    sent: list[str] = []
    stopwatch = [0.0]   # the call's own stopwatch, moved by the work it does, never by sleeping

    def slow_transmit(tenant: str, submission_id: str) -> None:
        sent.append(submission_id)
        run_transmitter(submission_id, tenant)
        stopwatch[0] += 6.0   # AADE slow today: 6 s a document

    out = send_invoices(world.deps, "acme", set(world.deps.index.get_tenant("acme")["afms"]), body, slow_transmit,
                        budget_s=20, workers=1, monotonic=lambda: stopwatch[0])
    entries = parse_response_doc(out)
    codes = [e.status_code for e in entries]
    assert codes == ["Success"] * 4 + ["TechnicalError"] * 8 and len(sent) == 4, codes   # 0, 6, 12, 18 < 20
    assert all("queued" in e.errors[0][1] and e.invoice_mark is None for e in entries[4:])
    kept = [i for i in world.table_items() if i["SK"]["S"].startswith("SUB#")]
    assert len(kept) == 12   # every document of the batch is kept, none twice
    for item in kept:
        submission_id = item["SK"]["S"].split("#", 1)[1]
        run_transmitter(submission_id)
        submission = world.deps.index.get_submission("acme", submission_id)
        assert submission is not None and submission.status is Status.TRANSMITTED


def test_a_document_the_queues_worker_holds_is_answered_with_its_mark(world: World) -> None:
    """The intake nudges the queue, and its worker may take the outbox entry before the inline attempt:
    the inline claim is then skipped, and the submission still reads ``accepted`` until the worker's
    claim marks it ``transmitting`` (a second write). The call waits for the worker's result instead of
    answering TechnicalError for a document that is getting its MARK — a race a loaded machine lost."""
    import threading

    from ypovoli.kinds.mydata_invoice.dropin import send_invoices
    from ypovoli.services.transmit import AttemptResult

    from tests.integration.test_transmit import run_transmitter

    workers: list[threading.Thread] = []

    def held_by_the_queue(tenant: str, submission_id: str) -> AttemptResult:
        # The worker has the entry and has not yet written to the submission: it does so a moment later.
        timer = threading.Timer(0.3, run_transmitter, (submission_id, tenant))
        timer.start()
        workers.append(timer)
        return AttemptResult("skipped", submission_id)

    out = send_invoices(world.deps, "acme", set(world.deps.index.get_tenant("acme")["afms"]),
                        doc(invoice(aa="Q-1")), held_by_the_queue, budget_s=20)
    for worker in workers:
        worker.join()
    [entry] = parse_response_doc(out)
    assert entry.status_code == "Success" and entry.invoice_mark, entry
    assert world.simulator.state.registrations[entry.invoice_uid or ""] == 1
