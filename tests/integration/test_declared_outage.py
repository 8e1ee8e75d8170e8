"""An outage the issuer declares travels to AADE as declared (issue 12 §7; seed 004).

Seed 004: «τα δεδομένα των εκδιδόμενων λογιστικών στοιχείων διαβιβάζονται αμελλητί με την
αποκατάσταση της διασύνδεσης, με την ένδειξη «Απώλεια Διασύνδεσης»» — the indication belongs to the
document the entity issued during its own outage, so a gateway in between must not drop it."""

from __future__ import annotations

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
    exchange = world.deps.dossiers.exchange(sub.dossier, 1)
    assert exchange is not None and exchange["outage_indicator"] == 3
    assert b"<transmissionFailure>3</transmissionFailure>" in exchange["request"]
    _, report = call("GET", "/v1/reports/outages?month=2026-11")
    assert sid in [d["id"] for d in report["documents"]]


def test_an_indicator_the_channel_does_not_allow_is_refused_at_intake(world: World) -> None:
    """mydata-api.md §2.2: 3 is «allowed only for transmission from ERP»; 1 (entity ↔ provider) and
    2 (provider ↔ AADE) belong to the provider channel — an ERP declaring them would be refused."""
    for value in (1, 2):
        status, answer = call("POST", "/v1/invoices", body={**invoice(aa=f"TF-{value}"), "transmissionFailure": value})
        assert status == 422 and answer["code"] == "MYDATA-OUTAGE", answer


def _post_with_issue_time(value: str, aa: str) -> tuple[int, dict[str, object]]:
    import json

    from ypovoli_local.front import gateway_call, new_gateway
    from ypovoli_local.handlers import load_function

    from tests.integration.conftest import KEYS

    headers = {"Content-Type": "application/json", "x-api-key": KEYS["acme"], "X-Ypovoli-Issued-At": value}
    status, _, out = gateway_call(new_gateway(load_function("api").app), "POST", "/v1/invoices", headers,
                                  json.dumps(invoice(aa=aa)).encode())
    return status, json.loads(out)


def test_tf1_evidence_keeps_the_issue_date_and_time(world: World) -> None:
    """Seed 004, the data of a TF1 record: «α) ΑΦΜ Εκδότη β) Ημερομηνία και ώρα έκδοσης γ) Αριθμός
    Παραστατικού δ) Καθαρή αξία ε) ΦΠΑ στ) Συνολική Αξία Παραστατικού ζ) Τύπος Παραστατικού». myDATA's
    invoice has no issue time, so the issuer declares it in ``X-Ypovoli-Issued-At`` (Athens time when
    it gives no offset); without it the reception time stands in, and the record says which."""
    status, body = _post_with_issue_time("2026-11-23T11:42:05", "T-1")
    assert status == 202, body
    sub = world.deps.index.get_submission("acme", str(body["id"]))
    assert sub is not None
    assert (sub.summary["issued_at"], sub.summary["issued_at_source"]) == ("2026-11-23T11:42:05+02:00", "declared")
    for key in ("issuer_afm", "issue_date", "document_number", "net_value", "vat_amount", "total_value",
                "document_type"):
        assert sub.summary[key], key
    plain = accept(world.deps, MYDATA_INVOICE, "acme", {ISSUER}, invoice(aa="T-2"), b"{}")
    assert plain.submission is not None and plain.submission.summary["issued_at_source"] == "received"
    assert plain.submission.summary["issued_at"] == world.clock.now().isoformat()
    # Not the issue date's Athens day (23:30 UTC on the 22nd is 01:30 on the 23rd: that one is fine).
    assert _post_with_issue_time("2026-11-22T23:30:00+00:00", "T-3")[0] == 202
    status, refused = _post_with_issue_time("2026-11-22T21:59:59+00:00", "T-4")
    assert status == 422 and refused["code"] == "MYDATA-DATE", refused
    status, refused = _post_with_issue_time("yesterday noon", "T-5")
    assert status == 422 and refused["code"] == "REQUEST-HEADER", refused
