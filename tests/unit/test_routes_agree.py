"""The Chalice app's routes, the ``Type: Api`` events of template.yaml and the OpenAPI document name
the same (method, path) pairs. A route missing from the template answers 403 in AWS (API Gateway
knows no such resource) while every local test passes; one missing from OpenAPI is invisible to
integrators and to the fuzzer."""

from __future__ import annotations

from ypovoli.openapi import build_openapi
from ypovoli_local.handlers import ROOT, load_function
from ypovoli_local.template import load_template


def chalice_routes() -> set[tuple[str, str]]:
    app = load_function("api").app
    return {(method, path) for path, entries in app.routes.items() for method in entries}


def template_routes() -> set[tuple[str, str]]:
    events = load_template(ROOT / "template.yaml")["Resources"]["ApiFunction"]["Properties"]["Events"]
    return {(str(e["Properties"]["Method"]).upper(), str(e["Properties"]["Path"]))
            for e in events.values() if e["Type"] == "Api"}


def openapi_routes() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in build_openapi()["paths"].items() for method in operations}


def test_chalice_template_and_openapi_name_the_same_routes() -> None:
    chalice, template, openapi = chalice_routes(), template_routes(), openapi_routes()
    assert chalice - template == set(), "routes the deployed API Gateway would not have"
    assert template - chalice == set(), "template events with no handler"
    # The console's pages are for people, not part of the JSON API the OpenAPI document describes.
    pages = {route for route in chalice if route[1].split("/")[1] in ("console", "docs")}
    assert ("GET", "/console") in pages
    assert chalice - pages - openapi == set(), "routes the OpenAPI document does not describe"
    assert openapi - chalice == set(), "OpenAPI paths with no handler"
    assert ("POST", "/v1/invoices/{id}/cancel") in chalice


def test_api_gateways_own_answers_are_the_ones_the_local_front_gives() -> None:
    """An unknown path: 404 in the API's error shape (never the credential echoed back); a missing or
    unknown key: 401 naming the header it expected — the same bodies in AWS and locally."""
    import json

    from ypovoli.api import gateway_answers as answers

    responses = load_template(ROOT / "template.yaml")["Resources"]["Api"]["Properties"]["GatewayResponses"]
    assert set(responses) == set(answers.GATEWAY_RESPONSES)
    for kind, (status, shape) in answers.GATEWAY_RESPONSES.items():
        assert responses[kind].get("StatusCode") == status, kind
        assert json.loads(responses[kind]["ResponseTemplates"]["application/json"]) == shape, kind
        # The one error shape, with API Gateway's request id filled in by its template engine.
        assert {"status", "findings", "request_id"} <= shape.keys() and shape["findings"]
        assert shape["request_id"] == "$context.requestId"
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == 404
    assert "x-api-key" in str(answers.UNAUTHORIZED["message_en"])
