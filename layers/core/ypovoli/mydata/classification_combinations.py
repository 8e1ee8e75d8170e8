"""Which income classification (category × E3 type) an invoice type allows — AADE's combination
table (myDATA documentation, "Πίνακας Συνδυασμών Χαρακτηρισμών"), income side.

Data taken from Odoo's l10n_gr_edi (addons/l10n_gr_edi/models/classification_data.py at commit
f8d79839, which carries AADE's table), as SPEC §5.1 directs; rewritten here from named groups so
the table reads like AADE's. Values: a tuple of allowed E3 types; ``ALL_ABOVE`` (any E3 type the
same invoice type allows in its other categories); ``BLANK`` (no E3 type). Invoice types that take
their classification from the invoice they correct (1.6, 2.4, 5.1) and types missing here are not
checked. The expense side (category2_*) is not encoded yet.
"""

from __future__ import annotations

ALL_ABOVE = "all_above"
BLANK = "blank"
ASSOCIATED = frozenset({"1.6", "2.4", "5.1"})

Allowed = tuple[str, ...] | str


def _e3(*codes: str) -> tuple[str, ...]:
    return tuple(f"E3_{c}" for c in codes)


S561_127 = _e3("561_001", "561_002", "561_007")
S561_ALL = _e3("561_001", "561_002", "561_003", "561_004", "561_005", "561_006", "561_007")
S561_34567 = _e3("561_003", "561_004", "561_005", "561_006", "561_007")
OTHER_INCOME = _e3("562", "563", "564", "565", "566", "567", "568", "570")
RETAIL_880 = _e3("880_002", "880_003", "880_004", "561_007")
RETAIL_881 = _e3("881_002", "881_003", "881_004")
SALES_881 = _e3("881_001", "881_003", "881_004")
COMMON = {"category1_8": ALL_ABOVE, "category1_9": ALL_ABOVE}

INCOME: dict[str, dict[str, Allowed]] = {
    "1.1": {"category1_1": S561_127, "category1_2": S561_127, "category1_3": (*S561_127, "E3_563"),
            "category1_4": _e3("880_001"), "category1_5": (*_e3("561_007"), *OTHER_INCOME, "E3_561_002"),
            "category1_7": SALES_881, **COMMON, "category1_95": _e3("596", "597")},
    "1.2": {"category1_1": _e3("561_005", "561_007"), "category1_2": _e3("561_005", "561_007"),
            "category1_3": _e3("561_005", "561_007"), "category1_4": _e3("880_003"),
            "category1_5": _e3("561_005", "561_007", "562", "570"), "category1_7": _e3("881_003"), **COMMON,
            "category1_95": BLANK},
    "1.3": {"category1_1": _e3("561_006", "561_007"), "category1_2": _e3("561_006", "561_007"),
            "category1_3": _e3("561_006", "561_007"), "category1_4": _e3("880_004"),
            "category1_5": _e3("561_006", "561_007", "562", "570"), "category1_7": _e3("881_004"), **COMMON,
            "category1_95": BLANK},
    "1.4": {"category1_7": SALES_881, "category1_95": BLANK},
    "1.5": {"category1_1": S561_127, "category1_2": S561_127, "category1_3": _e3("561_001", "561_007"),
            "category1_4": _e3("880_001", "880_003", "880_004"), **COMMON},
    "2.1": {"category1_3": (*S561_127, "E3_563"), "category1_5": (*_e3("561_007"), *OTHER_INCOME), **COMMON,
            "category1_95": BLANK},
    "2.2": {"category1_3": _e3("561_005", "561_007", "563"), "category1_5": _e3("561_005", "561_007", "562", "570"),
            **COMMON, "category1_95": BLANK},
    "2.3": {"category1_3": _e3("561_006", "561_007", "563"), "category1_5": _e3("561_006", "561_007", "562", "570"),
            **COMMON, "category1_95": BLANK},
    "3.1": {},
    "3.2": {"category1_1": S561_127, "category1_2": S561_127, "category1_3": _e3("561_001", "561_007", "563"),
            "category1_4": _e3("880_001"), "category1_5": (*_e3("561_007"), *OTHER_INCOME), **COMMON,
            "category1_95": _e3("596", "597")},
    "5.2": {"category1_1": _e3("561_001", "561_002", "561_005", "561_006", "561_007"),
            "category1_2": _e3("561_001", "561_002", "561_005", "561_006", "561_007"),
            "category1_3": _e3("561_001", "561_002", "561_005", "561_006", "561_007", "563"),
            "category1_4": _e3("880_001", "880_003", "880_004"),
            "category1_5": (*_e3("561_005", "561_006", "561_007"), *OTHER_INCOME, "E3_561_002"),
            "category1_7": SALES_881, **COMMON, "category1_95": _e3("596", "597")},
    "6.1": {"category1_6": _e3("595"), "category1_95": BLANK},
    "6.2": {"category1_6": _e3("595"), "category1_95": BLANK},
    "7.1": {"category1_1": S561_127, "category1_2": S561_127, "category1_3": _e3("561_001", "561_007"),
            "category1_4": _e3("880_001"), "category1_5": _e3("561_007", "562", "563", "570"), **COMMON,
            "category1_95": BLANK},
    "8.1": {"category1_3": _e3("561_001"), "category1_5": _e3("562"), **COMMON, "category1_95": BLANK},
    "8.2": {"category1_95": BLANK},
    "11.1": {"category1_1": S561_34567, "category1_2": S561_34567, "category1_3": (*S561_34567, "E3_563"),
             "category1_4": RETAIL_880, "category1_5": _e3("561_007", "562", "563", "570"),
             "category1_7": RETAIL_881, **COMMON, "category1_95": BLANK},
    "11.2": {"category1_3": _e3("561_003", "561_005", "561_006", "561_007", "563"),
             "category1_5": _e3("561_007", "562", "563", "570"), **COMMON, "category1_95": BLANK},
    "11.3": {"category1_1": S561_ALL, "category1_2": S561_ALL, "category1_3": (*S561_ALL, "E3_563"),
             "category1_4": RETAIL_880, "category1_5": _e3("561_007", "562", "563", "570"),
             "category1_7": RETAIL_881, **COMMON, "category1_95": BLANK},
    "11.4": {"category1_1": S561_ALL, "category1_2": S561_ALL, "category1_3": (*S561_ALL, "E3_563"),
             "category1_4": RETAIL_880, "category1_5": _e3("561_007", "562", "563", "570"),
             "category1_7": RETAIL_881, **COMMON, "category1_95": BLANK},
    "11.5": {"category1_7": RETAIL_881, "category1_95": BLANK},
    "17.3": {**COMMON, "category1_10": (*S561_ALL, *_e3("562", "563", "595", "596", "597", "880_001", "880_002",
                                                      "880_003", "880_004", "881_001", "881_002", "881_003",
                                                      "881_004", "564", "565", "566", "567", "568", "570")),
             "category1_95": BLANK},
    "17.4": {"category1_10": BLANK, "category1_95": BLANK},
}
#: Types whose income side the table leaves empty: an income classification there is refused.
for _kind in ("13.1", "13.2", "13.3", "13.4", "13.30", "13.31", "14.1", "14.2", "14.3", "14.4", "14.5", "14.30",
              "14.31", "15.1", "16.1", "17.1", "17.2", "17.5", "17.6"):
    INCOME[_kind] = {}


def allowed_income(invoice_type: str, category: str) -> Allowed | None:
    """The E3 types allowed, ``BLANK``, or ``None`` when the category is not allowed at all; raises
    ``KeyError`` for a type the table does not cover (or covers by association)."""
    table = INCOME[invoice_type]
    value = table.get(category)
    if value != ALL_ABOVE:
        return value
    return tuple(sorted({t for v in table.values() if isinstance(v, tuple) for t in v}))
