"""ERGANI II documents as transmitted kinds: the work card (`WRKCardSE`), the weekly and daily
work-time organisation (`WTOWeek`, `WTODaily`) and leaves (`WTOLeave`), each with ERGANI's own
deadline: an event 15 minutes after it happened, a schedule before the work it covers starts, a
leave by the 10th of the following month (a setting)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...clock import ATHENS
from ...deadlines import athens_text
from ...findings import Finding, Severity
from ...models.reports import OutageDocument
from ...models.submission import FineExposure, Receipt, Submission, UpstreamError
from ...rules.input import parse_as
from ...settings import Settings
from ..base import CheckContext, Deadlines
from .deviations import Declared, declared_days
from .facts import ErganiFacts
from .facts import of as facts_of
from .model import BreakTerms, WorkCardDoc, WtoDoc, official, parse_greek_date
from .overtime import PRE_ANNOUNCED, RETROSPECTIVE, check_overtime, first_start, overtime_days, retro_deadline
from .rules import (
    API,
    CARD_WINDOW,
    SEED,
    check_breaks,
    check_card,
    check_card_flags,
    check_contract_hours,
    check_leave,
    check_leave_correction,
    check_overlap,
    check_pairs,
    check_schedule,
    first_work_start,
    leave_deadline,
)

if TYPE_CHECKING:
    from ...services.deps import Deps

SCHEMA_SOURCE = API
#: Fines per employee reported for the ERGANI obligations (ergani-api.md §4, «Other published
#: fines»): a card record missing or differing from reality; an unregistered schedule change.
CARD_FINE = Decimal(3000)
SCHEDULE_FINE = Decimal(10500)


#: Where ERGANI's refusals come from: its own answer (there is no public catalogue of its messages).
REFUSAL_SOURCE = "ΕΡΓΑΝΗ ΙΙ, Web API (REST) — η απάντηση της υπηρεσίας (https://www.ergani.gov.gr)"


def _f(code: str, severity: Severity, path: str, el: str, en: str, source: str = SEED) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=source)


class ErganiKind:
    upstream = "ergani"

    def __init__(self, name: str, code: str, model: type[WorkCardDoc] | type[WtoDoc]) -> None:
        self.name = name
        self.code = code
        self.model = model
        #: Where the employer's ΑΦΜ is, which the tenant must manage (a 403 names it).
        self.afm_path = "document.Cards.Card[0].f_afm_ergodoti" if model is WorkCardDoc else "document.f_afm_ergodoti"

    # ---- intake ---------------------------------------------------------------------------------

    def parse(self, payload: Any) -> tuple[Any | None, list[Finding]]:
        return parse_as(self.model, payload, "ERGANI-SCHEMA", "document", SCHEMA_SOURCE)

    def afm(self, document: Any) -> str:
        return document.employer if isinstance(document, WorkCardDoc) else str(document.f_afm_ergodoti)

    def natural_key(self, document: Any) -> str:
        """The same declaration twice (a client's retry) is one submission; any difference is another."""
        canon = json.dumps(official(document), sort_keys=True, ensure_ascii=False)
        return f"{self.code}|{self.afm(document)}|{hashlib.sha256(canon.encode()).hexdigest()[:32]}"

    def deadlines(self, document: Any, now: datetime, settings: Settings) -> Deadlines:
        if isinstance(document, WorkCardDoc):
            due = min(d.f_date for _, d in document.events()) + CARD_WINDOW
        elif self.code == "WTOLeave":
            dates = [parse_greek_date(e.f_date) for w in document.WTOS.WTO for e in w.Ergazomenoi.ErgazomenoiWTO
                     if e.f_date]
            due = leave_deadline(min(dates), settings.ergani_leave_due_day) if dates else now
        elif self.code in OVERTIME_CODES:
            days = [d.day for d in overtime_days(document, "")]
            if self.code == RETROSPECTIVE:
                due = retro_deadline(min(days)) if days else now
            else:   # before it starts; a cancellation, before the day is over (ERGANI checks the start)
                due = first_start(document) or (datetime.combine(min(days) + timedelta(days=1), datetime.min.time(),
                                                                 tzinfo=ATHENS) if days else now)
        else:
            starts = [begins for w in document.WTOS.WTO if w.f_from_date for e in w.Ergazomenoi.ErgazomenoiWTO
                      if (begins := first_work_start(e, self.code, parse_greek_date(w.f_from_date))) is not None]
            due = min(starts) if starts else now
        # ERGANI has no grace day (SPEC §4): the deadline is the window.
        return Deadlines(due.astimezone(ATHENS), due.astimezone(ATHENS))

    def check(self, document: Any, context: CheckContext) -> list[Finding]:
        known = facts_of(context)
        if isinstance(document, WorkCardDoc):
            return (check_card(document, context.now) + check_pairs(document, known.card_declared)
                    + check_card_flags(document, known.staff(document.employer)))
        if self.code == "WTOLeave":
            return (check_leave(document, context.now, context.settings.ergani_leave_due_day)
                    + check_leave_correction(document, context.by_protocol))
        if self.code in OVERTIME_CODES:
            return check_overtime(document, self.code, context.now, known.overtime_held, known.schedule_end,
                                  known.in_card_regime(document.f_afm_ergodoti))
        staff = known.staff(document.f_afm_ergodoti)
        terms = with_registry(document, staff)
        return (check_schedule(document, self.code, context.now, document.flex) + check_breaks(terms, self.code)
                + check_overlap(document, self.code, known.day_declared)
                + check_contract_hours(document, self.code, staff))

    def facts(self, deps: Deps, tenant: str, now: datetime) -> ErganiFacts:
        """What this tenant's records know, for :meth:`check` (intake's hook)."""
        from .facts import facts

        return facts(deps, tenant, now)

    def document_lines(self, data: dict[str, Any]) -> list[tuple[str, str, str]]:
        """What the console shows of a declaration before its status: a card's employees, events and
        times; a schedule's, leave's or overtime's period and employees (at most 50 lines)."""
        from ...deadlines import athens_text

        if "Cards" in data:
            lines = []
            for card in (data.get("Cards") or {}).get("Card") or []:
                for detail in (card.get("Details") or {}).get("CardDetails") or []:
                    event_el = "Έναρξη" if str(detail.get("f_type")) == "0" else "Λήξη"
                    event_en = "Start" if str(detail.get("f_type")) == "0" else "End"
                    try:
                        when = athens_text(datetime.fromisoformat(str(detail.get("f_date"))))
                    except ValueError:
                        when = str(detail.get("f_date", ""))
                    who = f"{detail.get('f_eponymo', '')} {detail.get('f_onoma', '')} ({detail.get('f_afm', '')})"
                    lines.append((f"{event_el} · παράρτημα {card.get('f_aa', '0')}",
                                  f"{event_en} · branch {card.get('f_aa', '0')}", f"{who} — {when}"))
            return lines[:50]
        if "WTOS" in data:
            lines = []
            for wto in (data.get("WTOS") or {}).get("WTO") or []:
                period = " – ".join(p for p in (wto.get("f_from_date"), wto.get("f_to_date")) if p)
                if period:
                    lines.append(("Περίοδος", "Period", period))
                if wto.get("f_rel_protocol"):
                    lines.append(("Διορθώνει το πρωτόκολλο", "Corrects protocol",
                                  f"{wto['f_rel_protocol']} ({wto.get('f_rel_date', '')})"))
                for entry in (wto.get("Ergazomenoi") or {}).get("ErgazomenoiWTO") or []:
                    spans = ", ".join(f"{i.get('f_type', '')} {i.get('f_from', '')}–{i.get('f_to', '')}".strip(" –")
                                      for i in (entry.get("ErgazomenosAnalytics") or {}).get("ErgazomenosWTOAnalytics")
                                      or [])
                    day = entry.get("f_date") or (f"ημέρα {entry['f_day']}" if entry.get("f_day") not in (None, "")
                                                  else "")
                    who = f"{entry.get('f_eponymo', '')} {entry.get('f_onoma', '')} ({entry.get('f_afm', '')})"
                    lines.append(("Εργαζόμενος", "Employee", f"{who} · {day} · {spans}".replace(" ·  · ", " · ")))
            return lines[:50]
        return []

    def kept(self, deps: Deps, tenant: str, afm: str, document: Any, submission_id: str, now: datetime) -> None:
        """Intake's hook, once the declaration is kept: what it declares goes into the employer's
        timekeeping record, which the sweeps read (imported here: an invoice's intake never loads it)."""
        from .timekeeping import record

        record(deps, tenant, afm, self.declared(document, submission_id, deps.settings.ergani_schedule_horizon_days),
               submission_id, now)

    def withdraw(self, deps: Deps, original: Submission) -> None:
        """The transmitter's hook, once the upstream revoked ``original`` (a leave correction): what it
        declared no longer stands for the sweeps."""
        from .timekeeping import withdraw

        withdraw(deps, original)

    def declared(self, document: Any, submission_id: str, horizon_days: int, start: date | None = None) -> Declared:
        """What this declaration adds to the employer's timekeeping record (the sweeps read it):
        card events, declared days (an open-ended weekly schedule for ``horizon_days`` from
        ``start`` or its «from» date), or leaves."""
        if isinstance(document, WorkCardDoc):
            return Declared(punches=[(d.f_reference_date, d.f_afm, d.f_type, d.f_date.astimezone(ATHENS).isoformat())
                                     for _, d in document.events()])
        if self.code == "WTOLeave":
            return Declared(leaves=[(parse_greek_date(e.f_date), e.f_afm) for w in document.WTOS.WTO
                                    for e in w.Ergazomenoi.ErgazomenoiWTO if e.f_date])
        if self.code in OVERTIME_CODES:
            return Declared(overtime=overtime_days(document, submission_id))
        days = declared_days(document, self.code, submission_id, horizon_days, start)
        open_ended = self.code == "WTOWeek" and any(w.f_from_date and not w.f_to_date for w in document.WTOS.WTO)
        if not open_ended:
            return Declared(days=days)
        first = start or min(parse_greek_date(w.f_from_date) for w in document.WTOS.WTO if w.f_from_date)
        return Declared(days=days, extend_from=first + timedelta(days=horizon_days))

    def search_terms(self, document: Any) -> list[str]:
        """What the console's search finds a declaration by: its employees' ΑΦΜ and surnames."""
        if isinstance(document, WorkCardDoc):
            people = [(d.f_afm, d.f_eponymo) for _, d in document.events()]
        else:
            people = [(e.f_afm, e.f_eponymo) for w in document.WTOS.WTO for e in w.Ergazomenoi.ErgazomenoiWTO]
        unique = list(dict.fromkeys(people))[:6]
        return [t for pair in unique for t in pair]

    def target(self, document: Any) -> str:
        """ERGANI's submission code for this document: a leave naming an earlier protocol is its
        correction, `WTOLeaveC` («ΟΡΘΗ ΕΠΑΝΑΛΗΨΗ», which revokes the original)."""
        if self.code == "WTOLeave" and any(w.f_rel_protocol for w in document.WTOS.WTO):
            return "WTOLeaveC"
        return self.code

    def replaces(self, document: Any) -> str | None:
        """The protocol of the declaration this one revokes upstream (a leave correction's original)."""
        return next((w.f_rel_protocol for w in document.WTOS.WTO if w.f_rel_protocol), None) \
            if self.code == "WTOLeave" else None

    def summary(self, document: Any, natural_key: str) -> dict[str, Any]:
        if isinstance(document, WorkCardDoc):
            events = document.events()
            names = sorted({f"{d.f_eponymo} {d.f_onoma} ({d.f_afm})" for _, d in events})
            return {"employer": document.employer, "code": self.code, "events": len(events),
                    "employees": len({d.f_afm for _, d in events}), "names": ", ".join(names[:5])
                    + (f" (+{len(names) - 5})" if len(names) > 5 else ""),
                    "first_event": min(d.f_date for _, d in events).astimezone(ATHENS).isoformat(),
                    "branch": document.Cards.Card[0].f_aa, "uid": natural_key}
        entries = [e for w in document.WTOS.WTO for e in w.Ergazomenoi.ErgazomenoiWTO]
        names = sorted({f"{e.f_eponymo} {e.f_onoma} ({e.f_afm})" for e in entries})
        corrects = next((w for w in document.WTOS.WTO if w.f_rel_protocol), None)
        return {"employer": document.f_afm_ergodoti, "code": self.target(document),
                "employees": len({e.f_afm for e in entries}), "names": ", ".join(names[:5])
                + (f" (+{len(names) - 5})" if len(names) > 5 else ""),
                "entries": len(entries), "from_date": document.WTOS.WTO[0].f_from_date,
                "to_date": document.WTOS.WTO[0].f_to_date, "uid": natural_key,
                **({"rel_protocol": corrects.f_rel_protocol, "rel_date": corrects.f_rel_date} if corrects else {})}

    def dump(self, document: Any) -> dict[str, Any]:
        return dict(document.model_dump(mode="json"))

    def load(self, data: dict[str, Any]) -> Any:
        return self.model.model_validate(data)

    def refusal(self, error: UpstreamError) -> Finding:
        """ERGANI's 400: a Greek free text; ERGANI publishes no catalogue of its messages."""
        said = error.message.replace("\\n", " ").replace("\n", " ").strip()
        return _f("UPSTREAM-REJECTED", Severity.ERROR, "document",
                  f"Το ΕΡΓΑΝΗ απέρριψε τη δήλωση: «{said}». Διορθώστε τη και υποβάλετέ τη ξανά.",
                  f"ERGANI refused the declaration: «{said}» (ERGANI's own words, in Greek). Correct it and "
                  "submit it again.", REFUSAL_SOURCE)

    def duplicate(self, natural_key: str, existing_id: str | None) -> Finding:
        return _f("ERGANI-DUPLICATE", Severity.ERROR, "document",
                  "Η ίδια δήλωση έχει ήδη υποβληθεί: το ΕΡΓΑΝΗ θα έδινε δεύτερο πρωτόκολλο.",
                  "The same declaration was already submitted: ERGANI would give it a second protocol.", API)

    # ---- after the deadline --------------------------------------------------------------------

    def overdue(self, submission: Submission, settings: Settings) -> tuple[Finding, FineExposure]:
        employees = int(submission.summary.get("employees", 1) or 1)
        if self.code == "WRKCardSE":
            return self.late(submission), FineExposure(
                amount=CARD_FINE * employees,
                basis_el=f"3.000 € ανά εργαζόμενο ({employees}) για εγγραφή κάρτας που λείπει ή διαφέρει από την "
                         "πραγματικότητα",
                basis_en=f"€3,000 per employee ({employees}) for a card record missing or differing from reality")
        if self.code == "WTOLeave":
            return self.late(submission), FineExposure(amount=Decimal(0), basis_el="οι πηγές δεν αναφέρουν ποσό "
                                                       "προστίμου", basis_en="the sources state no fine for this")
        if self.code in OVERTIME_CODES:
            return self.late(submission), FineExposure(
                amount=SCHEDULE_FINE * employees,
                basis_el=f"10.500 € ανά εργαζόμενο ({employees}) για υπερωρία που δεν αναγγέλθηκε",
                basis_en=f"€10,500 per employee ({employees}) for overtime that was not announced")
        return self.late(submission), FineExposure(
            amount=SCHEDULE_FINE * employees,
            basis_el=f"10.500 € ανά εργαζόμενο ({employees}) για μη δηλωμένη μεταβολή ωραρίου",
            basis_en=f"€10,500 per employee ({employees}) for an undeclared schedule change")

    def late(self, submission: Submission) -> Finding:
        due = athens_text(submission.due_at)
        if self.code in OVERTIME_CODES:
            return _f("ERGANI-OVERTIME-BEFORE", Severity.WARNING, "document",
                      f"Η υπερωρία άρχισε ({due}) πριν σταλεί η αναγγελία της στο ΕΡΓΑΝΗ." if self.code == PRE_ANNOUNCED
                      else f"Η απολογιστική δήλωση της υπερωρίας έπρεπε να σταλεί έως {due}.",
                      f"The overtime started ({due}) before its announcement reached ERGANI." if self.code ==
                      PRE_ANNOUNCED else f"The retrospective overtime declaration was due by {due}.")
        if self.code == "WRKCardSE":
            return _f("ERGANI-CARD-LATE", Severity.WARNING, "document",
                      f"Τα γεγονότα δεν έφτασαν στο ΕΡΓΑΝΗ εντός 15′ ({due}): σε ανωτέρα βία στέλνονται με "
                      "αιτιολογία και ειδοποιείται η Επιθεώρηση Εργασίας.",
                      f"The events did not reach ERGANI within 15 minutes ({due}): under force majeure they are sent "
                      "with a justification and the Labour Inspectorate is notified.")
        if self.code == "WTOLeave":
            return _f("ERGANI-LEAVE-DUE", Severity.WARNING, "document",
                      f"Η προθεσμία δήλωσης των αδειών έληξε ({due}).",
                      f"The deadline for declaring the leaves passed ({due}).")
        return _f("ERGANI-SCHEDULE-BEFORE", Severity.WARNING, "document",
                  f"Η εργασία που καλύπτει το ωράριο άρχισε ({due}) πριν αυτό δηλωθεί.",
                  f"The work this schedule covers began ({due}) before it was declared.")

    def sent_during_outage(self, submission: Submission, receipt: Receipt) -> Finding | None:
        if not receipt.late_justification:
            return None
        since = athens_text(submission.outage.first_failure_at) if submission.outage else "—"
        return _f("ERGANI-FORCE-MAJEURE", Severity.INFO, "Cards",
                  f"Το ΕΡΓΑΝΗ δεν ήταν διαθέσιμο (από {since}): τα γεγονότα στάλθηκαν εκπρόθεσμα με αιτιολογία 003 "
                  "(ΠΡΟΒΛΗΜΑ ΣΥΝΔΕΣΗΣ ΜΕ ΤΟ ΠΣ ΕΡΓΑΝΗ). Ειδοποιήστε την Επιθεώρηση Εργασίας στην αρχή και στο τέλος "
                  "του προβλήματος.",
                  f"ERGANI was unavailable (since {since}): the events were sent late with justification 003 "
                  "(connection to ERGANI). Notify the Labour Inspectorate at the start and at the end of the problem.")

    def outage_record(self, submission: Submission, receipt: Receipt) -> OutageDocument | None:
        return None  # AADE's monthly outage listing is myDATA's; ERGANI's incidents are kept apart


OVERTIME_CODES = (PRE_ANNOUNCED, RETROSPECTIVE)


def with_registry(document: WtoDoc, staff: dict[str, Any]) -> WtoDoc:
    """The declaration's break terms, completed from the employer's registry (ERGANI's EX_BASE_05:
    the break, whether it lies inside the schedule, the contractual day = weekly hours / days a week)
    for every employee the client said nothing of: ERGANI-SCHEDULE-BREAK reads them."""
    breaks = dict(document.breaks)
    for afm, known in staff.items():
        if afm in breaks or known.break_minutes is None or known.break_within is None \
                or not known.weekly_hours or not known.week_days:
            continue
        daily = int(known.weekly_hours * 60 / known.week_days)
        if 1 <= daily <= 24 * 60:
            breaks[afm] = BreakTerms(minutes=known.break_minutes, within_schedule=known.break_within,
                                     daily_minutes=daily)
    return document if breaks == document.breaks else document.model_copy(update={"breaks": breaks})

WORKCARD = ErganiKind("ergani_workcard", "WRKCardSE", WorkCardDoc)
WTO_WEEK = ErganiKind("ergani_wto_week", "WTOWeek", WtoDoc)
WTO_DAILY = ErganiKind("ergani_wto_daily", "WTODaily", WtoDoc)
LEAVE = ErganiKind("ergani_leave", "WTOLeave", WtoDoc)
OVERTIME = ErganiKind("ergani_overtime", PRE_ANNOUNCED, WtoDoc)
OVERTIME_RETRO = ErganiKind("ergani_overtime_retro", RETROSPECTIVE, WtoDoc)
KINDS = (WORKCARD, WTO_WEEK, WTO_DAILY, LEAVE, OVERTIME, OVERTIME_RETRO)
