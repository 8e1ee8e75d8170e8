"""ΠΣΚΕ payment requests on the console's submissions page (``registry.RECORDS``): found by id (the
search) and listed per business, as rows beside the submissions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...services.console import Found
from .model import DossierView

if TYPE_CHECKING:
    from ...services.deps import Deps


def _row(view: DossierView) -> Found:
    return Found("dossier", view.id, view.afm, view.kind, view.status, view.created_at,
                 f"{view.project_code} · {view.request_type}", f"{view.total_cut} €" if view.total_cut else "")


class Requests:
    kinds = ("pske_request", "pske_upload")

    def get(self, deps: Deps, tenant: str, ident: str) -> Found | None:
        from .store import PskeStore

        found = deps.store(PskeStore).get_dossier(tenant, ident)
        return _row(found[0]) if found is not None else None

    def listed(self, deps: Deps, tenant: str, afm: str, limit: int) -> list[Found]:
        from .store import PskeStore

        dossiers, _ = deps.store(PskeStore).list_dossiers(tenant, afm, limit=limit)
        return [_row(d) for d in dossiers]


RECORDS = Requests()
