"""ERGANI II's share of the OpenAPI document (``registry.OPENAPI``): its documents, leaves and their
cancellation, the employer's registry, the deviation report and ERGANI's own drop-in routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ...models.api import ErrorResponse, IntakeResponse, SubmissionList, SubmissionView
from ...openapi import LIST_PARAMS, errors, json_body, ref
from ...samples import sample
from .deviation_report import DeviationReport
from .model import WorkCardDoc, WtoDoc
from .staff import EmployeeList

MODELS: list[type[BaseModel]] = [WorkCardDoc, WtoDoc, DeviationReport, EmployeeList]
SECURITY_SCHEMES: dict[str, Any] = {
    "erganiBearer": {"type": "http", "scheme": "bearer",
                     "description": "Drop-in ERGANI routes: the token /v1/ergani/Authentication gave"},
}
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ERGANI II", "Work-card events, schedules and leaves.", ("/v1/workcards", "/v1/work-schedules", "/v1/leaves")),
    ("Drop-in ERGANI", "ERGANI II's own routes and JSON: an existing ERGANI client changes only its base URL.",
     ("/v1/ergani/",)),
)


def paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    return {
        **_document_paths(security, id_param),
        **_dropin_paths(),
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
                                  "content": {"application/json": {"schema": ref(DeviationReport)},
                                              "text/html": {"schema": {"type": "string"}}}},
                          **errors(400, 401, 403)},
        }},
    }


def _dropin_paths() -> dict[str, Any]:
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


def _document_paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
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
                    "schema": ref(model), "example": sample(example)}}},
                "responses": {
                    "202": json_body(IntakeResponse, "Accepted and queued"),
                    "409": json_body(ErrorResponse, "Duplicate (ERGANI-DUPLICATE): id and status of the first"),
                    "422": json_body(ErrorResponse, "Invalid: findings say why; nothing stored"),
                    **errors(400, 401, 403, 413, 429),
                },
            },
            "get": {
                "operationId": f"list{op}s", "security": security, "parameters": LIST_PARAMS,
                "responses": {"200": json_body(SubmissionList, "Newest first"), **errors(400, 401, 403)},
            },
        }
        paths[f"{path}/{{id}}"] = {"get": {
            "operationId": f"get{op}", "security": security, "parameters": [id_param],
            "responses": {"200": json_body(SubmissionView, "The submission"), **errors(401, 403)},
        }}
    paths["/v1/leaves/{id}/cancel"] = {"post": {
        "operationId": "cancelLeave", "security": security, "parameters": [id_param],
        "summary": "Cancel a transmitted leave declaration at ERGANI (CancelSubmittedDocument), then record it",
        "responses": {
            "200": json_body(SubmissionView, "Cancelled (or already cancelled): the submission"),
            "409": json_body(ErrorResponse, "Not transmitted, or replaced by a correction (ERGANI-LEAVE-CANCEL)"),
            "422": json_body(ErrorResponse, "ERGANI refused the cancellation; its words in the message"),
            "503": json_body(ErrorResponse, "ERGANI did not answer; nothing recorded, retry (Retry-After)"),
            **errors(401, 403),
        },
    }}
    afm_param = {"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}
    paths["/v1/businesses/{afm}/employees"] = {"get": {
        "operationId": "listEmployees", "security": security, "parameters": [afm_param],
        "summary": "The employer's registry of employees (card flag, weekly hours, days a week, break, flex)",
        "responses": {"200": json_body(EmployeeList, "The registry"), **errors(401, 403)},
    }}
    paths["/v1/businesses/{afm}/employees/import"] = {"post": {
        "operationId": "importEmployees", "security": security, "parameters": [afm_param],
        "summary": "Read the employer, its branches and current staff from ERGANI (ExecuteService EX_BASE_01/02/05)",
        "responses": {
            "200": json_body(EmployeeList, "Imported: the registry as it now stands"),
            "422": json_body(ErrorResponse, "ERGANI refused the read (ERGANI-STAFF-IMPORT)"),
            "503": json_body(ErrorResponse, "ERGANI did not answer; nothing changed (ERGANI-STAFF-IMPORT)"),
            **errors(401, 403),
        },
    }}
    return paths
