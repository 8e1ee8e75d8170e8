"""ERGANI II's own documents, field for field (ergani-api.md §1.4–1.6; `Card_v1.xsd`, `WTO_v1.xsd`,
`WTO_Weekly_v1.xsd`, `WTO_v2.xsd`).

ERGANI validates every JSON submission like its XSD: **every field present**, empty or not (2024
FAQ API Q7γ). The models therefore accept what clients send (missing optional fields default to
"" or null) and :func:`official` writes every field back out. Dates and times keep ERGANI's
spellings: card `f_date` ISO-8601 with the Athens offset, `f_reference_date` `yyyy-MM-dd`, ΨΟΧΕ dates
`dd/MM/yyyy`, times `HH:MM`, `f_day` 0–6 with Sunday = 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from ...clock import ATHENS


def _real_day(value: str) -> str:
    """A `dd/MM/yyyy` that names a day that exists, in a year ERGANI can mean (2000–2099)."""
    if value:
        day, month, year = (int(part) for part in value.split("/"))
        dt.date(year, month, day)  # raises ValueError for 31/02
        if not 2000 <= year <= 2099:
            raise ValueError("the year is outside 2000–2099")
    return value


def _sane_date(value: dt.date) -> dt.date:
    if not 2000 <= value.year <= 2099:
        raise ValueError("the year is outside 2000–2099")
    return value


def _sane_moment(value: dt.datetime) -> dt.datetime:
    if not 2000 <= value.year <= 2099:
        raise ValueError("the year is outside 2000–2099")
    return value if value.tzinfo else value.replace(tzinfo=ATHENS)  # no offset: Athens, as a terminal means it


Afm = Annotated[str, Field(pattern=r"^[0-9]{9}$")]
Branch = Annotated[str, Field(pattern=r"^[0-9]{1,5}$")]
GreekDate = Annotated[str, Field(pattern=r"^(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/[0-9]{4}$"),
                      AfterValidator(_real_day)]
Hhmm = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
OptionalGreekDate = Annotated[str, Field(pattern=r"^((0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/[0-9]{4})?$"),
                              AfterValidator(_real_day)]
OptionalHhmm = Annotated[str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")]

#: `f_aitiologia` codes (ERGANI parameter `WorkCardDelayReason`).
DELAY_REASONS = {"001": "ΠΡΟΒΛΗΜΑ ΣΤΗΝ ΗΛΕΚΤΡΟΔΟΤΗΣΗ/ΤΗΛΕΠΙΚΟΙΝΩΝΙΕΣ",
                 "002": "ΠΡΟΒΛΗΜΑ ΣΤΑ ΣΥΣΤΗΜΑΤΑ ΤΟΥ ΕΡΓΟΔΟΤΗ",
                 "003": "ΠΡΟΒΛΗΜΑ ΣΥΝΔΕΣΗΣ ΜΕ ΤΟ ΠΣ ΕΡΓΑΝΗ"}
#: ΨΟΧΕ interval types: work, telework, rest day (ρεπό), non-work day.
WORK_TYPES = frozenset({"ΕΡΓ", "ΤΗΛ"})
OFF_TYPES = frozenset({"ΑΝ", "ΜΕ"})
#: Overtime (`WTOOv`, `WTOOvA`): «Υπερωρία (ώρα από - έως)» and «Ακύρωση Υπερωρίας (ΜΗ ΥΠΕΡΩΡΙΑ)»,
#: the same ΨΟΧΕ analytics with types of their own (Extended Manual 20.02.2026 §4.1.6).
OVERTIME = "ΥΠ"
NO_OVERTIME = "ΧΥΠ"
OVERTIME_TYPES = frozenset({OVERTIME, NO_OVERTIME})


class Official(BaseModel):
    """ERGANI's XSDs type every field as a string, but the public SDK (``ergani`` on PyPI) sends a branch
    (`f_aa`, `f_aa_pararthmatos`) and a weekday (`f_day`) as JSON numbers, and ERGANI takes them: a
    whole number is read as the string ERGANI stores (``0`` → ``"0"``), never refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True,
                              coerce_numbers_to_str=True)


def parse_greek_date(value: str) -> dt.date:
    day, month, year = value.split("/")
    return dt.date(int(year), int(month), int(day))


def greek_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


# ---- WRKCardSE ----------------------------------------------------------------------------------

class CardDetail(Official):
    f_afm: Afm
    f_eponymo: str = Field(min_length=1, max_length=50)
    f_onoma: str = Field(min_length=1, max_length=30)
    f_type: str = Field(pattern=r"^[01]$")  # 0 Προσέλευση (start), 1 Αποχώρηση (end)
    f_reference_date: Annotated[dt.date, AfterValidator(_sane_date)]
    f_date: Annotated[dt.datetime, AfterValidator(_sane_moment)]
    f_aitiologia: str | None = Field(default=None, pattern=r"^([0-9]{1,10})?$")

    @field_validator("f_aitiologia")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def is_start(self) -> bool:
        return self.f_type == "0"


class CardDetails(Official):
    CardDetails: list[CardDetail] = Field(min_length=1, max_length=1000)


class WorkCard(Official):
    f_afm_ergodoti: Afm
    f_aa: Branch = "0"
    f_comments: str = Field(default="", max_length=200)
    Details: CardDetails


class CardList(Official):
    Card: list[WorkCard] = Field(min_length=1, max_length=50)


class WorkCardDoc(Official):
    """`POST Documents/WRKCardSE`: one card per branch, many start/end events per card."""

    Cards: CardList

    @property
    def employer(self) -> str:
        return self.Cards.Card[0].f_afm_ergodoti

    def events(self) -> list[tuple[WorkCard, CardDetail]]:
        return [(card, detail) for card in self.Cards.Card for detail in card.Details.CardDetails]


# ---- WTOS: ΨΟΧΕ (WTOWeek, WTODaily) and leaves (WTOLeave) -----------------------------------------

class Interval(Official):
    """`ErgazomenosWTOAnalytics`: one interval (or a day marker) of one employee."""

    f_type: str = Field(min_length=1, max_length=10)
    f_from: OptionalHhmm = ""
    f_to: OptionalHhmm = ""
    #: Leaves only (WTO_v2): reference year and entitled days, zero-padded («020»).
    f_year: str | None = Field(default=None, pattern=r"^([0-9]{4})?$")
    f_req_days: str | None = Field(default=None, pattern=r"^([0-9]{3})?$")


class Intervals(Official):
    ErgazomenosWTOAnalytics: list[Interval] = Field(min_length=1, max_length=20)


class EmployeeEntry(Official):
    f_afm: Afm
    f_eponymo: str = Field(min_length=1, max_length=50)
    f_onoma: str = Field(min_length=1, max_length=30)
    #: WTOWeek: the weekday, 0 = Sunday (ΚΥΡΙΑΚΗ) … 6 = Saturday.
    f_day: str = Field(default="", pattern=r"^[0-6]?$")
    #: WTODaily / WTOLeave: the date.
    f_date: OptionalGreekDate = ""
    ErgazomenosAnalytics: Intervals


class Employees(Official):
    ErgazomenoiWTO: list[EmployeeEntry] = Field(min_length=1, max_length=5000)


class Wto(Official):
    f_aa_pararthmatos: Branch = "0"
    f_rel_protocol: str = Field(default="", max_length=50)
    f_rel_date: OptionalGreekDate = ""
    f_comments: str = Field(default="", max_length=200)
    f_from_date: OptionalGreekDate = ""
    f_to_date: OptionalGreekDate = ""
    Ergazomenoi: Employees


class WtoList(Official):
    WTO: list[Wto] = Field(min_length=1, max_length=50)


class BreakTerms(Official):
    """An employee's break as declared on WebMA (seed 001, «Στοιχεία Διαλείμματος»): its minutes,
    whether it lies inside the schedule, and the contractual daily working time it must not stretch."""

    minutes: int = Field(ge=0, le=240)
    within_schedule: bool
    daily_minutes: int = Field(ge=1, le=24 * 60)


class WtoDoc(Official):
    """The `WTOS` envelope of `WTOWeek`, `WTODaily` and `WTOLeave` (which one is the route's)."""

    WTOS: WtoList
    #: Not ERGANI's: the employer whose declaration it is (ERGANI takes it from the login; ypovoli
    #: needs it to scope the tenant). Never sent upstream.
    f_afm_ergodoti: Afm
    #: Not ERGANI's either: each employee's agreed flexible arrival in minutes (ΑΦΜ → minutes, declared
    #: to ERGANI on WebMA), checked against the 120′ ceiling and used by the deviation sweeps.
    flex: dict[str, int] = Field(default_factory=dict)
    #: Not ERGANI's either: each employee's break terms (ΑΦΜ → terms, declared on WebMA), for
    #: ERGANI-SCHEDULE-BREAK.
    breaks: dict[str, BreakTerms] = Field(default_factory=dict)


def official(document: BaseModel) -> dict[str, Any]:
    """Every field, as ERGANI wants it on the way out: dates and times in its spellings, the card's
    `f_date` with the Athens offset, nothing left out (``None`` stays ``null``)."""
    ours = {"f_afm_ergodoti", "flex", "breaks"} if isinstance(document, WtoDoc) else None  # ypovoli's, never ERGANI's
    data = document.model_dump(mode="json", exclude=ours)
    if isinstance(document, WorkCardDoc):
        for card, raw in zip(document.Cards.Card, data["Cards"]["Card"], strict=True):
            for detail, out in zip(card.Details.CardDetails, raw["Details"]["CardDetails"], strict=True):
                out["f_date"] = detail.f_date.astimezone(ATHENS).isoformat(timespec="microseconds")
                out["f_reference_date"] = detail.f_reference_date.isoformat()
    return dict(data)
