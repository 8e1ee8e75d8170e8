"""Outage evidence (seed 004 TF1 record): when it started, what failed, how often."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models.submission import OutageEvidence


def record_failure(previous: OutageEvidence | None, now: datetime, error: str,
                   record: dict[str, Any]) -> OutageEvidence:
    if previous is None:
        return OutageEvidence(first_failure_at=now, last_failure_at=now, last_error=error, failures=1,
                              record={k: str(v) for k, v in record.items()})
    return previous.model_copy(update={"last_failure_at": now, "last_error": error,
                                       "failures": previous.failures + 1})
