"""Who is in the digital work card regime, and since when (ergani-api.md §1.4 «Who is in scope»).

Enrolment follows the employer's **main ΚΑΔ in TAXIS** and then covers every branch; it was phased in
by ministerial decisions. ERGANI's own flag (`EX_BASE_01.IsInCardSector`) is the authority when it is
known; this table answers when it is not, and says from when sanctions apply. Each row names the
sources it was built from; where a source gives only the year, the row starts on 1 January of it and
says so. A new decision is a setting (``ERGANI_CARD_PHASES``, JSON), not a release.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

HLI = "Επιθεώρηση Εργασίας, «Ψηφιακή Κάρτα Εργασίας» (https://www.hli.gov.gr)"
FAQ = "ΕΡΓΑΝΗ, Συχνές ερωτήσεις ψηφιακής κάρτας 2024, Ε4–Ε7 (https://www.ergani.gov.gr)"


@dataclass(frozen=True)
class Phase:
    start: dt.date
    #: ΚΑΔ prefixes (the first two digits: the division) the phase enrols.
    kad: tuple[str, ...]
    sector_el: str
    sector_en: str
    source: str
    #: The source gives only the year: the day is 1 January, for want of the decision's own date.
    year_only: bool = False


PHASES: tuple[Phase, ...] = (
    Phase(dt.date(2022, 1, 1), ("64",), "Τράπεζες", "Banks",
          f"Υ.Α. 49758/31.05.2022; {HLI}", year_only=True),
    Phase(dt.date(2022, 1, 1), ("4711",), "Μεγάλα σούπερ μάρκετ", "Large supermarkets",
          f"Υ.Α. 49758/31.05.2022; {HLI}", year_only=True),
    Phase(dt.date(2023, 1, 1), ("80",), "Υπηρεσίες ασφαλείας", "Security services", FAQ, year_only=True),
    Phase(dt.date(2023, 1, 1), ("65",), "Ασφαλιστικές επιχειρήσεις", "Insurance", FAQ, year_only=True),
    Phase(dt.date(2023, 1, 1), ("35", "36"), "Επιχειρήσεις κοινής ωφέλειας", "Utilities", FAQ, year_only=True),
    Phase(dt.date(2024, 1, 1), tuple(f"{n:02d}" for n in range(10, 34) if n != 19),
          "Βιομηχανία (ΚΑΔ 10–33 πλην 19)", "Industry (ΚΑΔ 10–33 but 19)", FAQ, year_only=True),
    Phase(dt.date(2024, 1, 1), ("47",), "Λιανικό εμπόριο (ΚΑΔ 47)", "Retail trade (ΚΑΔ 47)", FAQ, year_only=True),
    Phase(dt.date(2025, 3, 1), ("55", "56"), "Τουρισμός και εστίαση", "Tourism and food service",
          "Υπουργείο Εργασίας, ανακοίνωση επέκτασης της ψηφιακής κάρτας από 1.3.2025 (https://ypergasias.gov.gr)"),
    Phase(dt.date(2025, 11, 3), ("46", "66", "77", "78", "79", "81", "82"),
          "Ενέργεια, χονδρεμπόριο, χρηματοοικονομικές και διοικητικές/υποστηρικτικές δραστηριότητες",
          "Energy, wholesale, financial and administrative/support activities",
          "Υπουργείο Εργασίας, ανακοίνωση επέκτασης της ψηφιακής κάρτας από 3.11.2025 (https://ypergasias.gov.gr)"),
)


def phases(extra: str = "") -> tuple[Phase, ...]:
    """The built-in table plus the setting's rows (malformed rows are refused loudly at startup)."""
    if not extra.strip():
        return PHASES
    added = []
    for row in json.loads(extra):
        added.append(Phase(dt.date.fromisoformat(str(row["from"])), tuple(str(k) for k in row["kad"]),
                           str(row.get("sector", "")), str(row.get("sector_en", row.get("sector", ""))),
                           str(row["source"])))
    return (*PHASES, *added)


def phase_of(kad: str, table: tuple[Phase, ...] = PHASES) -> Phase | None:
    """The phase that enrolled a main ΚΑΔ (the most specific prefix; the earliest of equals)."""
    digits = "".join(ch for ch in kad if ch.isdigit())
    if not digits:
        return None
    matching = [p for p in table if any(digits.startswith(prefix) for prefix in p.kad)]
    if not matching:
        return None
    return min(matching, key=lambda p: (-max(len(k) for k in p.kad if digits.startswith(k)), p.start))
