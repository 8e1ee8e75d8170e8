"""Bodies of the public HTTP API (the OpenAPI document is generated from these models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ..findings import Finding
from ..status import Status
from .base import Model
from .page import Page
from .submission import FineExposure, OutageEvidence, Receipt, Submission, UpstreamError


class SubmissionView(Model):
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
    supersedes: str | None = None
    superseded_by: str | None = None


def public_view(submission: Submission) -> dict[str, Any]:
    """The API's view of a submission: exactly what ``SubmissionView`` (and so OpenAPI) describes."""
    return SubmissionView.model_validate(submission.model_dump()).model_dump(mode="json")


class IntakeResponse(Model):
    """202: accepted and queued."""

    id: str | None = None
    kind: str | None = None
    status: Status | str
    findings: list[Finding]
    due_at: datetime | None = None
    grace_until: datetime | None = None
    #: Present when the document arrived already past its window (what an audit may charge).
    fine_exposure: FineExposure | None = None
    supersedes: str | None = None


class ErrorResponse(Model):
    """Every non-2xx answer of the JSON API, API Gateway's own 401/404 included: ``status`` what became
    of the request, ``findings`` every reason (never empty), ``request_id`` the id to quote to support.
    ``code`` and the two messages repeat the first finding (kept for the clients that read them)."""

    status: str = Field(description="invalid (400/413/422), unauthorized, forbidden, not_found, conflict, busy, "
                                    "error — or, on a 409 for an earlier submission, that submission's status",
                        examples=["invalid"])
    findings: list[Finding] = Field(description="every reason the request was not done; the first is the main one")
    request_id: str | None = Field(default=None, description="the request's id in ypovoli's logs (also the "
                                   "X-Request-Id header)", examples=["c0a8012e5f6b4c1d9e2f3a4b5c6d7e8f"])
    code: str = Field(description="the first finding's code", examples=["REQUEST-BODY"])
    message_el: str = Field(description="the first finding's message in Greek")
    message_en: str = Field(description="the first finding's message in English")
    id: str | None = Field(default=None, description="on a 409: the earlier submission's id (when it is yours)")


class CodeEntry(Model):
    """One code of the catalog (layers/core/ypovoli/codes.py)."""

    code: str = Field(description="stable; never renamed once published", examples=["REQUEST-BODY"])
    severity: str = Field(description="E error (blocks), W warning, I info, several as E/W; — for an error "
                                      "answer that is no rule's finding", examples=["E"])
    severities: list[str] = Field(description="the same, spelled as a finding's severity", examples=[["error"]])
    area: str = Field(description="the part of ypovoli the code belongs to: api, webhooks, dropzone, or a kind's",
                      examples=["api"])
    message_el: str = Field(description="what it means, in Greek")
    message_en: str = Field(description="what it means, in English")


class CodeCatalog(Model):
    """``GET /v1/codes``: every code a finding or an error answer can carry."""

    codes: list[CodeEntry] = Field(description="in the order of docs/codes.md")


class SubmissionList(Page):
    """The ΑΦΜ's submissions of one kind, newest first (``?status=`` keeps one status)."""

    items: list[SubmissionView]


class Health(Model):
    status: str
    stage: str
    time: datetime
