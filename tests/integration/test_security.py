"""Security, across the whole API: tenants never see each other (same answer for «not yours» and
«absent»), API keys never stored or logged in clear, oversize bodies refused on every route."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from ypovoli.openapi import build_openapi

from tests.factories import ISSUER, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call
from tests.pske_factory import clean_request

_EL, _EN = ("Δεν έχετε πρόσβαση σε αυτό το αντικείμενο ή δεν υπάρχει.",
            "You have no access to this item, or it does not exist.")
#: A valid ΑΦΜ no tenant manages.
NOBODY_S_AFM = "094019245"
FORBIDDEN = {"status": "forbidden", "code": "FORBIDDEN", "message_el": _EL, "message_en": _EN,
             "findings": [{"code": "FORBIDDEN", "severity": "error", "path": "request", "message_el": _EL,
                           "message_en": _EN, "source": "ypovoli API reference (GET /docs)"}]}


def anonymous(answer: tuple[int, Any]) -> tuple[int, Any]:
    """An answer without its request's id (which differs on every call, by design)."""
    status, body = answer
    if isinstance(body, dict):
        assert body.pop("request_id", "absent") != "absent" or status < 400
    return status, body


def _acme_resources() -> dict[str, str]:
    _, inv = call("POST", "/v1/invoices", body=invoice(aa="S-1"))
    dossier = clean_request()
    dossier["afm"] = ISSUER
    _, dos = call("POST", "/v1/dossiers", body=dossier)
    return {"invoice": inv["id"], "dossier": dos["id"]}


def test_every_route_with_an_id_or_afm_answers_another_tenant_as_if_absent(world: World) -> None:
    ids = _acme_resources()
    probes: list[tuple[str, str, Any]] = [
        ("GET", f"/v1/invoices/{ids['invoice']}", None), ("GET", f"/v1/invoices?afm={ISSUER}", None),
        ("POST", "/v1/invoices", invoice(aa="S-2")),
        ("GET", f"/v1/dossiers/{ids['dossier']}", None), ("GET", f"/v1/dossiers/{ids['dossier']}/report", None),
        ("GET", f"/v1/dossiers?afm={ISSUER}", None), ("POST", "/v1/dossiers", {**clean_request(), "afm": ISSUER}),
        ("POST", "/v1/dossiers/uploads", {"afm": ISSUER, "project_code": "ΚΡ-1", "request_type": "ΕΝΔΙΑΜΕΣΟ",
                                          "filename": "ΚΡ-1_ΕΝΔΙΑΜΕΣΟ.zip"}),
        ("GET", f"/v1/reports/outages?month=2026-11&afm={ISSUER}", None),
        ("POST", f"/v1/invoices/{ids['invoice']}/cancel", None),
    ]
    # A document or query naming an ΑΦΜ the key does not manage is told which field and how an ΑΦΜ is
    # added — the same body whether the ΑΦΜ is another office's or nobody's (issue 30 §3).
    named = {("GET", f"/v1/invoices?afm={ISSUER}"): "query.afm", ("POST", "/v1/invoices"): "invoice.issuer.vatNumber",
             ("POST", "/v1/dossiers"): "afm", ("POST", "/v1/dossiers/uploads"): "afm",
             ("GET", f"/v1/dossiers?afm={ISSUER}"): "query.afm"}
    for method, path, body in probes:
        status, answer = anonymous(call(method, path, key=KEYS["other"], body=body))
        field = named.get((method, path))
        if field is None:
            assert (status, answer) == (403, FORBIDDEN), (method, path, status, answer)
            continue
        assert status == 403 and answer["code"] == "FORBIDDEN" and answer["findings"][0]["path"] == field, answer
        nobody = json.loads(json.dumps(body).replace(ISSUER, NOBODY_S_AFM)) if body else None
        absent = anonymous(call(method, path.replace(ISSUER, NOBODY_S_AFM), key=KEYS["other"], body=nobody))
        assert absent == (status, answer), (method, path)
    for method, path in (("GET", "/v1/invoices/00000000-0000-0000-0000-000000000000"),
                         ("GET", "/v1/dossiers/00000000-0000-0000-0000-000000000000"),
                         ("GET", "/v1/dossiers/00000000-0000-0000-0000-000000000000/report")):
        assert anonymous(call(method, path)) == (403, FORBIDDEN)
    # Tenant-wide listings never include the other tenant's items.
    assert call("GET", "/v1/webhook/deliveries", key=KEYS["other"])[1]["items"] == []
    assert call("GET", "/v1/reports/outages?month=2026-11", key=KEYS["other"])[1]["documents"] == []


def test_every_authorised_route_refuses_a_missing_or_unknown_key(world: World) -> None:
    for path, operations in build_openapi()["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                continue
            concrete = path.replace("{id}", "x")
            for key in (None, "ypk_not-a-key"):
                status, _ = call(method.upper(), concrete, key=key, body={} if method in ("post", "put") else None)
                assert status == 401, (method, path, key)


def readable(raw: dict[str, Any]) -> dict[str, Any]:
    """An item as text: the deflated webhook body and business page inflated, so a search through it
    sees what they hold."""
    import zlib

    from ypovoli.store.events import payload_of
    from ypovoli.store.items import plain

    data = plain(raw)
    if "payload_z" in data:
        data["payload_z"] = payload_of(data).decode()
    if "page_z" in data:
        data["page_z"] = zlib.decompress(bytes(data["page_z"])).decode()
    return json.loads(json.dumps(data, default=str))


def test_api_keys_are_never_stored_or_logged_in_clear(world: World, capsys: pytest.CaptureFixture[str],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    _acme_resources()
    call("GET", "/v1/invoices/nope", key="ypk_wrong-key-should-not-appear")
    stored = json.dumps([readable(i) for i in world.table_items()])
    s3 = boto3.client("s3")
    bodies = [s3.get_object(Bucket=world.deps.dossiers.bucket, Key=k)["Body"].read().decode(errors="replace")
              for k in world.s3_keys()]
    logged = capsys.readouterr().out + capsys.readouterr().err + caplog.text
    for key in (*KEYS.values(), "ypk_wrong-key-should-not-appear"):
        assert key not in stored
        assert not any(key in body for body in bodies)
        assert key not in logged


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/invoices"), ("POST", "/v1/dossiers"),
                                              ("PUT", "/v1/webhook"), ("POST", "/v1/dossiers/uploads")])
def test_oversize_bodies_are_413_on_every_route_that_takes_one(world: World, method: str, path: str) -> None:
    raw = b'{"x": "' + b"y" * (1024 * 1024 + 10) + b'"}'
    status, body = call(method, path, raw=raw)
    assert status == 413 and body["findings"][0]["code"] == "REQUEST-SIZE"
    assert not [i for i in world.table_items() if i["SK"]["S"].startswith(("SUB#", "DOSSIER#"))]
