"""The digital work card regime of one employer (issue 32 §4): ERGANI's own flag where imported
(``ypovoli ergani staff import``), else the main ΚΑΔ against the dated phases, else unknown — and the
working days of an enrolled employer that carry no card event at all (ERGANI-CARD-REGIME)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...clock import ATHENS
from ...findings import Severity
from ...models.compliance import CardRegime, ComplianceItem
from ...services.deps import Deps
from .card_ledger import CardLedger
from .card_phases import phase_of, phases
from .records import Timekeeping
from .staff_store import Staff

#: How many past days the compliance view looks back for working days without card events.
LOOKBACK_DAYS = 7
SOURCE = ("ΕΡΓΑΝΗ ΙΙ, ExecuteService EX_BASE_01 (IsInCardSector); ν. 4808/2021 άρθρο 74 και Υ.Α. 49758/31.05.2022 "
          "(https://www.ergani.gov.gr)")


def regime_of(deps: Deps, tenant: str, employer: str, today: dt.date) -> CardRegime:
    known = deps.store(Staff).employer(tenant, employer)
    table = phases(deps.settings.ergani_card_phases)
    if known is None:
        return CardRegime(enrolled=None, basis_el="Άγνωστο: δεν έχουν αντληθεί τα στοιχεία του εργοδότη από το ΕΡΓΑΝΗ "
                          "(ypovoli ergani staff import).",
                          basis_en="Unknown: the employer's data have not been read from ERGANI (ypovoli ergani staff "
                          "import).")
    record, imported = known
    phase = phase_of(record.main_kad, table) if record.main_kad else None
    since = phase.start if phase is not None else None
    when = imported.astimezone(ATHENS).strftime("%d/%m/%Y")
    if record.in_card_sector is not None:
        enrolled = record.in_card_sector
        el = (f"Το ΕΡΓΑΝΗ δηλώνει ότι ο εργοδότης {'είναι' if enrolled else 'δεν είναι'} ενταγμένος στην ψηφιακή κάρτα "
              f"(IsInCardSector, ανάγνωση {when})")
        en = (f"ERGANI says the employer {'is' if enrolled else 'is not'} in the digital work card regime "
              f"(IsInCardSector, read {when})")
        source = SOURCE
    elif phase is not None:
        enrolled = today >= phase.start
        el = f"Κύριος ΚΑΔ {record.main_kad}: {phase.sector_el}, από {phase.start:%d/%m/%Y}"
        en = f"Main ΚΑΔ {record.main_kad}: {phase.sector_en}, from {phase.start:%d/%m/%Y}"
        source = phase.source
    else:
        return CardRegime(enrolled=False if record.main_kad else None, main_kad=record.main_kad,
                          basis_el=f"Ο κύριος ΚΑΔ «{record.main_kad or '—'}» δεν ανήκει σε φάση ένταξης του πίνακα.",
                          basis_en=f"The main ΚΑΔ «{record.main_kad or '—'}» is in no phase of the table.",
                          source=SOURCE)
    if phase is not None and enrolled:
        el += f"· κυρώσεις από {phase.start:%d/%m/%Y} ({phase.sector_el})"
        en += f"; sanctions apply from {phase.start:%d/%m/%Y} ({phase.sector_en})"
        if phase.year_only:
            el += ", έτος κατά την πηγή· η ημέρα της απόφασης ρυθμίζεται (ERGANI_CARD_PHASES)"
            en += ", the year as the source gives it; the decision's own day is a setting (ERGANI_CARD_PHASES)"
    return CardRegime(enrolled=enrolled, since=since if enrolled else None, main_kad=record.main_kad,
                      basis_el=el + ".", basis_en=en + ".", source=source)


def days_without_cards(deps: Deps, tenant: str, employer: str, regime: CardRegime,
                       now: dt.datetime) -> list[ComplianceItem]:
    """ERGANI-CARD-REGIME: the last week's declared working days of an enrolled employer on which no
    card event at all was declared through ypovoli."""
    if not regime.enrolled:
        return []
    today = now.astimezone(ATHENS).date()
    first = max(today - dt.timedelta(days=LOOKBACK_DAYS), regime.since or dt.date.min)
    last = today - dt.timedelta(days=1)
    if last < first:
        return []
    declared = deps.store(Timekeeping).month(tenant, employer, first, last)
    carded = {day for day, _ in deps.store(CardLedger).between(tenant, employer, first, last)}
    working: dict[dt.date, int] = {}
    for (day, _), schedule in declared.items():
        if schedule.is_work_day:
            working[day] = working.get(day, 0) + 1
    out = []
    for day, people in sorted(working.items()):
        if day in carded:
            continue
        out.append(ComplianceItem(
            kind="ergani_workcard", code="ERGANI-CARD-REGIME", severity=Severity.WARNING,
            subject=f"{employer} {day.isoformat()}",
            due_at=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(11, 0), tzinfo=ATHENS),
            message_el=f"Ο εργοδότης είναι ενταγμένος στην ψηφιακή κάρτα, αλλά για την εργάσιμη {day:%d/%m/%Y} "
                       f"({people} εργαζόμενοι με δηλωμένο ωράριο) δεν δηλώθηκε καμία κίνηση κάρτας.",
            message_en=f"The employer is in the digital work card regime, but no card event was declared for the "
                       f"working day {day:%d/%m/%Y} ({people} employees scheduled)."))
    return out


def compliance_part(deps: Deps, tenant: str, afm: str, now: dt.datetime,
                    _known: dict[str, Any]) -> tuple[list[ComplianceItem], dict[str, Any]]:
    """The registry's compliance part: the employer's card regime (a field of the view) and the
    enrolled employer's working days without a card event."""
    regime = regime_of(deps, tenant, afm, now.date())
    return days_without_cards(deps, tenant, afm, regime, now), {"card_regime": regime}
