"""The human report of a dossier: HTML, Greek first with the English beside it, grouped by rule,
with the euro impact of every likely cut. Self-contained (no scripts, no external assets)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape

from ..findings import Finding, Severity
from ..kinds.pske.model import Cut, DossierView

_SEVERITY = {Severity.ERROR: ("Σφάλμα", "Error", "#b00020"), Severity.WARNING: ("Προειδοποίηση", "Warning", "#a15c00"),
             Severity.INFO: ("Πληροφορία", "Info", "#245")}
_STATUS = {"accepted": ("Έτοιμο για υποβολή", "Ready to submit"), "invalid": ("Χρειάζεται διορθώσεις", "Needs fixing"),
           "pending": ("Σε αναμονή", "Pending")}


def _eur(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".") + " €"


def render_html(view: DossierView, findings: list[Finding], cuts: list[Cut]) -> str:
    status_el, status_en = _STATUS[view.status]
    total = sum((c.cut for c in cuts), Decimal(0))
    parts = [
        "<!doctype html><html lang=\"el\"><head><meta charset=\"utf-8\">",
        f"<title>Αίτημα Ελέγχου {escape(view.project_code)} — {escape(view.request_type)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;"
        "vertical-align:top;text-align:left}.en{color:#555;font-size:.9em}.num{text-align:right;white-space:nowrap}"
        "h2{margin-top:2rem}</style></head><body>",
        f"<h1>Αίτημα Ελέγχου {escape(view.project_code)} — {escape(view.request_type)}</h1>",
        f"<p class=\"en\">Payment request {escape(view.project_code)} — {escape(view.request_type)}</p>",
        f"<p><strong>{escape(status_el)}</strong> <span class=\"en\">({escape(status_en)})</span> · ΑΦΜ "
        f"{escape(view.afm)} · {escape(view.created_at.isoformat())} · id {escape(view.id)}</p>",
        f"<p>Σφάλματα / errors: {sum(1 for f in findings if f.severity is Severity.ERROR)} · "
        f"Προειδοποιήσεις / warnings: {sum(1 for f in findings if f.severity is Severity.WARNING)} · "
        f"Πιθανές περικοπές / likely cuts: <strong>{_eur(total)}</strong></p>",
    ]
    if cuts:
        parts.append("<h2>Περικοπές <span class=\"en\">/ Cuts</span></h2><table><tr><th>Κανόνας / rule</th>"
                     "<th>Δαπάνη / expense</th><th>Παραστατικό / invoice</th><th class=\"num\">Αιτούμενο / requested"
                     "</th><th class=\"num\">Πιστοποιήσιμο / certifiable</th><th class=\"num\">Περικοπή / cut</th>"
                     "<th>Αιτία / reason</th></tr>")
        for cut in cuts:
            parts.append(
                f"<tr><td>{escape(cut.code)}</td><td>{escape(cut.expense or '')}</td><td>{escape(cut.invoice or '')}"
                f"</td><td class=\"num\">{_eur(cut.requested)}</td><td class=\"num\">{_eur(cut.certifiable)}</td>"
                f"<td class=\"num\"><strong>{_eur(cut.cut)}</strong></td><td>{escape(cut.reason_el)}<br>"
                f"<span class=\"en\">{escape(cut.reason_en)}</span></td></tr>")
        parts.append("</table>")
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    if not by_code:
        parts.append("<p>Δεν βρέθηκαν ευρήματα. <span class=\"en\">No findings.</span></p>")
    for code in sorted(by_code):
        group = by_code[code]
        el, en, colour = _SEVERITY[group[0].severity]
        impact = sum((c.cut for c in cuts if c.code == code), Decimal(0))
        parts.append(f"<h2 style=\"color:{colour}\">{escape(code)} · {escape(el)} <span class=\"en\">/ {escape(en)}"
                     f"</span>{' · ' + _eur(impact) if impact else ''}</h2>"
                     f"<p class=\"en\">{escape(group[0].source)}</p><table><tr><th>Πού / where</th>"
                     "<th>Εύρημα</th><th>Finding</th></tr>")
        for finding in group:
            parts.append(f"<tr><td><code>{escape(finding.path)}</code></td><td>{escape(finding.message_el)}</td>"
                         f"<td class=\"en\">{escape(finding.message_en)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)
