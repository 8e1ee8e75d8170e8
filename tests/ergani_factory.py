"""ERGANI II documents as the official samples shape them (ergani-api.md §1.4–1.6), for tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ypovoli.clock import ATHENS

EMPLOYER = "094019245"
EMPLOYEE, EMPLOYEE_B = "123456783", "100000015"


def card_event(kind: str, when: dt.datetime, reference: dt.date | None = None, afm: str = EMPLOYEE,
               reason: str | None = None) -> dict[str, Any]:
    local = when.astimezone(ATHENS)
    return {"f_afm": afm, "f_eponymo": "ΠΑΠΑΔΟΠΟΥΛΟΣ", "f_onoma": "ΙΩΑΝΝΗΣ", "f_type": "0" if kind == "start" else "1",
            "f_reference_date": (reference or local.date()).isoformat(), "f_date": local.isoformat(),
            "f_aitiologia": reason}


def workcard(*events: dict[str, Any], employer: str = EMPLOYER, branch: str = "0") -> dict[str, Any]:
    return {"Cards": {"Card": [{"f_afm_ergodoti": employer, "f_aa": branch, "f_comments": "",
                                "Details": {"CardDetails": list(events)}}]}}


def interval(kind: str = "ΕΡΓ", start: str = "", end: str = "", **extra: Any) -> dict[str, Any]:
    return {"f_type": kind, "f_from": start, "f_to": end, **extra}


def employee(*intervals: dict[str, Any], afm: str = EMPLOYEE, day: str = "", date: str = "") -> dict[str, Any]:
    return {"f_afm": afm, "f_eponymo": "ΠΑΠΑΔΟΠΟΥΛΟΣ", "f_onoma": "ΙΩΑΝΝΗΣ", "f_day": day, "f_date": date,
            "ErgazomenosAnalytics": {"ErgazomenosWTOAnalytics": list(intervals)}}


def wtos(*employees: dict[str, Any], start: str, end: str = "", employer: str = EMPLOYER) -> dict[str, Any]:
    return {"f_afm_ergodoti": employer,
            "WTOS": {"WTO": [{"f_aa_pararthmatos": "0", "f_rel_protocol": "", "f_rel_date": "", "f_comments": "",
                              "f_from_date": start, "f_to_date": end,
                              "Ergazomenoi": {"ErgazomenoiWTO": list(employees)}}]}}


def greek(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def week_of(start: dt.date, hours: tuple[str, str] = ("09:00", "17:00"), afm: str = EMPLOYEE,
            rest: tuple[str, ...] = ("0", "6")) -> dict[str, Any]:
    """A fixed weekly schedule from ``start``: Monday–Friday ``hours``, Saturday and Sunday rest."""
    days = [employee(interval("ΑΝ"), afm=afm, day=d) if d in rest else employee(interval("ΕΡΓ", *hours), afm=afm, day=d)
            for d in "0123456"]
    return wtos(*days, start=greek(start))
