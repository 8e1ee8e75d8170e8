"""Bodies of the public HTTP API (the OpenAPI document is generated from these models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ..findings import Finding
from ..status import Status
from .submission import FineExposure, OutageEvidence, Receipt, Submission, UpstreamError


class SubmissionView(BaseModel):
    id: str
    kind: str
    afm: str
    status: Status
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    grace_until: datetime
    attempts: int
    findings: list[Finding]
    receipt: Receipt | None = None
    upstream_errors: list[UpstreamError] = Field(default_factory=list)
    outage: OutageEvidence | None = None
    fine_exposure: FineExposure | None = None
    summary: dict[str, Any] = Field(default_factory=dict)


def public_view(submission: Submission) -> dict[str, Any]:
    """The API's view of a submission: exactly what ``SubmissionView`` (and so OpenAPI) describes."""
    return SubmissionView.model_validate(submission.model_dump()).model_dump(mode="json")


class IntakeResponse(BaseModel):
    """202 accepted · 409 duplicate (``id`` = the first submission, when it is yours) · 422 invalid."""

    id: str | None = None
    status: Status | str
    findings: list[Finding]
    due_at: datetime | None = None
    grace_until: datetime | None = None


class ErrorResponse(BaseModel):
    code: str
    message_el: str
    message_en: str
    findings: list[Finding] = Field(default_factory=list)


class SubmissionList(BaseModel):
    items: list[SubmissionView]


class Health(BaseModel):
    status: str
    stage: str
    time: datetime


class InvalidResponse(BaseModel):
    """400 / 413 / 422: the request could not be used; the findings say why (nothing was stored)."""

    status: str = "invalid"
    findings: list[Finding]


class GatewayMessage(BaseModel):
    """What API Gateway itself answers (401 unknown key, 429 throttled): ``{"message": …}``."""

    message: str
