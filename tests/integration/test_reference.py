"""The readable reference (issue 16 §2): ``/docs`` from bundled assets with no key and nothing from a
CDN, ``/v1/codes`` with every code, and an OpenAPI document a person can read."""

from __future__ import annotations

import re

from ypovoli.codes import CODES
from ypovoli.openapi import build_openapi
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.integration.conftest import World


def get(path: str) -> tuple[int, dict[str, str], bytes]:
    status, headers, body = gateway_call(new_gateway(load_function("api").app), "GET", path, {}, None)
    return status, {k.lower(): str(v) for k, v in headers.items()}, body


def test_docs_are_served_without_a_key_and_load_nothing_from_elsewhere(world: World) -> None:
    status, headers, page = get("/docs")
    assert status == 200 and headers["content-type"].startswith("text/html")
    html = page.decode()
    assert "SwaggerUIBundle" in html and '"openapi.json"' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the page loads something from another host"
    for asset, kind in (("swagger-ui.css", "text/css"), ("swagger-ui-bundle.js", "text/javascript")):
        status, headers, body = get(f"/docs/{asset}")
        assert status == 200 and headers["content-type"].startswith(kind) and len(body) > 10_000, asset
    assert get("/docs/LICENSE")[0] == 404 and get("/docs/..%2Fcore.py")[0] == 404


def test_codes_lists_the_catalog_without_a_key(world: World) -> None:
    import json

    status, _, body = get("/v1/codes")
    codes = json.loads(body)["codes"]
    assert status == 200 and [c["code"] for c in codes] == [c.code for c in CODES]
    totals = next(c for c in codes if c["code"] == "MYDATA-TOTALS")
    assert totals["severities"] == ["error"] and totals["message_el"] and totals["message_en"]


def test_every_operation_is_tagged_and_every_listing_pages() -> None:
    document = build_openapi()
    tags = {t["name"] for t in document["tags"]}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["tags"] and set(operation["tags"]) <= tags, (method, path)
            if method == "get" and operation["operationId"].startswith("list") and path != "/v1/codes":
                assert {"limit", "cursor"} <= {p["name"] for p in operation["parameters"]}, path
    assert document["components"]["schemas"]["Finding"]["properties"]["code"]["enum"] == [c.code for c in CODES]


def test_every_field_of_every_model_has_a_description() -> None:
    schemas = build_openapi()["components"]["schemas"]
    silent = [f"{name}.{field}" for name, schema in schemas.items()
              for field, prop in (schema.get("properties") or {}).items() if not prop.get("description")]
    assert silent == []
    # myDATA's fields in AADE's own words, from the official XSD.
    assert schemas["InvoiceRow"]["properties"]["netValue"]["description"].startswith("Καθαρή Αξία")
