"""Reports: the documents sent under the outage procedure in an Athens month (seed 004)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from .context import Api, answer, forbidden


def report_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/reports/outages", methods=["GET"], authorizer=api.api_key_auth)
    def outages() -> Response:
        month = api.month_query()
        if isinstance(month, Response):
            return month
        params = api.query()
        tenant = api.tenant()
        afms = api.managed_afms(tenant)
        afm = params.get("afm")
        if afm is not None:
            if afm not in afms:
                return forbidden()
            afms = {afm}
        from ..services.reports import outage_report

        return answer(200, outage_report(api.deps, tenant, month, afms).model_dump(mode="json"))

    return bp
