"""The HTTP API (Chalice): only wiring. The app, its two authorizers (``x-api-key``; AADE's
``Ocp-Apim-Subscription-Key`` on the drop-in routes), its middleware, and one Blueprint per area
from ``ypovoli.api`` — the generic areas, then each kind's own routes (``registry.ROUTES``).

Deployed behind API Gateway (REST) with this module's ``app`` as the handler and ``api_key_auth`` as
the Lambda authorizer. An unexpected exception becomes a logged 500 in the API's error shape and a
metric, never a traceback to the caller.
"""

from __future__ import annotations

import ypovoli.coldstart  # first: no garbage collection while the modules below load (issue 17 §2)

# isort: split
import contextlib
import uuid
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.exceptions import SchemaValidationError
from chalice.app import AuthRequest, AuthResponse, Chalice, Request, Response
from ypovoli import clock, snapstart
from ypovoli.api.compliance import compliance_routes
from ypovoli.api.console import console_routes
from ypovoli.api.context import REQUEST_ID, Api, answer, error
from ypovoli.api.framework_errors import ignore_bodiless_content_type, in_our_shape
from ypovoli.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from ypovoli.api.idempotency import replayable
from ypovoli.api.incidents import incident_routes
from ypovoli.api.reference import reference_routes
from ypovoli.api.reports import report_routes
from ypovoli.api.webhooks import webhook_routes
from ypovoli.auth import key_digest
from ypovoli.codes import words
from ypovoli.kinds import registry
from ypovoli.services.deps import Deps
from ypovoli.settings import get_settings

logger = Logger()
metrics = Metrics()
# Chalice's logger has the app's name, which is also Powertools' service logger: left to itself
# Chalice would add a plain handler to it when it is imported first, and Powertools' JSON
# formatter would be lost for every function in the process. Powertools owns the logging.
app = Chalice(app_name="ypovoli", configure_logs=False)
app.log.setLevel("ERROR")  # Chalice's own messages: errors only


#: The AWS services this function calls (its clients are primed in a SnapStart snapshot).
AWS_SERVICES = ("dynamodb", "s3", "sqs")


@cache
def deps() -> Deps:
    return Deps.from_settings(get_settings())


def _prime() -> None:
    """A snapshot's init (``snapstart.prime``): every kind the API takes, primed, and the OpenAPI."""
    from ypovoli.openapi import published

    registry.load_all()
    published()


snapstart.forget_after_restore(deps.cache_clear)
snapstart.register()
snapstart.prime(AWS_SERVICES, _prime)


def _authorize(auth_request: AuthRequest) -> AuthResponse:
    """Digest the key, find its tenant; unknown keys get API Gateway's 401 (by raising
    ``Unauthorized``). The key itself is never logged or stored."""
    token = (auth_request.token or "").strip()
    tenant = api.key_cache.get(key_digest(token, get_settings().api_key_pepper), deps().index.tenant_for_key) \
        if token else None
    if tenant is None:
        raise Exception("Unauthorized")
    return AuthResponse(routes=["*"], principal_id=tenant, context={"tenant": tenant})


@app.authorizer(header="x-api-key", ttl_seconds=60)
def api_key_auth(auth_request: AuthRequest) -> AuthResponse:
    return _authorize(auth_request)


@app.authorizer(header="Ocp-Apim-Subscription-Key", ttl_seconds=60)
def aade_key_auth(auth_request: AuthRequest) -> AuthResponse:
    """AADE's ``Ocp-Apim-Subscription-Key`` carries the tenant's ypovoli API key, so an ERP that
    speaks the upstream's API only changes its base URL (and puts its ypovoli key where AADE's key was).

    An unknown key is let through with no tenant, and the route answers the 401 itself: API Gateway's
    own 401 is one text for the whole API, and a drop-in client must be told to fix the header it sent
    (``ocp-apim-subscription-key``), not ``x-api-key`` (issue 30). Every drop-in route refuses a
    request without a tenant before it reads anything (each kind's ``dropin_api``)."""
    try:
        return _authorize(auth_request)
    except Exception:
        return AuthResponse(routes=["*"], principal_id="unknown-key", context={"tenant": ""})


api = Api(app, api_key_auth, aade_key_auth, deps)
#: This copy's caches (the tests clear them between worlds; a SnapStart restore too: a snapshot's
#: entries were taken at deploy time).
KEY_CACHE = api.key_cache
AFM_CACHE = api.afm_cache
snapstart.forget_after_restore(KEY_CACHE.clear)
snapstart.forget_after_restore(AFM_CACHE.clear)

for routes in (webhook_routes, report_routes, incident_routes, compliance_routes, console_routes, reference_routes):
    app.register_blueprint(routes(api))
for kind_routes in registry.route_factories():   # each kind's own (kinds/<kind>/api.py)
    for blueprint in kind_routes(api):
        app.register_blueprint(blueprint)


@app.middleware("http")
def observe(event: Request, get_response: Any) -> Response:
    # API Gateway's own id (the one in its access logs); the local front has none, so one is made.
    request_id = (event.context or {}).get("requestId") or uuid.uuid4().hex
    logger.set_correlation_id(request_id)
    REQUEST_ID.set(request_id)
    ignore_bodiless_content_type(event)
    try:
        response: Response = in_our_shape(app.routes, event, get_response(event))
    except Exception:
        logger.exception("unhandled error", extra={"path": event.path})
        response = error(500, *words("INTERNAL"))
    if response.status_code >= 500:
        metrics.add_metric(name="Http5xx", unit=MetricUnit.Count, value=1)
    response.headers["X-Request-Id"] = request_id   # the id the logs carry, for a support request
    # Powertools keeps one metric set per process: where several app copies share a process (the local
    # stack, the tests), another request may flush it between the emptiness check and the serialisation
    # (SchemaValidationError), or add to it while this flush reads it (RuntimeError: the dictionary
    # changed size). Its metrics went out with the other flush, or go with the next; this answer stands
    # — never a 500 for bookkeeping. On Lambda a process serves one request at a time: neither happens.
    with contextlib.suppress(SchemaValidationError, RuntimeError):
        metrics.flush_metrics()
    return response


@app.middleware("http")
def idempotent_posts(event: Request, get_response: Any) -> Response:
    """A POST with ``Idempotency-Key`` from a known tenant is done once; its answer is replayed."""
    headers: Any = event.headers or {}
    key = headers.get(IDEMPOTENCY_HEADER.lower()) or headers.get(IDEMPOTENCY_HEADER)
    context: dict[str, Any] = event.context or {}
    tenant = (context.get("authorizer") or {}).get("tenant")
    if event.method != "POST" or key is None or not tenant:
        response: Response = get_response(event)
        return response
    return replayable(event, str(tenant), str(key), lambda: get_response(event), getattr(app, "lambda_context", None))


@app.route("/health", methods=["GET"])
def health() -> Response:
    return answer(200, {"status": "ok", "stage": get_settings().stage, "time": clock.now().isoformat()})


@app.route("/openapi.json", methods=["GET"])
def openapi() -> Response:
    from ypovoli.openapi import published  # every model of every kind: only when the document is asked for

    return answer(200, published())


ypovoli.coldstart.settle()   # the init ends here: what it loaded is frozen, collection resumes
