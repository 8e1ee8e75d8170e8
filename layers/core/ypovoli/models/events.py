"""Events: what a tenant's webhook receives, and what its delivery log shows.

Three types share one delivery path (signed, retried, logged): ``submission.status_changed``,
``compliance.flagged`` (a sweep found something about a business) and ``incident.started`` /
``incident.ended`` (an upstream's force-majeure incident of one business).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..clock import sortable
from ..findings import Finding
from ..status import Status
from .base import Model
from .compliance import ComplianceItem
from .incidents import Incident
from .page import Page
from .submission import FineExposure, Receipt, Submission, UpstreamError


class StatusChange(Model):
    id: str
    kind: str
    afm: str
    status: Status
    previous_status: Status | None = None
    due_at: datetime
    grace_until: datetime
    attempts: int = 0
    receipt: Receipt | None = None
    fine_exposure: FineExposure | None = None
    upstream_errors: list[UpstreamError] = Field(default_factory=list)
    finding_codes: list[str] = Field(default_factory=list)
    #: Every finding (warnings, a fine's basis, the upstream's reason for a rejection), in full.
    findings: list[Finding] = Field(default_factory=list)
    supersedes: str | None = None


class StatusEvent(Model):
    """The body POSTed to a tenant's webhook (signed; see ``webhooks.signing``)."""

    id: str
    type: Literal["submission.status_changed"] = "submission.status_changed"
    occurred_at: datetime
    data: StatusChange

    @property
    def sort_key(self) -> str:
        """Chronological within the tenant's partition, unique by the event id."""
        return f"{sortable(self.occurred_at)}#{self.id}"

    @property
    def subject_id(self) -> str:
        return self.data.id

    @property
    def status_label(self) -> str | None:
        return self.data.status.value


class ComplianceAlert(ComplianceItem):
    afm: str


class ComplianceEvent(Model):
    """A sweep's finding about one business, sent once when it is first raised."""

    id: str
    type: Literal["compliance.flagged"] = "compliance.flagged"
    occurred_at: datetime
    data: ComplianceAlert

    @property
    def sort_key(self) -> str:
        return f"{sortable(self.occurred_at)}#{self.id}"

    @property
    def subject_id(self) -> str:
        return self.data.submission_id or ""

    @property
    def status_label(self) -> str | None:
        return None


class IncidentEvent(Model):
    """An upstream incident began or ended: the business owes a notice each time (its kind words it)."""

    id: str
    type: Literal["incident.started", "incident.ended"]
    occurred_at: datetime
    data: Incident

    @property
    def sort_key(self) -> str:
        return f"{sortable(self.occurred_at)}#{self.id}"

    @property
    def subject_id(self) -> str:
        return ""

    @property
    def status_label(self) -> str | None:
        return None


#: Anything the webhook log records and delivers.
Event = StatusEvent | ComplianceEvent | IncidentEvent


def status_event(submission: Submission, previous: Status | None, now: datetime, **changes: Any) -> StatusEvent:
    """The event for ``submission`` after ``changes`` (the fields the same transaction sets)."""
    after = submission.model_copy(update=changes)
    return StatusEvent(
        id=f"evt_{uuid.uuid4().hex}", occurred_at=now,
        data=StatusChange(
            id=after.id, kind=after.kind, afm=after.afm, status=after.status, previous_status=previous,
            due_at=after.due_at, grace_until=after.grace_until, attempts=after.attempts, receipt=after.receipt,
            fine_exposure=after.fine_exposure, upstream_errors=after.upstream_errors,
            finding_codes=sorted({f.code for f in after.findings}), findings=after.findings,
            supersedes=after.supersedes,
        ),
    )


class DeliveryAttempt(Model):
    at: datetime
    http_status: int | None = None
    error: str = ""
    duration_ms: int = 0


class Delivery(Model):
    """One event and its delivery state: ``pending`` → ``delivered`` | ``failed`` (gave up after the
    last retry) | ``no_endpoint`` (the tenant had no webhook when it was due)."""

    event_id: str
    type: str = "submission.status_changed"
    #: The submission the event is about ("" for an incident).
    submission_id: str
    #: The status it reached (submission events only).
    status: Status | None = None
    occurred_at: datetime
    delivery: Literal["pending", "delivered", "failed", "no_endpoint"]
    attempts: int = 0
    next_attempt_at: datetime | None = None
    log: list[DeliveryAttempt] = Field(default_factory=list)


class DeliveryList(Page):
    """The tenant's webhook deliveries, newest first."""

    items: list[Delivery]


class WebhookConfig(Model):
    url: str
    #: Shown in full only in the answer to ``PUT /v1/webhook`` (rotate by PUT-ing again).
    secret: str | None = None
    secret_hint: str = ""


class WebhookRequest(Model):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2048)
