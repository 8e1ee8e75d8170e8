"""Overtime in ERGANI II (`WTOOv`, announced before; `WTOOvA`, retrospective): the ΨΟΧΕ envelope with
the analytics types «Υπερωρία» (`ΥΠ`, from–to) and «Ακύρωση Υπερωρίας (ΜΗ ΥΠΕΡΩΡΙΑ)» (`ΧΥΠ`), which
replaced form E8 (Extended Manual 20.02.2026 §4.1.6–4.1.7; Short Manual 13.02.2026 §5.6).

What the manual says, rule by rule:

* «Η νόμιμη υπερωριακή απασχόληση αναγγέλλεται πάντα πριν από την έναρξη της πραγματοποίησής της, ως
  ενιαίο χρονικό διάστημα. Το πεδίο [Ώρα Έναρξης] … συμπίπτει με την ώρα λήξης του ωραρίου της
  υπερεργασίας» — ERGANI-OVERTIME-BEFORE, ERGANI-OVERTIME-INTERVAL, ERGANI-OVERTIME-START;
* a second start/end «όταν το τέλος της μιας βάρδιας συμπίπτει με την αλλαγή της ημέρας» (rotating
  shifts) — two intervals a day at most, never overlapping;
* the end is amended by the same declaration with a new [Ώρα Λήξης], sent before the old end;
* a cancellation (`ΧΥΠ`) leaves the times empty, names an overtime not yet started, and otherwise
  ERGANI answers «ΥΠΟΧΡΕΩΤΙΚΑ (ΔΕΝ ΒΡΕΘΗΚΕ ΥΠΕΡΩΡΙΑ ΓΙΑ ΑΚΥΡΩΣΗ (ΗΗ/ΜΜ/ΕΤΟΣ)) ΓΙΑ ΤΟ ΑΦΜ: …» —
  ERGANI-OVERTIME-CANCEL;
* the retrospective declaration is for employers in the card regime that filed the monthly exemption
  (`ExProan`), «έως τη λήξη του επόμενου ημερολογιακού μήνα» — ERGANI-OVERTIME-RETRO.

Pure: what was declared before and the schedule of the day come in as lookups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ...clock import ATHENS
from ...deadlines import athens_text
from ...findings import Finding, Severity
from .model import NO_OVERTIME, OVERTIME, OVERTIME_TYPES, EmployeeEntry, WtoDoc, parse_greek_date
from .rules import afm_findings

#: Where these rules come from: the ERGANI II manual's section on overtime, public on ergani.gov.gr.
MANUAL = ("Εγχειρίδιο ΕΡΓΑΝΗ ΙΙ (Extended Manual 20.02.2026), §4.1.6–4.1.7 «Οργάνωση Χρόνου Εργασίας – "
          "Υπερωρίες» (https://www.ergani.gov.gr)")
E, W = Severity.ERROR, Severity.WARNING
PRE_ANNOUNCED = "WTOOv"
RETROSPECTIVE = "WTOOvA"


def _f(code: str, severity: Severity, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=MANUAL)


@dataclass(frozen=True)
class OvertimeDay:
    """One employee's declared overtime of a day, as the latest declaration left it: its intervals as
    Athens moments (an end past midnight on the next day); none after a cancellation (`ΧΥΠ`)."""

    employee: str
    day: dt.date
    intervals: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    submission_id: str = ""
    #: False: what was declared before cannot be known here (offline validation): the checks that
    #: depend on it are not made.
    known: bool = True

    @property
    def cancelled(self) -> bool:
        return not self.intervals

    @property
    def ends(self) -> dt.datetime | None:
        return max(b for _, b in self.intervals) if self.intervals else None


def intervals_of(entry: EmployeeEntry, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    out = []
    for interval in entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics:
        if interval.f_type == OVERTIME and interval.f_from and interval.f_to:
            begins = dt.datetime.combine(day, dt.time.fromisoformat(interval.f_from), tzinfo=ATHENS)
            ends = dt.datetime.combine(day, dt.time.fromisoformat(interval.f_to), tzinfo=ATHENS)
            out.append((begins, ends if ends > begins else ends + dt.timedelta(days=1)))
    return tuple(sorted(out))


def overtime_days(doc: WtoDoc, submission_id: str) -> list[OvertimeDay]:
    """What a `WTOOv`/`WTOOvA` declares, per employee-day (a `ΧΥΠ` day has no intervals)."""
    days = []
    for wto in doc.WTOS.WTO:
        for entry in wto.Ergazomenoi.ErgazomenoiWTO:
            if not entry.f_date:
                continue
            day = parse_greek_date(entry.f_date)
            days.append(OvertimeDay(entry.f_afm, day, intervals_of(entry, day), submission_id))
    return days


def retro_deadline(day: dt.date) -> dt.datetime:
    """The end of the calendar month after the one the overtime was worked in."""
    months = day.year * 12 + day.month - 1 + 2   # the first day of the month after next
    year, month = divmod(months, 12)
    month += 1
    return dt.datetime.combine(dt.date(year, month, 1), dt.time(), tzinfo=ATHENS) - dt.timedelta(microseconds=1)


#: What offline validation passes for "declared before": not known.
NOT_KNOWN = OvertimeDay("", dt.date.min, known=False)


def first_start(doc: WtoDoc) -> dt.datetime | None:
    starts = [a for d in overtime_days(doc, "") for a, _ in d.intervals]
    return min(starts) if starts else None


def _hm(moment: dt.datetime) -> str:
    return moment.astimezone(ATHENS).strftime("%H:%M")


def check_overtime(doc: WtoDoc, code: str, now: dt.datetime,
                   held: Callable[[str, dt.date, str], OvertimeDay | None],
                   schedule_end: Callable[[str, dt.date, str], dt.datetime | None],
                   in_regime: bool | None = None) -> list[Finding]:
    """ERGANI-OVERTIME-*: a `WTOOv` (``code``) or `WTOOvA`, against what was declared before (``held``:
    the latest overtime of that employer, day and employee) and the day's declared schedule
    (``schedule_end``: when its work ends). ``in_regime``: whether the employer is in the card regime
    (None: not known)."""
    employer = doc.f_afm_ergodoti
    findings = afm_findings("f_afm_ergodoti", employer, "του εργοδότη", "employer")
    retro = code == RETROSPECTIVE
    if retro and in_regime is False:
        findings.append(_f("ERGANI-OVERTIME-RETRO", E, "document",
                           "Απολογιστική δήλωση υπερωριών (WTOOvA) υποβάλλουν μόνο εργοδότες ενταγμένοι στην ψηφιακή "
                           "κάρτα εργασίας, με δήλωση εξαίρεσης από την προαναγγελία (ExProan)· η υπερωρία "
                           "αναγγέλλεται πριν αρχίσει (WTOOv).",
                           "Only employers in the digital work card regime, with the monthly exemption from "
                           "pre-announcement (ExProan), declare overtime retrospectively (WTOOvA); announce overtime "
                           "before it starts (WTOOv)."))
    for w, wto in enumerate(doc.WTOS.WTO):
        base = f"WTOS.WTO[{w}]"
        first = parse_greek_date(wto.f_from_date) if wto.f_from_date else None
        last = parse_greek_date(wto.f_to_date) if wto.f_to_date else None
        for e, entry in enumerate(wto.Ergazomenoi.ErgazomenoiWTO):
            path = f"{base}.Ergazomenoi.ErgazomenoiWTO[{e}]"
            who = f"{entry.f_eponymo} {entry.f_onoma} ({entry.f_afm})"
            findings += afm_findings(f"{path}.f_afm", entry.f_afm, "του εργαζομένου", "employee")
            if not entry.f_date:
                findings.append(_f("ERGANI-OVERTIME-INTERVAL", E, f"{path}.f_date",
                                   "Λείπει η ημερομηνία της υπερωρίας.", "The overtime's date is missing."))
                continue
            day = parse_greek_date(entry.f_date)
            if (first and day < first) or (last and day > last):
                findings.append(_f("ERGANI-OVERTIME-INTERVAL", E, f"{path}.f_date",
                                   f"Η ημερομηνία {entry.f_date} είναι εκτός του διαστήματος της δήλωσης.",
                                   f"The date {entry.f_date} is outside the declaration's range."))
            shape = _shape(entry, path, who)
            findings += shape
            if shape:
                continue
            intervals = intervals_of(entry, day)
            earlier = held(employer, day, entry.f_afm)
            unknown = earlier is not None and not earlier.known
            if not intervals:
                findings += [] if unknown else _cancellation(entry, day, earlier, now, path, retro)
                continue
            findings += _timing(entry, day, intervals, None if unknown else earlier, now, path, who, retro)
            ends = schedule_end(employer, day, entry.f_afm)
            if ends is not None and intervals[0][0] < ends:
                findings.append(_f(
                    "ERGANI-OVERTIME-START", W, path,
                    f"{who}: η υπερωρία της {entry.f_date} αρχίζει {_hm(intervals[0][0])}, πριν λήξει το δηλωμένο "
                    f"ωράριο ({_hm(ends)}). Η ώρα έναρξης της υπερωρίας συμπίπτει με τη λήξη της υπερεργασίας, "
                    "μετά το ωράριο.",
                    f"{who}: the overtime of {entry.f_date} starts at {_hm(intervals[0][0])}, before the declared "
                    f"schedule ends ({_hm(ends)}). Overtime starts where υπερεργασία (the hours just past the "
                    "schedule) ends, after the schedule."))
    return findings


def _shape(entry: EmployeeEntry, path: str, who: str) -> list[Finding]:
    analytics = entry.ErgazomenosAnalytics.ErgazomenosWTOAnalytics
    types = {i.f_type for i in analytics}
    here = f"{path}.ErgazomenosAnalytics.ErgazomenosWTOAnalytics"
    if not types <= OVERTIME_TYPES:
        other = ", ".join(sorted(types - OVERTIME_TYPES))
        return [_f("ERGANI-OVERTIME-INTERVAL", E, here,
                   f"{who}: η δήλωση υπερωριών δέχεται μόνο «ΥΠ» (υπερωρία, ώρα από–έως) ή «ΧΥΠ» (ακύρωση)· "
                   f"βρέθηκε «{other}» — το ωράριο δηλώνεται με WTODaily/WTOWeek.",
                   f"{who}: an overtime declaration takes only «ΥΠ» (overtime, from–to) or «ΧΥΠ» (cancellation); "
                   f"found «{other}» — the schedule itself goes on WTODaily/WTOWeek.")]
    if types == OVERTIME_TYPES:
        return [_f("ERGANI-OVERTIME-INTERVAL", E, here,
                   f"{who}: υπερωρία και ακύρωσή της στην ίδια ημέρα της ίδιας δήλωσης.",
                   f"{who}: overtime and its cancellation on the same day of one declaration.")]
    out = []
    for k, interval in enumerate(analytics):
        if interval.f_type == OVERTIME and not (interval.f_from and interval.f_to):
            out.append(_f("ERGANI-OVERTIME-INTERVAL", E, f"{here}[{k}]",
                          f"{who}: η υπερωρία δηλώνεται με ώρα έναρξης και λήξης.",
                          f"{who}: overtime is declared with its start and end times."))
        if interval.f_type == NO_OVERTIME and (interval.f_from or interval.f_to):
            out.append(_f("ERGANI-OVERTIME-INTERVAL", E, f"{here}[{k}]",
                          f"{who}: στην ακύρωση (ΧΥΠ) οι ώρες έναρξης και λήξης μένουν κενές.",
                          f"{who}: a cancellation (ΧΥΠ) leaves the start and end times empty."))
    worked = [i for i in analytics if i.f_type == OVERTIME]
    if len(worked) > 2:
        out.append(_f("ERGANI-OVERTIME-INTERVAL", E, here,
                      f"{who}: η υπερωρία μιας ημέρας είναι ένα ενιαίο διάστημα (δεύτερο μόνο σε εναλλασσόμενες "
                      f"βάρδιες που περνούν τα μεσάνυχτα)· δηλώθηκαν {len(worked)}.",
                      f"{who}: a day's overtime is one continuous interval (a second only for rotating shifts "
                      f"crossing midnight); {len(worked)} were declared."))
    elif len(worked) == 2 and not out:
        (a0, a1), (b0, _) = sorted((i.f_from, i.f_to) for i in worked)
        if b0 < a1 or a1 < a0:   # overlapping, or the first runs past midnight into the second
            out.append(_f("ERGANI-OVERTIME-INTERVAL", E, here,
                          f"{who}: τα δύο διαστήματα υπερωρίας επικαλύπτονται.",
                          f"{who}: the two overtime intervals overlap."))
    return out


def _cancellation(entry: EmployeeEntry, day: dt.date, earlier: OvertimeDay | None, now: dt.datetime, path: str,
                  retro: bool) -> list[Finding]:
    starts = earlier.intervals[0][0] if earlier is not None and earlier.intervals else None
    if starts is not None and (retro or starts > now):
        return []
    said = f"ΥΠΟΧΡΕΩΤΙΚΑ (ΔΕΝ ΒΡΕΘΗΚΕ ΥΠΕΡΩΡΙΑ ΓΙΑ ΑΚΥΡΩΣΗ ({entry.f_date})) ΓΙΑ ΤΟ ΑΦΜ: {entry.f_afm}"
    if starts is None:
        return [_f("ERGANI-OVERTIME-CANCEL", E, path,
                   f"{said}: δεν έχει δηλωθεί μέσω της ypovoli υπερωρία του εργαζομένου για την {entry.f_date} "
                   "που να ακυρώνεται.",
                   f"{said} (ERGANI's words): no overtime of this employee on {entry.f_date} was declared through "
                   "ypovoli to be cancelled.")]
    return [_f("ERGANI-OVERTIME-CANCEL", E, path,
               f"{said}: η υπερωρία άρχισε ήδη ({athens_text(starts)}) — ακυρώνεται μόνο πριν αρχίσει.",
               f"{said} (ERGANI's words): the overtime has already started ({athens_text(starts)}) — it can be "
               "cancelled only before it starts.")]


def _timing(entry: EmployeeEntry, day: dt.date, intervals: tuple[tuple[dt.datetime, dt.datetime], ...],
            earlier: OvertimeDay | None, now: dt.datetime, path: str, who: str, retro: bool) -> list[Finding]:
    begins = intervals[0][0]
    if retro:
        if begins > now:
            return [_f("ERGANI-OVERTIME-RETRO", E, path,
                       f"{who}: η απολογιστική δήλωση (WTOOvA) αφορά υπερωρία που έγινε· η υπερωρία της "
                       f"{athens_text(begins)} αναγγέλλεται πριν αρχίσει με WTOOv.",
                       f"{who}: a retrospective declaration (WTOOvA) is for overtime already worked; the overtime of "
                       f"{athens_text(begins)} is announced before it starts, with WTOOv.")]
        due = retro_deadline(day)
        if now > due:
            return [_f("ERGANI-OVERTIME-RETRO", W, path,
                       f"{who}: η απολογιστική δήλωση της υπερωρίας της {entry.f_date} έπρεπε να υποβληθεί έως "
                       f"{athens_text(due)} (λήξη του επόμενου ημερολογιακού μήνα): εκπρόθεσμη.",
                       f"{who}: the retrospective declaration of the overtime of {entry.f_date} was due by "
                       f"{athens_text(due)} (the end of the following calendar month): it is late.")]
        return []
    same_start = earlier is not None and earlier.intervals and earlier.intervals[0][0] == begins
    if same_start and earlier is not None:
        old_end = earlier.ends
        if old_end is not None and now >= old_end:
            return [_f("ERGANI-OVERTIME-BEFORE", E, path,
                       f"{who}: η ώρα λήξης της υπερωρίας τροποποιείται πριν από την παλιά λήξη "
                       f"({athens_text(old_end)}), όχι μετά.",
                       f"{who}: an overtime's end is amended before the old end ({athens_text(old_end)}), not "
                       "after.")]
        return []
    if begins <= now:
        return [_f("ERGANI-OVERTIME-BEFORE", E, path,
                   f"{who}: η υπερωρία αναγγέλλεται πριν αρχίσει ({athens_text(begins)}), όχι μετά.",
                   f"{who}: overtime is announced before it starts ({athens_text(begins)}), not after.")]
    return []
