"""The drop-in ERGANI II routes (``/v1/ergani/…``): ERGANI's paths, bodies and answers, its Bearer
tokens instead of our ``x-api-key`` (services/ergani_dropin.py says how they are made)."""

from __future__ import annotations

import json
from types import ModuleType

from chalice.app import Blueprint, Response

from ...api.context import Api, answer
from ...auth import key_digest

MAX_BODY = 10 * 1024 * 1024


def _dropin() -> ModuleType:
    """The drop-in's service, and with it ERGANI's kinds, imported with its first call: an API cold
    start for anything else pays neither (issue 17 §2)."""
    from . import dropin as ergani_dropin

    return ergani_dropin


def ergani_dropin_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    def body() -> dict[str, object]:
        raw = api.raw_body()
        try:
            data = json.loads(raw) if raw and len(raw) <= MAX_BODY else {}
        except (ValueError, UnicodeDecodeError, RecursionError):
            data = {}
        return data if isinstance(data, dict) else {}

    @bp.route("/v1/ergani/Authentication", methods=["POST"])
    def authentication() -> Response:
        data = body()
        key, employer = str(data.get("Password") or ""), str(data.get("Username") or "")
        digest = key_digest(key, api.deps.settings.api_key_pepper) if key else ""
        tenant = api.key_cache.get(digest, api.deps.index.tenant_for_key) if digest else None
        if tenant is None or employer not in api.managed_afms(tenant):
            return answer(401, {"message": "Λάθος στοιχεία εισόδου"})
        grant = _dropin().Grant(tenant, employer, digest)
        return answer(200, _dropin().token_pair(api.deps.settings.api_key_pepper, grant))

    @bp.route("/v1/ergani/Authentication/Refresh", methods=["POST"])
    def refresh() -> Response:
        grant = _dropin().grant_of_refresh(api.deps.settings.api_key_pepper, str(body().get("RefreshToken") or ""))
        # The key the session came from must still be valid: a revoked key ends its sessions here.
        if grant is None or api.deps.index.tenant_for_key(grant.key_digest) != grant.tenant:
            return answer(401, {"message": "Invalid refresh token"})
        return answer(200, _dropin().token_pair(api.deps.settings.api_key_pepper, grant))

    @bp.route("/v1/ergani/Documents/{code}", methods=["POST"])
    def documents(code: str) -> Response:
        authorization = str(api.request().headers.get("authorization") or "")
        grant = _dropin().grant_of_access(api.deps.settings.api_key_pepper, authorization)
        if grant is None:
            expired = authorization.startswith("Bearer ypv1.")
            return answer(401, {"message": "Unauthorized"}, {"api-token-expired": "true"} if expired else None)
        raw = api.raw_body()
        if len(raw) > MAX_BODY:
            return answer(413, {"message": "Request Entity Too Large"})
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return answer(400, {"message": f"{code} not valid"})
        status, declared = _dropin().submit(api.deps, grant, api.managed_afms(grant.tenant), code, payload, raw,
                                              api.transmitter.attempt)
        return answer(status, declared, {"Retry-After": "60"} if status == 503 else None)

    return bp
