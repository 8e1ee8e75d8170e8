"""Which income and expense classification (category × E3 type) an invoice type allows — AADE's combination
table (myDATA documentation, "Πίνακας Συνδυασμών Χαρακτηρισμών"), income side.

Data taken from Odoo's l10n_gr_edi (addons/l10n_gr_edi/models/classification_data.py at commit
f8d79839, which carries AADE's table), as SPEC §5.1 directs; rewritten here from named groups so
the table reads like AADE's. Values: a tuple of allowed E3 types; ``ALL_ABOVE`` (any E3 type the
same invoice type allows in its other categories); ``BLANK`` (no E3 type). Invoice types that take
their classification from the invoice they correct (1.6, 2.4, 5.1) and types missing here are not
checked. The expense side (category2_*) follows below the income side.
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
COMMON: dict[str, Allowed] = {"category1_8": ALL_ABOVE, "category1_9": ALL_ABOVE}

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


def _allowed(table: dict[str, Allowed], category: str) -> Allowed | None:
    """The E3 types allowed, ``BLANK``, or ``None`` when the category is not allowed at all."""
    value = table.get(category)
    if value != ALL_ABOVE:
        return value
    return tuple(sorted({t for v in table.values() if isinstance(v, tuple) for t in v}))


def allowed_income(invoice_type: str, category: str) -> Allowed | None:
    """Raises ``KeyError`` for a type the table does not cover (or covers by association)."""
    return _allowed(INCOME[invoice_type], category)


# ---- the expense side (category2_*), same source -----------------------------------------------

def _r(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"E3_{prefix}_{n:03d}" for n in range(first, last + 1))


B585 = (*_e3("585_001", "585_002", "585_004", "585_005", "585_006", "585_008", "585_009", "585_011", "585_012",
             "585_013", "585_014", "585_015", "585_016"), "E3_586")
DOMESTIC_SPLIT = _e3("102_001", "102_003", "102_004", "102_005", "202_003", "202_004", "302_003", "302_004",
                     "313_003", "313_004", "581_003")
SALES_EXPENSE: dict[str, Allowed] = {
    "category2_1": _e3("102_001", "102_003", "102_006", "313_001", "313_005"),
    "category2_2": _e3("202_001", "202_005", "302_001", "302_005"),
    "category2_3": (*B585, "E3_581_003"),
    "category2_4": (*B585, *DOMESTIC_SPLIT),
    "category2_5": (*B585, *_e3("882_001", "883_001"), *DOMESTIC_SPLIT),
    "category2_7": _e3("882_001", "883_001"),
}
EXPENSE_COMMON: dict[str, Allowed] = {"category2_10": ALL_ABOVE, "category2_11": ALL_ABOVE}
C13 = _e3("585_005", "585_006", "585_009", "585_011", "585_012", "585_013", "585_015", "585_016", "586")
C13_SPLIT = (*C13, *_e3("882_002", "883_002", "102_002", "102_004", "102_005", "202_003", "202_004", "302_003",
                        "302_004", "313_003", "313_004", "581_003"))
RETAIL_EXPENSE: dict[str, Allowed] = {
    "category2_1": _e3("102_002", "102_006", "313_002", "313_005"),
    "category2_2": _e3("202_002", "202_005", "302_002", "302_005"),
    "category2_3": (*C13, "E3_581_003"), "category2_4": C13_SPLIT, "category2_5": C13_SPLIT,
    "category2_7": _e3("882_002", "883_002"), **EXPENSE_COMMON, "category2_95": BLANK,
}
D14 = _e3("585_001", "585_002", "585_003", "585_004", "585_005", "585_006", "585_010", "585_015", "585_016", "586")
ONLY_16: dict[str, Allowed] = {"category2_3": _e3("585_016"), "category2_5": _e3("585_016"), **EXPENSE_COMMON,
                               "category2_95": BLANK}
D14_31 = _e3("585_001", "585_002", "585_003", "585_004", "585_005", "585_006", "585_010", "585_011", "585_012",
             "585_013", "585_015", "585_016", "586")
SPLIT_14_31 = _e3("102_004", "102_005", "102_006", "202_003", "202_004", "202_005", "302_003", "302_004", "302_005",
                  "313_003", "313_004", "313_005", "581_003", "882_003", "883_003", "882_004", "883_004")

EXPENSE: dict[str, dict[str, Allowed]] = {
    "1.1": {**SALES_EXPENSE, **EXPENSE_COMMON, "category2_95": BLANK},
    "1.4": {"category2_1": SALES_EXPENSE["category2_1"], "category2_2": SALES_EXPENSE["category2_2"],
            "category2_4": _e3("585_002", "585_005", "585_006", "585_016", "102_004", "102_005", "202_003",
                               "202_004", "302_003", "302_004", "313_003", "313_004", "581_003"),
            "category2_5": _e3("585_002", "585_005", "585_006", "585_016", "882_001", "883_001", "102_004",
                               "102_005", "202_003", "202_004", "302_003", "302_004", "313_003", "313_004",
                               "581_003"),
            "category2_7": _e3("882_001", "883_001"), **EXPENSE_COMMON, "category2_95": BLANK},
    "1.5": {"category2_3": _e3("585_009"), "category2_4": _e3("585_009"), "category2_5": _e3("585_009"),
            "category2_9": BLANK, **EXPENSE_COMMON},
    "2.1": {**SALES_EXPENSE, **EXPENSE_COMMON, "category2_95": BLANK},
    "3.1": {"category2_1": _e3("102_002", "102_003", "102_006", "313_002", "313_005"),
            "category2_2": _e3("202_002", "202_005", "302_002", "302_005"),
            "category2_3": _e3("585_004", "585_009", "585_016"), "category2_5": _e3("585_004", "585_016", "586"),
            "category2_7": _e3("882_002", "883_002"), **EXPENSE_COMMON, "category2_95": BLANK},
    "3.2": {"category2_1": SALES_EXPENSE["category2_1"], "category2_2": SALES_EXPENSE["category2_2"],
            "category2_3": SALES_EXPENSE["category2_3"],
            "category2_5": (*B585, *_e3("882_001", "883_001"), *DOMESTIC_SPLIT[2:]),
            "category2_7": _e3("882_001", "883_001"), **EXPENSE_COMMON, "category2_95": BLANK},
    "5.2": {"category2_1": _e3("102_001", "102_002", "102_003", "102_006", "313_001", "313_002", "313_005"),
            "category2_2": _e3("202_001", "202_002", "202_005", "302_001", "302_002", "302_005"),
            "category2_3": (*B585, "E3_581_003"), "category2_4": (*B585, *DOMESTIC_SPLIT[2:]),
            "category2_5": (*B585, *_e3("882_001", "883_001"), *DOMESTIC_SPLIT[2:]),
            "category2_7": _e3("882_001", "882_002", "883_001", "883_002"), "category2_9": BLANK,
            **EXPENSE_COMMON, "category2_95": BLANK},
    "7.1": {"category2_1": SALES_EXPENSE["category2_1"], "category2_2": SALES_EXPENSE["category2_2"],
            "category2_3": B585, "category2_4": (*B585, *DOMESTIC_SPLIT[2:-1]),
            "category2_5": (*B585, *_e3("882_001", "883_001"), *DOMESTIC_SPLIT[2:-1]),
            "category2_7": _e3("882_001", "883_001"), **EXPENSE_COMMON, "category2_95": BLANK},
    "8.1": {"category2_4": _e3("585_014", "585_016"), "category2_5": _e3("585_014", "585_016"), **EXPENSE_COMMON,
            "category2_95": BLANK},
    "8.2": {"category2_5": _e3("585_005", "585_006", "585_016"), **EXPENSE_COMMON, "category2_95": BLANK},
    "13.1": RETAIL_EXPENSE,
    "13.2": {"category2_3": (*C13, "E3_581_003"), "category2_4": C13_SPLIT, "category2_5": C13_SPLIT,
             **EXPENSE_COMMON, "category2_95": BLANK},
    "13.3": ONLY_16,
    "13.4": ONLY_16,
    "13.30": {"category2_3": _e3("585_016", "586"), "category2_5": _e3("585_016", "586", "588"), **EXPENSE_COMMON,
              "category2_95": BLANK},
    "13.31": RETAIL_EXPENSE,
    "14.1": {"category2_1": _e3("102_004", "102_006", "313_003", "313_005"),
             "category2_2": _e3("202_003", "202_005", "302_003", "302_005"),
             "category2_4": _e3("585_002", "585_003", "585_016", "882_003", "883_003", "581_003"),
             "category2_5": _e3("585_002", "585_003", "585_016", "882_003", "883_003", "581_003"),
             "category2_7": _e3("882_003", "883_003"), **EXPENSE_COMMON, "category2_95": BLANK},
    "14.2": {"category2_1": _e3("102_005", "102_006", "313_004", "313_005"),
             "category2_2": _e3("202_004", "202_005", "302_004", "302_005"),
             "category2_4": _e3("585_002", "585_003", "585_016", "882_004", "883_004", "581_003"),
             "category2_5": _e3("585_002", "585_003", "585_016", "882_004", "883_004", "581_003"),
             "category2_7": _e3("882_004", "883_004"), **EXPENSE_COMMON, "category2_95": BLANK},
    "14.3": {"category2_3": (*D14, "E3_581_003"),
             "category2_4": (*D14, *_e3("102_004", "102_006", "202_003", "202_005", "302_003", "302_005", "313_003",
                                        "313_005", "581_003")),
             "category2_5": (*D14, *_e3("882_003", "883_003", "102_004", "102_006", "202_003", "202_005", "302_003",
                                        "302_005", "313_003", "313_005", "581_003")),
             "category2_7": _e3("882_003", "883_003"), **EXPENSE_COMMON, "category2_95": BLANK},
    "14.4": {"category2_3": (*D14, "E3_581_003"),
             "category2_4": (*D14, *_e3("102_005", "102_006", "202_004", "202_005", "302_004", "302_005", "313_004",
                                        "313_005", "581_003")),
             "category2_5": (*D14, *_e3("882_004", "883_004", "102_005", "102_006", "202_004", "202_005", "302_004",
                                        "302_005", "313_004", "313_005", "581_003")),
             "category2_7": _e3("882_004", "883_004"), **EXPENSE_COMMON, "category2_95": BLANK},
    "14.5": {"category2_5": _e3("585_007", "588"), **EXPENSE_COMMON, "category2_95": BLANK},
    "14.30": {"category2_3": _e3("585_011", "585_012", "585_013", "585_016", "586"),
              "category2_4": _e3("585_011", "585_012", "585_013", "585_016", "586"),
              "category2_5": _e3("585_011", "585_012", "585_013", "585_014", "585_016", "586"),
              **EXPENSE_COMMON, "category2_95": BLANK},
    "14.31": {"category2_1": _e3("102_004", "102_005", "102_006", "313_003", "313_004", "313_005"),
              "category2_2": _e3("202_003", "202_004", "202_005", "302_003", "302_004", "302_005"),
              "category2_3": (*D14_31, "E3_581_003"), "category2_4": (*D14_31, *SPLIT_14_31),
              "category2_5": (*_e3("585_001", "585_002", "585_003", "585_004", "585_005", "585_006", "585_007",
                                   "585_010", "585_011", "585_012", "585_013", "585_014", "585_015", "585_016",
                                   "586"), *SPLIT_14_31),
              "category2_7": _e3("882_003", "882_004", "883_003", "883_004"), **EXPENSE_COMMON,
              "category2_95": BLANK},
    "15.1": {"category2_1": _e3("102_002", "102_006", "313_002", "313_005"),
             "category2_2": _e3("202_002", "202_005", "302_002", "302_005"),
             "category2_3": _e3("585_004", "585_016"), "category2_5": _e3("585_004", "585_016"),
             "category2_7": _e3("882_002", "883_002"), **EXPENSE_COMMON, "category2_95": BLANK},
    "16.1": {"category2_5": _e3("585_014", "585_016"), **EXPENSE_COMMON, "category2_95": BLANK},
    "17.1": {"category2_6": _e3("581_001", "581_002", "581_003"), "category2_95": BLANK},
    "17.2": {"category2_8": _e3("587"), "category2_95": BLANK},
    "17.5": {**EXPENSE_COMMON,
             "category2_12": (*_r("102", 1, 6), *_r("202", 1, 5), *_r("302", 1, 5), *_r("313", 1, 5),
                              *_r("581", 1, 3), *_r("585", 1, 16), *_e3("586", "587"), *_r("882", 1, 4),
                              *_r("883", 1, 4), *_e3("582", "583", "584", "588", "589", "103", "203", "303", "208",
                                                     "308", "314"),
                              "XE3_106", "XE3_205", "XE3_305", "XE3_210", "XE3_310", "XE3_318"),
             "category2_13": _e3("101", "201", "301", "207", "307", "312"),
             "category2_14": _e3("104", "204", "304", "209", "309", "315"), "category2_95": BLANK},
    "17.6": {"category2_12": BLANK, "category2_95": BLANK},
}
for _kind in ("1.2", "1.3", "2.2", "2.3", "6.1", "6.2", "11.1", "11.2", "11.3", "11.4", "11.5", "17.3", "17.4"):
    EXPENSE[_kind] = {}


def allowed_expense(invoice_type: str, category: str) -> Allowed | None:
    return _allowed(EXPENSE[invoice_type], category)
