"""What the console's pages show, from the same services as the API (the compliance view, the
submission, its events, the outage report) — the overview and the business page from the view as kept
for each business (services/summaries.py), so a page costs one read however large the office.
Rendering is the templates' (``templates/console/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
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
@cache
def kind_names() -> dict[str, tuple[str, str]]:
    """Each kind as a person names it, Greek and English (``registry.TEXTS``: a kind's ``LABELS``)."""
    from ..kinds import registry

    return {kind: names for texts in registry.texts() for kind, names in texts.LABELS.items()}


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
    names = kind_names().get(kind)
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
    #: The business's kept records the page shows (``registry.PAGE_PARTS``'s ``dossiers``).
    dossiers: list[Any] = field(default_factory=list)
    #: Its upstream incidents, newest first, each with the notice it owes.
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
    #: Its kind lets a person cancel it at the upstream from the console, once transmitted.
    cancellable: bool = False


def item_link(item: ComplianceItem) -> str:
    """Where a compliance item's own page is: a submission's, a kind's kept record's, or none."""
    from ..kinds import registry

    if not item.submission_id:
        return ""
    if any(item.kind in part.kinds for part in registry.records()):
        return f"/console/dossiers/{item.submission_id}"
    return f"/console/submissions/{item.submission_id}" if item.kind in registry.DOCUMENT_KINDS else ""


def document_lines(kind: str, data: Any) -> list[tuple[str, str, str]]:
    """What the document is, before its status, in lines a person reads first — the kind's to say
    (its ``document_lines(data)`` hook: an invoice's number, date, counterpart and amounts; a card's
    employee, event and time…); nothing for a kind without one."""
    from ..kinds import registry

    if not isinstance(data, dict) or kind not in registry.DOCUMENT_KINDS:
        return []
    lines_of = getattr(registry.document_kind(kind), "document_lines", None)
    found: list[tuple[str, str, str]] = lines_of(data) if lines_of is not None else []
    return found


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
    is_document = found.kind in registry.DOCUMENT_KINDS
    cancellable = is_document and bool(getattr(registry.document_kind(found.kind), "console_cancel", False))
    return SubmissionPage(submission=found, timeline=timeline, downloads=downloads, is_document=is_document,
                          document=document, original=original, cancellable=cancellable)


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
    """One row of the submissions page: a submission, or a record a kind keeps of its own (a dossier)."""

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


#: The page shows at most this many rows (the CSV export the same).
FIND_LIMIT = 200


def find_submissions(deps: Deps, tenant: str, managed: set[str], query: Query,
                     limit: int = FIND_LIMIT) -> list[Found]:
    """The tenant's submissions and kept records that match, newest first. A search text is looked up
    exactly — a MARK, a protocol, an id, or a term of the search index (a document's number, an
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

    from ..kinds import registry
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
        if what == "dossier":   # a kind's kept record (registry.RECORDS), not a submission
            kept = next((r for part in registry.records() if (r := part.get(deps, tenant, ident)) is not None), None)
            rows += [kept] if kept is not None else []
            continue
        sub = deps.index.get_submission(tenant, ident)
        if sub is not None:
            rows.append(_row_of_submission(sub))
    if len(words) > 1:   # «Α-101»: of the documents numbered 101 in a kind of series, those of series Α
        wanted = words[0]
        rows = [r for r in rows if not _in_series(r.kind) or term(r.label) == wanted] or rows
    return rows


def _in_series(kind: str) -> bool:
    """Whether the kind numbers its documents within a series (its ``numbered_in_series``): the search
    index knows them by number alone."""
    from ..kinds import registry

    return kind in registry.DOCUMENT_KINDS and bool(getattr(registry.document_kind(kind), "numbered_in_series",
                                                            False))


def _listed(deps: Deps, tenant: str, managed: set[str], query: Query, limit: int) -> list[Found]:
    from ..kinds import registry

    parts = registry.records()
    kept_kinds = {kind for part in parts for kind in part.kinds}

    afms = [query.afm] if query.afm else sorted(managed)
    rows: list[Found] = []
    for afm in afms:
        if afm not in managed:
            continue
        if query.kind not in kept_kinds:
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
        for part in parts:   # each kind's kept records (registry.RECORDS)
            if not query.kind or query.kind in part.kinds:
                rows += part.listed(deps, tenant, afm, min(limit, 100))
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
