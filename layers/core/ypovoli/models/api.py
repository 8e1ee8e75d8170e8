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
    """202: accepted and queued."""

    id: str | None = None
    kind: str | None = None
    status: Status | str
    findings: list[Finding]
    due_at: datetime | None = None
    grace_until: datetime | None = None


class ErrorResponse(BaseModel):
    """Every non-2xx answer of the JSON API (API Gateway's own 401/429 aside): ``code`` and the two
    messages name the main reason, ``findings`` list them all. ``status`` is ``invalid`` where the
    request could not be used (400/413/422) and the earlier submission's status on a 409, whose
    ``id`` is that submission's (when it is yours)."""

    code: str
    message_el: str
    message_en: str
    findings: list[Finding] = Field(default_factory=list)
    status: str | None = None
    id: str | None = None


class SubmissionList(BaseModel):
    """A page, newest first; ``next_cursor`` (absent at the end) as ``?cursor=`` fetches the next."""

    items: list[SubmissionView]
    next_cursor: str | None = None


class Health(BaseModel):
    status: str
    stage: str
    time: datetime


class GatewayMessage(BaseModel):
    """What API Gateway itself answers (401 unknown key, 429 throttled): ``{"message": …}``."""

    message: str
