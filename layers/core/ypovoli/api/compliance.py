"""One business's compliance (SPEC §3): ``GET /v1/businesses/{afm}/compliance`` — what is due,
deferred, overdue or flagged, soonest first — and ``GET /v1/businesses/{afm}/deviations?month=`` —
the month's schedule-vs-card report per employee and day (JSON, or HTML with ``format=html``)."""

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

    @bp.route("/v1/businesses/{afm}/deviations", methods=["GET"], authorizer=api.api_key_auth)
    def deviations(afm: str) -> Response:
        month = api.month_query()
        if isinstance(month, Response):
            return month
        params = api.query()
        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        from ..services.deviation_report import build, render_html

        report = build(api.deps, tenant, afm, month, clock.now())
        if params.get("format") == "html":
            return Response(body=render_html(report), status_code=200,
                            headers={"Content-Type": "text/html; charset=utf-8"})
        return answer(200, report.model_dump(mode="json"))

    return bp
