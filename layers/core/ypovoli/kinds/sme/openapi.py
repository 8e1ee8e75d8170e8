"""The SME checks' share of the OpenAPI document (``registry.OPENAPI``): voucher redemption pre-checks
and the repayable advance."""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import BaseModel

from ...openapi import get_op, post_op
from .advance import AdvanceAnswer, AdvanceRequest
from .service import KeptEvaluation
from .voucher import VoucherCheckAnswer, VoucherCheckRequest

MODELS: list[type[BaseModel]] = [VoucherCheckRequest, VoucherCheckAnswer, AdvanceRequest, AdvanceAnswer,
                                 KeptEvaluation]
SECURITY_SCHEMES: dict[str, Any] = {}   # the API key only
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("SME checks", "Voucher redemption pre-checks and the repayable advance.", ("/v1/vouchers", "/v1/calculations")),
)


def paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    post, get = partial(post_op, security), partial(get_op, security)
    return {
        "/v1/vouchers/redemption-checks": post(
            "checkVoucherRedemption", "Pre-check a voucher redemption: eligible quantities, cuts and why, kept",
            VoucherCheckRequest, "200", VoucherCheckAnswer),
        "/v1/vouchers/redemption-checks/{id}": get("getVoucherCheck", "A kept voucher check", KeptEvaluation,
                                                   [id_param]),
        "/v1/calculations/repayable-advance": post(
            "calculateRepayableAdvance", "The repayable advance: clause, share, amount, lump sum; kept",
            AdvanceRequest, "200", AdvanceAnswer),
        "/v1/calculations/repayable-advance/{id}": get("getRepayableAdvance", "A kept repayable-advance calculation",
                                                       KeptEvaluation, [id_param]),
    }
