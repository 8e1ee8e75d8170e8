"""myDATA in the console: cancelling a transmitted invoice at AADE, after a confirmation, in the audit
trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

if TYPE_CHECKING:
    from ...api.console import ConsoleParts


def routes(c: ConsoleParts) -> None:
    @c.bp.route("/console/submissions/{id}/cancel", methods=["GET"])
    def cancel_confirm(id: str) -> Response:
        session = c.current()
        if session is None:
            return c.redirect("/console/sign-in")
        found = c.own_submission(session, id)
        if found is None:
            return c.absent(session)
        return c.page("confirm_cancel", session=session, sub=found, here=f"/console/submissions/{id}")

    @c.bp.route("/console/submissions/{id}/cancel", methods=["POST"],
              content_types=["application/x-www-form-urlencoded"])
    def cancel(id: str) -> Response:
        session, refused = c.acting(c.form())
        if session is None:
            return refused  # type: ignore[return-value]
        found = c.own_submission(session, id)
        if found is None or found.kind != "mydata_invoice":
            return c.absent(session)
        from .cancel import cancel_submission
        from .transmission import port_of

        outcome = cancel_submission(c.api.deps, port_of(c.api.deps, session.tenant), session.tenant, found)
        c.trail(session, "cancel", found.id, outcome.kind + (f": {outcome.error}" if outcome.error else ""))
        c.refreshed(session, found.afm)
        return c.redirect(f"/console/submissions/{id}?cancel={'done' if outcome.kind == 'cancelled' else 'refused'}")
