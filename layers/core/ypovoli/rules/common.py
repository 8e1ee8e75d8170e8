"""Helpers every kind's rules share: euro rounding and the Greek ΑΦΜ check."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache

from stdnum.gr import vat as gr_vat

CENT = Decimal("0.01")

#: Half-up rounding as a context of its own, its ``quantize`` bound once: ``Decimal.quantize(…,
#: rounding=…)`` parses its keyword on every call and takes ~3× as long (issue 17 §1: every line of
#: every invoice). Only the flags of this context change (Inexact, Rounded); its traps are the default's.
_HALF_UP = Context(rounding=ROUND_HALF_UP).quantize


def money(value: Decimal) -> Decimal:
    """Euros to the cent, half-up (how amounts are shown and compared once rounded)."""
    return _HALF_UP(value, CENT)


@lru_cache(maxsize=8192)
def is_valid_afm(value: str) -> bool:
    """A Greek ΑΦΜ: nine digits, check digit valid, not all zeros."""
    return len(value) == 9 and value.isdigit() and value != "000000000" and gr_vat.is_valid(value)


def greek_amount(value: Decimal) -> str:
    """1734.8 → «1.734,80» (Greek grouping, as the seeds write amounts), rounded half-up to the cent."""
    text = f"{money(value):,.2f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def english_amount(value: Decimal) -> str:
    """1734.8 → «1,734.80» (the grouping an English reader expects), rounded half-up to the cent."""
    return f"{money(value):,.2f}"
