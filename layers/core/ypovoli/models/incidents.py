"""Upstream (force-majeure) incidents as the API and the webhooks show them (SPEC §3)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .base import Model
from .page import Page


class Incident(Model):
    upstream: str
    afm: str
    start: datetime
    end: datetime | None = None
    affected: list[str] = Field(default_factory=list)
    notice_el: str = ""


class IncidentList(Page):
    afm: str
    items: list[Incident]
