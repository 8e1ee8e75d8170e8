"""An outage the issuer declares travels to AADE as declared (issue 12 §7; seed 004).

Seed 004: «τα δεδομένα των εκδιδόμενων λογιστικών στοιχείων διαβιβάζονται αμελλητί με την
αποκατάσταση της διασύνδεσης, με την ένδειξη «Απώλεια Διασύνδεσης»» — the indication belongs to the
document the entity issued during its own outage, so a gateway in between must not drop it."""

from __future__ import annotations

import boto3
from ypovoli.kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ypovoli.services.intake import accept
from ypovoli.status import Status

from tests.factories import ISSUER, invoice
from tests.integration.conftest import World
from tests.integration.test_api import call
from tests.integration.test_transmit import run_transmitter


def test_an_erp_declared_indicator_3_is_sent_as_is_and_listed(world: World) -> None:
    body = {**invoice(aa="TF-3"), "transmissionFailure": 3}
    outcome = accept(world.deps, MYDATA_INVOICE, "acme", {ISSUER}, body, b"{}")
    assert outcome.kind == "accepted" and outcome.submission is not None, outcome.findings
    sid = outcome.submission.id
    run_transmitter(sid)
    sub = world.deps.index.get_submission("acme", sid)
    assert sub is not None and sub.status is Status.TRANSMITTED and sub.outage is None  # we saw no outage
    assert sub.receipt is not None and sub.receipt.transmission_failure == 3
    assert "MYDATA-OUTAGE" in [f.code for f in sub.findings]
    request = next(k for k in world.s3_keys() if k.endswith(f"{sid}/attempts/1.request.xml"))
    sent = boto3.client("s3").get_object(Bucket=world.deps.dossiers.bucket, Key=request)["Body"].read()
    assert b"<transmissionFailure>3</transmissionFailure>" in sent
    _, report = call("GET", "/v1/reports/outages?month=2026-11")
    assert sid in [d["id"] for d in report["documents"]]


def test_an_indicator_the_channel_does_not_allow_is_refused_at_intake(world: World) -> None:
    """mydata-api.md §2.2: 3 is «allowed only for transmission from ERP»; 1 (entity ↔ provider) and
    2 (provider ↔ AADE) belong to the provider channel — an ERP declaring them would be refused."""
    for value in (1, 2):
        status, answer = call("POST", "/v1/invoices", body={**invoice(aa=f"TF-{value}"), "transmissionFailure": value})
        assert status == 422 and answer["code"] == "MYDATA-OUTAGE", answer
