"""OpenAPI 3.1 for the public API, generated from the pydantic models the handlers use."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import __version__
from .models.api import (
    CodeCatalog,
    ErrorResponse,
    Health,
    IntakeResponse,
    SubmissionList,
    SubmissionView,
)
from .models.compliance import ComplianceView
from .models.events import ComplianceEvent, DeliveryList, IncidentEvent, StatusEvent, WebhookConfig, WebhookRequest
from .models.reports import OutageReport
from .status import Status
from .store.incidents import IncidentList

REF = "#/components/schemas/{model}"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {400: "Unreadable body or query", 401: "Unknown or missing API key (API Gateway's answer)",
             403: "Not yours, or absent (the same answer for both)", 413: "Body too large",
             404: "Not set", 422: "Invalid: findings say why", 429: "Throttled by the usage plan"}
    models: dict[int, type[BaseModel]] = {400: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse,
                                          401: ErrorResponse, 429: ErrorResponse, 403: ErrorResponse,
                                          404: ErrorResponse}
    return {str(c): _json(models[c], texts[c]) for c in codes}


def _either(description: str, *models: type[BaseModel]) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"anyOf": [_ref(m) for m in models]}}}}


# The helpers each kind's part (``kinds/<kind>/openapi.py``) builds its paths with.
ref, json_body, errors, either = _ref, _json, _errors, _either


def post_op(security: list[dict[str, list[str]]], op: str, summary: str, body: type[BaseModel], status: str,
            out: type[BaseModel], extra: dict[str, Any] | None = None,
            params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A POST of one JSON body answered with one model (a kind's part's plain operation)."""
    return {"post": {"operationId": op, "security": security, "summary": summary,
                     **({"parameters": params} if params else {}),
                     "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(body)}}},
                     "responses": {status: _json(out, summary), **(extra or {}), **_errors(400, 401, 403, 413, 422)}}}


def get_op(security: list[dict[str, list[str]]], op: str, summary: str, out: type[BaseModel],
           params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {"operationId": op, "security": security, "summary": summary, "parameters": params,
                    "responses": {"200": _json(out, summary), **_errors(401, 403)}}}


def _parts() -> list[Any]:
    """Each kind's share of the document (``registry.OPENAPI``): its ``MODELS``, ``TAGS`` and ``paths``."""
    from .kinds import registry

    return registry.openapi_parts()


#: A listing per ΑΦΜ, a page at a time: ``next_cursor`` of one page is the ``cursor`` of the next.
LIST_PARAMS: list[dict[str, Any]] = [
    {"name": "afm", "in": "query", "required": True, "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "status", "in": "query", "required": False,
     "schema": {"type": "string", "enum": [s.value for s in Status]}},
]


#: Operations grouped for a reader, by path prefix (the first that matches).
OWN_TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Businesses and compliance", "What is due, overdue or flagged for each business; its incidents.",
     ("/v1/businesses",)),
    ("Webhooks", "Signed events for every status change, sweep finding and incident.", ("/v1/webhook",)),
    ("Reports", "Monthly outage reports.", ("/v1/reports",)),
    ("Reference", "Health, this document and the code catalog.", ("/health", "/openapi.json", "/v1/codes")),
)


def tags() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Operations grouped for a reader, by path prefix (the first that matches): each kind's, then ours."""
    return (*(tag for part in _parts() for tag in part.TAGS), *OWN_TAGS)

#: Every listing takes these (``next`` of one page is the path of the next).
PAGE_PARAMS: list[dict[str, Any]] = [
    {"name": "limit", "in": "query", "required": False, "description": "items per page (1–200, default 50)",
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
    {"name": "cursor", "in": "query", "required": False,
     "description": "the `next_cursor` of the page before (or follow `next` as it is)", "schema": {"type": "string"}},
]


def _finish(document: dict[str, Any]) -> dict[str, Any]:
    """What applies to every operation: its tag, the paging parameters of a listing, the finding codes as
    an enum, API Gateway's 401 in the one error shape."""
    from .codes import CODES

    for path, operations in document["paths"].items():
        tag = next(name for name, _, prefixes in tags() if path.startswith(prefixes))
        for method, operation in operations.items():
            operation["tags"] = [tag]
            if method == "get" and any(r.get("content", {}).get("application/json", {}).get("schema", {})
                                       .get("$ref", "").endswith("List") for r in operation["responses"].values()):
                names = {p["name"] for p in operation.get("parameters", [])}
                operation["parameters"] = [*operation.get("parameters", []),
                                           *(p for p in PAGE_PARAMS if p["name"] not in names)]
                # A limit that is no number, or a cursor of another listing, is a 400.
                operation["responses"].setdefault("400", _json(ErrorResponse, "Unreadable limit or cursor"))
    document["tags"] = [{"name": name, "description": text} for name, text, _ in tags()]
    _describe(document["components"]["schemas"])
    finding = document["components"]["schemas"]["Finding"]["properties"]["code"]
    finding["enum"] = [c.code for c in CODES]
    finding["description"] = "the rule's stable code: GET /v1/codes lists each with its meaning in Greek and English"
    return document


def _describe(schemas: dict[str, Any]) -> None:
    """A description on every field the model itself leaves silent: first a kind's own words for its
    schemas (its part's ``describe``: an upstream's fields in its own words), then the API's glossary."""
    from .field_docs import description

    for part in _parts():
        describe = getattr(part, "describe", None)
        if describe is not None:
            describe(schemas)
    for name, schema in schemas.items():
        model = name.rsplit("__", 1)[-1]
        for field, prop in (schema.get("properties") or {}).items():
            if prop.get("description"):
                continue
            words = description(model, field)
            if words:
                prop["description"] = words


def reachable(schemas: dict[str, Any], root: str) -> set[str]:
    """The schemas ``root`` refers to, directly or not (itself included)."""
    seen, stack = {root}, [schemas[root]]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if key == "$ref" and isinstance(value, str):
                name = value.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    stack.append(schemas[name])
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return seen


def build_openapi(server_url: str = "/") -> dict[str, Any]:
    return _finish(_document(server_url))


@cache
def published() -> dict[str, Any]:
    """What ``GET /openapi.json`` answers: built once per process, not per request (it never changes
    while the process lives, and building it walks every model and the XSD's documentation)."""
    return build_openapi()


def _document(server_url: str) -> dict[str, Any]:
    models: list[type[BaseModel]] = [CodeCatalog, SubmissionView, IntakeResponse, ErrorResponse, SubmissionList,
                                     Health, WebhookRequest, WebhookConfig, DeliveryList, StatusEvent, OutageReport,
                                     IncidentList, ComplianceView, ComplianceEvent, IncidentEvent,
                                     *(model for part in _parts() for model in part.MODELS)]
    _, schema = models_json_schema([(m, "validation") for m in models], ref_template=REF)
    security: list[dict[str, list[str]]] = [{"apiKey": []}]
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ypovoli — Υποβολή", "version": __version__,
                 "description": "Validate, transmit through outages and keep as dossiers what the Greek "
                                "state asks of businesses. Findings are bilingual (Greek, English)."},
        "servers": [{"url": server_url}],
        "components": {
            "schemas": schema.get("$defs", {}),
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
                **{name: scheme for part in _parts() for name, scheme in part.SECURITY_SCHEMES.items()},
            },
        },
        "paths": {
            **{path: ops for part in _parts() for path, ops in part.paths(security, id_param).items()},
            "/health": {"get": {"operationId": "health", "responses": {"200": _json(Health, "Up")}}},
            "/openapi.json": {"get": {"operationId": "openapi", "responses": {"200": {
                "description": "This document", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/v1/codes": {"get": {
                "operationId": "listCodes", "security": [],
                "summary": "Every finding and error code, its severities and its meaning in Greek and English",
                "responses": {"200": _json(CodeCatalog, "The catalog (the table of docs/codes.md)")}}},
            "/v1/webhook": {
                "put": {
                    "operationId": "setWebhook", "security": security,
                    "summary": "Set the tenant's webhook; the answer holds a new signing secret (shown once)",
                    "description": "Every status change is POSTed as a StatusEvent (and each new sweep finding as a "
                                   "ComplianceEvent, each upstream incident's start and end as an IncidentEvent), "
                                   "signed with "
                                   "`Ypovoli-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>`.",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref(WebhookRequest), "example": {"url": "https://erp.example.gr/hooks/ypovoli"}}}},
                    "responses": {"200": _json(WebhookConfig, "Set"), **_errors(400, 401, 413, 422)},
                },
                "get": {"operationId": "getWebhook", "security": security,
                        "responses": {"200": _json(WebhookConfig, "The webhook (secret hidden)"),
                                      **_errors(401, 404)}},
                "delete": {"operationId": "deleteWebhook", "security": security,
                           "responses": {"204": {"description": "Removed"}, **_errors(401)}},
            },
            "/v1/webhook/deliveries": {"get": {
                "operationId": "listWebhookDeliveries", "security": security,
                "parameters": [
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    {"name": "submission_id", "in": "query", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {"200": _json(DeliveryList, "Events and their delivery log, newest first"),
                              **_errors(400, 401)},
            }},
            "/v1/businesses/{afm}/incidents": {"get": {
                "operationId": "listIncidents", "security": security,
                "summary": "Upstream (force-majeure) incidents of one business, each with the notice it owes",
                "parameters": [{"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}},
                               {"name": "upstream", "in": "query", "required": False, "schema": {"type": "string"},
                                "description": "which upstream's incidents (default: the first that records them)"}],
                "responses": {"200": _json(IncidentList, "Newest first"), **_errors(401, 403)},
            }},
            "/v1/businesses/{afm}/compliance": {"get": {
                "operationId": "complianceView", "security": security,
                "summary": "Everything due, deferred, overdue or flagged by a sweep for one business, soonest first",
                "description": "Open submissions of every kind with what they may cost, and the sweeps' findings "
                               "(each kind's sweep codes). Each new sweep finding is "
                               "also POSTed to the webhook as a ComplianceEvent.",
                "parameters": [{"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(ComplianceView, "The view"), **_errors(401, 403)},
            }},
            "/v1/reports/outages": {"get": {
                "operationId": "outageReport", "security": security,
                "summary": "Documents sent under the outage procedure in an Athens month, and per-issuer statistics",
                "parameters": [
                    {"name": "month", "in": "query", "required": True,
                     "schema": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}},
                    {"name": "afm", "in": "query", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {"200": _json(OutageReport, "The report"), **_errors(400, 401, 403)},
            }},
        },
    }
