"""One status vocabulary for every kind of submission (SPEC §3)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    INVALID = "invalid"
    ACCEPTED = "accepted"
    TRANSMITTING = "transmitting"
    TRANSMITTED = "transmitted"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


#: Statuses from which the transmitter may (re)claim a submission.
SENDABLE = frozenset({Status.ACCEPTED, Status.TRANSMITTING, Status.DEFERRED, Status.OVERDUE})
#: Statuses that never change again.
FINAL = frozenset({Status.INVALID, Status.TRANSMITTED, Status.REJECTED, Status.CANCELLED})
