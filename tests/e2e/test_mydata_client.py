"""A published myDATA client (``mydata-client`` from PyPI) pointed at the drop-in endpoint of the
local stack: it sends invoices and reads back MARKs, with the outage on and off."""

from __future__ import annotations

import pytest
from mydata.client import Client  # type: ignore[import-untyped]
from ypovoli.kinds.mydata_invoice.aade.xml import build_invoices_doc
from ypovoli.kinds.mydata_invoice.model import Invoice

from tests.e2e.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def client_for(stack: Stack) -> Client:
    client = Client(username="erp-user", token=stack.key, prod=False)
    client.base_url = f"{stack.url}/v1/mydata/"  # the one change an integrator makes
    return client


def xml(stack: Stack, aa: str) -> str:
    return build_invoices_doc([Invoice.model_validate(stack.invoice(aa))]).decode()


def test_published_client_sends_and_reads_back_marks(stack: Stack) -> None:
    answer = client_for(stack).send_invoices(xml(stack, "PC-1"))
    [entry] = answer.response
    assert entry.status_code == "Success" and entry.invoice_mark and entry.invoice_uid


def test_published_client_through_an_outage(stack: Stack) -> None:
    client = client_for(stack)
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "down"})[0] == 200
    try:
        [entry] = client.send_invoices(xml(stack, "PC-2")).response
        assert entry.status_code == "TechnicalError" and entry.invoice_mark is None
    finally:
        assert stack.call("POST", "/_local/upstreams/mydata", {"mode": "up"})[0] == 200
    [entry] = client.send_invoices(xml(stack, "PC-2")).response  # the same document again
    assert entry.status_code == "Success" and entry.invoice_mark
    [again] = client.send_invoices(xml(stack, "PC-2")).response
    assert again.invoice_mark == entry.invoice_mark  # one registration, one MARK
