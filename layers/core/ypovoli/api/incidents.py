"""ERGANI force-majeure incidents of one employer (SPEC §3: ``GET /v1/businesses/{afm}/incidents``):
start, end, the events held, and the notice to the Labour Inspectorate prepared in Greek."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..store.incidents import IncidentList
from .context import Api, forbidden


def incident_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/businesses/{afm}/incidents", methods=["GET"], authorizer=api.api_key_auth)
    def incidents(afm: str) -> Response:
        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        return api.page(lambda limit, cursor: api.deps.incidents.of_employer(tenant, afm, limit=limit, cursor=cursor),
                        lambda items: IncidentList(afm=afm, items=items))

    return bp
