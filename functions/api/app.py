"""The HTTP API (Chalice). Thin: parse the request, call a use case, shape the answer.

Deployed behind API Gateway (REST) with this module's ``app`` as the handler and ``api_key_auth`` as
the Lambda authorizer reading ``x-api-key``. Domain errors are mapped here, in one place; an
unexpected exception becomes a logged 500 and a metric, never a traceback to the caller.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import AuthRequest, AuthResponse, Chalice, Request, Response
from pydantic import BaseModel, ValidationError
from ypovoli import clock
from ypovoli.auth import key_digest
from ypovoli.caching import TtlCache
from ypovoli.findings import Finding
from ypovoli.kinds.mydata_invoice.kind import KIND as MYDATA_INVOICE
from ypovoli.kinds.pske.model import DossierList, DossierView, UploadRequest, UploadResponse, UploadTicket
from ypovoli.models.api import public_view
from ypovoli.models.events import DeliveryList, WebhookConfig, WebhookRequest
from ypovoli.openapi import build_openapi
from ypovoli.rules.input import body_finding, findings_from_validation_error
from ypovoli.services.cancel import cancel_finding, cancel_submission
from ypovoli.services.deps import Deps
from ypovoli.services.dossiers import submit_request
from ypovoli.services.intake import accept
from ypovoli.services.mydata_dropin import cancel_invoice, request_transmitted_docs, send_invoices
from ypovoli.services.reports import outage_report, valid_month
from ypovoli.services.transmit import Transmitter
from ypovoli.settings import get_settings
from ypovoli.store.dossiers import dossier_prefix
from ypovoli.webhooks.signing import new_secret
from ypovoli.webhooks.targets import SOURCE, TargetRefused, check_url, url_finding

logger = Logger()
metrics = Metrics()
# Chalice's logger has the app's name, which is also Powertools' service logger: left to itself
# Chalice would add a plain handler to it when it is imported first, and Powertools' JSON
# formatter would be lost for every function in the process. Powertools owns the logging.
app = Chalice(app_name="ypovoli", configure_logs=False)
app.log.setLevel("ERROR")  # Chalice's own messages: errors only

M = TypeVar("M", bound=BaseModel)

FORBIDDEN = {
    "code": "FORBIDDEN",
    "message_el": "Δεν έχετε πρόσβαση σε αυτό το αντικείμενο ή δεν υπάρχει.",
    "message_en": "You have no access to this item, or it does not exist.",
}


@cache
def deps() -> Deps:
    return Deps.from_settings(get_settings())


#: Digest → tenant, and tenant → managed ΑΦΜ: read on every request, changed rarely. A revoked key or
#: a removed ΑΦΜ takes effect within the TTL (as with API Gateway's authorizer cache).
KEY_CACHE: TtlCache[str, str | None] = TtlCache(60)
AFM_CACHE: TtlCache[str, frozenset[str]] = TtlCache(30)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(body=json.dumps(body, ensure_ascii=False, default=str), status_code=status,
                    headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def _forbidden() -> Response:
    return _json(403, FORBIDDEN)


@app.middleware("http")
def observe(event: Request, get_response: Any) -> Response:
    request_id = (event.context or {}).get("requestId", "")
    logger.set_correlation_id(request_id)
    try:
        response: Response = get_response(event)
    except Exception:
        logger.exception("unhandled error", extra={"path": event.path})
        metrics.add_metric(name="Http5xx", unit=MetricUnit.Count, value=1)
        response = _json(500, {"code": "INTERNAL", "message_el": "Εσωτερικό σφάλμα· δοκιμάστε ξανά.",
                               "message_en": "Internal error; please retry."})
    if response.status_code >= 500:
        metrics.add_metric(name="Http5xx", unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()
    return response


# ---- authorizer ---------------------------------------------------------------------------------

@app.authorizer(header="x-api-key", ttl_seconds=60)
def api_key_auth(auth_request: AuthRequest) -> AuthResponse:
    """Digest the key, find its tenant; unknown keys get API Gateway's 401 (by raising
    ``Unauthorized``). The key itself is never logged or stored."""
    return _authorize(auth_request)


def _authorize(auth_request: AuthRequest) -> AuthResponse:
    token = (auth_request.token or "").strip()
    tenant = KEY_CACHE.get(key_digest(token, get_settings().api_key_pepper), deps().index.tenant_for_key) \
        if token else None
    if tenant is None:
        raise Exception("Unauthorized")
    return AuthResponse(routes=["*"], principal_id=tenant, context={"tenant": tenant})


def _tenant() -> str:
    request = app.current_request
    assert request is not None
    return str(request.context["authorizer"]["tenant"])


def _load_afms(tenant: str) -> frozenset[str]:
    item = deps().index.get_tenant(tenant)
    return frozenset(item.get("afms", [])) if item else frozenset()


def _managed_afms(tenant: str) -> set[str]:
    return set(AFM_CACHE.get(tenant, _load_afms))


def _read_json_body() -> tuple[Any, bytes, Response | None]:
    request = app.current_request
    assert request is not None
    body = request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    limit = get_settings().max_body_bytes
    if len(raw) > limit:
        return None, raw, _json(413, {"status": "invalid", "findings": [body_finding(
            "REQUEST-SIZE", f"Το σώμα του αιτήματος ξεπερνά τα {limit} bytes.",
            f"The request body is over {limit} bytes.").model_dump(mode="json")]})
    try:
        return json.loads(raw, parse_float=Decimal), raw, None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, raw, _json(400, {"status": "invalid", "findings": [body_finding(
            "REQUEST-BODY", f"Το σώμα δεν είναι έγκυρο JSON ({exc}).",
            f"The body is not valid JSON ({exc}).").model_dump(mode="json")]})


# ---- routes -------------------------------------------------------------------------------------

@app.route("/health", methods=["GET"])
def health() -> Response:
    return _json(200, {"status": "ok", "stage": get_settings().stage, "time": clock.now().isoformat()})


@app.route("/openapi.json", methods=["GET"])
def openapi() -> Response:
    return _json(200, build_openapi())


@app.route("/v1/invoices", methods=["POST"], authorizer=api_key_auth)
def post_invoice() -> Response:
    payload, raw, error = _read_json_body()
    if error is not None:
        return error
    if not isinstance(payload, dict):
        return _json(400, {"status": "invalid", "findings": [body_finding(
            "REQUEST-BODY", "Αναμενόταν ένα αντικείμενο JSON (ένα παραστατικό).",
            "Expected one JSON object (one invoice).").model_dump(mode="json")]})
    tenant = _tenant()
    outcome = accept(deps(), MYDATA_INVOICE, tenant, _managed_afms(tenant), payload, raw, "json")
    findings = [f.model_dump(mode="json") for f in outcome.findings]
    if outcome.kind == "forbidden":
        return _forbidden()
    if outcome.kind == "invalid":
        metrics.add_metric(name="Invalid", unit=MetricUnit.Count, value=1)
        return _json(422, {"status": "invalid", "findings": findings})
    if outcome.kind == "duplicate":
        metrics.add_metric(name="Duplicate", unit=MetricUnit.Count, value=1)
        existing = deps().index.get_submission(tenant, outcome.existing_id) if outcome.existing_id else None
        return _json(409, {"id": outcome.existing_id, "status": existing.status if existing else "duplicate",
                           "findings": findings})
    assert outcome.submission is not None
    sub = outcome.submission
    metrics.add_metric(name="Accepted", unit=MetricUnit.Count, value=1)
    logger.info("accepted", extra={"submission_id": sub.id, "afm": sub.afm})
    return _json(202, {"id": sub.id, "status": sub.status, "findings": findings,
                       "due_at": sub.due_at.isoformat(), "grace_until": sub.grace_until.isoformat()},
                 headers={"Location": f"/v1/invoices/{sub.id}"})


@app.route("/v1/invoices", methods=["GET"], authorizer=api_key_auth)
def list_invoices() -> Response:
    request = app.current_request
    assert request is not None
    params: dict[str, str] = dict(request.query_params or {})
    afm = params.get("afm", "")
    tenant = _tenant()
    if afm not in _managed_afms(tenant):
        return _forbidden()
    items = deps().index.list_by_afm(tenant, afm)
    return _json(200, {"items": [public_view(s) for s in items if s.kind == "mydata_invoice"]})


@app.route("/v1/invoices/{id}", methods=["GET"], authorizer=api_key_auth)
def get_invoice(id: str) -> Response:
    tenant = _tenant()
    submission = deps().index.get_submission(tenant, id)
    if submission is None or submission.kind != "mydata_invoice" or submission.afm not in _managed_afms(tenant):
        return _forbidden()
    return _json(200, public_view(submission))


@app.route("/v1/invoices/{id}/cancel", methods=["POST"], authorizer=api_key_auth)
def cancel_invoice_route(id: str) -> Response:
    """AADE's CancelInvoice for a transmitted invoice, by our id: upstream first, then recorded."""
    tenant = _tenant()
    submission = deps().index.get_submission(tenant, id)
    if submission is None or submission.kind != MYDATA_INVOICE.name or submission.afm not in _managed_afms(tenant):
        return _forbidden()
    outcome = cancel_submission(deps(), deps().mydata(), tenant, submission)
    if outcome.kind == "cancelled":
        metrics.add_metric(name="Cancelled", unit=MetricUnit.Count, value=1)
        return _json(200, public_view(outcome.submission))
    finding = cancel_finding(outcome)
    status = {"not_cancellable": 409, "refused": 422}.get(outcome.kind, 503)
    body = {"code": finding.code, "message_el": finding.message_el, "message_en": finding.message_en,
            "findings": [finding.model_dump(mode="json")]}
    return _json(status, body, {"Retry-After": "60"} if status == 503 else None)


# ---- webhooks -----------------------------------------------------------------------------------

def _invalid(status: int, finding: Finding) -> Response:
    return _json(status, {"status": "invalid", "findings": [finding.model_dump(mode="json")]})


def _read_model(model: type[M], source: str) -> tuple[M | None, Response | None]:
    """The JSON body as ``model``, or the 400/413/422 answer saying why it is not one."""
    payload, _, error = _read_json_body()
    if error is not None:
        return None, error
    try:
        return model.model_validate(payload), None
    except ValidationError as exc:
        findings = findings_from_validation_error(exc, "REQUEST-BODY", "body", source)
        return None, _json(422, {"status": "invalid", "findings": [f.model_dump(mode="json") for f in findings]})


@app.route("/v1/webhook", methods=["PUT"], authorizer=api_key_auth)
def put_webhook() -> Response:
    request, error = _read_model(WebhookRequest, SOURCE)
    if request is None:
        assert error is not None
        return error
    try:
        url = check_url(request.url, get_settings().webhook_allow_private)
    except TargetRefused as exc:
        return _invalid(422, url_finding(str(exc)))
    secret = new_secret()
    if not deps().index.set_webhook(_tenant(), url, secret):
        return _forbidden()
    return _json(200, WebhookConfig(url=url, secret=secret, secret_hint=secret[-4:]).model_dump())


@app.route("/v1/webhook", methods=["GET"], authorizer=api_key_auth)
def get_webhook() -> Response:
    config = deps().index.get_tenant(_tenant()) or {}
    if not config.get("webhook_url"):
        return _json(404, {"code": "NO_WEBHOOK", "message_el": "Δεν έχει οριστεί webhook.",
                           "message_en": "No webhook is set."})
    secret = str(config.get("webhook_secret", ""))
    return _json(200, WebhookConfig(url=str(config["webhook_url"]), secret_hint=secret[-4:]).model_dump())


@app.route("/v1/webhook", methods=["DELETE"], authorizer=api_key_auth)
def delete_webhook() -> Response:
    deps().index.set_webhook(_tenant(), None, None)
    return Response(body="", status_code=204)


@app.route("/v1/webhook/deliveries", methods=["GET"], authorizer=api_key_auth)
def list_deliveries() -> Response:
    request = app.current_request
    assert request is not None
    params: dict[str, str] = dict(request.query_params or {})
    try:
        limit = max(1, min(200, int(params.get("limit", "50"))))
    except ValueError:
        return _invalid(400, body_finding("REQUEST-QUERY", "Το limit πρέπει να είναι ακέραιος 1–200.",
                                          "limit must be an integer 1–200."))
    items = deps().events.deliveries(_tenant(), limit, params.get("submission_id") or None)
    return _json(200, DeliveryList(items=items).model_dump(mode="json"))


# ---- reports ------------------------------------------------------------------------------------

@app.route("/v1/reports/outages", methods=["GET"], authorizer=api_key_auth)
def outage_report_route() -> Response:
    request = app.current_request
    assert request is not None
    params: dict[str, str] = dict(request.query_params or {})
    month = params.get("month", "")
    if not valid_month(month):
        return _invalid(400, body_finding("REQUEST-QUERY", "Η παράμετρος month πρέπει να είναι της μορφής YYYY-MM.",
                                          "The month parameter must look like YYYY-MM."))
    tenant = _tenant()
    afms = _managed_afms(tenant)
    afm = params.get("afm")
    if afm is not None:
        if afm not in afms:
            return _forbidden()
        afms = {afm}
    return _json(200, outage_report(deps(), tenant, month, afms).model_dump(mode="json"))


# ---- ΠΣΚΕ dossiers ------------------------------------------------------------------------------

UPLOAD_EXPIRES_S = 900
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _report_url(prefix: str) -> str:
    return deps().dossiers.presigned_get(f"{prefix}report.html", UPLOAD_EXPIRES_S, "text/html; charset=utf-8")


def _dossier_body(view: DossierView, prefix: str) -> dict[str, Any]:
    if view.status != "pending":
        view = view.model_copy(update={"report_url": _report_url(prefix)})
    return view.model_dump(mode="json")


@app.route("/v1/dossiers", methods=["POST"], authorizer=api_key_auth)
def post_dossier() -> Response:
    payload, raw, error = _read_json_body()
    if error is not None:
        return error
    if not isinstance(payload, dict):
        return _invalid(400, body_finding("REQUEST-BODY", "Αναμενόταν ένα αντικείμενο JSON (ένα αίτημα).",
                                          "Expected one JSON object (one payment request)."))
    tenant = _tenant()
    outcome = submit_request(deps(), tenant, _managed_afms(tenant), payload, raw)
    if outcome.kind == "forbidden":
        return _forbidden()
    if outcome.view is None:
        return _json(422, {"status": "invalid", "findings": [f.model_dump(mode="json") for f in outcome.findings]})
    found = deps().pske.get_dossier(tenant, outcome.view.id)
    prefix = found[1] if found else ""
    metrics.add_metric(name="DossierAccepted" if outcome.kind == "accepted" else "DossierInvalid",
                       unit=MetricUnit.Count, value=1)
    return _json(201 if outcome.kind == "accepted" else 422, _dossier_body(outcome.view, prefix),
                 headers={"Location": f"/v1/dossiers/{outcome.view.id}"})


@app.route("/v1/dossiers", methods=["GET"], authorizer=api_key_auth)
def list_dossiers() -> Response:
    request = app.current_request
    assert request is not None
    afm = dict(request.query_params or {}).get("afm", "")
    tenant = _tenant()
    if afm not in _managed_afms(tenant):
        return _forbidden()
    return _json(200, DossierList(items=deps().pske.list_dossiers(tenant, afm)).model_dump(mode="json"))


def _own_dossier(dossier_id: str) -> tuple[DossierView, str] | None:
    tenant = _tenant()
    found = deps().pske.get_dossier(tenant, dossier_id)
    if found is None or found[0].afm not in _managed_afms(tenant):
        return None
    return found


@app.route("/v1/dossiers/{id}", methods=["GET"], authorizer=api_key_auth)
def get_dossier(id: str) -> Response:
    found = _own_dossier(id)
    if found is None:
        return _forbidden()
    return _json(200, _dossier_body(*found))


@app.route("/v1/dossiers/{id}/report", methods=["GET"], authorizer=api_key_auth)
def get_dossier_report(id: str) -> Response:
    found = _own_dossier(id)
    if found is None:
        return _forbidden()
    html = deps().dossiers.get(f"{found[1]}report.html")
    if html is None:
        return _json(404, {"code": "NO_REPORT", "message_el": "Η αναφορά δεν έχει ακόμη συνταχθεί.",
                           "message_en": "The report is not ready yet."})
    return Response(body=html.decode("utf-8"), status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@app.route("/v1/dossiers/uploads", methods=["POST"], authorizer=api_key_auth)
def post_dossier_upload() -> Response:
    request, error = _read_model(UploadRequest, "SPEC.md §3 (drop-folder uploads)")
    if request is None:
        assert error is not None
        return error
    tenant = _tenant()
    if request.afm not in _managed_afms(tenant):
        return _forbidden()
    now = clock.now()
    dossier_id = str(uuid.uuid4())
    view = DossierView(id=dossier_id, afm=request.afm, kind="pske_upload", status="pending",
                       project_code=request.project_code, request_type=request.request_type, created_at=now)
    deps().pske.create_pending(tenant, view, dossier_prefix(tenant, request.afm, "pske_upload", now, dossier_id))
    key = f"incoming/{tenant}/{request.afm}/{dossier_id}/{request.filename}"
    url, fields = deps().drops.presigned_upload(key, UPLOAD_EXPIRES_S, MAX_UPLOAD_BYTES)
    body = UploadResponse(id=dossier_id, upload=UploadTicket(url=url, fields=fields),
                          expires_in=UPLOAD_EXPIRES_S)
    return _json(201, body.model_dump(), headers={"Location": f"/v1/dossiers/{dossier_id}"})


# ---- the drop-in myDATA endpoint ----------------------------------------------------------------

@app.authorizer(header="Ocp-Apim-Subscription-Key", ttl_seconds=60)
def aade_key_auth(auth_request: AuthRequest) -> AuthResponse:
    """AADE's ``Ocp-Apim-Subscription-Key`` carries the tenant's ypovoli API key, so an ERP that
    speaks myDATA only changes its base URL (and puts its ypovoli key where AADE's key was)."""
    return _authorize(auth_request)


MAX_XML_BODY = 10 * 1024 * 1024
NO_MARK = "Please pass mark in the request parameters or body"  # AADE's own plain-text 400


def _text(status: int, body: str) -> Response:
    """AADE answers its technical errors as plain text, not as a ResponseDoc."""
    return Response(body=body, status_code=status, headers={"Content-Type": "text/plain"})


def _xml(body: bytes) -> Response:
    return Response(body=body.decode("utf-8"), status_code=200, headers={"Content-Type": "application/xml"})


def _aade_request() -> tuple[Request, Response | None]:
    """The current request, or AADE's 401 when ``aade-user-id`` is missing (as AADE requires it)."""
    request = app.current_request
    assert request is not None
    return request, None if request.headers.get("aade-user-id") else _text(401, "aade-user-id header missing")


@app.route("/v1/mydata/SendInvoices", methods=["POST"], authorizer=aade_key_auth,
           content_types=["application/xml", "text/xml", "application/octet-stream", "application/json"])
def mydata_send_invoices() -> Response:
    request, refused = _aade_request()
    if refused is not None:
        return refused
    body = request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > MAX_XML_BODY:
        return _text(413, "Request body too large")
    tenant = _tenant()
    return _xml(send_invoices(deps(), tenant, _managed_afms(tenant), raw, transmitter().attempt))


@app.route("/v1/mydata/RequestTransmittedDocs", methods=["GET"], authorizer=aade_key_auth)
def mydata_request_transmitted_docs() -> Response:
    request, refused = _aade_request()
    if refused is not None:
        return refused
    params: dict[str, str] = dict(request.query_params or {})
    try:
        mark = int(params["mark"])
        next_row = int(params["nextRowKey"]) if params.get("nextRowKey") else None
    except (KeyError, ValueError):
        return _text(400, NO_MARK)
    tenant = _tenant()
    return _xml(request_transmitted_docs(deps(), tenant, _managed_afms(tenant), mark, next_row))


@app.route("/v1/mydata/CancelInvoice", methods=["POST"], authorizer=aade_key_auth,
           content_types=["application/xml", "text/xml", "application/octet-stream", "application/json",
                          "application/x-www-form-urlencoded"])
def mydata_cancel_invoice() -> Response:
    request, refused = _aade_request()
    if refused is not None:
        return refused
    try:
        mark = int(dict(request.query_params or {})["mark"])
    except (KeyError, ValueError):
        return _text(400, NO_MARK)
    tenant = _tenant()
    return _xml(cancel_invoice(deps(), deps().mydata(), tenant, _managed_afms(tenant), mark))


@cache
def transmitter() -> Transmitter:
    return Transmitter(deps())
