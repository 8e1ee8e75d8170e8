"""SME programme checks (SPEC §3 «Retail and SME routes»): the voucher redemption pre-check and the
repayable advance, each kept as a dossier readable by its id."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ... import clock
from ...api.context import Api, answer, forbidden, invalid, well_formed_id
from ...findings import Finding


def sme_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/vouchers/redemption-checks", methods=["POST"], authorizer=api.api_key_auth)
    def voucher_check() -> Response:
        from . import service as sme
        from .voucher import SEED as VOUCHER_SEED  # each route imports its own kind (issue 17 §2)
        from .voucher import VoucherCheckRequest

        owned = api.owned_body(VoucherCheckRequest, f"{VOUCHER_SEED} · ypovoli API reference (GET /docs)")
        if isinstance(owned, Response):
            return owned
        req, tenant = owned
        kept, body = sme.check_voucher(api.deps, tenant, req, clock.now())
        if not kept:
            return invalid(422, [Finding.model_validate(f) for f in body["findings"]])
        return answer(200, body)

    @bp.route("/v1/calculations/repayable-advance", methods=["POST"], authorizer=api.api_key_auth)
    def repayable_advance() -> Response:
        from . import service as sme
        from .advance import SEED as ADVANCE_SEED
        from .advance import AdvanceRequest

        owned = api.owned_body(AdvanceRequest, f"{ADVANCE_SEED} · ypovoli API reference (GET /docs)")
        if isinstance(owned, Response):
            return owned
        req, tenant = owned
        return answer(200, sme.calculate_advance(api.deps, tenant, req, clock.now()))

    def _read(kind: str, evaluation_id: str) -> Response:
        from . import service as sme

        tenant = api.tenant()
        kept = sme.read(api.deps, tenant, kind, evaluation_id) if well_formed_id(evaluation_id) else None
        if kept is None or kept.afm not in api.managed_afms(tenant):
            return forbidden()
        return answer(200, kept.model_dump(mode="json"))

    @bp.route("/v1/vouchers/redemption-checks/{id}", methods=["GET"], authorizer=api.api_key_auth)
    def get_voucher_check(id: str) -> Response:
        from .service import VOUCHER_KIND

        return _read(VOUCHER_KIND, id)

    @bp.route("/v1/calculations/repayable-advance/{id}", methods=["GET"], authorizer=api.api_key_auth)
    def get_repayable_advance(id: str) -> Response:
        from .service import ADVANCE_KIND

        return _read(ADVANCE_KIND, id)

    return bp


def routes(api: Api) -> list[Blueprint]:
    """Every route of the kind (the registry's line for the API)."""
    return [sme_routes(api)]
