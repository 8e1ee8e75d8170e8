"""The API handler on moto: intake, reads, tenants, bad input — and that refusals write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import LambdaContext, load_function

from tests.factories import ISSUER, OTHER_AFM, event, invoice
from tests.integration.conftest import KEYS, World


def call(method: str, path: str, key: str | None = KEYS["acme"], body: Any = None,
         raw: bytes | None = None) -> tuple[int, Any]:
    api = load_function("api")
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["x-api-key"] = key
    payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    status, _, out = gateway_call(new_gateway(api.app), method, path, headers, payload)
    return status, json.loads(out) if out else None


def test_post_invoice_accepts_stores_and_queues(world: World) -> None:
    status, body = call("POST", "/v1/invoices", body=invoice())
    assert status == 202 and body["status"] == "accepted" and body["findings"] == []
    assert body["due_at"] == "2026-11-24T23:59:59.999999+02:00"
    assert body["grace_until"] == "2026-11-25T23:59:59.999999+02:00"
    keys = world.s3_keys()
    assert {k.rsplit("/", 1)[-1] for k in keys} == {"original.json", "report.json"}
    record = world.deps.dossiers.get_json(next(k for k in keys if k.endswith("report.json")))
    assert record["id"] == body["id"] and record["findings"] == []
    assert record["document"]["issuer"]["vatNumber"] == ISSUER
    assert all(k.startswith(f"tenants/acme/{ISSUER}/mydata_invoice/2026/11/{body['id']}/") for k in keys)
    assert [json.loads(m["Body"]) for m in world.queue_messages()] == [{"tenant": "acme", "id": body["id"]}]
    status, got = call("GET", f"/v1/invoices/{body['id']}")
    assert status == 200 and got["status"] == "accepted" and got["afm"] == ISSUER and got["attempts"] == 0
    assert "tenant" not in got and "dossier" not in got


def test_duplicate_returns_first_id_and_never_queues_again(world: World) -> None:
    _, first = call("POST", "/v1/invoices", body=invoice())
    world.queue_messages()  # drain visibility
    status, body = call("POST", "/v1/invoices", body=invoice())
    assert status == 409 and body["id"] == first["id"]
    assert [f["code"] for f in body["findings"]] == ["MYDATA-DUPLICATE"]
    outboxes = [i for i in world.table_items() if i["SK"]["S"].startswith("OUTBOX#")]
    assert len(outboxes) == 1
    assert len([k for k in world.s3_keys() if k.endswith("original.json")]) == 1


@pytest.mark.parametrize(("raw", "status", "code"), [
    (b"{not json", 400, "REQUEST-BODY"),
    (b"[1, 2]", 400, "REQUEST-BODY"),
    (b'{"invoiceHeader": 5}', 422, "MYDATA-SCHEMA"),
    (json.dumps({**invoice(), "colour": "blue"}).encode(), 422, "MYDATA-SCHEMA"),
    (json.dumps(invoice(invoiceType="99.9")).encode(), 422, "MYDATA-TYPE"),
    (b'{"pad": "' + b"x" * 1_100_000 + b'"}', 413, "REQUEST-SIZE"),
])
def test_bad_input_is_4xx_with_findings_and_writes_nothing(world: World, raw: bytes, status: int, code: str) -> None:
    items_before = len(world.table_items())
    got_status, body = call("POST", "/v1/invoices", raw=raw)
    assert got_status == status
    assert code in [f["code"] for f in body["findings"]]
    assert all(f["message_el"] and f["message_en"] and f["path"] for f in body["findings"])
    assert world.s3_keys() == [] and world.queue_messages() == []
    assert len(world.table_items()) == items_before


def test_bad_afm_checksum_is_refused(world: World) -> None:
    data = invoice()
    data["counterpart"]["vatNumber"] = "090000046"
    status, body = call("POST", "/v1/invoices", body=data)
    assert status == 422 and [f["code"] for f in body["findings"]] == ["MYDATA-AFM"]


def test_unknown_key_is_401_and_missing_key_too(world: World) -> None:
    assert call("GET", "/v1/invoices/x", key="nope")[0] == 401
    assert call("GET", "/v1/invoices/x", key=None)[0] == 401


def test_tenants_never_see_each_other(world: World) -> None:
    _, mine = call("POST", "/v1/invoices", body=invoice())
    absent = call("GET", "/v1/invoices/does-not-exist", key=KEYS["other"])
    theirs = call("GET", f"/v1/invoices/{mine['id']}", key=KEYS["other"])
    # The same answer (but for the request's own id): existence is never revealed.
    assert absent[1].pop("request_id") != theirs[1].pop("request_id")
    assert absent == theirs and theirs[0] == 403
    # An AFM the tenant does not manage: 403, whether or not the invoice is valid.
    assert call("POST", "/v1/invoices", key=KEYS["other"], body=invoice())[0] == 403
    assert call("GET", f"/v1/invoices?afm={ISSUER}", key=KEYS["other"])[0] == 403
    assert call("GET", f"/v1/invoices?afm={OTHER_AFM}", key=KEYS["other"]) == (200, {"items": []})
    listed = call("GET", f"/v1/invoices?afm={ISSUER}")[1]
    assert [i["id"] for i in listed["items"]] == [mine["id"]]


def test_api_keys_are_stored_only_as_digests(world: World) -> None:
    dump = json.dumps(world.table_items())
    assert all(key not in dump for key in KEYS.values())


def test_health_and_openapi_need_no_key(world: World) -> None:
    assert call("GET", "/health", key=None)[0] == 200
    status, doc = call("GET", "/openapi.json", key=None)
    assert status == 200 and doc["openapi"] == "3.1.0"
    assert "Invoice" in doc["components"]["schemas"] and "/v1/invoices/{id}" in doc["paths"]


def test_lambda_event_sample_drives_the_api_handler(world: World) -> None:
    api = load_function("api")
    sample = event("apigw_post_invoice.json")
    sample["body"] = json.dumps(invoice(aa="555"))
    sample["requestContext"]["authorizer"] = {"tenant": "acme", "principalId": "acme"}
    response = api.app(sample, LambdaContext("ApiFunction"))
    assert response["statusCode"] == 202 and json.loads(response["body"])["status"] == "accepted"


def test_authorizer_sample(world: World) -> None:
    api = load_function("api")
    sample = event("apigw_authorizer.json")
    sample["authorizationToken"] = KEYS["acme"]
    policy = api.api_key_auth(sample, LambdaContext("AuthorizerFunction"))
    assert policy["principalId"] == "acme" and policy["context"] == {"tenant": "acme"}
    sample["authorizationToken"] = "wrong"
    with pytest.raises(Exception, match="Unauthorized"):
        api.api_key_auth(sample, LambdaContext("AuthorizerFunction"))


def test_every_error_answer_of_the_json_api_has_one_shape(world: World) -> None:
    """``{status, findings, request_id}`` (with code and messages repeating the first finding) on every
    non-2xx, API Gateway's own 401 and 404 included; the messages are ours, not pydantic's."""
    _, first = call("POST", "/v1/invoices", body=invoice(aa="E-1"))
    wrong = invoice(aa="E-2")
    wrong["invoiceSummary"]["totalGrossValue"] = "1.00"
    answers = [
        call("POST", "/v1/invoices", raw=b"{broken"),
        call("POST", "/v1/invoices", raw=b"[1]"),
        call("POST", "/v1/invoices", raw=b'{"x": "' + b"y" * 1_100_000 + b'"}'),
        call("POST", "/v1/invoices", body=wrong),
        call("POST", "/v1/invoices", body=invoice(aa="E-1")),
        call("GET", "/v1/invoices/nope"),
        call("GET", "/v1/webhook"),
        call("POST", f"/v1/invoices/{first['id']}/cancel"),
        call("PUT", "/v1/webhook", body={"url": "ftp://example.org/x"}),
        call("GET", "/v1/reports/outages?month=soon"),
        call("GET", "/v1/webhook/deliveries?limit=many"),
        call("POST", "/v1/invoices", body={**invoice(aa="E-3"), "colour": "blue"}),
        call("GET", "/v1/no-such-thing"),
        call("GET", "/v1/invoices/nope", key="wrong"),
    ]
    assert [status for status, _ in answers] == [400, 400, 413, 422, 409, 403, 404, 409, 422, 400, 400, 422, 404, 401]
    for status, body in answers:
        assert {"status", "findings", "request_id", "code", "message_el", "message_en"} <= set(body), (status, body)
        assert body["findings"] and body["request_id"] and body["status"]
        first_finding = body["findings"][0]
        assert (body["code"], body["message_el"], body["message_en"]) == (
            first_finding["code"], first_finding["message_el"], first_finding["message_en"])
    assert [body["status"] for _, body in answers[5:7] + answers[-2:]] == [
        "forbidden", "not_found", "not_found", "unauthorized"]
    unknown_field = answers[11][1]["findings"][0]
    assert unknown_field["path"] == "invoice.colour"
    assert unknown_field["message_en"] == "Unknown field: it has no place here (check its spelling)."
    assert answers[3][1]["code"] == "MYDATA-TOTALS" and answers[3][1]["status"] == "invalid"
    assert answers[4][1]["id"] == first["id"] and answers[4][1]["code"] == "MYDATA-DUPLICATE"


def test_a_metrics_flush_racing_another_app_copy_never_turns_an_answer_into_a_500(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Several app copies in one process (the local stack, the fault tests) share Powertools' metric set:
    # another request adding to it while this one flushes makes the flush raise. The answer stands.
    api = load_function("api")

    def racing(**_: Any) -> None:
        raise RuntimeError("dictionary changed size during iteration")

    monkeypatch.setattr(api.metrics, "flush_metrics", racing)
    status, body = call("POST", "/v1/invoices", body=invoice(aa="RACE-1"))
    assert status == 202, body
