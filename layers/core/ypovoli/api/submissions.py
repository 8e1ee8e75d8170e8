"""Submissions of a transmitted kind: submit, list per ΑΦΜ, read one — the same three routes for
every kind under its own path (``/v1/invoices`` for myDATA; ERGANI's next) — and the myDATA
cancellation."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Response

from ..kinds import registry
from ..models.api import SubmissionList, public_view
from ..rules.input import body_finding
from ..services.intake import ISSUED_AT_HEADER, accept, issued_at_header
from ..status import Status
from .context import Api, answer, error, forbidden, invalid, unmanaged, well_formed_id

logger = Logger()
metrics = Metrics()


def submission_routes(api: Api, kind_name: str, path: str, what_el: str, what_en: str,
                      employer_field: str | None = None) -> Blueprint:
    """``kind_name``: the registry's name of the kind, loaded with the route's first request (an API
    cold start imports only the kind it is asked for, issue 17 §2). ``employer_field``: where the
    employer's ΑΦΜ goes when the official document does not carry it (ERGANI's WTOS: ERGANI knows it
    from the login) — taken from ``?afm=`` if the body lacks it."""
    bp = Blueprint(f"{__name__}.{kind_name}")

    @bp.route(path, methods=["POST"], authorizer=api.api_key_auth)
    def submit() -> Response:
        payload, raw, refused = api.object_body(what_el, what_en)
        if refused is not None:
            return refused
        if employer_field and employer_field not in payload and api.query().get("afm"):
            payload = {**payload, employer_field: api.query()["afm"]}
        issued_at, bad_header = issued_at_header(api.header(ISSUED_AT_HEADER))
        if bad_header is not None:
            return invalid(422, [bad_header])
        tenant = api.tenant()
        kind = registry.document_kind(kind_name)
        outcome = accept(api.deps, kind, tenant, api.managed_afms(tenant), payload, raw, "json", issued_at)
        if outcome.kind == "forbidden":
            return unmanaged(getattr(kind, "afm_path", "afm"))
        if outcome.kind == "invalid":
            metrics.add_metric(name="Invalid", unit=MetricUnit.Count, value=1)
            return invalid(422, outcome.findings)
        if outcome.kind == "busy":
            metrics.add_metric(name="Busy", unit=MetricUnit.Count, value=1)
            return error(503, "BUSY", "Η υπηρεσία είναι φορτωμένη· τίποτα δεν κρατήθηκε, στείλτε ξανά σε λίγο.",
                         "The service is busy; nothing was kept. Send the same document again shortly.",
                         headers={"Retry-After": "2"})
        if outcome.kind == "duplicate":
            metrics.add_metric(name="Duplicate", unit=MetricUnit.Count, value=1)
            existing = api.deps.index.get_submission(tenant, outcome.existing_id) if outcome.existing_id else None
            first = outcome.findings[0]
            return error(409, first.code, first.message_el, first.message_en, outcome.findings,
                         id=outcome.existing_id, status=existing.status if existing else "duplicate")
        assert outcome.submission is not None
        sub = outcome.submission
        metrics.add_metric(name="Accepted", unit=MetricUnit.Count, value=1)
        logger.info("accepted", extra={"submission_id": sub.id, "afm": sub.afm, "kind": kind_name})
        body: dict[str, Any] = {"id": sub.id, "kind": sub.kind, "status": sub.status,
                                "findings": [f.model_dump(mode="json") for f in outcome.findings],
                                "due_at": sub.due_at.isoformat(), "grace_until": sub.grace_until.isoformat()}
        if sub.fine_exposure is not None:
            body["fine_exposure"] = sub.fine_exposure.model_dump(mode="json")
        if sub.supersedes:
            body["supersedes"] = sub.supersedes
        return answer(202, body, headers={"Location": f"{path}/{sub.id}"})

    @bp.route(path, methods=["GET"], authorizer=api.api_key_auth)
    def listing() -> Response:
        afm = api.query().get("afm", "")
        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("query.afm")
        status = api.query().get("status")
        if status is not None and status not in {s.value for s in Status}:
            return invalid(400, [body_finding("REQUEST-QUERY", f"Άγνωστη κατάσταση «{status[:40]}».",
                                              f"Unknown status «{status[:40]}».")])
        return api.page(lambda limit, cursor: api.deps.index.list_by_afm(tenant, afm, limit, kind_name, cursor, status),
                        lambda items: SubmissionList(items=[public_view(s) for s in items]))

    @bp.route(path + "/{id}", methods=["GET"], authorizer=api.api_key_auth)
    def read(id: str) -> Response:
        tenant = api.tenant()
        submission = api.deps.index.get_submission(tenant, id) if well_formed_id(id) else None
        if submission is None or submission.kind != kind_name or submission.afm not in api.managed_afms(tenant):
            return forbidden()
        if submission.fine_exposure is not None and submission.status is Status.OVERDUE:
            from ..services.compliance import audit_share  # its share of the audit, as the view shows it now

            submission = submission.model_copy(update={
                "fine_exposure": audit_share(api.deps, submission, submission.fine_exposure)})
        return answer(200, public_view(submission))

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
        from ..services.ergani_account import cancel_leave

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
    from ..kinds.ergani.transmission import ErganiTransmission

    upstream = api.transmitter.transmission("ergani")
    assert isinstance(upstream, ErganiTransmission)
    return upstream.connector_for(tenant)


def staff_routes(api: Api) -> Blueprint:
    """``/v1/businesses/{afm}/employees``: the employer's registry, filled from ERGANI's current staff
    (``…/employees/import``: ExecuteService EX_BASE_01, 02, 05)."""
    bp = Blueprint(f"{__name__}.staff")

    @bp.route("/v1/businesses/{afm}/employees", methods=["GET"], authorizer=api.api_key_auth)
    def employees(afm: str) -> Response:
        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("afm")
        from ..models.api import EmployeeList

        known = api.deps.staff.employer(tenant, afm)
        staff = sorted(api.deps.staff.employees(tenant, afm).values(), key=lambda e: (e.surname, e.name, e.afm))
        return answer(200, EmployeeList(afm=afm, employer=known[0] if known else None,
                                        imported_at=known[1] if known else None, items=staff).model_dump(mode="json"))

    @bp.route("/v1/businesses/{afm}/employees/import", methods=["POST"], authorizer=api.api_key_auth)
    def import_employees(afm: str) -> Response:
        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("afm")
        from ..models.api import EmployeeList
        from ..services.ergani_account import import_staff

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
        from ..services.cancel import cancel_finding, cancel_submission  # the connector with the first cancel

        outcome = cancel_submission(api.deps, api.deps.mydata(tenant), tenant, submission)
        if outcome.kind == "cancelled":
            metrics.add_metric(name="Cancelled", unit=MetricUnit.Count, value=1)
            return answer(200, public_view(outcome.submission))
        finding = cancel_finding(outcome)
        status = {"not_cancellable": 409, "refused": 422}.get(outcome.kind, 503)
        return error(status, finding.code, finding.message_el, finding.message_en, [finding],
                     headers={"Retry-After": "60"} if status == 503 else None)

    return bp
