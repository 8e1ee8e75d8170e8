"""ERGANI-* rules (SPEC §5.3; seed 001, the digital work card guide; ergani-api.md §1.4–1.6, §4).
Pure functions: a document, the time and the settings in, findings out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ...clock import ATHENS
from ...deadlines import athens_text
from ...findings import Finding, Severity
from ...rules.common import is_valid_afm
from .model import (
    DELAY_REASONS,
    OFF_TYPES,
    WORK_TYPES,
    CardDetail,
    EmployeeEntry,
    Interval,
    WorkCardDoc,
    WtoDoc,
    parse_greek_date,
)

SEED = "ν. 4808/2021 άρθρο 74 και Υ.Α. 49758/2022 (Ψηφιακή Κάρτα Εργασίας; https://www.ergani.gov.gr)"
API = "ΕΡΓΑΝΗ ΙΙ, Web API (REST): τεχνικές προδιαγραφές και XSD των υποβολών (https://www.ergani.gov.gr)"
E, W = Severity.ERROR, Severity.WARNING
#: «με μέγιστο χρόνο καθυστέρησης … 15 λεπτών» (seed 001, the note on card events).
CARD_WINDOW = dt.timedelta(minutes=15)
#: A night shift's end may fall on the next day, «no later than 11:00» (ERGANI's own check).
NIGHT_END = dt.time(11, 0)
#: «το δεύτερο διάστημα «Από» θα πρέπει να είναι τουλάχιστον +3 ώρες από την ώρα «Έως»» (seed 001).
SPLIT_GAP = dt.timedelta(hours=3)
#: «εντός Χ λεπτών (και έως 120′ κατ΄ ανώτατο)» (seed 001, flexible arrival).
MAX_FLEX_MINUTES = 120


def _f(code: str, severity: Severity, path: str, el: str, en: str, source: str = SEED) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=source)


def _afm(path: str, value: str, who_el: str, who_en: str) -> list[Finding]:
    if is_valid_afm(value):
        return []
    return [_f("ERGANI-AFM", E, path, f"Μη έγκυρος ΑΦΜ {who_el}: «{value}».",
               f"Invalid ΑΦΜ of the {who_en}: «{value}».", API)]


def who(person: CardDetail | EmployeeEntry) -> str:
    """An employee as declared, beside the ΑΦΜ: «ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783)»."""
    return f"{person.f_eponymo} {person.f_onoma} ({person.f_afm})"


#: The ΑΦΜ checks, for the other ERGANI rule modules.
afm_findings = _afm


# ---- work card (WRKCardSE) ---------------------------------------------------------------------------

def check_card(doc: WorkCardDoc, now: dt.datetime) -> list[Finding]:
    findings: list[Finding] = []
    for c, card in enumerate(doc.Cards.Card):
        findings += _afm(f"Cards.Card[{c}].f_afm_ergodoti", card.f_afm_ergodoti, "του εργοδότη", "employer")
        if card.f_afm_ergodoti != doc.employer:
            findings.append(_f("ERGANI-AFM", E, f"Cards.Card[{c}].f_afm_ergodoti",
                               "Όλες οι κάρτες μιας δήλωσης αφορούν τον ίδιο εργοδότη.",
                               "Every card of one declaration is the same employer's.", API))
    seen: dict[tuple[str, str, str, dt.date], str] = {}
    for c, card in enumerate(doc.Cards.Card):
        for d, detail in enumerate(card.Details.CardDetails):
            path = f"Cards.Card[{c}].Details.CardDetails[{d}]"
            findings += _afm(f"{path}.f_afm", detail.f_afm, "του εργαζομένου", "employee")
            findings += _card_date(path, detail.is_start, detail.f_reference_date, detail.f_date, now)
            findings += _card_late(path, detail.f_date, detail.f_aitiologia, now)
            key = (card.f_aa, detail.f_afm, detail.f_type, detail.f_reference_date)
            if key in seen:
                what_el = "έναρξη" if detail.is_start else "λήξη"
                findings.append(_f(
                    "ERGANI-CARD-DUPLICATE", E, path,
                    f"Ο εργαζόμενος {who(detail)} εμφανίζεται δύο φορές με {what_el} για την "
                    f"{detail.f_reference_date} στην ίδια δήλωση ({seen[key]}): το ΕΡΓΑΝΗ απορρίπτει ολόκληρη "
                    "τη δήλωση.",
                    f"Employee {who(detail)} appears twice with the same type for {detail.f_reference_date} in one "
                    f"declaration ({seen[key]}): ERGANI refuses the whole declaration.", API))
            else:
                seen[key] = path
    return findings


def check_pairs(doc: WorkCardDoc, declared: Callable[[str, dt.date, str, str], bool]) -> list[Finding]:
    """ERGANI-CARD-PAIR (W): an end with no start of that employee and reference date — in this
    declaration or one sent before through ypovoli — is an orphan punch: sent, but flagged, since
    it counts against the employer."""
    starts = {(d.f_afm, d.f_reference_date) for _, d in doc.events() if d.is_start}
    out: list[Finding] = []
    for c, card in enumerate(doc.Cards.Card):
        for d, detail in enumerate(card.Details.CardDetails):
            if detail.is_start or (detail.f_afm, detail.f_reference_date) in starts:
                continue
            if declared(card.f_afm_ergodoti, detail.f_reference_date, detail.f_afm, "0"):
                continue
            out.append(_f("ERGANI-CARD-PAIR", W, f"Cards.Card[{c}].Details.CardDetails[{d}]",
                          f"Λήξη χωρίς έναρξη: ο εργαζόμενος {who(detail)} δεν έχει δηλωμένη έναρξη για την "
                          f"{detail.f_reference_date} (μεμονωμένη κίνηση, μετρά εις βάρος του εργοδότη).",
                          f"An end without a start: employee {who(detail)} has no declared start for "
                          f"{detail.f_reference_date} (an orphan punch, which counts against the employer).", API))
    return out


def _card_date(path: str, is_start: bool, reference: dt.date, when: dt.datetime, now: dt.datetime) -> list[Finding]:
    local = when.astimezone(ATHENS)
    out: list[Finding] = []
    if when > now:
        out.append(_f("ERGANI-CARD-DATE", E, f"{path}.f_date",
                      f"Η ώρα του γεγονότος ({athens_text(local)}) είναι μεταγενέστερη της υποβολής.",
                      f"The event time ({athens_text(local)}) is after the submission.", API))
    if is_start and local.date() != reference:
        out.append(_f("ERGANI-CARD-DATE", E, f"{path}.f_date",
                      f"Η έναρξη ({athens_text(local)}) πρέπει να είναι της ημερομηνίας αναφοράς {reference}.",
                      f"A start ({athens_text(local)}) must fall on its reference date {reference}.", API))
    night_end = local.date() == reference + dt.timedelta(days=1) and local.time().replace(second=0, microsecond=0) \
        <= NIGHT_END
    if not is_start and local.date() != reference and not night_end:
        out.append(_f("ERGANI-CARD-DATE", E, f"{path}.f_date",
                      f"Η λήξη ({athens_text(local)}) πρέπει να είναι της ημερομηνίας αναφοράς {reference} ή της "
                      "επόμενης έως τις 11:00 (νυχτερινή εργασία).",
                      f"An end ({athens_text(local)}) must fall on its reference date {reference}, or the next day no "
                      "later than 11:00 (night work).", API))
    return out


def _card_late(path: str, when: dt.datetime, reason: str | None, now: dt.datetime) -> list[Finding]:
    late = now - when > CARD_WINDOW
    if late and reason is None:
        return [_f("ERGANI-CARD-LATE", E, f"{path}.f_aitiologia",
                   f"Το γεγονός υποβάλλεται {_minutes(now - when)}′ μετά την πραγματοποίησή του (όριο 15′): χρειάζεται "
                   "αιτιολογία (001/002/003), νόμιμη μόνο σε ανωτέρα βία.",
                   f"The event is submitted {_minutes(now - when)} minutes after it happened (the limit is 15): it "
                   "needs a justification (001/002/003), lawful only for force majeure.")]
    if reason is not None and reason not in DELAY_REASONS:
        return [_f("ERGANI-CARD-LATE", E, f"{path}.f_aitiologia",
                   f"Άγνωστη αιτιολογία εκπρόθεσμης υποβολής «{reason}» (001, 002 ή 003).",
                   f"Unknown lateness justification «{reason}» (001, 002 or 003).", API)]
    if late:
        return [_f("ERGANI-CARD-LATE", W, f"{path}.f_aitiologia",
                   f"Εκπρόθεσμη υποβολή με αιτιολογία {reason} ({DELAY_REASONS[str(reason)]}): ειδοποιήστε την "
                   "Επιθεώρηση Εργασίας στην αρχή και στο τέλος του προβλήματος.",
                   f"Late submission justified with {reason}: notify the Labour Inspectorate at the start and at the "
                   "end of the problem.")]
    if reason is not None:
        return [_f("ERGANI-CARD-LATE", W, f"{path}.f_aitiologia",
                   "Αιτιολογία καθυστέρησης σε εμπρόθεσμο γεγονός: το ΕΡΓΑΝΗ τη ζητά μόνο για εκπρόθεσμα.",
                   "A lateness justification on an event sent in time: ERGANI asks for one only when late.", API)]
    return []


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


# ---- work-time organisation (WTOWeek, WTODaily) ------------------------------------------------------------

def _span(interval: Interval) -> tuple[int, int] | None:
    """An interval in minutes from the day's start; an end before its start runs past midnight."""
    if not interval.f_from or not interval.f_to:
        return None
    start = int(interval.f_from[:2]) * 60 + int(interval.f_from[3:])
    end = int(interval.f_to[:2]) * 60 + int(interval.f_to[3:])
    return start, end if end > start else end + 24 * 60


def _day(entry: EmployeeEntry, path: str) -> list[Finding]:
    out: list[Finding] = []
    intervals = entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics
    types = {i.f_type for i in intervals}
    work = [i for i in intervals if i.f_type in WORK_TYPES]
    if types & OFF_TYPES and work:
        out.append(_f("ERGANI-SCHEDULE-REST", E, path,
                      f"Ο εργαζόμενος {who(entry)}: ρεπό ή μη εργασία δεν συνδυάζεται με διαστήματα εργασίας "
                      "την ίδια ημέρα.",
                      f"Employee {who(entry)}: a rest or non-work day cannot carry work intervals.", API))
    for k, interval in enumerate(work):
        if _span(interval) is None:
            out.append(_f("ERGANI-SCHEDULE-REST", E, f"{path}.ErgazomenosAnalytics.ErgazomenosWTOAnalytics[{k}]",
                          "Διάστημα εργασίας χωρίς ώρα «Από» και «Έως».",
                          "A work interval without its «from» and «to» times.", API))
    spans = sorted(s for i in work if (s := _span(i)) is not None)
    for (_, first_end), (second_start, _) in itertools.pairwise(spans):
        gap = dt.timedelta(minutes=second_start - first_end)
        if gap < SPLIT_GAP:
            out.append(_f("ERGANI-SCHEDULE-SPLIT", E, path,
                          f"Ο εργαζόμενος {who(entry)}: το δεύτερο διάστημα διακεκομμένου ωραρίου αρχίζει "
                          f"{_minutes(gap)}′ μετά τη λήξη του πρώτου· απαιτούνται τουλάχιστον 3 ώρες.",
                          f"Employee {who(entry)}: the second interval of a split shift starts {_minutes(gap)} "
                          "minutes after the first ends; at least 3 hours are required."))
    return out


def check_schedule(doc: WtoDoc, code: str, now: dt.datetime, flex: dict[str, int] | None = None) -> list[Finding]:
    """ΨΟΧΕ: `WTOWeek` (every weekday 0–6 present per employee) or `WTODaily` (dates in the range),
    split shifts ≥ 3 h apart, rest days without work, declared before the work starts."""
    findings = _afm("f_afm_ergodoti", doc.f_afm_ergodoti, "του εργοδότη", "employer")
    for w, wto in enumerate(doc.WTOS.WTO):
        base = f"WTOS.WTO[{w}]"
        if not wto.f_from_date:
            findings.append(_f("ERGANI-SCHEDULE-BEFORE", E, f"{base}.f_from_date", "Λείπει η ημερομηνία «Από».",
                               "The «from» date is missing.", API))
            continue
        start = parse_greek_date(wto.f_from_date)
        end = parse_greek_date(wto.f_to_date) if wto.f_to_date else None
        if code == "WTODaily" and end is None:
            findings.append(_f("ERGANI-SCHEDULE-BEFORE", E, f"{base}.f_to_date",
                               "Το ημερήσιο ωράριο χρειάζεται ημερομηνία «Έως».", "A daily schedule needs a «to» date.",
                               API))
        if end is not None and end < start:
            findings.append(_f("ERGANI-SCHEDULE-BEFORE", E, f"{base}.f_to_date",
                               "Η ημερομηνία «Έως» προηγείται της «Από».", "The «to» date is before the «from» date.",
                               API))
        days: dict[str, set[str]] = defaultdict(set)
        for e, entry in enumerate(wto.Ergazomenoi.ErgazomenoiWTO):
            path = f"{base}.Ergazomenoi.ErgazomenoiWTO[{e}]"
            findings += _afm(f"{path}.f_afm", entry.f_afm, "του εργαζομένου", "employee")
            findings += _day(entry, path)
            if code == "WTOWeek":
                if entry.f_day == "":
                    findings.append(_f("ERGANI-SCHEDULE-REST", E, f"{path}.f_day",
                                       "Λείπει η ημέρα της εβδομάδας (0 = Κυριακή … 6 = Σάββατο).",
                                       "The weekday is missing (0 = Sunday … 6 = Saturday).", API))
                days[entry.f_afm].add(entry.f_day)
            else:
                if not entry.f_date:
                    findings.append(_f("ERGANI-SCHEDULE-REST", E, f"{path}.f_date", "Λείπει η ημερομηνία.",
                                       "The date is missing.", API))
                    continue
                day = parse_greek_date(entry.f_date)
                if day < start or (end is not None and day > end):
                    findings.append(_f("ERGANI-SCHEDULE-BEFORE", E, f"{path}.f_date",
                                       f"Η ημερομηνία {entry.f_date} είναι εκτός του διαστήματος της δήλωσης.",
                                       f"The date {entry.f_date} is outside the declaration's range.", API))
            findings += _before(entry, code, start, now, path)
            minutes = (flex or {}).get(entry.f_afm)
            if minutes is not None and not 0 <= minutes <= MAX_FLEX_MINUTES:
                findings.append(_f("ERGANI-SCHEDULE-FLEX", E, path,
                                   f"Ευέλικτη προσέλευση {minutes}′ για τον {who(entry)}: έως 120′ κατ' ανώτατο.",
                                   f"Flexible arrival of {minutes} minutes for {who(entry)}: 120 at most."))
        if code == "WTOWeek":
            for afm, present in days.items():
                missing = sorted(set("0123456") - present)
                if missing:
                    findings.append(_f("ERGANI-SCHEDULE-REST", E, base,
                                       f"Εβδομαδιαίο ωράριο του {afm}: λείπουν οι ημέρες {', '.join(missing)} "
                                       "(κάθε ημέρα δηλώνεται, ως εργασία, ρεπό ή μη εργασία).",
                                       f"Weekly schedule of {afm}: days {', '.join(missing)} are missing (every day is "
                                       "declared, as work, rest or non-work).", API))
    return findings


def first_work_start(entry: EmployeeEntry, code: str, start: dt.date) -> dt.datetime | None:
    """When the work an entry declares first starts (Athens time): its date, or for a weekly entry
    the first such weekday on or after the declaration's start."""
    spans = [s for i in entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics if i.f_type in WORK_TYPES
             and (s := _span(i)) is not None]
    if not spans:
        return None
    if code == "WTOWeek":
        if entry.f_day == "":
            return None
        weekday = (int(entry.f_day) - 1) % 7  # ERGANI 0 = Sunday; Python 0 = Monday
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    else:
        day = parse_greek_date(entry.f_date)
    minutes = min(s[0] for s in spans)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=ATHENS)


def _before(entry: EmployeeEntry, code: str, start: dt.date, now: dt.datetime, path: str) -> list[Finding]:
    begins = first_work_start(entry, code, start)
    if begins is None or begins > now:
        return []
    return [_f("ERGANI-SCHEDULE-BEFORE", E, path,
               f"Ο εργαζόμενος {who(entry)}: το ωράριο δηλώνεται πριν την έναρξη της εργασίας που καλύπτει "
               f"({athens_text(begins)}), όχι μετά.",
               f"Employee {who(entry)}: a schedule is declared before the work it covers starts "
               f"({athens_text(begins)}), not after.")]


def check_breaks(doc: WtoDoc, code: str) -> list[Finding]:
    """ERGANI-SCHEDULE-BREAK: «συμπληρώνεται το συμβατικό ωράριο … ανεξάρτητα αν το διάλειμμα είναι
    εντός ή εκτός ΩΡΑΡΙΟΥ … 08:00 – 16:00 και όχι 08.00 – 16:30» (seed 001): a day whose declared work
    is the contractual time plus a break kept outside the schedule was stretched by that break."""
    out: list[Finding] = []
    for w, wto in enumerate(doc.WTOS.WTO):
        for e, entry in enumerate(wto.Ergazomenoi.ErgazomenoiWTO):
            terms = doc.breaks.get(entry.f_afm)
            if terms is None or terms.within_schedule or not terms.minutes:
                continue
            spans = sorted(s for i in entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics
                           if i.f_type in WORK_TYPES and (s := _span(i)) is not None)
            if not spans or sum(b - a for a, b in spans) != terms.daily_minutes + terms.minutes:
                continue
            last_end = spans[-1][1] % (24 * 60)
            contractual = (last_end - terms.minutes) % (24 * 60)
            fix = f"{contractual // 60:02d}:{contractual % 60:02d}"
            out.append(_f("ERGANI-SCHEDULE-BREAK", E, f"WTOS.WTO[{w}].Ergazomenoi.ErgazomenoiWTO[{e}]",
                          f"Ο εργαζόμενος {who(entry)}: το ωράριο επεκτάθηκε κατά το διάλειμμα των {terms.minutes}′ "
                          f"που είναι εκτός ωραρίου· δηλώνεται το συμβατικό ωράριο (λήξη {fix}).",
                          f"Employee {who(entry)}: the schedule was stretched by the {terms.minutes}-minute break "
                          f"kept outside it; the contractual schedule is declared (ending {fix})."))
    return out


#: How many employee-days one declaration looks up for ERGANI-SCHEDULE-OVERLAP (a bound on its cost).
OVERLAP_LOOKUPS = 200


def check_overlap(doc: WtoDoc, code: str, day_declared: Callable[[str, dt.date, str], bool]) -> list[Finding]:
    """ERGANI-SCHEDULE-OVERLAP (I): days this declaration covers that an earlier one declared; the
    latest submitted holds for each day (as ERGANI computes the current status)."""
    out: list[Finding] = []
    looked = 0
    for w, wto in enumerate(doc.WTOS.WTO):
        if not wto.f_from_date:
            continue
        start = parse_greek_date(wto.f_from_date)
        again: list[str] = []
        for entry in wto.Ergazomenoi.ErgazomenoiWTO:
            if looked >= OVERLAP_LOOKUPS:
                break
            if code == "WTOWeek":
                if entry.f_day == "":
                    continue
                day = start + dt.timedelta(days=((int(entry.f_day) - 1) % 7 - start.weekday()) % 7)
            elif entry.f_date:
                day = parse_greek_date(entry.f_date)
            else:
                continue
            looked += 1
            if day_declared(doc.f_afm_ergodoti, day, entry.f_afm):
                again.append(f"{entry.f_afm} {day.isoformat()}")
        if again:
            shown = ", ".join(again[:10]) + (f" (+{len(again) - 10})" if len(again) > 10 else "")
            out.append(_f("ERGANI-SCHEDULE-OVERLAP", Severity.INFO, f"WTOS.WTO[{w}]",
                          f"Ημέρες που είχαν ήδη δηλωθεί: {shown}. Ισχύει η τελευταία υποβολή για κάθε ημέρα.",
                          f"Days already declared: {shown}. The latest submission holds for each day.", API))
    return out


# ---- leaves (WTOLeave) --------------------------------------------------------------------------------------

REGULAR_LEAVE = "ΑΔΚΑΝ"


def leave_deadline(granted: dt.date, due_day: int) -> dt.datetime:
    """«εντός του πρώτου δεκαημέρου του μήνα που ακολουθεί το μήνα χορήγησής τους»: the end of day
    ``due_day`` (10 by default, a setting: the 2026 manual says the whole next month) of the next month."""
    year, month = (granted.year + 1, 1) if granted.month == 12 else (granted.year, granted.month + 1)
    return dt.datetime.combine(dt.date(year, month, due_day), dt.time.max, tzinfo=ATHENS)


def check_leave(doc: WtoDoc, now: dt.datetime, due_day: int) -> list[Finding]:
    findings = _afm("f_afm_ergodoti", doc.f_afm_ergodoti, "του εργοδότη", "employer")
    for w, wto in enumerate(doc.WTOS.WTO):
        for e, entry in enumerate(wto.Ergazomenoi.ErgazomenoiWTO):
            path = f"WTOS.WTO[{w}].Ergazomenoi.ErgazomenoiWTO[{e}]"
            findings += _afm(f"{path}.f_afm", entry.f_afm, "του εργαζομένου", "employee")
            if not entry.f_date:
                findings.append(_f("ERGANI-LEAVE-DUE", E, f"{path}.f_date", "Λείπει η ημερομηνία της άδειας.",
                                   "The leave's date is missing.", API))
                continue
            granted = parse_greek_date(entry.f_date)
            deadline = leave_deadline(granted, due_day)
            if now > deadline:
                findings.append(_f("ERGANI-LEAVE-DUE", W, f"{path}.f_date",
                                   f"Η άδεια της {entry.f_date} δηλώνεται μετά τη {due_day}η του επόμενου μήνα "
                                   f"({deadline:%d/%m/%Y}): εκπρόθεσμη δήλωση.",
                                   f"The leave of {entry.f_date} is declared after day {due_day} of the next month "
                                   f"({deadline:%d/%m/%Y}): a late declaration."))
            for k, interval in enumerate(entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics):
                if interval.f_type == REGULAR_LEAVE and not (interval.f_year and interval.f_req_days):
                    findings.append(_f(
                        "ERGANI-LEAVE-YEAR", E, f"{path}.ErgazomenosAnalytics.ErgazomenosWTOAnalytics[{k}]",
                        "Η κανονική άδεια (ΑΔΚΑΝ) δηλώνεται με έτος αναφοράς (f_year) και δικαιούμενες ημέρες "
                        "(f_req_days, τριψήφιο).",
                        "Regular leave (ΑΔΚΑΝ) carries its reference year (f_year) and entitled days (f_req_days, "
                        "three digits).", API))
    return findings


# ---- the registry and corrections ------------------------------------------------------------------------

#: ERGANI's own words when a card names an employee whose card flag is off (published from the trial
#: environment).
NO_CARD_FLAG = "Χωρίς Ένδειξη Κάρτας Εργασίας."


def check_card_flags(doc: WorkCardDoc, staff: dict[str, Any]) -> list[Finding]:
    """ERGANI-CARD-FLAG: against the employer's registry (``ypovoli ergani staff import``), a card
    event of an employee whose card flag is off is refused by ERGANI («Χωρίς Ένδειξη Κάρτας
    Εργασίας.») — said here first; one missing from the registry is a warning (the registry may be
    older than the hiring). No registry, no finding."""
    if not staff:
        return []
    out: list[Finding] = []
    for c, card in enumerate(doc.Cards.Card):
        for d, detail in enumerate(card.Details.CardDetails):
            path = f"Cards.Card[{c}].Details.CardDetails[{d}]"
            who = f"{detail.f_eponymo} {detail.f_onoma} ({detail.f_afm})"
            known = staff.get(detail.f_afm)
            if known is None:
                out.append(_f("ERGANI-CARD-FLAG", W, f"{path}.f_afm",
                              f"Ο εργαζόμενος {who} δεν είναι στο μητρώο εργαζομένων του εργοδότη (από το ΕΡΓΑΝΗ): "
                              "αν δεν ανήκει στον εργοδότη, το ΕΡΓΑΝΗ θα απορρίψει τη δήλωση· αν προσλήφθηκε "
                              "πρόσφατα, ανανεώστε το μητρώο (ypovoli ergani staff import).",
                              f"Employee {who} is not in the employer's registry (from ERGANI): if not the "
                              "employer's, ERGANI will refuse the declaration; if recently hired, refresh the "
                              "registry (ypovoli ergani staff import).", API))
            elif not known.card:
                out.append(_f("ERGANI-CARD-FLAG", E, f"{path}.f_afm",
                              f"{NO_CARD_FLAG} Ο εργαζόμενος {who} δεν έχει ένδειξη κάρτας εργασίας στο ΕΡΓΑΝΗ: "
                              "δηλώστε πρώτα την ενεργοποίηση της κάρτας (μεταβολή στοιχείων εργασιακής σχέσης, "
                              "WebMA).",
                              f"«{NO_CARD_FLAG}» (ERGANI's words): employee {who} has no work card flag at ERGANI: "
                              "declare the card's activation first (change of employment data, WebMA).", API))
    return out


def check_leave_correction(doc: WtoDoc, by_protocol: Callable[[str], Any]) -> list[Finding]:
    """ERGANI-LEAVE-CORRECTION: a leave naming `f_rel_protocol` is its correction (`WTOLeaveC`, «ΟΡΘΗ
    ΕΠΑΝΑΛΗΨΗ»): it names the original by protocol **and** date of submission; an original sent through
    ypovoli must be a leave, not cancelled, and of that date."""
    out: list[Finding] = []
    for w, wto in enumerate(doc.WTOS.WTO):
        base = f"WTOS.WTO[{w}]"
        if not wto.f_rel_protocol and not wto.f_rel_date:
            continue
        if not (wto.f_rel_protocol and wto.f_rel_date):
            out.append(_f("ERGANI-LEAVE-CORRECTION", E, base,
                          "Η ορθή επανάληψη αδειών ορίζει τον αριθμό πρωτοκόλλου (f_rel_protocol) και την ημερομηνία "
                          "υποβολής (f_rel_date) της αρχικής δήλωσης.",
                          "A leave correction names the original declaration's protocol (f_rel_protocol) and "
                          "submission date (f_rel_date).", API))
            continue
        original = by_protocol(wto.f_rel_protocol)
        if original is None:
            out.append(_f("ERGANI-LEAVE-CORRECTION", W, f"{base}.f_rel_protocol",
                          f"Το πρωτόκολλο «{wto.f_rel_protocol}» δεν στάλθηκε μέσω της ypovoli: δεν ελέγχεται εδώ· "
                          "το ΕΡΓΑΝΗ απορρίπτει διόρθωση χωρίς αρχική δήλωση.",
                          f"Protocol «{wto.f_rel_protocol}» was not sent through ypovoli, so it is not checked here; "
                          "ERGANI refuses a correction without an original.", API))
            continue
        submit_date = str(getattr(original.receipt, "submit_date", "") or "")
        if original.kind != "ergani_leave":
            out.append(_f("ERGANI-LEAVE-CORRECTION", E, f"{base}.f_rel_protocol",
                          f"Το πρωτόκολλο «{wto.f_rel_protocol}» δεν είναι δήλωση αδειών.",
                          f"Protocol «{wto.f_rel_protocol}» is not a leave declaration.", API))
        elif original.status == "cancelled":
            out.append(_f("ERGANI-LEAVE-CORRECTION", E, f"{base}.f_rel_protocol",
                          f"Η δήλωση «{wto.f_rel_protocol}» έχει ανακληθεί· δεν διορθώνεται — υποβάλετε νέα.",
                          f"Declaration «{wto.f_rel_protocol}» was cancelled; it cannot be corrected — submit a new "
                          "one.", API))
        elif submit_date[:10] != wto.f_rel_date:
            out.append(_f("ERGANI-LEAVE-CORRECTION", E, f"{base}.f_rel_date",
                          f"Η δήλωση «{wto.f_rel_protocol}» υποβλήθηκε {submit_date[:10]}, όχι {wto.f_rel_date}.",
                          f"Declaration «{wto.f_rel_protocol}» was submitted on {submit_date[:10]}, not "
                          f"{wto.f_rel_date}.", API))
    return out


def check_contract_hours(doc: WtoDoc, code: str, staff: dict[str, Any]) -> list[Finding]:
    """ERGANI-SCHEDULE-HOURS (W): a weekly schedule declaring more hours than the employee's contract
    (the registry's weekly hours, from ERGANI's EX_BASE_05): the hours beyond it are υπερεργασία or
    overtime, which is announced (WTOOv), not folded into the schedule."""
    if code != "WTOWeek" or not staff:
        return []
    minutes: dict[str, int] = defaultdict(int)
    for wto in doc.WTOS.WTO:
        for entry in wto.Ergazomenoi.ErgazomenoiWTO:
            minutes[entry.f_afm] += sum(b - a for i in entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics
                                        if i.f_type in WORK_TYPES and (s := _span(i)) is not None for a, b in [s])
    out = []
    for afm, total in sorted(minutes.items()):
        known = staff.get(afm)
        if known is None or known.weekly_hours is None or total <= known.weekly_hours * 60:
            continue
        hours, contract = f"{total / 60:g}", f"{known.weekly_hours:g}"
        out.append(_f("ERGANI-SCHEDULE-HOURS", W, "WTOS.WTO",
                      f"Ο εργαζόμενος {known.label}: το εβδομαδιαίο ωράριο δηλώνει {hours} ώρες, ενώ η σύμβαση "
                      f"ορίζει {contract} (ΕΡΓΑΝΗ): οι επιπλέον ώρες είναι υπερεργασία ή υπερωρία, που "
                      "αναγγέλλεται (WTOOv), όχι μέρος του ωραρίου.",
                      f"Employee {known.label}: the weekly schedule declares {hours} hours where the contract says "
                      f"{contract} (ERGANI): the hours beyond are υπερεργασία or overtime, announced (WTOOv), not "
                      "part of the schedule.", API))
    return out
