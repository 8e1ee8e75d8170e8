"""myDATA's share of the OpenAPI document (``registry.OPENAPI``): its invoices, their cancellation and
the drop-in routes, its tag, and its fields described in AADE's own words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...models.api import ErrorResponse, IntakeResponse, SubmissionList, SubmissionView
from ...openapi import LIST_PARAMS, errors, json_body, ref
from ...samples import sample
from .model import Invoice

MODELS: list[type[BaseModel]] = [Invoice]
SECURITY_SCHEMES: dict[str, Any] = {
    "aadeKey": {"type": "apiKey", "in": "header", "name": "Ocp-Apim-Subscription-Key",
                "description": "Drop-in myDATA routes: your ypovoli API key where AADE's key goes"},
}
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("myDATA invoices", "Submit invoices as JSON; read, list and cancel them.", ("/v1/invoices",)),
    ("Drop-in myDATA", "AADE's own routes and XML: an existing myDATA client changes only its base URL.",
     ("/v1/mydata/",)),
)


def aade_unauthorized() -> dict[str, Any]:
    """The drop-in routes' 401: AADE's plain text for a missing aade-user-id, API Gateway's JSON for
    an unknown key."""
    return {"description": "Missing aade-user-id, or an unknown key",
            "content": {"text/plain": {"schema": {"type": "string"}},
                        "application/json": {"schema": ref(ErrorResponse)}}}


def paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    return {
        "/v1/invoices": {
            "post": {
                "operationId": "submitInvoice", "security": security,
                "summary": "Submit one myDATA invoice (JSON mirroring the XSD's names)",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref(Invoice), "example": sample("invoice.json")}}},
                "responses": {
                    "202": json_body(IntakeResponse, "Accepted and queued"),
                    "409": json_body(ErrorResponse, "Duplicate (MYDATA-DUPLICATE): id and status of the first"),
                    "422": json_body(ErrorResponse, "Invalid: findings say why; nothing stored"),
                    **errors(400, 401, 403, 413, 429),
                },
            },
            "get": {
                "operationId": "listInvoices", "security": security, "parameters": LIST_PARAMS,
                "responses": {"200": json_body(SubmissionList, "Newest first"), **errors(400, 401, 403)},
            },
        },
        "/v1/invoices/{id}": {"get": {
            "operationId": "getInvoice", "security": security, "parameters": [id_param],
            "responses": {"200": json_body(SubmissionView, "The submission"), **errors(401, 403)},
        }},
        "/v1/invoices/{id}/cancel": {"post": {
            "operationId": "cancelInvoice", "security": security, "parameters": [id_param],
            "summary": "Cancel a transmitted invoice at AADE (CancelInvoice), then record it: status cancelled",
            "description": "Synchronous: AADE first, then the record (the receipt gains cancelled_by_mark). "
                           "Cancelling again answers the same. MYDATA-CANCEL says why not.",
            "responses": {
                "200": json_body(SubmissionView, "Cancelled (or already cancelled): the submission"),
                "409": json_body(ErrorResponse, "Not transmitted: nothing at AADE to cancel (MYDATA-CANCEL)"),
                "422": json_body(ErrorResponse, "AADE refused the cancellation; its codes in the finding"),
                "503": json_body(ErrorResponse, "AADE did not answer; nothing recorded, retry (Retry-After)"),
                **errors(401, 403),
            },
        }},
        "/v1/mydata/SendInvoices": {"post": {
            "operationId": "myDataSendInvoices", "security": [{"aadeKey": []}],
            "summary": "AADE's SendInvoices, drop-in: the official InvoicesDoc in, the official ResponseDoc out",
            "description": "Headers as AADE's: `aade-user-id` and `Ocp-Apim-Subscription-Key` (your ypovoli "
                           "key). While AADE is unreachable an entry answers TechnicalError 206 (queued, never a "
                           "fake MARK); sending the same document again later returns its real MARK.",
            "parameters": [{"name": "aade-user-id", "in": "header", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/xml": {
                "schema": {"type": "string"}, "example": sample("invoices-doc.xml")}}},
            "responses": {
                "200": {"description": "ResponseDoc (Success, ValidationError, TechnicalError, XMLSyntaxError)",
                        "content": {"application/xml": {"schema": {"type": "string"}}}},
                "401": aade_unauthorized(),
                "413": {"description": "Body over 10 MB",
                        "content": {"text/plain": {"schema": {"type": "string"}}}},
            },
        }},
        "/v1/mydata/CancelInvoice": {"post": {
            "operationId": "myDataCancelInvoice", "security": [{"aadeKey": []}],
            "summary": "AADE's CancelInvoice, drop-in: cancelled upstream first, then recorded (status cancelled)",
            "parameters": [
                {"name": "aade-user-id", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "mark", "in": "query", "required": True, "schema": {"type": "integer", "minimum": 1}},
            ],
            "responses": {
                "200": {"description": "ResponseDoc with cancellationMark, or the refusal",
                        "content": {"application/xml": {"schema": {"type": "string"}}}},
                "400": {"description": "No usable mark", "content": {"text/plain": {"schema": {"type": "string"}}}},
                "401": aade_unauthorized(),
            },
        }},
        "/v1/mydata/RequestTransmittedDocs": {"get": {
            "operationId": "myDataRequestTransmittedDocs", "security": [{"aadeKey": []}],
            "summary": "AADE's RequestTransmittedDocs, drop-in: what you sent through ypovoli, by MARK",
            "parameters": [
                {"name": "aade-user-id", "in": "header", "required": True, "schema": {"type": "string"}},
                {"name": "mark", "in": "query", "required": True, "schema": {"type": "integer", "minimum": 0}},
                {"name": "nextPartitionKey", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "nextRowKey", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {"description": "RequestedDoc, 100 a page, with AADE's continuation token",
                        "content": {"application/xml": {"schema": {"type": "string"}}}},
                "400": {"description": "No usable mark (AADE's plain-text answer)",
                        "content": {"text/plain": {"schema": {"type": "string"}}}},
                "401": aade_unauthorized(),
            },
        }},
        "/v1/mydata/RequestDocs": {"get": {
            "operationId": "myDataRequestDocs", "security": [{"aadeKey": []}],
            "summary": "AADE's RequestDocs is AADE's alone: answered with what to use instead",
            "parameters": [
                {"name": "aade-user-id", "in": "header", "required": True, "schema": {"type": "string"}},
            ],
            "responses": {"404": json_body(ErrorResponse, "RequestDocs lists what others issued to you, which only "
                                       "AADE knows: use RequestTransmittedDocs for what you sent"),
                          "401": aade_unauthorized()},
        }},
    }


def describe(schemas: dict[str, Any]) -> None:
    """The invoice's fields, and what they hold, in AADE's words (the XSD's ``xs:documentation``,
    Greek), before the API's glossary says more."""
    from ...field_docs import description
    from ...openapi import reachable
    from .aade.xsd import documentation

    aade = documentation()
    for name in reachable(schemas, "Invoice"):
        model = name.rsplit("__", 1)[-1]
        for field, prop in (schemas[name].get("properties") or {}).items():
            if prop.get("description") or field not in aade:
                continue
            words = description(model, field)
            prop["description"] = f"{aade[field]} (myDATA XSD)" + (f" — {words}" if words else "")
