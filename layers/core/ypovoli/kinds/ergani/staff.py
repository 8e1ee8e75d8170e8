"""The employer as ERGANI knows it, read through `WebServices/ExecuteService` (ergani-api.md §1.8):
`EX_BASE_01` the employer (and `IsInCardSector`), `EX_BASE_02` its branches, `EX_BASE_05` its current
staff — per employee the card flag, the weekly hours, the 5- or 6-day week, the break and the flexible
arrival (seed 001: employees are registered with «τις συμβατικές ώρες απασχόλησης εβδομαδιαίως, την
εφαρμογή 5θήμερης ή 6ήμερης εργασίας, … τη χορήγηση διαλείμματος»).

Only what the rules need is kept: never ΑΜΚΑ, address, pay or anything else ERGANI returns (the
registry is a working copy for checks, not a personnel file). Pure: answers in, records out.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...models.base import Model

#: ExecuteService's service codes (ergani-api.md §1.8).
EMPLOYER_SERVICE = "EX_BASE_01"
BRANCHES_SERVICE = "EX_BASE_02"
STAFF_SERVICE = "EX_BASE_05"


class Employee(BaseModel):
    """One employee of the registry (``GET /v1/businesses/{afm}/employees``)."""

    model_config = ConfigDict(extra="forbid")

    afm: str = Field(pattern=r"^[0-9]{9}$", description="the employee's ΑΦΜ")
    surname: str = Field(default="", max_length=50, description="surname as declared to ERGANI")
    name: str = Field(default="", max_length=30, description="first name as declared to ERGANI")
    branch: str = Field(default="0", pattern=r"^[0-9]{1,5}$", description="branch serial (0 = head office)")
    card: bool = Field(default=False, description="whether the digital work card applies to the employee")
    weekly_hours: Decimal | None = Field(default=None, ge=0, le=80, description="contractual hours a week")
    week_days: int | None = Field(default=None, ge=1, le=7, description="working days a week (5 or 6)")
    break_minutes: int | None = Field(default=None, ge=0, le=240, description="the break's minutes")
    break_within: bool | None = Field(default=None, description="whether the break lies inside the schedule")
    flex_minutes: int | None = Field(default=None, ge=0, le=120, description="agreed flexible arrival, minutes")
    source: str = Field(default="ergani", pattern=r"^(ergani|employer)$",
                        description="where the record came from: ERGANI's current staff, or the employer")

    @property
    def label(self) -> str:
        named = f"{self.surname} {self.name}".strip()
        return f"{named} ({self.afm})" if named else self.afm


class Employer(BaseModel):
    """The employer's own data from ERGANI: its name, main ΚΑΔ, card regime flag and branches."""

    model_config = ConfigDict(extra="forbid")

    afm: str = Field(pattern=r"^[0-9]{9}$", description="the employer's ΑΦΜ")
    name: str = Field(default="", description="the employer's name (ERGANI's «Eponimia»)")
    main_kad: str = Field(default="", description="the main ΚΑΔ (activity code) in TAXIS, if ERGANI gave it")
    in_card_sector: bool | None = Field(default=None, description="ERGANI's IsInCardSector flag (None: unknown)")
    branches: list[str] = Field(default_factory=list, description="branch serials, «0» the head office")


def records(answer: Any, key: str) -> list[dict[str, Any]]:
    """ExecuteService gives an object for one record and an array for several (ergani-api.md §1.8,
    «Quirk»); the records may sit under ``key`` at any depth of a wrapper object."""
    if isinstance(answer, list):
        out: list[dict[str, Any]] = []
        for one in answer:
            out += records(one, key)
        return out
    if not isinstance(answer, dict):
        return []
    for name, value in answer.items():
        if name.lower() == key.lower():
            return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]
    for value in answer.values():
        if isinstance(value, dict | list):
            found = records(value, key)
            if found:
                return found
    return []


def _field(record: dict[str, Any], *names: str) -> Any:
    lowered = {k.lower(): v for k, v in record.items()}
    for name in names:
        if name.lower() in lowered and lowered[name.lower()] not in (None, ""):
            return lowered[name.lower()]
    return None


def _yes(value: Any) -> bool | None:
    """ERGANI's flags: 1/0, true/false, «ΝΑΙ (1)» / «ΟΧΙ (0)»."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().upper()
    if re.search(r"\(1\)|^1$|^ΝΑΙ|^TRUE$|^YES$", text):
        return True
    if re.search(r"\(0\)|^0$|^ΟΧΙ|^FALSE$|^NO$", text):
        return False
    return None


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    match = re.search(r"[0-9]+(?:[.,][0-9]+)?", str(value))
    if not match:
        return None
    try:
        return Decimal(match.group(0).replace(",", "."))
    except InvalidOperation:
        return None


def _whole(value: Any, low: int, high: int) -> int | None:
    number = _number(value)
    return int(number) if number is not None and low <= number <= high else None


def employer_from(afm: str, base01: Any, base02: Any) -> Employer:
    found = records(base01, "Ergodotis")
    first = found[0] if found else {}
    branches = sorted({str(_field(b, "Aa", "PararthmaAa", "f_aa") or "0") for b in records(base02, "Pararthma")},
                      key=lambda b: int(b) if b.isdigit() else 0)
    return Employer(afm=afm, name=str(_field(first, "Eponimia", "Eponymia") or ""),
                    main_kad=str(_field(first, "KadKyria", "Kad", "MainKad") or ""),
                    in_card_sector=_yes(_field(first, "IsInCardSector")), branches=branches or ["0"])


def staff_from(base05: Any) -> tuple[list[Employee], list[str]]:
    """The current staff, and what could not be read (one line per record left out)."""
    out: list[Employee] = []
    skipped: list[str] = []
    for i, record in enumerate(records(base05, "Cur")):
        afm = str(_field(record, "Afm", "f_afm") or "")
        if not re.fullmatch(r"[0-9]{9}", afm):
            skipped.append(f"Cur[{i}]: ΑΦΜ «{afm[:12]}»")
            continue
        branch = str(_field(record, "PararthmaAa", "Aa") or "0")
        hours = _number(_field(record, "WeekHours"))
        out.append(Employee(
            afm=afm, surname=str(_field(record, "Eponymo", "Eponimo", "Surname") or "")[:50],
            name=str(_field(record, "Onoma", "Name") or "")[:30],
            branch=branch if re.fullmatch(r"[0-9]{1,5}", branch) else "0",
            card=bool(_yes(_field(record, "WorkingCard"))),
            weekly_hours=hours if hours is not None and hours <= 80 else None,
            week_days=_whole(_field(record, "WeekDays"), 1, 7),
            break_minutes=_whole(_field(record, "DialeimmaMinutes"), 0, 240),
            break_within=_yes(_field(record, "DialeimmaEntosWrariou")),
            flex_minutes=_whole(_field(record, "EueliktoWrario"), 0, 120)))
    return out, skipped


class EmployeeList(Model):
    """``GET /v1/businesses/{afm}/employees``: the employer's registry (from ERGANI's current staff, or
    the employer's own), and the employer as ERGANI knows it."""

    afm: str = Field(description="the employer's ΑΦΜ")
    employer: Employer | None = Field(default=None, description="the employer's data from ERGANI, once imported")
    imported_at: datetime | None = Field(default=None, description="when ERGANI's data were last read")
    items: list[Employee] = Field(description="the employees, by surname")
    removed: int = Field(default=0, description="import only: employees ERGANI no longer lists, removed")
    skipped: list[str] = Field(default_factory=list, description="import only: unreadable records")
