"""ERGANI II over the API: ``/v1/workcards`` (WRKCardSE), ``/v1/work-schedules/WTOWeek``, ``…/WTODaily``,
``…/WTOOv`` and ``…/WTOOvA`` (ΨΟΧΕ, overtime), ``/v1/leaves`` (WTOLeave) and their cancellation, the
employer's registry (``/v1/businesses/{afm}/employees``), the month's deviation report
(``/v1/businesses/{afm}/deviations``) and ERGANI's own drop-in routes (``dropin_api.py``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Response

from ... import clock
from ...api.context import Api, answer, error, forbidden, unmanaged, well_formed_id
from ...api.submissions import submission_routes
from ...models.api import public_view
from .dropin_api import ergani_dropin_routes

logger = Logger()
metrics = Metrics()


def routes(api: Api) -> list[Blueprint]:
    """Every ERGANI route (the registry's line for the API)."""
    return [*ergani_routes(api), deviation_routes(api), ergani_dropin_routes(api)]


def deviation_routes(api: Api) -> Blueprint:
    """``GET /v1/businesses/{afm}/deviations?month=``: the month's schedule-vs-card report per employee
    and day (JSON, or HTML with ``format=html``)."""
    bp = Blueprint(f"{__name__}.deviations")

    @bp.route("/v1/businesses/{afm}/deviations", methods=["GET"], authorizer=api.api_key_auth)
    def deviations(afm: str) -> Response:
        month = api.month_query()
        if isinstance(month, Response):
            return month
        params = api.query()
        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        from .deviation_report import build, render_html

        report = build(api.deps, tenant, afm, month, clock.now())
        if params.get("format") == "html":
            return Response(body=render_html(report), status_code=200,
                            headers={"Content-Type": "text/html; charset=utf-8"})
        return answer(200, report.model_dump(mode="json"))

    return bp


def ergani_routes(api: Api) -> list[Blueprint]:
    """ERGANI II: ``/v1/workcards`` (WRKCardSE), ``/v1/work-schedules/WTOWeek`` and ``…/WTODaily``
    (ΨΟΧΕ), ``/v1/leaves`` (WTOLeave) — each ERGANI's own document, the same three routes as invoices."""
    return [
        submission_routes(api, "ergani_workcard", "/v1/workcards", "μία δήλωση WRKCardSE", "one WRKCardSE declaration"),
        submission_routes(api, "ergani_wto_week", "/v1/work-schedules/WTOWeek", "μία δήλωση WTOWeek",
                          "one WTOWeek declaration", employer_field="f_afm_ergodoti"),
        submission_routes(api, "ergani_wto_daily", "/v1/work-schedules/WTODaily", "μία δήλωση WTODaily",
                          "one WTODaily declaration", employer_field="f_afm_ergodoti"),
        submission_routes(api, "ergani_overtime", "/v1/work-schedules/WTOOv", "μία δήλωση WTOOv",
                          "one WTOOv declaration", employer_field="f_afm_ergodoti"),
        submission_routes(api, "ergani_overtime_retro", "/v1/work-schedules/WTOOvA", "μία δήλωση WTOOvA",
                          "one WTOOvA declaration", employer_field="f_afm_ergodoti"),
        leave_routes(api),
        staff_routes(api),
    ]


def leave_routes(api: Api) -> Blueprint:
    """``/v1/leaves``: leaves (WTOLeave; one naming an earlier protocol is its correction, WTOLeaveC),
    and their cancellation at ERGANI (``CancelSubmittedDocument``)."""
    bp = submission_routes(api, "ergani_leave", "/v1/leaves", "μία δήλωση WTOLeave", "one WTOLeave declaration",
                           employer_field="f_afm_ergodoti")

    @bp.route("/v1/leaves/{id}/cancel", methods=["POST"], authorizer=api.api_key_auth)
    def cancel(id: str) -> Response:
        tenant = api.tenant()
        submission = api.deps.index.get_submission(tenant, id) if well_formed_id(id) else None
        if submission is None or submission.kind != "ergani_leave" or submission.afm not in api.managed_afms(tenant):
            return forbidden()
        from .account import cancel_leave

        outcome = cancel_leave(api.deps, _ergani(api, tenant), tenant, submission)
        if outcome.kind == "cancelled":
            metrics.add_metric(name="Cancelled", unit=MetricUnit.Count, value=1)
            return answer(200, public_view(outcome.submission))
        status = submission.status.value
        if outcome.kind == "not_cancellable":
            replaced = f" (αντικαταστάθηκε από {submission.superseded_by})" if submission.superseded_by else ""
            replaced_en = f" (replaced by {submission.superseded_by})" if submission.superseded_by else ""
            return error(409, "ERGANI-LEAVE-CANCEL",
                         f"Ανακαλείται μόνο διαβιβασμένη δήλωση αδειών με πρωτόκολλο· αυτή είναι «{status}»{replaced}.",
                         f"Only a transmitted leave declaration with its protocol can be cancelled; this one is "
                         f"'{status}'{replaced_en}.")
        if outcome.kind == "refused":
            return error(422, "ERGANI-LEAVE-CANCEL", f"Το ΕΡΓΑΝΗ αρνήθηκε την ανάκληση: «{outcome.message}».",
                         f"ERGANI refused the cancellation: «{outcome.message}» (ERGANI's words).")
        return error(503, "ERGANI-LEAVE-CANCEL",
                     f"Το ΕΡΓΑΝΗ δεν επιβεβαίωσε την ανάκληση ({outcome.message}). Δεν καταγράφηκε τίποτα· στείλτε "
                     "ξανά την ίδια ανάκληση.",
                     f"ERGANI did not confirm the cancellation ({outcome.message}). Nothing was recorded; send the "
                     "same cancellation again.", headers={"Retry-After": "60"})

    return bp


def _ergani(api: Api, tenant: str) -> Any:
    from .transmission import ErganiTransmission

    upstream = api.transmitter.transmission("ergani")
    assert isinstance(upstream, ErganiTransmission)
    return upstream.connector_for(tenant)


def staff_routes(api: Api) -> Blueprint:
    """``/v1/businesses/{afm}/employees``: the employer's registry, filled from ERGANI's current staff
    (``…/employees/import``: ExecuteService EX_BASE_01, 02, 05)."""
    bp = Blueprint(f"{__name__}.staff")

    @bp.route("/v1/businesses/{afm}/employees", methods=["GET"], authorizer=api.api_key_auth)
    def employees(afm: str) -> Response:
        from .staff_store import Staff

        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("afm")
        from .staff import EmployeeList

        known = api.deps.store(Staff).employer(tenant, afm)
        staff = sorted(api.deps.store(Staff).employees(tenant, afm).values(), key=lambda e: (e.surname, e.name, e.afm))
        return answer(200, EmployeeList(afm=afm, employer=known[0] if known else None,
                                        imported_at=known[1] if known else None, items=staff).model_dump(mode="json"))

    @bp.route("/v1/businesses/{afm}/employees/import", methods=["POST"], authorizer=api.api_key_auth)
    def import_employees(afm: str) -> Response:
        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("afm")
        from .account import import_staff
        from .staff import EmployeeList

        outcome = import_staff(api.deps, _ergani(api, tenant), tenant, afm)
        if outcome.kind == "imported":
            logger.info("staff imported", extra={"afm": afm, "employees": len(outcome.employees)})
            return answer(200, EmployeeList(afm=afm, employer=outcome.employer, imported_at=outcome.imported_at,
                                            items=outcome.employees, removed=outcome.removed,
                                            skipped=outcome.skipped).model_dump(mode="json"))
        if outcome.kind == "refused":
            return error(422, "ERGANI-STAFF-IMPORT", f"Το ΕΡΓΑΝΗ αρνήθηκε την ανάγνωση: «{outcome.message}».",
                         f"ERGANI refused the read: «{outcome.message}».")
        return error(503, "ERGANI-STAFF-IMPORT", f"Το ΕΡΓΑΝΗ δεν απάντησε ({outcome.message}). Δεν άλλαξε τίποτα· "
                     "δοκιμάστε ξανά.", f"ERGANI did not answer ({outcome.message}). Nothing changed; try again.",
                     headers={"Retry-After": "60"})

    return bp
