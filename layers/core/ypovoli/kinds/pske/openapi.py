"""ΠΣΚΕ's share of the OpenAPI document (``registry.OPENAPI``): payment requests as JSON or zipped
folders, their reports and audit letters."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...models.api import ErrorResponse
from ...openapi import either, errors, json_body, ref
from ...samples import sample
from .model import AuditLetter, DossierList, DossierView, PaymentRequestBody, UploadRequest, UploadResponse

MODELS: list[type[BaseModel]] = [PaymentRequestBody, DossierView, DossierList, UploadRequest, UploadResponse,
                                 AuditLetter]
SECURITY_SCHEMES: dict[str, Any] = {}   # the API key only
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ΠΣΚΕ dossiers", "Payment requests (Αίτημα Ελέγχου) as JSON or as zipped folders.", ("/v1/dossiers",)),
)


def paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    return {
        "/v1/dossiers": {
            "post": {
                "operationId": "submitPaymentRequest", "security": security,
                "summary": "Check a ΠΣΚΕ payment request (Αίτημα Ελέγχου) against the approved project and "
                           "the project's earlier requests; the dossier and its reports are kept either way",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref(PaymentRequestBody), "example": sample("pske-request.json")}}},
                "responses": {"201": json_body(DossierView, "Accepted: no errors (warnings and cuts may remain)"),
                              "422": either("Invalid: errors found (the dossier is kept), or the body is not a "
                                             "payment request (findings only, nothing kept)",
                                             DossierView, ErrorResponse),
                              **errors(400, 401, 403, 413)},
            },
            "get": {
                "operationId": "listDossiers", "security": security,
                "parameters": [{"name": "afm", "in": "query", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": json_body(DossierList, "Newest first"), **errors(401, 403)},
            },
        },
        "/v1/dossiers/uploads": {"post": {
            "operationId": "createDossierUpload", "security": security,
            "summary": "A presigned S3 POST into the drop folder for a zipped folder "
                       "«<project code>_<request type>.zip»",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": ref(UploadRequest), "example": {"afm": "800123456", "project_code": "ΚΡ-1234",
                                                           "request_type": "ΕΝΔΙΑΜΕΣΟ",
                                                           "filename": "ΚΡ-1234_ΕΝΔΙΑΜΕΣΟ.zip"}}}},
            "responses": {"201": json_body(UploadResponse, "Upload with the fields, then the zip as `file`"),
                          **errors(400, 401, 403, 422)},
        }},
        "/v1/dossiers/{id}/audit": {"post": {
            "operationId": "recordDossierAudit", "security": security, "parameters": [id_param],
            "summary": "The authority's audit letter for this request: what it certified per expense and invoice",
            "description": "Later requests of the project count these figures (A3, A4, A6, B10) instead of "
                           "ypovoli's prediction of the audit; their findings say which they used. A letter "
                           "recorded again for the same request replaces the earlier one.",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": ref(AuditLetter), "example": {"reference": "ΕΦΔ 1234/2026", "date": "2026-11-30",
                                                         "expenses": {"E1": "1000.00"},
                                                         "invoices": {"inv-12345": "1000.00"}}}}},
            "responses": {"200": {"description": "Recorded: the letter as kept",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          **errors(400, 401, 403, 422)},
        }},
        "/v1/dossiers/{id}": {"get": {
            "operationId": "getDossier", "security": security, "parameters": [id_param],
            "responses": {"200": json_body(DossierView, "The dossier, with a link to its report"),
                          **errors(401, 403)},
        }},
        "/v1/dossiers/{id}/report": {"get": {
            "operationId": "getDossierReport", "security": security, "parameters": [id_param],
            "responses": {"200": {"description": "The human report (HTML, Greek first, English beside)",
                                  "content": {"text/html": {"schema": {"type": "string"}}}},
                          **errors(401, 403, 404)},
        }},
    }
