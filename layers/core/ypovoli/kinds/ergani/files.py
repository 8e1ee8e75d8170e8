"""The files an employer's systems have for ERGANI (``ypovoli validate`` / ``submit``,
``services/offline.py``): WRKCardSE, and the WTOS documents told apart by content — a weekly schedule,
overtime, a leave or a daily schedule."""

from __future__ import annotations

from typing import Any

from ...services.offline import FileKind
from .kind import LEAVE, OVERTIME, OVERTIME_RETRO, WORKCARD, WTO_DAILY, WTO_WEEK
from .model import OFF_TYPES, OVERTIME_TYPES, WORK_TYPES


def _wtos_kind(payload: Any) -> str | None:
    """Which WTOS document a payload is, by content: the announced overtime, not WTOOvA (its own route)."""
    if not isinstance(payload, dict) or "WTOS" not in payload:
        return None
    entries = [e for wto in (payload.get("WTOS") or {}).get("WTO") or []
               for e in ((wto.get("Ergazomenoi") or {}).get("ErgazomenoiWTO") or [])]
    if any(str(e.get("f_day") or "") for e in entries):
        return WTO_WEEK.name
    types = {str(i.get("f_type")) for e in entries
             for i in ((e.get("ErgazomenosAnalytics") or {}).get("ErgazomenosWTOAnalytics") or [])}
    if types and types <= OVERTIME_TYPES:
        return OVERTIME.name
    return LEAVE.name if types and not types & (WORK_TYPES | OFF_TYPES) else WTO_DAILY.name


def _wtos(name: str) -> Any:
    return lambda payload: _wtos_kind(payload) == name


FILES = [
    FileKind(WORKCARD.name, "/v1/workcards", lambda p: isinstance(p, dict) and "Cards" in p),
    FileKind(WTO_WEEK.name, "/v1/work-schedules/WTOWeek", _wtos(WTO_WEEK.name)),
    FileKind(WTO_DAILY.name, "/v1/work-schedules/WTODaily", _wtos(WTO_DAILY.name)),
    FileKind(LEAVE.name, "/v1/leaves", _wtos(LEAVE.name)),
    FileKind(OVERTIME.name, "/v1/work-schedules/WTOOv", _wtos(OVERTIME.name)),
    # Never by content (a WTOOvA reads as a WTOOv): its route, for what is sent to it by name.
    FileKind(OVERTIME_RETRO.name, "/v1/work-schedules/WTOOvA", lambda _p: False),
]
