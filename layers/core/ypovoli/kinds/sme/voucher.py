"""The voucher redemption pre-check (seed 002; SPEC §3 «Retail and SME routes», §5.5 VOUCHER-TXID,
VOUCHER-QTY, VOUCHER-WITHHOLDING): what the programme's redeem service will cut, before the
supplier finds out. Pure: a request (and what this business redeemed before) in, the answer out.

Per product line: the limit in billing units is the smallest of cap ÷ units-per-billing-unit over
the axes the product declares (users and devices capped at AWU × 150% — a setting —, months at 36;
0 = no limit on that axis), less what the business redeemed of the product before, from any
supplier. The eligible quantity may be fractional and the subsidy is cut in proportion, computed
exactly and rounded once, half-up, to the cent.

The seed's own example (2 AWU «άρα όριο αγοράς χρηστών 3,5») does not follow its own rule
(2 × 150% = 3): the rule is applied, the factor is a setting, and docs/codes.md records it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from stdnum import iban as stdnum_iban

from ...findings import Finding, Severity
from ...rules.common import money

SEED = "Πρόγραμμα Ι «Ψηφιακά Εργαλεία ΜΜΕ»: Διευκρινίσεις σχετικά με την εξαργύρωση επιταγών (https://digitalsme.gov.gr)"
MONTHS_CAP = 36
Amount = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
PerUnit = Annotated[int, Field(ge=0, le=1_000_000)]
_FALLBACK = re.compile(r"^([0-9]{8})_(.+)$")


class Supplier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    afm: str = Field(pattern=r"^[0-9]{9}$")
    iban: str = Field(min_length=1, max_length=40)
    natural_person: bool = False
    withholding_amount: Amount = Decimal(0)


class Product(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=100, pattern=r"^[^#]+$")
    quantity: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]
    users_per_unit: PerUnit = 0
    devices_per_unit: PerUnit = 0
    months_per_unit: PerUnit = 0
    #: Units of this product the business redeemed before, from any supplier, outside ypovoli.
    earlier_quantity: Quantity = Decimal(0)
    #: The subsidy claimed for this line.
    subsidy: Amount


class Payment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=1, max_length=50)
    amount: Amount
    #: Missing is refused as VOUCHER-TXID, like an empty one (not as a malformed body).
    transaction_id: str = Field(default="", max_length=100)


class VoucherCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "afm": "100000003", "awu": "2", "invoice_gross": "1240.00",
        "supplier": {"afm": "094019245", "iban": "GR1601101250000000012300695", "natural_person": False,
                     "withholding_amount": "0"},
        "products": [{"code": "ERP-CLOUD", "quantity": "1", "users_per_unit": 5, "devices_per_unit": 0,
                      "months_per_unit": 0, "earlier_quantity": "0", "subsidy": "500.00"}],
        "payments": [{"type": "transfer", "amount": "1240.00",
                      "transaction_id": "20261120_GR1601101250000000012300695"}]}]})

    afm: str = Field(pattern=r"^[0-9]{9}$")
    #: Annual work units (ΕΜΕ), as the programme's cross-check found them.
    awu: Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=4)]
    invoice_gross: Amount
    supplier: Supplier
    products: list[Product] = Field(min_length=1, max_length=500)
    payments: list[Payment] = Field(default_factory=list, max_length=100)
    #: Not in SPEC's contract (an extension): the invoice this check is for. When given, its eligible
    #: quantities are kept, and count as earlier redemptions in the checks of the business's other
    #: invoices (a check of the same invoice again replaces them).
    invoice_number: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[^#]+$")


class Cut(BaseModel):
    reason: Literal["users", "devices", "months"]
    units: Decimal
    eur: Decimal


class ProductAnswer(BaseModel):
    code: str
    eligible_quantity: Decimal
    expected_subsidy: Decimal
    cuts: list[Cut]
    #: Units counted as redeemed before (the request's ``earlier_quantity`` plus what ypovoli kept).
    earlier_quantity: Decimal


class VoucherCheckAnswer(BaseModel):
    #: The kept check's id (read it back with `GET /v1/vouchers/redemption-checks/{id}`).
    id: str = ""
    products: list[ProductAnswer]
    expected_subsidy: Decimal
    own_contribution: Decimal
    to_pay_before_redemption: Decimal
    findings: list[Finding]


def _f(code: str, severity: Severity, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=SEED)


def _exact(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _cents(value: Fraction) -> Decimal:
    """Rounded once, half-up, from the exact value (not from an already rounded one)."""
    scaled = value * 100
    floor, rest = divmod(scaled.numerator, scaled.denominator)
    up = 1 if Fraction(rest, scaled.denominator) >= Fraction(1, 2) else 0
    return (Decimal(floor + up) / 100).quantize(Decimal("0.01"))


def _units(value: Fraction) -> Decimal:
    """A quantity as shown: exact where it ends within 4 places, else rounded half-up to 4."""
    shown = _exact(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return shown.normalize() if shown != shown.to_integral() else shown.quantize(Decimal(1))


def check_transaction_ids(req: VoucherCheckRequest) -> list[Finding]:
    """VOUCHER-TXID: the bank's unique transaction id, or `YYYYMMDD_IBAN` with a real date and the
    supplier's own, valid IBAN."""
    out: list[Finding] = []
    supplier_iban = stdnum_iban.compact(req.supplier.iban)
    for p, payment in enumerate(req.payments):
        path = f"payments[{p}].transaction_id"
        txid = payment.transaction_id.strip()
        if not txid:
            out.append(_f("VOUCHER-TXID", Severity.ERROR, path, "Η πληρωμή δεν έχει τον μοναδικό κωδικό συναλλαγής "
                          "της τράπεζας (ή, αν η τράπεζα δεν δίνει, ΕΕΕΕΜΜΗΗ_IBAN του προμηθευτή).",
                          "The payment has no unique bank transaction id (or, where the bank gives none, "
                          "YYYYMMDD_IBAN of the supplier)."))
            continue
        fallback = _FALLBACK.match(txid)
        if fallback is None:
            continue
        day, account = fallback.groups()
        try:
            dt.datetime.strptime(day, "%Y%m%d")
        except ValueError:
            out.append(_f("VOUCHER-TXID", Severity.ERROR, path, f"Η ημερομηνία «{day}» του κωδικού δεν υπάρχει.",
                          f"The date «{day}» of the id does not exist."))
            continue
        if not stdnum_iban.is_valid(account):
            out.append(_f("VOUCHER-TXID", Severity.ERROR, path, f"Το IBAN «{account}» του κωδικού δεν είναι έγκυρο.",
                          f"The IBAN «{account}» in the id is not valid."))
        elif stdnum_iban.compact(account) != supplier_iban:
            out.append(_f("VOUCHER-TXID", Severity.ERROR, path,
                          "Το IBAN του κωδικού δεν είναι του προμηθευτή (supplier.iban).",
                          "The IBAN in the id is not the supplier's (supplier.iban)."))
    return out


def check(req: VoucherCheckRequest, awu_factor: Decimal, kept_earlier: dict[str, Decimal] | None = None
          ) -> VoucherCheckAnswer:
    """The answer; ``kept_earlier``: units per product code this business redeemed through ypovoli
    on other invoices (added to each line's ``earlier_quantity``)."""
    caps = {"users": Fraction(req.awu) * Fraction(awu_factor), "devices": Fraction(req.awu) * Fraction(awu_factor),
            "months": Fraction(MONTHS_CAP)}
    findings = check_transaction_ids(req)
    answers: list[ProductAnswer] = []
    total = Fraction(0)
    for i, line in enumerate(req.products):
        per_unit = {"users": line.users_per_unit, "devices": line.devices_per_unit, "months": line.months_per_unit}
        earlier = Fraction(line.earlier_quantity) + Fraction((kept_earlier or {}).get(line.code, Decimal(0)))
        quantity = Fraction(line.quantity)
        limits = {axis: caps[axis] / n for axis, n in per_unit.items() if n}
        if limits:
            axis = min(limits, key=lambda a: limits[a])
            eligible = min(quantity, max(limits[axis] - earlier, Fraction(0)))
        else:
            axis, eligible = "users", quantity   # no axis limits the product
        expected = Fraction(line.subsidy) * eligible / quantity
        expected_cents = _cents(expected)
        total += Fraction(expected_cents)
        cuts: list[Cut] = []
        if eligible < quantity:
            cut_eur = money(line.subsidy - expected_cents)
            cuts.append(Cut(reason=axis, units=_units(quantity - eligible), eur=cut_eur))
            cap = caps[axis]
            less_el = f", μείον {_units(earlier)} προηγούμενες" if earlier else ""
            less_en = f", less {_units(earlier)} redeemed before" if earlier else ""
            findings.append(_f(
                "VOUCHER-QTY", Severity.WARNING, f"products[{i}].quantity",
                f"Προϊόν {line.code}: επιλέξιμη ποσότητα {_units(eligible)} από {_units(quantity)} "
                f"(όριο {_units(cap)} {_AXIS_EL[axis]} ÷ {per_unit[axis]} ανά μονάδα τιμολόγησης"
                f"{less_el}): περικοπή επιδότησης {cut_eur} €.",
                f"Product {line.code}: eligible quantity {_units(eligible)} of {_units(quantity)} (limit {_units(cap)} "
                f"{axis} ÷ {per_unit[axis]} per billing unit{less_en}): the subsidy is cut by €{cut_eur}."))
        answers.append(ProductAnswer(code=line.code, eligible_quantity=_units(eligible),
                                     expected_subsidy=expected_cents, cuts=cuts, earlier_quantity=_units(earlier)))
    expected_total = money(_exact(total))
    own = money(req.invoice_gross - expected_total)
    to_pay = own
    if req.supplier.natural_person and req.supplier.withholding_amount:
        to_pay = max(money(own - req.supplier.withholding_amount), Decimal("0.00"))
        findings.append(_f(
            "VOUCHER-WITHHOLDING", Severity.INFO, "supplier.withholding_amount",
            f"Ο προμηθευτής είναι φυσικό πρόσωπο με παρακράτηση φόρου: τα {req.supplier.withholding_amount} € "
            "μετρούν στην ίδια συμμετοχή και καταβάλλονται στον χρόνο που ορίζει ο νόμος, όχι πριν την εξαργύρωση.",
            f"The supplier is a natural person subject to withholding: the €{req.supplier.withholding_amount} withheld "
            "count toward the own contribution and are paid when the law says, not before the redemption."))
    return VoucherCheckAnswer(products=answers, expected_subsidy=expected_total, own_contribution=own,
                              to_pay_before_redemption=to_pay, findings=findings)


_AXIS_EL = {"users": "χρήστες", "devices": "συσκευές", "months": "μήνες"}
