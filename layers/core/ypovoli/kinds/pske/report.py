"""The human report of a dossier: HTML, Greek first with the English beside it, grouped by rule,
with the euro impact of every likely cut. Self-contained (no scripts, no external assets).

Rendered by Jinja2 with autoescaping on (``kinds/pske/templates/pske_report.html``): every value a request
carries — supplier names, numbers, paths — is text, never markup.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ...findings import Finding, Severity
from ...rules.common import greek_amount
from ...templates_env import environment

if TYPE_CHECKING:
    from jinja2 import Template

    from .model import Cut, DossierView

_SEVERITY = {Severity.ERROR: ("Σφάλμα", "Error"), Severity.WARNING: ("Προειδοποίηση", "Warning"),
             Severity.INFO: ("Πληροφορία", "Info")}
_STATUS = {"accepted": ("Έτοιμο για υποβολή", "Ready to submit"), "invalid": ("Χρειάζεται διορθώσεις", "Needs fixing"),
           "pending": ("Σε αναμονή", "Pending")}


def eur(value: Decimal) -> str:
    return greek_amount(value) + " €"


@dataclass(frozen=True)
class _Group:
    code: str
    severity: str
    el: str
    en: str
    source: str
    impact: Decimal
    findings: list[Finding]


def template() -> Template:
    environment().filters.setdefault("eur", eur)
    return environment().get_template("pske_report.html")


def render_html(view: DossierView, findings: list[Finding], cuts: list[Cut]) -> str:
    status_el, status_en = _STATUS[view.status]
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    groups = [
        _Group(code, group[0].severity.value, *_SEVERITY[group[0].severity], group[0].source,
               sum((c.cut for c in cuts if c.code == code), Decimal(0)), group)
        for code, group in sorted(by_code.items())
    ]
    return template().render(
        view=view, status_el=status_el, status_en=status_en, cuts=cuts, groups=groups,
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        total=sum((c.cut for c in cuts), Decimal(0)),
    )
