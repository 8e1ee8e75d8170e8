"""What a business's ΠΣΚΕ payment requests add to its compliance view and its console page
(``registry.COMPLIANCE`` and ``registry.PAGE_PARTS``): requests are never sent, but what is open on the
latest of each project is the business's too."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...findings import Severity
from ...models.compliance import ComplianceItem
from .model import DossierView

if TYPE_CHECKING:
    from ...services.deps import Deps

#: How many of a business's latest ΠΣΚΕ requests the view reads (one page of the ByAfm index).
PSKE_LIMIT = 20


def pske_items(deps: Deps, tenant: str, afm: str, dossiers: list[Any] | None = None) -> list[ComplianceItem]:
    """ΠΣΚΕ payment requests are never sent, but what is open on them is the business's too: the latest
    request of each project, when it has errors, warnings or likely cuts — the cut in euros as its
    exposure (what the audit is likely to take)."""
    from ...rules.common import greek_amount
    from .store import PskeStore

    if dossiers is None:
        dossiers, _ = deps.store(PskeStore).list_dossiers(tenant, afm, limit=PSKE_LIMIT)
    latest: dict[str, Any] = {}
    for dossier in dossiers:   # newest first: the first of a project is its latest request
        if dossier.status != "pending":
            latest.setdefault(dossier.project_code or dossier.id, dossier)
    items = []
    for dossier in latest.values():
        errors = [f for f in dossier.findings if f.severity is Severity.ERROR]
        warnings = [f for f in dossier.findings if f.severity is Severity.WARNING]
        if not errors and not warnings and not dossier.total_cut:
            continue
        first = (errors or warnings)[0] if (errors or warnings) else None
        code = first.code if first is not None else dossier.cuts[0].code if dossier.cuts else "PSKE-B9-OVERRUN"
        cut = f"{dossier.total_cut:.2f}"
        items.append(ComplianceItem(
            kind=dossier.kind, code=code, severity=Severity.ERROR if errors else Severity.WARNING,
            subject=f"{dossier.project_code} · {dossier.request_type}", due_at=dossier.created_at,
            submission_id=dossier.id, status=dossier.status,
            message_el=f"Αίτημα ελέγχου ΠΣΚΕ: {len(errors)} σφάλματα, {len(warnings)} προειδοποιήσεις· πιθανές "
                       f"περικοπές {greek_amount(dossier.total_cut)} €." + (f" {first.message_el}" if first else ""),
            message_en=f"ΠΣΚΕ payment request: {len(errors)} errors, {len(warnings)} warnings; likely cuts "
                       f"€{cut}." + (f" {first.message_en}" if first else ""),
            exposure_eur=cut if dossier.total_cut else None))
    return items


def part(deps: Deps, tenant: str, afm: str, now: datetime,
         known: dict[str, Any]) -> tuple[list[ComplianceItem], dict[str, Any]]:
    """The registry's compliance part: the items of the requests the page already read (``known``'s
    ``dossiers``), else of the latest :data:`PSKE_LIMIT` read now."""
    return pske_items(deps, tenant, afm, known.get("dossiers")), {}


class LatestRequests:
    """The business page's part: its latest ΠΣΚΕ requests (their pages carry the audit-letter form)."""

    def read(self, deps: Deps, tenant: str, afm: str) -> list[DossierView]:
        from .store import PskeStore

        found, _ = deps.store(PskeStore).list_dossiers(tenant, afm, limit=PSKE_LIMIT)
        return found

    def load(self, data: list[dict[str, Any]]) -> list[DossierView]:
        return [DossierView.model_validate(d) for d in data]


PAGE_PART = LatestRequests()
