"""myDATA over the API: ``/v1/invoices`` (submit, list, read, cancel at AADE) and the drop-in
endpoints AADE's own clients speak (``dropin_api.py``)."""

from __future__ import annotations

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Response

from ...api.context import Api, answer, error, forbidden, well_formed_id
from ...api.submissions import submission_routes
from ...models.api import public_view
from .dropin_api import mydata_dropin_routes

metrics = Metrics()


def routes(api: Api) -> list[Blueprint]:
    """Every myDATA route (the registry's line for the API)."""
    return [invoice_routes(api), mydata_dropin_routes(api)]


def invoice_routes(api: Api) -> Blueprint:
    """``/v1/invoices``: myDATA invoices, and their cancellation at AADE."""
    bp = submission_routes(api, "mydata_invoice", "/v1/invoices", "ένα παραστατικό", "one invoice")

    @bp.route("/v1/invoices/{id}/cancel", methods=["POST"], authorizer=api.api_key_auth)
    def cancel(id: str) -> Response:
        """AADE's CancelInvoice for a transmitted invoice, by our id: upstream first, then recorded."""
        tenant = api.tenant()
        submission = api.deps.index.get_submission(tenant, id) if well_formed_id(id) else None
        if submission is None or submission.kind != "mydata_invoice" \
                or submission.afm not in api.managed_afms(tenant):
            return forbidden()
        from .cancel import (  # the connector with the first cancel
            cancel_finding,
            cancel_submission,
        )
        from .transmission import port_of

        outcome = cancel_submission(api.deps, port_of(api.deps, tenant), tenant, submission)
        if outcome.kind == "cancelled":
            metrics.add_metric(name="Cancelled", unit=MetricUnit.Count, value=1)
            return answer(200, public_view(outcome.submission))
        finding = cancel_finding(outcome)
        status = {"not_cancellable": 409, "refused": 422}.get(outcome.kind, 503)
        return error(status, finding.code, finding.message_el, finding.message_en, [finding],
                     headers={"Retry-After": "60"} if status == 503 else None)

    return bp
