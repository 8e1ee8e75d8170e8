"""What ERGANI's checks may know besides the document: what this tenant declared through ypovoli
before (ERGANI itself cannot be asked), the employer's staff registry and its card regime. Built by
the kind's ``facts`` hook at intake (:func:`facts`); a check with none (``ypovoli validate``, offline)
knows nothing and says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..base import CheckContext
from .overtime import NOT_KNOWN

if TYPE_CHECKING:
    from ...services.deps import Deps


def _never(_employer: str, _reference: date, _employee: str, _kind: str) -> bool:
    return False


def _never_day(_employer: str, _day: date, _employee: str) -> bool:
    return False


def _not_known(_employer: str, _day: date, _employee: str) -> Any:
    return NOT_KNOWN


def _nothing_of_day(_employer: str, _day: date, _employee: str) -> Any:
    return None


def _nothing_of(_key: str) -> Any:
    return None


def _no_staff(_employer: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ErganiFacts:
    #: Whether this tenant declared a card event (employer, reference date, employee, type 0/1)
    #: through ypovoli before: ERGANI cannot be asked (ERGANI-CARD-PAIR).
    card_declared: Callable[[str, date, str, str], bool] = _never
    #: Whether a schedule of that (employer, day, employee) was declared through ypovoli before
    #: (ERGANI-SCHEDULE-OVERLAP: the latest declaration holds).
    day_declared: Callable[[str, date, str], bool] = _never_day
    #: The overtime that holds for (employer, day, employee), declared through ypovoli before (an
    #: ``OvertimeDay``; ``NOT_KNOWN`` where nothing can be asked), and when the day's declared schedule
    #: ends — for WTOOv's own checks.
    overtime_held: Callable[[str, date, str], Any] = _not_known
    schedule_end: Callable[[str, date, str], datetime | None] = _nothing_of_day
    #: The employer's registry of employees (ΑΦΜ → ``Employee``; empty when never imported) and whether
    #: the employer is in the card regime (None: not known).
    staff: Callable[[str], dict[str, Any]] = _no_staff
    in_card_regime: Callable[[str], bool | None] = _nothing_of


NOTHING_KNOWN = ErganiFacts()


def of(context: CheckContext) -> ErganiFacts:
    return context.facts if isinstance(context.facts, ErganiFacts) else NOTHING_KNOWN


def facts(deps: Deps, tenant: str, now: datetime) -> ErganiFacts:
    """The facts read from this tenant's records, each only when a check asks for it."""
    from .card_ledger import CardLedger
    from .card_regime import regime_of
    from .records import Timekeeping
    from .staff_store import Staff

    def schedule_end(employer: str, day: date, employee: str) -> datetime | None:
        held = deps.store(Timekeeping).holding(tenant, employer, day, employee)
        return held.intervals[-1][1] if held is not None and held.intervals else None

    return ErganiFacts(
        card_declared=lambda employer, ref, afm, code: deps.store(CardLedger).declared(tenant, employer, ref, afm,
                                                                                        code),
        day_declared=lambda employer, day, afm: deps.store(Timekeeping).holding(tenant, employer, day, afm) is not None,
        overtime_held=lambda employer, day, afm: deps.store(Timekeeping).overtime(tenant, employer, day, afm),
        schedule_end=schedule_end,
        staff=lambda employer: deps.store(Staff).employees(tenant, employer),
        in_card_regime=lambda employer: regime_of(deps, tenant, employer, now.date()).enrolled)
