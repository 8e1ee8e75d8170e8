"""The one source of "now".

Lambda uses the system clock. Tests and the local stack install an :class:`OffsetClock` and move it
(``POST /_local/clock``) instead of sleeping. Every time is timezone-aware; legal days are
Europe/Athens days (see ``deadlines``).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """System time shifted by an offset that only moves forward (like real time)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += delta
        return self.now()


class FixedClock:
    """A stopped clock, for unit tests."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> datetime:
        self._at += delta
        return self._at


def sortable(moment: datetime) -> str:
    """UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``: text order is time order (index sort keys, event keys)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_current: Clock = SystemClock()


def now() -> datetime:
    return _current.now()


def athens_now() -> datetime:
    return _current.now().astimezone(ATHENS)


def get_clock() -> Clock:
    return _current


def set_clock(clock: Clock) -> None:
    global _current
    _current = clock
