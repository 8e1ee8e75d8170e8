"""Every kind ypovoli knows, every upstream it sends to, and every part a kind adds to the generic
layers: one line each. This module is the only place where the generic layers meet a kind by name
(issue 35): ``api/``, ``services/``, ``store/``, ``models/`` and the functions ask for "every kind's
routes", "every kind's sweeps", "every kind's compliance part"… here, and never import a kind.

A new kind is its own folder under ``kinds/`` plus its lines below; intake, transmitter, sweeper,
the console and the status vocabulary take it as it is (docs/adding-a-kind.md).

A kind's module is imported the first time the kind is asked for, never before: its models and
validators cost import time (the invoice model's ~50 ms), and a webhook delivery or a pump tick has
no use for them (issue 17 §2). What every function needs without a kind — its name, its upstream —
is written here beside the line that names its module; a test checks that the two agree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from ..settings import Settings
from .base import DocumentKind, Evaluation, Transmission

TransmissionFactory = Callable[[Settings], Transmission]


@dataclass(frozen=True)
class Line:
    """Where a kind lives (``module:attribute`` under ``ypovoli.kinds``) and the upstream it goes to."""

    where: str
    upstream: str = ""
    #: The retention class its dossiers are tagged with (template.yaml's lifecycle rules), if not the
    #: bucket's default.
    retention: str = ""

    def load(self) -> Any:
        module, _, attribute = self.where.partition(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), attribute)


class UnknownKind(LookupError):
    pass


class KindTable(MutableMapping[str, Any]):
    """Name → kind, each imported on first use. A kind object set in it directly (a test's) is used
    as it is."""

    def __init__(self, what: str, lines: dict[str, Line]) -> None:
        self.what = what
        self._lines = dict(lines)
        self._loaded: dict[str, Any] = {}

    def named(self, name: str) -> Any:
        """The kind ``name``, or :class:`UnknownKind` naming the ones there are."""
        try:
            return self[name]
        except KeyError:
            raise UnknownKind(f"no {self.what} {name!r} (known: {', '.join(sorted(self))})") from None

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            self._loaded[name] = self._lines[name].load()
        return self._loaded[name]

    def __setitem__(self, name: str, kind: Any) -> None:
        self._lines[name] = Line(f"<set>:{name}", str(getattr(kind, "upstream", "")))
        self._loaded[name] = kind

    def __delitem__(self, name: str) -> None:
        del self._lines[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, name: object) -> bool:
        return name in self._lines

    def upstream(self, name: str) -> str:
        """The kind's upstream, without importing it."""
        return self._lines[name].upstream

    def declared(self) -> dict[str, Line]:
        return dict(self._lines)


#: ERGANI's records are kept at least ten years (ERGANI-RETENTION, ΥΑ 49758/2022: «τουλάχιστον δέκα (10)
#: ετών»; ERGANI itself keeps them far less).
TIMEKEEPING = "timekeeping"
#: Kinds sent upstream through the outbox.
DOCUMENT_KINDS: KindTable = KindTable("document kind", {
    "mydata_invoice": Line("mydata_invoice.kind:KIND", "mydata"),
    "ergani_workcard": Line("ergani.kind:WORKCARD", "ergani", TIMEKEEPING),
    "ergani_wto_week": Line("ergani.kind:WTO_WEEK", "ergani", TIMEKEEPING),
    "ergani_wto_daily": Line("ergani.kind:WTO_DAILY", "ergani", TIMEKEEPING),
    "ergani_leave": Line("ergani.kind:LEAVE", "ergani", TIMEKEEPING),
    "ergani_overtime": Line("ergani.kind:OVERTIME", "ergani", TIMEKEEPING),
    "ergani_overtime_retro": Line("ergani.kind:OVERTIME_RETRO", "ergani", TIMEKEEPING),
})
#: Kinds checked and kept as dossiers, never transmitted.
EVALUATIONS: KindTable = KindTable("evaluation", {
    "pske_request": Line("pske.kind:KIND"),
    "voucher_check": Line("sme.kind:VOUCHER_CHECK"),
    "repayable_advance": Line("sme.kind:REPAYABLE_ADVANCE"),
})
#: Each kind's HTTP routes: ``module:factory`` under ``ypovoli.kinds``, a factory ``(api) -> list[Blueprint]``.
#: The API function registers every one beside the generic areas (``api/``), which name no kind.
ROUTES: tuple[Line, ...] = (
    Line("mydata_invoice.api:routes"),
    Line("ergani.api:routes"),
    Line("pske.api:routes"),
    Line("retail.api:routes"),
    Line("sme.api:routes"),
)
#: Each kind's own sweeps by name: ``module:function`` under ``ypovoli.kinds``, a function
#: ``(deps, task) -> figures``. The pump runs them, in this order, after the outbox and before the webhooks.
SWEEPS: dict[str, Line] = {
    "timekeeping": Line("ergani.timekeeping:sweep_task"),
    "fiscal-devices": Line("retail.service:sweep_task"),
}
#: The files each kind recognises offline (``services/offline.py``): ``module:FILES``, a list of
#: ``FileKind``, asked in this order.
FILES: tuple[Line, ...] = (
    Line("mydata_invoice.files:FILES"),
    Line("ergani.files:FILES"),
    Line("pske.files:FILES"),
)
#: The kind whose drop folder the drop bucket is: ``module:function``
#: ``(deps, bucket, key, etag, version) -> outcome``.
DROP_FOLDER = Line("pske.uploads:file_upload")
#: What each kind adds to a business's compliance view: ``module:function``, a function
#: ``(deps, tenant, afm, now, known) -> (items, fields of the view)``.
COMPLIANCE: tuple[Line, ...] = (
    Line("retail.service:compliance_part"),
    Line("pske.compliance:part"),
    Line("ergani.card_regime:compliance_part"),
)
#: What the console's business page shows of a kind besides the view, by the name the page keeps it
#: under: ``module:part``, a part with ``read(deps, tenant, afm)`` and ``load(kept)``; what it read is
#: handed to the compliance parts as ``known[name]``.
PAGE_PARTS: dict[str, Line] = {"dossiers": Line("pske.compliance:PAGE_PART")}
#: The notice a business owes for an incident of an upstream that records them (its transmission's
#: ``records_incidents``): ``module:function`` ``(upstream, afm, start, end, affected, employees) -> text``.
INCIDENT_NOTICES: dict[str, Line] = {"ergani": Line("ergani.incidents:notice_el")}
#: Each kind's words where a person reads them: ``module`` under ``ypovoli.kinds`` with ``LABELS`` (kind →
#: Greek, English name) and ``CONSOLE`` (the console's texts of its pages, by language).
TEXTS: tuple[str, ...] = ("mydata_invoice.texts", "ergani.texts", "pske.texts", "retail.texts")
#: Each kind's fragments of the console's business page, by where they go (``top``: under the exposure;
#: ``bottom``: under the items), as template names in the kind's ``templates/`` folder.
BUSINESS_PAGE: dict[str, tuple[str, ...]] = {
    "top": ("console/business_card_regime.html",),
    "bottom": ("console/business_requests.html", "console/business_deviations.html"),
}
#: Each kind's console pages and acts: ``module:function`` ``(ConsoleParts) -> None``.
CONSOLE: tuple[Line, ...] = (
    Line("mydata_invoice.console:routes"),
    Line("ergani.console:routes"),
    Line("pske.console:routes"),
)
#: What a kind keeps of its own beside the submissions, on the console's submissions page (found by id,
#: listed per business): ``module:object`` with ``kinds``, ``get(deps, tenant, id)`` and
#: ``listed(deps, tenant, afm, limit)``.
RECORDS: tuple[Line, ...] = (Line("pske.records:RECORDS"),)
#: Each kind's codes in the catalog (``ypovoli.codes``): ``module`` under ``ypovoli.kinds`` with ``CODES``.
CATALOGS: tuple[str, ...] = ("mydata_invoice.catalog", "retail.catalog", "sme.catalog", "ergani.catalog",
                             "pske.catalog")
#: Each kind's share of the OpenAPI document (``ypovoli.openapi``): ``module`` under ``ypovoli.kinds`` with
#: ``MODELS``, ``SECURITY_SCHEMES``, ``TAGS``, ``paths(security, id_param)`` and, if it has one, ``describe(schemas)``.
OPENAPI: tuple[str, ...] = ("mydata_invoice.openapi", "ergani.openapi", "retail.openapi", "sme.openapi",
                            "pske.openapi")
#: Each upstream as people name it (the compliance view's messages).
UPSTREAM_NAMES: dict[str, str] = {"mydata": "myDATA (ΑΑΔΕ)", "ergani": "ΕΡΓΑΝΗ ΙΙ"}
#: Upstream name → its transmission's class (``from_settings``), imported when first built: urllib3 pools
#: only where something is sent.
#: (A factory ``settings -> Transmission`` set here directly — a test's upstream — is used as it is.)
UPSTREAMS: dict[str, Line | TransmissionFactory] = {
    "mydata": Line("mydata_invoice.transmission:MyDataTransmission"),
    "ergani": Line("ergani.transmission:ErganiTransmission"),
}


def document_kind(name: str) -> DocumentKind:
    kind: DocumentKind = DOCUMENT_KINDS.named(name)
    return kind


def evaluation(name: str) -> Evaluation:
    kind: Evaluation = EVALUATIONS.named(name)
    return kind


def load_all(tables: tuple[KindTable, ...] = (DOCUMENT_KINDS, EVALUATIONS), sweeps: bool = False) -> None:
    """Import every kind of ``tables`` now, and let each build what its first use would (its ``prime``
    hook: myDATA's XSD, the ΠΣΚΕ report's templates) — a SnapStart snapshot's init (``snapstart.prime``);
    ``sweeps``: the kinds' sweeps too."""
    for table in tables:
        for name in table:
            prime = getattr(table.named(name), "prime", None)
            if prime is not None:
                prime()
    if sweeps:
        for line in SWEEPS.values():
            line.load()


def transmission(upstream: str, settings: Settings) -> Transmission:
    try:
        entry = UPSTREAMS[upstream]
    except KeyError:
        raise UnknownKind(f"no upstream {upstream!r} (known: {', '.join(sorted(UPSTREAMS))})") from None
    built: Transmission = entry.load().from_settings(settings) if isinstance(entry, Line) else entry(settings)
    return built


def route_factories() -> list[Callable[[Any], list[Any]]]:
    """Every kind's route factory, in the order of :data:`ROUTES`."""
    return [line.load() for line in ROUTES]


def retention_classes(tables: tuple[KindTable, ...] = (DOCUMENT_KINDS, EVALUATIONS)) -> dict[str, str]:
    """Kind → the retention class its dossiers are tagged with (no kind imported)."""
    return {name: line.retention for table in tables for name, line in table.declared().items() if line.retention}


def incident_notice(upstream: str, afm: str, start: Any, end: Any, affected: int, employees: Any) -> str:
    """The notice of an incident of ``upstream`` (none for an upstream without one)."""
    line = INCIDENT_NOTICES.get(upstream)
    return str(line.load()(upstream, afm, start, end, affected, employees)) if line is not None else ""


def _modules(names: tuple[str, ...]) -> list[Any]:
    """The kinds' modules ``names`` (under ``ypovoli.kinds``), each imported on first use."""
    return [importlib.import_module(f"{__package__}.{module}") for module in names]


def catalogs() -> list[Any]:
    return _modules(CATALOGS)


def openapi_parts() -> list[Any]:
    return _modules(OPENAPI)


def texts() -> list[Any]:
    return _modules(TEXTS)


def console_routes() -> list[Callable[[Any], None]]:
    return [line.load() for line in CONSOLE]


def records() -> list[Any]:
    return [line.load() for line in RECORDS]


def compliance_parts() -> list[Callable[..., tuple[list[Any], dict[str, Any]]]]:
    return [line.load() for line in COMPLIANCE]


def page_parts() -> dict[str, Any]:
    return {name: line.load() for name, line in PAGE_PARTS.items()}


def upstreams() -> list[str]:
    """Every upstream some kind sends to: the pump walks each one's due index (no kind imported)."""
    return sorted({DOCUMENT_KINDS.upstream(name) for name in DOCUMENT_KINDS})
