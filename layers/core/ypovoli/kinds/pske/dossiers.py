"""ΠΣΚΕ dossiers: check a payment request (JSON through the API, or the register inside a zipped
folder from the drop folder) against the project's history, keep the dossier with its reports.

A request with errors is kept too (the report is what the office needs), but only an accepted one
enters the project's history: a document is registered once, by the first request that got it
through (PSKE-B2), even when two requests race.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from ... import clock
from ...findings import Finding, has_errors
from ...services.deps import Deps
from ...store.dossiers import dossier_prefix
from .kind import KIND as PSKE
from .model import AuditLetter, DossierView, PaymentRequestBody
from .report import render_html
from .store import Conflict

KIND = PSKE.name
parse_request = PSKE.parse


@dataclass
class DossierOutcome:
    """``kind``: accepted | invalid | unreadable (nothing stored) | forbidden."""

    kind: str
    findings: list[Finding] = field(default_factory=list)
    view: DossierView | None = None


def check_request(deps: Deps, tenant: str, body: PaymentRequestBody, *, dossier_id: str | None = None,
                  kind: str = KIND, extra_findings: list[Finding] | None = None,
                  original: tuple[str, bytes, str] | None = None, created_at: datetime | None = None) -> DossierView:
    """Validate ``body`` against its project's history, register it if it holds, file the dossier."""
    from .store import PskeStore

    now = created_at or clock.now()
    dossier_id = dossier_id or str(uuid.uuid4())
    findings: list[Finding] = list(extra_findings or [])
    for attempt in range(2):
        history = deps.store(PskeStore).history(body.afm, body.project.code, exclude_request=dossier_id)
        outcome = PSKE.evaluate(body, history)
        all_findings = findings + outcome.findings
        if has_errors(all_findings):
            break
        try:
            deps.store(PskeStore).register(body, dossier_id, tenant, now, outcome.certified)
            break
        except Conflict:
            if attempt == 1:  # pragma: no cover - a third racer; the next upload sees the history
                raise
            continue  # someone registered one of these documents meanwhile: check again, now seeing it
    status = "invalid" if has_errors(all_findings) else "accepted"
    prefix = dossier_prefix(tenant, body.afm, kind, now, dossier_id)
    view = DossierView.model_validate({
        "id": dossier_id, "afm": body.afm, "kind": kind, "status": status, "project_code": body.project.code,
        "request_type": body.request_type, "created_at": now, "findings": all_findings, "cuts": outcome.cuts,
        "total_cut": sum((c.cut for c in outcome.cuts), Decimal(0)),
    })
    file_dossier(deps, tenant, view, prefix, original)
    return view


def file_dossier(deps: Deps, tenant: str, view: DossierView, prefix: str,
                 original: tuple[str, bytes, str] | None) -> None:
    """S3 first (original, report.json, report.html), then the index record that makes it visible."""
    from .store import PskeStore

    if original is not None:
        name, body, content_type = original
        deps.dossiers.put(f"{prefix}{name}", body, content_type)
    deps.dossiers.put_json(f"{prefix}report.json", json.loads(view.model_dump_json()))
    deps.dossiers.put(f"{prefix}report.html", render_html(view, view.findings, view.cuts).encode(),
                      "text/html; charset=utf-8")
    deps.store(PskeStore).put_dossier(tenant, view, prefix)
    if view.project_code:   # the console's search finds a request by its project code (advisory)
        try:
            deps.search.add(tenant, [view.project_code], view.created_at, view.id, view.afm, "dossier")
        except Exception:
            logging.getLogger(__name__).exception("search term of dossier %s not written", view.id)
    # A request is filed by a person who looks at its business next: its summary now, not a moment
    # later from the stream (which makes it again; a ΠΣΚΕ request is rare enough to pay twice).
    try:
        from ...services import summaries

        summaries.refresh(deps, tenant, view.afm, clock.now())
    except Exception:   # the stream and the pump make it anyway: the request itself is filed
        logging.getLogger(__name__).exception("summary of %s not refreshed after dossier %s", view.afm, view.id)


def submit_request(deps: Deps, tenant: str, managed_afms: set[str], payload: Any, raw: bytes) -> DossierOutcome:
    body, findings = parse_request(payload)
    if body is None:
        return DossierOutcome("unreadable", findings)
    if body.afm not in managed_afms:
        return DossierOutcome("forbidden")
    view = check_request(deps, tenant, body, original=("original.json", raw, "application/json"))
    return DossierOutcome(view.status, view.findings, view)


def record_audit(deps: Deps, view: DossierView, letter: AuditLetter) -> list[str] | None:
    """The authority's audit letter for the request ``view`` (the API's route and the console's form):
    ``None`` when the request was never registered (refused or pending), else what the letter names that
    the project or the request does not have — nothing is recorded then; ``[]`` when it was recorded."""
    from .store import PskeStore

    project = deps.store(PskeStore).project(view.afm, view.project_code) if view.status == "accepted" else None
    if project is None:
        return None
    strangers = sorted(set(letter.expenses) - {e.code for e in project.annex.expenses})
    return strangers or deps.store(PskeStore).record_audit(view.afm, view.project_code, view.id, letter, clock.now())
