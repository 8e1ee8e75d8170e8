"""Upstream incidents of one business (SPEC §3: ``GET /v1/businesses/{afm}/incidents``): start, end,
the documents held, and the notice the business owes, as its upstream's kind words it
(``registry.INCIDENT_NOTICES``). ``?upstream=`` picks among the
upstreams that record incidents; the first is the default."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..kinds import registry
from ..rules.input import body_finding
from ..store.incidents import IncidentList
from .context import Api, forbidden, invalid


def incident_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/businesses/{afm}/incidents", methods=["GET"], authorizer=api.api_key_auth)
    def incidents(afm: str) -> Response:
        known = list(registry.INCIDENT_NOTICES)
        upstream = api.query().get("upstream") or (known[0] if known else "")
        if upstream not in known:
            return invalid(400, [body_finding("REQUEST-QUERY", f"Άγνωστο upstream «{upstream}»· γνωστά: "
                                              f"{', '.join(known)}.", f"Unknown upstream '{upstream}'; known: "
                                              f"{', '.join(known)}.", "upstream")])
        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        return api.page(lambda limit, cursor: api.deps.incidents.of_employer(tenant, afm, upstream, limit=limit,
                                                                             cursor=cursor),
                        lambda items: IncidentList(afm=afm, items=items))

    return bp
