"""One business's compliance (SPEC §3): ``GET /v1/businesses/{afm}/compliance`` — what is due,
deferred, overdue or flagged, soonest first, whatever the kind."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from .. import clock
from .context import Api, answer, forbidden


def compliance_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/businesses/{afm}/compliance", methods=["GET"], authorizer=api.api_key_auth)
    def compliance(afm: str) -> Response:
        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        from ..services.compliance import view  # each route imports its own services (issue 17 §2)

        return answer(200, view(api.deps, tenant, afm, clock.now()).model_dump(mode="json"))

    return bp
