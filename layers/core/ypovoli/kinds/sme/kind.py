"""The SME checks as evaluated kinds of the registry: parsed, checked and kept, never transmitted."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ...findings import Finding
from ...rules.input import parse_as
from .advance import SEED as ADVANCE_SEED
from .advance import AdvanceRequest
from .voucher import SEED as VOUCHER_SEED
from .voucher import VoucherCheckRequest

R = TypeVar("R", bound=BaseModel)


class SmeCheckKind(Generic[R]):
    def __init__(self, name: str, model: type[R], source: str) -> None:
        self.name = name
        self.model = model
        self.source = source

    def parse(self, payload: Any) -> tuple[R | None, list[Finding]]:
        return parse_as(self.model, payload, "REQUEST-BODY", "body",
                        f"{self.source} · ypovoli API reference (GET /docs)")

    def afm(self, document: Any) -> str:
        return str(document.afm)


VOUCHER_CHECK = SmeCheckKind("voucher_check", VoucherCheckRequest, VOUCHER_SEED)
REPAYABLE_ADVANCE = SmeCheckKind("repayable_advance", AdvanceRequest, ADVANCE_SEED)
