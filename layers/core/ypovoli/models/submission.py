"""A submission of any kind: one record shape, one status vocabulary (SPEC §3)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, Field

from ..findings import Finding
from ..status import Status
from .base import Model


class Receipt(Model):
    """What upstream gave back: a MARK / uid / QR, or a protocol number."""

    mark: int | None = None
    uid: str | None = None
    qr_url: str | None = None
    authentication_code: str | None = None
    transmission_failure: int | None = None
    protocol: str | None = None
    #: The upstream's `submitDate` (dd/MM/yyyy HH:mm, Athens) of the protocol.
    submit_date: str | None = None
    #: The `f_aitiologia` the gateway set on late card events it held through an upstream outage.
    late_justification: str | None = None
    received_at: datetime
    reconciled: bool = False
    #: AADE's MARK of the cancellation, once the document is cancelled (``cancelledByMark``).
    cancelled_by_mark: int | None = None


class OutageEvidence(Model):
    """Proof of the outage (seed 004): when it started, what failed, and the TF1 record."""

    first_failure_at: datetime
    last_failure_at: datetime
    last_error: str
    failures: int = 1
    #: The seven fields of a TF1 record (seed 004): issuer AFM, issue date-time, document number,
    #: net value, VAT, total value, document type.
    record: dict[str, str] = Field(default_factory=dict)


class FineExposure(Model):
    """SPEC §4 / seed 001 «Λουκέτα»: what an audit may charge for this document if never sent."""

    amount: Decimal
    basis_el: str
    basis_en: str


class UpstreamError(Model):
    code: str
    message: str


class Submission(Model):
    model_config = ConfigDict(extra="ignore")

    id: str
    tenant: str
    kind: str
    afm: str
    status: Status
    natural_key: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    grace_until: datetime
    attempts: int = 0
    findings: list[Finding] = Field(default_factory=list)
    receipt: Receipt | None = None
    upstream_errors: list[UpstreamError] = Field(default_factory=list)
    outage: OutageEvidence | None = None
    fine_exposure: FineExposure | None = None
    dossier: str
    summary: dict[str, Any] = Field(default_factory=dict)
    #: The rejected submission this one corrects (same natural key), and the reverse link.
    supersedes: str | None = None
    superseded_by: str | None = None
