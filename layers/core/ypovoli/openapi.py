"""OpenAPI 3.1 for the public API, generated from the pydantic models the handlers use."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import __version__
from .kinds.ergani.deviation_report import DeviationReport
from .kinds.ergani.model import WorkCardDoc, WtoDoc
from .kinds.ergani.staff import EmployeeList
from .kinds.mydata_invoice.model import Invoice
from .kinds.pske.model import (
    AuditLetter,
    DossierList,
    DossierView,
    PaymentRequestBody,
    UploadRequest,
    UploadResponse,
)
from .kinds.retail.business import (
    Business,
    BusinessCreated,
    BusinessList,
    BusinessRequest,
    BusinessSettings,
    BusinessSettingsView,
)
from .kinds.retail.fiscal_device import Device, DeviceAnswer, DeviceRequest, TransmissionRequest
from .kinds.sme.advance import AdvanceAnswer, AdvanceRequest
from .kinds.sme.service import KeptEvaluation
from .kinds.sme.voucher import VoucherCheckAnswer, VoucherCheckRequest
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
from .samples import sample
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


def _aade_unauthorized() -> dict[str, Any]:
    """The drop-in routes' 401: AADE's plain text for a missing aade-user-id, API Gateway's JSON for
    an unknown key."""
    return {"description": "Missing aade-user-id, or an unknown key",
            "content": {"text/plain": {"schema": {"type": "string"}},
                        "application/json": {"schema": _ref(ErrorResponse)}}}


def _either(description: str, *models: type[BaseModel]) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"anyOf": [_ref(m) for m in models]}}}}


#: A listing per ΑΦΜ, a page at a time: ``next_cursor`` of one page is the ``cursor`` of the next.
LIST_PARAMS: list[dict[str, Any]] = [
    {"name": "afm", "in": "query", "required": True, "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
    {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "status", "in": "query", "required": False,
     "schema": {"type": "string", "enum": [s.value for s in Status]}},
]


def _ergani_dropin_paths() -> dict[str, Any]:
    """ERGANI II's own Authentication and Documents/{code}: its bodies and answers (Bearer tokens)."""
    json_object = {"content": {"application/json": {"schema": {"type": "object"}}}}
    message = {"description": "ERGANI's answer: {\"message\": \"…\"}", **json_object}
    token = {"description": "ERGANI's token pair (accessToken 3 h, refreshToken 7 days)", **json_object}
    return {
        "/v1/ergani/Authentication": {"post": {
            "operationId": "erganiAuthentication", "security": [],
            "summary": "ERGANI drop-in login: Username = the employer's ΑΦΜ, Password = your ypovoli API key",
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"type": "object"}, "example": {"Username": "800123456", "Password": "<your ypovoli API key>",
                                                          "Usertype": "01"}}}},
            "responses": {"200": token, "401": message},
        }},
        "/v1/ergani/Authentication/Refresh": {"post": {
            "operationId": "erganiRefresh", "security": [],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"type": "object"}, "example": {"AccessToken": "<the accessToken>",
                                                          "RefreshToken": "<the refreshToken>"}}}},
            "responses": {"200": token, "401": message},
        }},
        "/v1/ergani/Documents/{code}": {"post": {
            "operationId": "erganiDocuments", "security": [{"erganiBearer": []}],
            "summary": "ERGANI drop-in submission (WRKCardSE, WTOWeek, WTODaily, WTOLeave), answered as ERGANI does",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "WRKCardSE, WTOWeek, WTODaily or WTOLeave"}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"type": "object"}, "example": sample("workcard.json")}}},
            "responses": {
                "200": {"description": "[{id, protocol, submitDate}]",
                        "content": {"application/json": {"schema": {"type": "array"}}}},
                "400": message, "401": message, "413": message,
                "503": {"description": "ERGANI unreachable: kept and queued; send again for the protocol",
                        **json_object},
            },
        }},
    }


def _ergani_paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    """ERGANI II's documents: the same three routes as invoices, under each kind's path."""
    afm_query = {"name": "afm", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "The employer's ΑΦΜ, when the body does not carry f_afm_ergodoti"}
    paths: dict[str, Any] = {}
    for path, model, op, summary, employer, example in (
            ("/v1/workcards", WorkCardDoc, "Workcard", "ERGANI II work-card events (WRKCardSE)", False,
             "workcard.json"),
            ("/v1/work-schedules/WTOWeek", WtoDoc, "WtoWeek", "ERGANI II fixed weekly schedule (WTOWeek)", True,
             "wto-week.json"),
            ("/v1/work-schedules/WTODaily", WtoDoc, "WtoDaily", "ERGANI II schedule per day (WTODaily)", True,
             "wto-daily.json"),
            ("/v1/work-schedules/WTOOv", WtoDoc, "Overtime",
             "ERGANI II overtime, announced before it starts (WTOOv: ΥΠ from–to, ΧΥΠ cancels)", True,
             "overtime.json"),
            ("/v1/work-schedules/WTOOvA", WtoDoc, "OvertimeRetro",
             "ERGANI II overtime, retrospective (WTOOvA: card-regime employers)", True, "overtime.json"),
            ("/v1/leaves", WtoDoc, "Leave",
             "ERGANI II leaves (WTOLeave; with f_rel_protocol and f_rel_date, the correction WTOLeaveC)", True,
             "leave.json")):
        paths[path] = {
            "post": {
                "operationId": f"submit{op}", "security": security, "summary": summary,
                "parameters": [afm_query] if employer else [],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref(model), "example": sample(example)}}},
                "responses": {
                    "202": _json(IntakeResponse, "Accepted and queued"),
                    "409": _json(ErrorResponse, "Duplicate (ERGANI-DUPLICATE): id and status of the first"),
                    "422": _json(ErrorResponse, "Invalid: findings say why; nothing stored"),
                    **_errors(400, 401, 403, 413, 429),
                },
            },
            "get": {
                "operationId": f"list{op}s", "security": security, "parameters": LIST_PARAMS,
                "responses": {"200": _json(SubmissionList, "Newest first"), **_errors(400, 401, 403)},
            },
        }
        paths[f"{path}/{{id}}"] = {"get": {
            "operationId": f"get{op}", "security": security, "parameters": [id_param],
            "responses": {"200": _json(SubmissionView, "The submission"), **_errors(401, 403)},
        }}
    paths["/v1/leaves/{id}/cancel"] = {"post": {
        "operationId": "cancelLeave", "security": security, "parameters": [id_param],
        "summary": "Cancel a transmitted leave declaration at ERGANI (CancelSubmittedDocument), then record it",
        "responses": {
            "200": _json(SubmissionView, "Cancelled (or already cancelled): the submission"),
            "409": _json(ErrorResponse, "Not transmitted, or replaced by a correction (ERGANI-LEAVE-CANCEL)"),
            "422": _json(ErrorResponse, "ERGANI refused the cancellation; its words in the message"),
            "503": _json(ErrorResponse, "ERGANI did not answer; nothing recorded, retry (Retry-After)"),
            **_errors(401, 403),
        },
    }}
    afm_param = {"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}
    paths["/v1/businesses/{afm}/employees"] = {"get": {
        "operationId": "listEmployees", "security": security, "parameters": [afm_param],
        "summary": "The employer's registry of employees (card flag, weekly hours, days a week, break, flex)",
        "responses": {"200": _json(EmployeeList, "The registry"), **_errors(401, 403)},
    }}
    paths["/v1/businesses/{afm}/employees/import"] = {"post": {
        "operationId": "importEmployees", "security": security, "parameters": [afm_param],
        "summary": "Read the employer, its branches and current staff from ERGANI (ExecuteService EX_BASE_01/02/05)",
        "responses": {
            "200": _json(EmployeeList, "Imported: the registry as it now stands"),
            "422": _json(ErrorResponse, "ERGANI refused the read (ERGANI-STAFF-IMPORT)"),
            "503": _json(ErrorResponse, "ERGANI did not answer; nothing changed (ERGANI-STAFF-IMPORT)"),
            **_errors(401, 403),
        },
    }}
    return paths


def _retail_paths(security: list[dict[str, list[str]]]) -> dict[str, Any]:
    """Businesses, fiscal devices and the SME checks (SPEC §3 «Retail and SME routes»)."""
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    afm_param = {"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}

    def post(op: str, summary: str, body: type[BaseModel], status: str, out: type[BaseModel],
             extra: dict[str, Any] | None = None, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return {"post": {"operationId": op, "security": security, "summary": summary,
                         **({"parameters": params} if params else {}),
                         "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(body)}}},
                         "responses": {status: _json(out, summary), **(extra or {}),
                                       **_errors(400, 401, 403, 413, 422)}}}

    def get(op: str, summary: str, out: type[BaseModel], params: list[dict[str, Any]]) -> dict[str, Any]:
        return {"get": {"operationId": op, "security": security, "summary": summary, "parameters": params,
                        "responses": {"200": _json(out, summary), **_errors(401, 403)}}}

    return {
        "/v1/businesses": {
            **post("registerBusiness", "Register a business (REG-ACCOUNT); its ΑΦΜ joins the managed list",
                   BusinessRequest, "201", BusinessCreated),
            "get": {"operationId": "listBusinesses", "security": security,
                    "summary": "Every ΑΦΜ the tenant manages, with its registrations",
                    "responses": {"200": _json(BusinessList, "The businesses"), **_errors(401)}},
        },
        "/v1/businesses/{afm}": get("getBusiness", "One business and its registrations", Business, [afm_param]),
        "/v1/businesses/{afm}/settings": {
            **get("getBusinessSettings", "The business's books (the default until it says)", BusinessSettingsView,
                  [afm_param]),
            "put": {"operationId": "putBusinessSettings", "security": security, "parameters": [afm_param],
                    "summary": "Say which books the business keeps: a fine's minimum per audit depends on them",
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref(BusinessSettings)}}},
                    "responses": {"200": _json(BusinessSettingsView, "The settings, as kept"),
                                  **_errors(400, 401, 403, 422)}},
        },
        "/v1/fiscal-devices": post(
            "registerFiscalDevice", "Register a fiscal device (ΦΗΜ): its cadence starts now; FHM-EAFDSS noted",
            DeviceRequest, "201", DeviceAnswer,
            {"409": _json(ErrorResponse, "Serial already registered for this ΑΦΜ (FHM-DEVICE-DUPLICATE): its id")}),
        "/v1/fiscal-devices/{id}": get("getFiscalDevice", "A fiscal device and its due time", Device, [id_param]),
        "/v1/fiscal-devices/{id}/transmissions": post(
            "recordFiscalTransmission", "Record one e-send: the device's due time moves (FHM-CADENCE)",
            TransmissionRequest, "201", DeviceAnswer, params=[id_param]),
        "/v1/vouchers/redemption-checks": post(
            "checkVoucherRedemption", "Pre-check a voucher redemption: eligible quantities, cuts and why, kept",
            VoucherCheckRequest, "200", VoucherCheckAnswer),
        "/v1/vouchers/redemption-checks/{id}": get("getVoucherCheck", "A kept voucher check", KeptEvaluation,
                                                   [id_param]),
        "/v1/calculations/repayable-advance": post(
            "calculateRepayableAdvance", "The repayable advance: clause, share, amount, lump sum; kept",
            AdvanceRequest, "200", AdvanceAnswer),
        "/v1/calculations/repayable-advance/{id}": get("getRepayableAdvance", "A kept repayable-advance calculation",
                                                       KeptEvaluation, [id_param]),
    }


#: Operations grouped for a reader, by path prefix (the first that matches).
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("myDATA invoices", "Submit invoices as JSON; read, list and cancel them.", ("/v1/invoices",)),
    ("ERGANI II", "Work-card events, schedules and leaves.", ("/v1/workcards", "/v1/work-schedules", "/v1/leaves")),
    ("Businesses and compliance", "Register businesses; what is due, overdue or flagged for each; ERGANI "
     "incidents and deviations.", ("/v1/businesses",)),
    ("Fiscal devices", "ΦΗΜ and their transmission cadence.", ("/v1/fiscal-devices",)),
    ("SME checks", "Voucher redemption pre-checks and the repayable advance.", ("/v1/vouchers", "/v1/calculations")),
    ("ΠΣΚΕ dossiers", "Payment requests (Αίτημα Ελέγχου) as JSON or as zipped folders.", ("/v1/dossiers",)),
    ("Webhooks", "Signed events for every status change, sweep finding and incident.", ("/v1/webhook",)),
    ("Reports", "Monthly outage reports.", ("/v1/reports",)),
    ("Drop-in myDATA", "AADE's own routes and XML: an existing myDATA client changes only its base URL.",
     ("/v1/mydata/",)),
    ("Drop-in ERGANI", "ERGANI II's own routes and JSON: an existing ERGANI client changes only its base URL.",
     ("/v1/ergani/",)),
    ("Reference", "Health, this document and the code catalog.", ("/health", "/openapi.json", "/v1/codes")),
)

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
        tag = next(name for name, _, prefixes in TAGS if path.startswith(prefixes))
        for method, operation in operations.items():
            operation["tags"] = [tag]
            if method == "get" and any(r.get("content", {}).get("application/json", {}).get("schema", {})
                                       .get("$ref", "").endswith("List") for r in operation["responses"].values()):
                names = {p["name"] for p in operation.get("parameters", [])}
                operation["parameters"] = [*operation.get("parameters", []),
                                           *(p for p in PAGE_PARAMS if p["name"] not in names)]
                # A limit that is no number, or a cursor of another listing, is a 400.
                operation["responses"].setdefault("400", _json(ErrorResponse, "Unreadable limit or cursor"))
    document["tags"] = [{"name": name, "description": text} for name, text, _ in TAGS]
    _describe(document["components"]["schemas"])
    finding = document["components"]["schemas"]["Finding"]["properties"]["code"]
    finding["enum"] = [c.code for c in CODES]
    finding["description"] = "the rule's stable code: GET /v1/codes lists each with its meaning in Greek and English"
    return document


def _describe(schemas: dict[str, Any]) -> None:
    """A description on every field the model itself leaves silent: myDATA's fields in AADE's words
    (the XSD's ``xs:documentation``, Greek), the others from the API's glossary (``field_docs``)."""
    from .field_docs import description
    from .kinds.mydata_invoice.aade.xsd import documentation

    aade = documentation()
    mydata = _reachable(schemas, "Invoice")
    for name, schema in schemas.items():
        model = name.rsplit("__", 1)[-1]
        for field, prop in (schema.get("properties") or {}).items():
            if prop.get("description"):
                continue
            words = description(model, field)
            if name in mydata and field in aade:
                words = f"{aade[field]} (myDATA XSD)" + (f" — {words}" if words else "")
            if words:
                prop["description"] = words


def _reachable(schemas: dict[str, Any], root: str) -> set[str]:
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
    models: list[type[BaseModel]] = [CodeCatalog, Invoice, SubmissionView, IntakeResponse, ErrorResponse,
                                     SubmissionList, Health,
                                     WebhookRequest, WebhookConfig, DeliveryList, StatusEvent, OutageReport,
                                     PaymentRequestBody, DossierView, DossierList, UploadRequest, UploadResponse,
                                     AuditLetter,
                                     WorkCardDoc, WtoDoc, IncidentList, ComplianceView, DeviationReport,
                                     ComplianceEvent, IncidentEvent, BusinessRequest, BusinessCreated, BusinessList,
                                     Business, DeviceRequest, DeviceAnswer, Device, TransmissionRequest,
                                     BusinessSettings, BusinessSettingsView,
                                     VoucherCheckRequest, VoucherCheckAnswer, AdvanceRequest, AdvanceAnswer,
                                     KeptEvaluation]
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
                "erganiBearer": {"type": "http", "scheme": "bearer",
                                 "description": "Drop-in ERGANI routes: the token /v1/ergani/Authentication gave"},
                "aadeKey": {"type": "apiKey", "in": "header", "name": "Ocp-Apim-Subscription-Key",
                            "description": "Drop-in myDATA routes: your ypovoli API key where AADE's key goes"},
            },
        },
        "paths": {
            **_ergani_paths(security, id_param),
            **_retail_paths(security),
            "/health": {"get": {"operationId": "health", "responses": {"200": _json(Health, "Up")}}},
            "/openapi.json": {"get": {"operationId": "openapi", "responses": {"200": {
                "description": "This document", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/v1/codes": {"get": {
                "operationId": "listCodes", "security": [],
                "summary": "Every finding and error code, its severities and its meaning in Greek and English",
                "responses": {"200": _json(CodeCatalog, "The catalog (the table of docs/codes.md)")}}},
            "/v1/invoices": {
                "post": {
                    "operationId": "submitInvoice", "security": security,
                    "summary": "Submit one myDATA invoice (JSON mirroring the XSD's names)",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref(Invoice), "example": sample("invoice.json")}}},
                    "responses": {
                        "202": _json(IntakeResponse, "Accepted and queued"),
                        "409": _json(ErrorResponse, "Duplicate (MYDATA-DUPLICATE): id and status of the first"),
                        "422": _json(ErrorResponse, "Invalid: findings say why; nothing stored"),
                        **_errors(400, 401, 403, 413, 429),
                    },
                },
                "get": {
                    "operationId": "listInvoices", "security": security, "parameters": LIST_PARAMS,
                    "responses": {"200": _json(SubmissionList, "Newest first"), **_errors(400, 401, 403)},
                },
            },
            "/v1/invoices/{id}": {"get": {
                "operationId": "getInvoice", "security": security, "parameters": [id_param],
                "responses": {"200": _json(SubmissionView, "The submission"), **_errors(401, 403)},
            }},
            "/v1/invoices/{id}/cancel": {"post": {
                "operationId": "cancelInvoice", "security": security, "parameters": [id_param],
                "summary": "Cancel a transmitted invoice at AADE (CancelInvoice), then record it: status cancelled",
                "description": "Synchronous: AADE first, then the record (the receipt gains cancelled_by_mark). "
                               "Cancelling again answers the same. MYDATA-CANCEL says why not.",
                "responses": {
                    "200": _json(SubmissionView, "Cancelled (or already cancelled): the submission"),
                    "409": _json(ErrorResponse, "Not transmitted: nothing at AADE to cancel (MYDATA-CANCEL)"),
                    "422": _json(ErrorResponse, "AADE refused the cancellation; its codes in the finding"),
                    "503": _json(ErrorResponse, "AADE did not answer; nothing recorded, retry (Retry-After)"),
                    **_errors(401, 403),
                },
            }},
            "/v1/webhook": {
                "put": {
                    "operationId": "setWebhook", "security": security,
                    "summary": "Set the tenant's webhook; the answer holds a new signing secret (shown once)",
                    "description": "Every status change is POSTed as a StatusEvent (and each new sweep finding as a "
                                   "ComplianceEvent, each ERGANI incident's start and end as an IncidentEvent), "
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
            "/v1/dossiers": {
                "post": {
                    "operationId": "submitPaymentRequest", "security": security,
                    "summary": "Check a ΠΣΚΕ payment request (Αίτημα Ελέγχου) against the approved project and "
                               "the project's earlier requests; the dossier and its reports are kept either way",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref(PaymentRequestBody), "example": sample("pske-request.json")}}},
                    "responses": {"201": _json(DossierView, "Accepted: no errors (warnings and cuts may remain)"),
                                  "422": _either("Invalid: errors found (the dossier is kept), or the body is not a "
                                                 "payment request (findings only, nothing kept)",
                                                 DossierView, ErrorResponse),
                                  **_errors(400, 401, 403, 413)},
                },
                "get": {
                    "operationId": "listDossiers", "security": security,
                    "parameters": [{"name": "afm", "in": "query", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json(DossierList, "Newest first"), **_errors(401, 403)},
                },
            },
            "/v1/dossiers/uploads": {"post": {
                "operationId": "createDossierUpload", "security": security,
                "summary": "A presigned S3 POST into the drop folder for a zipped folder "
                           "«<project code>_<request type>.zip»",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref(UploadRequest), "example": {"afm": "800123456", "project_code": "ΚΡ-1234",
                                                               "request_type": "ΕΝΔΙΑΜΕΣΟ",
                                                               "filename": "ΚΡ-1234_ΕΝΔΙΑΜΕΣΟ.zip"}}}},
                "responses": {"201": _json(UploadResponse, "Upload with the fields, then the zip as `file`"),
                              **_errors(400, 401, 403, 422)},
            }},
            "/v1/dossiers/{id}/audit": {"post": {
                "operationId": "recordDossierAudit", "security": security, "parameters": [id_param],
                "summary": "The authority's audit letter for this request: what it certified per expense and invoice",
                "description": "Later requests of the project count these figures (A3, A4, A6, B10) instead of "
                               "ypovoli's prediction of the audit; their findings say which they used. A letter "
                               "recorded again for the same request replaces the earlier one.",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref(AuditLetter), "example": {"reference": "ΕΦΔ 1234/2026", "date": "2026-11-30",
                                                             "expenses": {"E1": "1000.00"},
                                                             "invoices": {"inv-12345": "1000.00"}}}}},
                "responses": {"200": {"description": "Recorded: the letter as kept",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_errors(400, 401, 403, 422)},
            }},
            "/v1/dossiers/{id}": {"get": {
                "operationId": "getDossier", "security": security, "parameters": [id_param],
                "responses": {"200": _json(DossierView, "The dossier, with a link to its report"),
                              **_errors(401, 403)},
            }},
            "/v1/dossiers/{id}/report": {"get": {
                "operationId": "getDossierReport", "security": security, "parameters": [id_param],
                "responses": {"200": {"description": "The human report (HTML, Greek first, English beside)",
                                      "content": {"text/html": {"schema": {"type": "string"}}}},
                              **_errors(401, 403, 404)},
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
                    "401": _aade_unauthorized(),
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
                    "401": _aade_unauthorized(),
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
                    "401": _aade_unauthorized(),
                },
            }},
            "/v1/mydata/RequestDocs": {"get": {
                "operationId": "myDataRequestDocs", "security": [{"aadeKey": []}],
                "summary": "AADE's RequestDocs is AADE's alone: answered with what to use instead",
                "parameters": [
                    {"name": "aade-user-id", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"404": _json(ErrorResponse, "RequestDocs lists what others issued to you, which only "
                                           "AADE knows: use RequestTransmittedDocs for what you sent"),
                              "401": _aade_unauthorized()},
            }},
            **_ergani_dropin_paths(),
            "/v1/businesses/{afm}/incidents": {"get": {
                "operationId": "listIncidents", "security": security,
                "summary": "ERGANI force-majeure incidents of one employer, with the notice to the Labour Inspectorate",
                "parameters": [{"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(IncidentList, "Newest first"), **_errors(401, 403)},
            }},
            "/v1/businesses/{afm}/compliance": {"get": {
                "operationId": "complianceView", "security": security,
                "summary": "Everything due, deferred, overdue or flagged by a sweep for one business, soonest first",
                "description": "Open submissions of every kind with what they may cost, and the sweeps' findings "
                               "(ERGANI-DEVIATION, ERGANI-CARD-PAIR, ERGANI-LEAVE-DUE). Each new sweep finding is "
                               "also POSTed to the webhook as a ComplianceEvent.",
                "parameters": [{"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(ComplianceView, "The view"), **_errors(401, 403)},
            }},
            "/v1/businesses/{afm}/deviations": {"get": {
                "operationId": "deviationReport", "security": security,
                "summary": "One employer's month: declared schedule vs. card events per employee and day",
                "parameters": [
                    {"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "month", "in": "query", "required": True,
                     "schema": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}},
                    {"name": "format", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": ["json", "html"]}},
                ],
                "responses": {"200": {"description": "The report (JSON, or a readable HTML page with format=html)",
                                      "content": {"application/json": {"schema": _ref(DeviationReport)},
                                                  "text/html": {"schema": {"type": "string"}}}},
                              **_errors(400, 401, 403)},
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
