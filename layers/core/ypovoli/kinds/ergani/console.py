"""ERGANI in the console: the month's declared days against the card, per employee."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Response

if TYPE_CHECKING:
    from ...api.console import ConsoleParts


def routes(c: ConsoleParts) -> None:
    @c.bp.route("/console/businesses/{afm}/deviations", methods=["GET"])
    def deviations(afm: str) -> Response:
        """ERGANI: the month's declared days against the card, per employee (the deviation report)."""
        session = c.current()
        if session is None:
            return c.redirect("/console/sign-in")
        if afm not in c.api.managed_afms(session.tenant):
            return c.absent(session)
        from .deviation_report import build
        month = c.shown_month()
        from ... import clock

        report = build(c.api.deps, session.tenant, afm, month, clock.now())
        return c.page("deviations", session=session, report=report, month=month, afm=afm,
                    here=f"/console/businesses/{afm}/deviations?month={month}")
