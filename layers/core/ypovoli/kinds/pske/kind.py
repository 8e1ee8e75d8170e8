"""ΠΣΚΕ payment requests (Αίτημα Ελέγχου, seed 003) as an evaluated kind: checked against the
project's history and kept as a dossier with its report, never transmitted."""

from __future__ import annotations

from typing import Any

from ...findings import Finding
from ...rules.input import parse_as
from .history import History
from .model import PaymentRequestBody
from .rules import SEED, Outcome, validate_request

NAME = "pske_request"
SCHEMA_SOURCE = f"{SEED} §Β1 · ypovoli API reference (GET /docs)"


class PskeRequestKind:
    name = NAME

    def parse(self, payload: Any) -> tuple[PaymentRequestBody | None, list[Finding]]:
        return parse_as(PaymentRequestBody, payload, "PSKE-SCHEMA", "request", SCHEMA_SOURCE)

    def afm(self, document: PaymentRequestBody) -> str:
        return document.afm

    def evaluate(self, document: PaymentRequestBody, history: History) -> Outcome:
        return validate_request(document, history)

    def prime(self) -> None:
        """A snapshot's init: the report's templates, parsed before the first request needs them."""
        from .report import template

        template()


KIND = PskeRequestKind()
