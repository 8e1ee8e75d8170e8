"""Submissions of a transmitted kind: submit, list per ΑΦΜ, read one — the same three routes for
every kind under the path its own routes give (``kinds/<kind>/api.py``)."""

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
    employer's ΑΦΜ goes when the official document does not carry it (a document the upstream knows the
    employer of from the login) — taken from ``?afm=`` if the body lacks it."""
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
