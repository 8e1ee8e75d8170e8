"""SME checks as kept evaluations (issue 14 §3–§5): the voucher redemption pre-check and the
repayable advance — computed by the pure rules, then the request, the answer and the findings kept
as a dossier readable by id. A request the rules refuse (VOUCHER-TXID) is answered 422, nothing kept."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ...findings import has_errors
from ...services.deps import Deps
from ...store.dossiers import dossier_prefix
from . import advance, voucher
from .kind import REPAYABLE_ADVANCE, VOUCHER_CHECK
from .redemptions import Redemptions

VOUCHER_KIND = VOUCHER_CHECK.name
ADVANCE_KIND = REPAYABLE_ADVANCE.name


def _keep(deps: Deps, tenant: str, kind: str, evaluation_id: str, afm: str, now: datetime, request: dict[str, Any],
          answer: dict[str, Any]) -> None:
    prefix = dossier_prefix(tenant, afm, kind, now, evaluation_id)
    deps.dossiers.put_json(f"{prefix}request.json", request)
    deps.dossiers.put_json(f"{prefix}answer.json", answer)
    deps.evaluations.record(tenant, evaluation_id, kind, afm, now, prefix)


def check_voucher(deps: Deps, tenant: str, req: voucher.VoucherCheckRequest,
                  now: datetime) -> tuple[bool, dict[str, Any]]:
    """(kept, body): the answer with its ``id``, or the refusal's findings."""
    kept_earlier = deps.store(Redemptions).redeemed(tenant, req.afm, [p.code for p in req.products],
                                                    req.invoice_number) if req.invoice_number else {}
    answer = voucher.check(req, deps.settings.voucher_awu_factor, kept_earlier)
    if has_errors(answer.findings):
        return False, {"findings": [f.model_dump(mode="json") for f in answer.findings]}
    evaluation_id = str(uuid.uuid4())
    body = answer.model_copy(update={"id": evaluation_id}).model_dump(mode="json")
    _keep(deps, tenant, VOUCHER_KIND, evaluation_id, req.afm, now, req.model_dump(mode="json"), body)
    if req.invoice_number:
        deps.store(Redemptions).keep_redeemed(tenant, req.afm, req.invoice_number,
                                              {p.code: p.eligible_quantity for p in answer.products}, evaluation_id)
    return True, body


def calculate_advance(deps: Deps, tenant: str, req: advance.AdvanceRequest, now: datetime) -> dict[str, Any]:
    evaluation_id = str(uuid.uuid4())
    body = advance.calculate(req).model_copy(update={"id": evaluation_id}).model_dump(mode="json")
    _keep(deps, tenant, ADVANCE_KIND, evaluation_id, req.afm, now, req.model_dump(mode="json"), body)
    return body


class KeptEvaluation(BaseModel):
    """A kept check or calculation: what was asked and what was answered (its findings inside)."""

    id: str
    kind: str
    afm: str
    created_at: datetime
    request: dict[str, Any]
    answer: dict[str, Any]


def read(deps: Deps, tenant: str, kind: str, evaluation_id: str) -> KeptEvaluation | None:
    """A kept evaluation of ``kind``, or ``None`` (absent, or another kind's)."""
    record = deps.evaluations.get(tenant, evaluation_id)
    if record is None or record.get("kind") != kind:
        return None
    prefix = str(record["dossier"])
    return KeptEvaluation(id=evaluation_id, kind=kind, afm=str(record["afm"]), created_at=record["created_at"],
                          request=deps.dossiers.get_json(f"{prefix}request.json"),
                          answer=deps.dossiers.get_json(f"{prefix}answer.json"))
