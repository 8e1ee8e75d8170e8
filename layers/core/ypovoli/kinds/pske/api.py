"""ΠΣΚΕ payment-request dossiers (Αίτημα Ελέγχου): check a request, list and read dossiers and their
reports, and hand out presigned uploads into the drop folder.

``POST /v1/dossiers`` answers 422 with the dossier itself when the request has errors: the dossier is
kept either way (SPEC §3) and its report is what the office needs, so that 422 is a resource, not an
error answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from chalice.app import Blueprint, Response

from ... import clock
from ...api.context import Api, answer, forbidden, invalid, not_found, unmanaged, well_formed_id
from .tickets import UPLOAD_EXPIRES_S, open_upload

if TYPE_CHECKING:
    from .model import DossierView

metrics = Metrics()



def dossier_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    def body_of(view: DossierView, prefix: str) -> dict[str, Any]:
        if view.status != "pending":
            url = api.deps.dossiers.presigned_get(f"{prefix}report.html", UPLOAD_EXPIRES_S, "text/html; charset=utf-8")
            view = view.model_copy(update={"report_url": url})
        return view.model_dump(mode="json")

    def own(dossier_id: str) -> tuple[DossierView, str] | None:
        from .store import PskeStore

        if not well_formed_id(dossier_id):
            return None
        tenant = api.tenant()
        found = api.deps.store(PskeStore).get_dossier(tenant, dossier_id)
        if found is None or found[0].afm not in api.managed_afms(tenant):
            return None
        return found

    @bp.route("/v1/dossiers", methods=["POST"], authorizer=api.api_key_auth)
    def post_dossier() -> Response:
        from .store import PskeStore

        payload, raw, refused = api.object_body("ένα αίτημα", "one payment request")
        if refused is not None:
            return refused
        from .dossiers import submit_request  # the ΠΣΚΕ kind loads with its first route (issue 17 §2)

        tenant = api.tenant()
        outcome = submit_request(api.deps, tenant, api.managed_afms(tenant), payload, raw)
        if outcome.kind == "forbidden":
            return unmanaged("afm")
        if outcome.view is None:
            return invalid(422, outcome.findings)
        found = api.deps.store(PskeStore).get_dossier(tenant, outcome.view.id)
        prefix = found[1] if found else ""
        metrics.add_metric(name="DossierAccepted" if outcome.kind == "accepted" else "DossierInvalid",
                           unit=MetricUnit.Count, value=1)
        return answer(201 if outcome.kind == "accepted" else 422, body_of(outcome.view, prefix),
                      headers={"Location": f"/v1/dossiers/{outcome.view.id}"})

    @bp.route("/v1/dossiers", methods=["GET"], authorizer=api.api_key_auth)
    def list_dossiers() -> Response:
        from .store import PskeStore

        afm = api.query().get("afm", "")
        tenant = api.tenant()
        if afm not in api.managed_afms(tenant):
            return unmanaged("query.afm")
        from .model import DossierList

        return api.page(lambda limit, cursor: api.deps.store(PskeStore).list_dossiers(tenant, afm, limit, cursor),
                        lambda items: DossierList(items=items))

    @bp.route("/v1/dossiers/{id}", methods=["GET"], authorizer=api.api_key_auth)
    def get_dossier(id: str) -> Response:
        found = own(id)
        if found is None:
            return forbidden()
        return answer(200, body_of(*found))

    @bp.route("/v1/dossiers/{id}/report", methods=["GET"], authorizer=api.api_key_auth)
    def get_dossier_report(id: str) -> Response:
        found = own(id)
        if found is None:
            return forbidden()
        html = api.deps.dossiers.get(f"{found[1]}report.html")
        if html is None:
            return not_found("NO_REPORT", "Η αναφορά δεν έχει ακόμη συνταχθεί.", "The report is not ready yet.")
        return Response(body=html.decode("utf-8"), status_code=200,
                        headers={"Content-Type": "text/html; charset=utf-8"})

    @bp.route("/v1/dossiers/{id}/audit", methods=["POST"], authorizer=api.api_key_auth)
    def post_dossier_audit(id: str) -> Response:
        """The authority's audit letter for this request: what it certified, per expense and per invoice.
        Later requests of the project count it instead of ypovoli's prediction (A3, A4, A6, B10)."""
        from ...rules.input import body_finding
        from .model import AuditLetter

        found = own(id)
        if found is None:
            return forbidden()
        letter, refused = api.model_body(AuditLetter, "ypovoli API reference (GET /docs): audit letters")
        if letter is None:
            assert refused is not None
            return refused
        from .dossiers import record_audit

        view = found[0]
        unknown = record_audit(api.deps, view, letter)
        if unknown is None:
            return invalid(422, [body_finding(
                "PSKE-AUDIT-LETTER", "Το αίτημα δεν καταχωρίστηκε (απορρίφθηκε ή εκκρεμεί): δεν έχει επιστολή "
                "ελέγχου να καταγραφεί.", "The request was not registered (refused or pending): there is no audit "
                "letter to record for it.", "id")])
        if unknown:
            return invalid(422, [body_finding(
                "PSKE-AUDIT-LETTER", f"Άγνωστα στο αίτημα ή στο έργο: {', '.join(unknown[:20])}.",
                f"Unknown to the request or the project: {', '.join(unknown[:20])}.",
                "expenses" if set(unknown) & set(letter.expenses) else "invoices")])
        return answer(200, {"id": view.id, "project_code": view.project_code, "audit": letter.model_dump(mode="json"),
                            "findings": []})

    @bp.route("/v1/dossiers/uploads", methods=["POST"], authorizer=api.api_key_auth)
    def post_dossier_upload() -> Response:
        from .model import UploadRequest, UploadResponse, UploadTicket

        request, refused = api.model_body(UploadRequest, "ypovoli API reference (GET /docs): drop-folder uploads")
        if request is None:
            assert refused is not None
            return refused
        tenant = api.tenant()
        if request.afm not in api.managed_afms(tenant):
            return unmanaged("afm")
        ticket = open_upload(api.deps, tenant, request, clock.now())
        body = UploadResponse(id=ticket.view.id, upload=UploadTicket(url=ticket.url, fields=ticket.fields),
                              expires_in=UPLOAD_EXPIRES_S)
        return answer(201, body.model_dump(), headers={"Location": f"/v1/dossiers/{ticket.view.id}"})

    return bp


def routes(api: Api) -> list[Blueprint]:
    """Every route of the kind (the registry's line for the API)."""
    return [dossier_routes(api)]
