"""What the console's pages show, from the same services as the API (the compliance view, the
submission, its events, the outage report) — the overview and the business page from the view as kept
for each business (services/summaries.py), so a page costs one read however large the office.
Rendering is the templates' (``templates/console/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..kinds import registry
from ..models.compliance import ComplianceItem, ComplianceView
from ..models.events import Delivery
from ..models.reports import OutageReport
from ..models.submission import Submission
from ..store.dossiers import content_type
from . import summaries
from .deps import Deps
from .reports import outage_report

#: The kinds a person reads, in both languages (a kind without a name here shows its code).
KIND_NAMES = {
    "mydata_invoice": ("Παραστατικό myDATA", "myDATA invoice"),
    "ergani_workcard": ("Κάρτα εργασίας ΕΡΓΑΝΗ", "ERGANI work card"),
    "ergani_wto_week": ("Εβδομαδιαίο ωράριο ΕΡΓΑΝΗ", "ERGANI weekly schedule"),
    "ergani_wto_daily": ("Ημερήσιο ωράριο ΕΡΓΑΝΗ", "ERGANI daily schedule"),
    "ergani_leave": ("Άδεια ΕΡΓΑΝΗ", "ERGANI leave"),
    "ergani_overtime": ("Υπερωρία ΕΡΓΑΝΗ", "ERGANI overtime"),
    "ergani_overtime_retro": ("Υπερωρία ΕΡΓΑΝΗ (απολογιστική)", "ERGANI overtime (retrospective)"),
    "pske_request": ("Αίτημα ελέγχου ΠΣΚΕ", "ΠΣΚΕ payment request"),
    "pske_upload": ("Αίτημα ελέγχου ΠΣΚΕ (zip)", "ΠΣΚΕ payment request (zip)"),
    "fiscal_device": ("Φορολογικός μηχανισμός (ΦΗΜ)", "Fiscal device (ΦΗΜ)"),
}
STATUS_NAMES = {
    "accepted": ("σε ουρά", "queued"), "transmitting": ("αποστέλλεται", "sending"),
    "transmitted": ("διαβιβάστηκε", "transmitted"), "deferred": ("σε αναμονή (διακοπή)", "deferred (outage)"),
    "overdue": ("εκπρόθεσμο", "overdue"), "rejected": ("απορρίφθηκε", "rejected"),
    "invalid": ("άκυρο", "invalid"), "cancelled": ("ακυρώθηκε", "cancelled"),
    "pending": ("αναμένεται το αρχείο", "waiting for the upload"),
}
#: Two changes in the same instant are shown in the order a submission lives them.
LIFECYCLE = {"accepted": 0, "transmitting": 1, "deferred": 2, "overdue": 3, "transmitted": 4, "rejected": 4,
             "cancelled": 5}


def kind_name(kind: str, lang: str) -> str:
    names = KIND_NAMES.get(kind)
    return (names[0] if lang == "el" else names[1]) if names else kind


def status_name(status: str, lang: str) -> str:
    names = STATUS_NAMES.get(status)
    return (names[0] if lang == "el" else names[1]) if names else status


def money(value: Any, lang: str) -> str:
    """An amount in the reader's format: «1.234,50 €» on a Greek page, «€1,234.50» on an English one."""
    from ..rules.common import english_amount, greek_amount

    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"€{english_amount(amount)}" if lang == "en" else f"{greek_amount(amount)} €"


def code_name(code: str, lang: str) -> str:
    """A finding's code in words (the catalog's meaning, in the page's language); the code itself is
    the secondary text the page shows beside it."""
    from ..codes import by_code

    entry = by_code().get(code)
    if entry is None:
        return code
    return (entry.message_el if lang == "el" else entry.message_en).rstrip(".")


#: What an attempt's failure was, in words (the raw error stays as the secondary text).
OUTAGE_WORDS = (
    (("connection refused", "failed to establish", "connect failed", "name or service", "nodename"),
     "η υπηρεσία δεν δεχόταν συνδέσεις", "the service did not accept connections"),
    (("timed out", "timeout", "read timed"), "η υπηρεσία δεν απάντησε εγκαίρως", "the service did not answer in time"),
    (("http 429", "too many"), "η υπηρεσία περιόριζε τις κλήσεις (429)", "the service was throttling calls (429)"),
    (("http 5", " 500", " 502", " 503", " 504"), "η υπηρεσία απάντησε με σφάλμα διακομιστή",
     "the service answered with a server error"),
)


def outage_words(error: str, lang: str) -> str:
    lowered = error.lower()
    for needles, el, en in OUTAGE_WORDS:
        if any(n in lowered for n in needles):
            return el if lang == "el" else en
    return "η υπηρεσία δεν ήταν διαθέσιμη" if lang == "el" else "the service was unavailable"


def state_name(state: str, lang: str) -> str:
    """What a count on the overview says: a status in words, or a sweep's rule in words."""
    return status_name(state, lang) if state in STATUS_NAMES else code_name(state, lang)


def countdown(due: datetime | None, now: datetime, lang: str) -> str:
    if due is None:
        return "—"
    seconds = int((due - now).total_seconds())
    past = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} {'ημ.' if lang == 'el' else 'd'}"] if days else []
    parts += [f"{hours} {'ώρ.' if lang == 'el' else 'h'}", f"{minutes} {'λεπ.' if lang == 'el' else 'min'}"]
    text = " ".join(parts)
    if lang == "el":
        return f"πριν από {text}" if past else f"σε {text}"
    return f"{text} ago" if past else f"in {text}"


@dataclass
class BusinessRow:
    afm: str
    light: str
    counts: list[tuple[str, str, int]]
    exposure: Decimal
    next_due: datetime | None
    countdown: str
    #: When the row's figures were computed (kept current by the table's stream and the pump).
    as_of: datetime | None = None


def overview(deps: Deps, tenant: str, afms: set[str], now: datetime, lang: str) -> list[BusinessRow]:
    """One row per business, from the summaries kept for them (services/summaries.py): their boards read
    by key, however many open items — no compliance view is computed here."""
    return [BusinessRow(afm=s.afm, light=s.light, counts=s.counts, exposure=s.exposure_eur, next_due=s.next_due,
                        countdown=countdown(s.next_due, now, lang), as_of=s.as_of)
            for s in summaries.overview(deps, tenant, afms, now)]


@dataclass
class BusinessPage:
    afm: str
    view: ComplianceView
    kinds: list[str]
    selected: str
    items: list[ComplianceItem] = field(default_factory=list)
    #: The business's latest ΠΣΚΕ payment requests (their pages carry the audit-letter form).
    dossiers: list[Any] = field(default_factory=list)
    #: Its ERGANI force-majeure incidents, newest first, each with the notice it owes the Inspectorate.
    incidents: list[Any] = field(default_factory=list)


def business(deps: Deps, tenant: str, afm: str, now: datetime, kind: str) -> BusinessPage:
    """The business page, from the business's kept summary (computed only when none is kept yet)."""
    state = summaries.business(deps, tenant, afm, now)
    current = state.view
    kinds = sorted({i.kind for i in current.items})
    items = [i for i in current.items if not kind or i.kind == kind]
    return BusinessPage(afm=afm, view=current, kinds=kinds, selected=kind if kind in kinds else "", items=items,
                        dossiers=state.parts.get("dossiers", []), incidents=state.incidents)


@dataclass
class SubmissionPage:
    submission: Submission
    timeline: list[Delivery]
    downloads: list[tuple[str, str]]
    is_document: bool
    #: The document itself, in lines a person reads first: (Greek label, English label, value).
    document: list[tuple[str, str, str]] = field(default_factory=list)
    #: A rejected JSON document as it came in, for its correction to start from.
    original: str = ""


def _day(text: str) -> str:
    """«2026-12-07» as people in Greece write it: «07/12/2026»."""
    try:
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _money(value: Any) -> str:
    return f"{value} €" if value not in (None, "") else "—"


def document_lines(kind: str, data: Any) -> list[tuple[str, str, str]]:
    """What the document is, before its status: an invoice's number, date, counterpart and amounts; a
    card's employee, event and time; a schedule's, leave's or overtime's employees and period."""
    if not isinstance(data, dict):
        return []
    from ..deadlines import athens_text

    if kind == "mydata_invoice":
        header, summary = data.get("invoiceHeader") or {}, data.get("invoiceSummary") or {}
        counterpart = data.get("counterpart") or {}
        named = (counterpart.get("name") or "").strip()
        return [("Σειρά / αριθμός", "Series / number", f"{header.get('series', '')} {header.get('aa', '')}".strip()),
                ("Ημερομηνία έκδοσης", "Issue date", _day(str(header.get("issueDate", "")))),
                ("Τύπος", "Type", str(header.get("invoiceType", ""))),
                ("Αντισυμβαλλόμενος", "Counterpart",
                 f"{counterpart.get('vatNumber', '—')}{' · ' + named if named else ''}" if counterpart else "—"),
                ("Καθαρή αξία", "Net", _money(summary.get("totalNetValue"))),
                ("ΦΠΑ", "VAT", _money(summary.get("totalVatAmount"))),
                ("Συνολική αξία", "Gross", _money(summary.get("totalGrossValue")))]
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


def submission(deps: Deps, tenant: str, submission_id: str) -> SubmissionPage | None:
    found = deps.index.get_submission(tenant, submission_id)
    if found is None:
        return None
    timeline = sorted((d for d in deps.events.deliveries(tenant, limit=200, submission_id=submission_id)[0]
                       if d.status is not None),
                      key=lambda d: (d.occurred_at, LIFECYCLE.get(d.status.value if d.status else "", 9)))
    names = sorted(deps.dossiers.names(found.dossier), key=_dossier_order) if found.dossier else []
    downloads = [(name, deps.dossiers.presigned_get(f"{found.dossier}{name}", 300, content_type(name)))
                 for name in names]
    try:
        document = document_lines(found.kind, deps.dossiers.document(found.dossier)) if found.dossier else []
    except Exception:  # the page still shows the rest if the dossier cannot be read
        document = []
    original = ""
    if found.status.value == "rejected" and found.dossier and "original.json" in names:
        import json

        raw = deps.dossiers.get(f"{found.dossier}original.json")
        try:
            original = json.dumps(json.loads(raw or b""), ensure_ascii=False, indent=2)
        except ValueError:
            original = ""
    return SubmissionPage(submission=found, timeline=timeline, downloads=downloads,
                          is_document=found.kind in registry.DOCUMENT_KINDS, document=document, original=original)


def _dossier_order(name: str) -> tuple[int, int, str]:
    """The dossier in the order it was written: what came in, what ypovoli found, each attempt in
    turn (``attempts/10`` after ``attempts/9``), then what the upstream gave back."""
    if name.startswith("original."):
        return 0, 0, name
    if name == "report.json":
        return 1, 0, name
    if name.startswith("attempts/"):
        number = name.removeprefix("attempts/").split(".", 1)[0]
        return 2, int(number) if number.isdigit() else 0, name
    return 3, 0, name


@dataclass
class OutagesPage:
    links: list[tuple[str, datetime | None]]
    report: OutageReport
    chart: list[dict[str, Any]]


def outages(deps: Deps, tenant: str, afms: set[str], month: str) -> OutagesPage:
    links = [(registry.UPSTREAM_NAMES.get(u, u), deps.index.link_down_since(u)) for u in registry.upstreams()]
    report = outage_report(deps, tenant, month, afms)
    return OutagesPage(links=links, report=report, chart=bar_chart([(s.issuer_afm, s.documents)
                                                                     for s in report.issuers]))


def bar_chart(values: list[tuple[str, int]], width: int = 560, bar: int = 28) -> list[dict[str, Any]]:
    """Horizontal bars for a server-rendered SVG: label, value, and the geometry (no JavaScript)."""
    top = max((v for _, v in values), default=0) or 1
    label_w = 110
    return [{"label": label, "value": value, "y": i * (bar + 8), "x": label_w,
             "w": max(2, int((width - label_w - 60) * value / top)), "h": bar}
            for i, (label, value) in enumerate(values)]



# ---- finding a submission ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One row of the submissions page: a submission or a ΠΣΚΕ dossier."""

    what: str   # submission | dossier
    id: str
    afm: str
    kind: str
    status: str
    created_at: datetime
    label: str
    receipt: str = ""

    @property
    def link(self) -> str:
        return f"/console/{'dossiers' if self.what == 'dossier' else 'submissions'}/{self.id}"


@dataclass(frozen=True)
class Query:
    """The page's filters: a search text, a business, a kind, a status, received from/until (Athens days)."""

    q: str = ""
    afm: str = ""
    kind: str = ""
    status: str = ""
    since: date | None = None
    until: date | None = None

    def wants(self, row: Found, managed: set[str]) -> bool:
        from ..clock import ATHENS

        day = row.created_at.astimezone(ATHENS).date()
        return (row.afm in managed and (not self.afm or row.afm == self.afm)
                and (not self.kind or row.kind == self.kind) and (not self.status or row.status == self.status)
                and (self.since is None or day >= self.since) and (self.until is None or day <= self.until))


def _row_of_submission(sub: Submission) -> Found:
    summary = sub.summary
    label = str(summary.get("document_number") or summary.get("names") or summary.get("code") or "")
    receipt = ""
    if sub.receipt is not None:
        receipt = str(sub.receipt.mark or sub.receipt.protocol or "")
    return Found("submission", sub.id, sub.afm, sub.kind, sub.status.value, sub.created_at, label, receipt)


def _row_of_dossier(view: Any) -> Found:
    return Found("dossier", view.id, view.afm, view.kind, view.status, view.created_at,
                 f"{view.project_code} · {view.request_type}", f"{view.total_cut} €" if view.total_cut else "")


#: The page shows at most this many rows (the CSV export the same).
FIND_LIMIT = 200


def find_submissions(deps: Deps, tenant: str, managed: set[str], query: Query,
                     limit: int = FIND_LIMIT) -> list[Found]:
    """The tenant's submissions and ΠΣΚΕ requests that match, newest first. A search text is looked up
    exactly — a MARK, an ERGANI protocol, an id, or a term of the search index (a document's number, an
    employee's ΑΦΜ or surname, a project code) —; without one, the businesses' listings are read."""
    rows = _searched(deps, tenant, query.q.strip()) if query.q.strip() else _listed(deps, tenant, managed, query,
                                                                                     limit)
    seen: set[str] = set()
    out = []
    for row in sorted(rows, key=lambda r: r.created_at, reverse=True):
        if row.id not in seen and query.wants(row, managed):
            seen.add(row.id)
            out.append(row)
    return out[:limit]


def _searched(deps: Deps, tenant: str, text: str) -> list[Found]:
    import re

    from ..kinds.pske.store import PskeStore
    from ..store.search import term

    ids: list[tuple[str, str]] = []
    digits = re.sub(r"\D", "", text)
    if digits and digits == text.replace(" ", "") and len(digits) >= 12:   # a MARK
        found = deps.index.submission_by_mark(tenant, int(digits))
        ids += [("submission", found)] if found else []
    found = deps.index.submission_by_protocol(tenant, text)
    ids += [("submission", found)] if found else []
    if re.fullmatch(r"[0-9a-fA-F-]{36}", text):
        ids += [("submission", text.lower()), ("dossier", text.lower())]
    words = [term(text)]
    rest = re.match(r"^\S+?[\s\-/]+(.+)$", text)   # «Α-101»: invoices are indexed by their number alone
    if rest:
        words.append(term(rest.group(1)))
    tail = re.search(r"(\d+)$", words[0])
    if tail and tail.group(1) not in words:
        words.append(tail.group(1))
    for word in words:
        ids += [(what, ident) for what, ident, _ in deps.search.find(tenant, word)]
    rows: list[Found] = []
    for what, ident in dict.fromkeys(ids):
        if what == "dossier":
            dossier = deps.store(PskeStore).get_dossier(tenant, ident)
            if dossier is not None:
                rows.append(_row_of_dossier(dossier[0]))
            continue
        sub = deps.index.get_submission(tenant, ident)
        if sub is not None:
            rows.append(_row_of_submission(sub))
    if len(words) > 1:   # «Α-101»: of the invoices numbered 101, those of series Α
        wanted = words[0]
        rows = [r for r in rows if r.kind != "mydata_invoice" or term(r.label) == wanted] or rows
    return rows


def _listed(deps: Deps, tenant: str, managed: set[str], query: Query, limit: int) -> list[Found]:
    from ..kinds.pske.store import PskeStore

    afms = [query.afm] if query.afm else sorted(managed)
    rows: list[Found] = []
    for afm in afms:
        if afm not in managed:
            continue
        if not query.kind.startswith("pske"):
            cursor: str | None = None
            taken = 0
            while taken < limit:
                page, cursor = deps.index.list_by_afm(tenant, afm, 100, query.kind or None, cursor,
                                                      query.status or None)
                batch = [_row_of_submission(s) for s in page]
                rows += batch
                taken += len(batch)
                oldest = min((r.created_at for r in batch), default=None)
                if cursor is None or (query.since is not None and oldest is not None
                                      and oldest.date() < query.since):
                    break
        if not query.kind or query.kind.startswith("pske"):
            dossiers, _ = deps.store(PskeStore).list_dossiers(tenant, afm, limit=min(limit, 100))
            rows += [_row_of_dossier(d) for d in dossiers]
    return rows


def csv_of(rows: list[Found], lang: str) -> str:
    import csv
    import io

    from ..clock import ATHENS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["παραλήφθηκε", "ΑΦΜ", "είδος", "έγγραφο", "κατάσταση", "ΜΑΡΚ / πρωτόκολλο", "id"] if lang == "el"
                    else ["received", "afm", "kind", "document", "status", "mark / protocol", "id"])
    for row in rows:
        writer.writerow([row.created_at.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M"), row.afm,
                         kind_name(row.kind, lang), row.label, status_name(row.status, lang), row.receipt, row.id])
    return out.getvalue()
