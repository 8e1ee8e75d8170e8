"""Outage reports (seed 004, provider obligations): the distinct listing of documents sent under the
outage procedure, and aggregate statistics per issuer, per Athens month of transmission."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from .base import Model


class OutageDocument(Model):
    id: str
    #: The seven fields of a TF1 record (seed 004).
    issuer_afm: str
    issue_date: str
    document_number: str
    net_value: Decimal
    vat_amount: Decimal
    total_value: Decimal
    document_type: str
    uid: str
    mark: int | None = None
    transmission_failure: int
    first_failure_at: datetime
    transmitted_at: datetime
    grace_until: datetime
    late: bool
    reconciled: bool = False


class IssuerStats(Model):
    issuer_afm: str
    documents: int
    by_indicator: dict[str, int] = Field(description="transmissionFailure value → documents")
    late: int
    net_value: Decimal
    vat_amount: Decimal
    total_value: Decimal
    first_failure_at: datetime
    last_transmitted_at: datetime
    longest_delay_hours: Decimal = Field(description="transmitted_at − first failure, the longest one")


class OutageReport(Model):
    month: str
    generated_at: datetime
    documents: list[OutageDocument]
    issuers: list[IssuerStats]
