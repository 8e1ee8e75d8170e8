"""ΠΣΚΕ in the console: a payment request's page (its stage, findings, likely cuts, and the form that
records the authority's audit letter) and the zip sent from the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

from ...api.context import well_formed_id

if TYPE_CHECKING:
    from ...api.console import ConsoleParts


def _amount_lines(text: str) -> dict[str, str]:
    """«E1 1000.00» (or «E1: 1.000,00») per line → {"E1": "1000.00"}; ``ValueError`` for a line that is not one."""
    from .rules import as_number

    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, amount = line.replace(":", " ").strip().rpartition(" ")
        number = as_number(amount.replace("€", ""))
        if not name.strip() or number is None:
            raise ValueError(line)
        out[name.strip()] = number
    return out


def routes(c: ConsoleParts) -> None:
    @c.bp.route("/console/dossiers/{id}", methods=["GET"])
    def dossier(id: str) -> Response:
        """A ΠΣΚΕ payment request: its stage, findings and likely cuts, and the form that records the
        authority's audit letter (what later requests of the project then count)."""
        from .store import PskeStore

        session = c.current()
        if session is None:
            return c.redirect("/console/sign-in")
        found = c.api.deps.store(PskeStore).get_dossier(session.tenant, id) if well_formed_id(id) else None
        if found is None or found[0].afm not in c.api.managed_afms(session.tenant):
            return c.absent(session)
        notice = {"saved": "audit_saved", "refused": "audit_refused"}.get(c.api.query().get("audit", ""), "")
        return c.page("dossier", session=session, dossier=found[0], notice=notice, here=f"/console/dossiers/{id}")

    @c.bp.route("/console/dossiers/{id}/audit", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def dossier_audit(id: str) -> Response:
        """The audit letter from the form: one «expense amount» per line (and «invoice-ref amount» lines),
        the letter's reference and date. Recorded as ``POST /v1/dossiers/{id}/audit`` records it."""
        from .store import PskeStore

        session, refused = c.acting(c.form())
        if session is None:
            return refused  # type: ignore[return-value]
        data = c.form()
        found = c.api.deps.store(PskeStore).get_dossier(session.tenant, id) if well_formed_id(id) else None
        if found is None or found[0].afm not in c.api.managed_afms(session.tenant):
            return c.absent(session)
        from pydantic import ValidationError

        from .model import AuditLetter

        view = found[0]
        try:
            letter = AuditLetter.model_validate({
                "reference": data.get("reference", ""), "date": data.get("date") or None,
                "expenses": _amount_lines(data.get("expenses", "")),
                "invoices": _amount_lines(data.get("invoices", ""))})
        except (ValidationError, ValueError):
            return c.redirect(f"/console/dossiers/{id}?audit=refused")
        from .dossiers import record_audit

        if record_audit(c.api.deps, view, letter) != []:   # None (not registered) or what it does not know
            return c.redirect(f"/console/dossiers/{id}?audit=refused")
        c.refreshed(session, view.afm)
        return c.redirect(f"/console/dossiers/{id}?audit=saved")

    @c.bp.route("/console/businesses/{afm}/uploads", methods=["POST"],
              content_types=["application/x-www-form-urlencoded"])
    def upload(afm: str) -> Response:
        """A ΠΣΚΕ zip from the browser: the request is opened (pending) and the page is the drop folder's
        presigned POST — the browser sends the file straight to S3, which sends it back to the request's
        page, where the report appears once the drop folder has read it."""
        data = c.form()
        session, refused = c.acting(data)
        if session is None:
            return refused  # type: ignore[return-value]
        if afm not in c.api.managed_afms(session.tenant):
            return c.absent(session)
        from urllib.parse import urlsplit

        from pydantic import ValidationError

        from ... import clock
        from .model import UploadRequest
        from .tickets import open_upload

        project, kind = data.get("project_code", "").strip(), data.get("request_type", "").strip()
        try:
            request = UploadRequest(afm=afm, project_code=project, request_type=kind, filename=f"{project}_{kind}.zip")
        except ValidationError:
            return c.redirect(f"/console/businesses/{afm}?upload=refused")
        scheme = str(c.api.header("x-forwarded-proto") or "http").split(",")[0].strip()
        host = str(c.api.header("host") or "")
        ticket = open_upload(c.api.deps, session.tenant, request, clock.now(),
                             f"{scheme}://{host}{c.base()}/console/dossiers/{{id}}?uploaded=1")
        c.trail(session, "upload", ticket.view.id, f"{request.project_code} {request.request_type}")
        target = urlsplit(ticket.url)
        csp = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
               f"frame-ancestors 'none'; form-action 'self' {target.scheme}://{target.netloc}")
        return c.page("upload", session=session, afm=afm, view=ticket.view, url=ticket.url, fields=ticket.fields,
                      headers={"Content-Security-Policy": csp}, here=f"/console/businesses/{afm}")
