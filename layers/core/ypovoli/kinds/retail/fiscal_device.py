"""Fiscal devices — ΦΗΜ — and their e-send cadence (seed 001; SPEC §3 `POST /v1/fiscal-devices`,
§5.2 FHM-CADENCE, FHM-FINE, FHM-EAFDSS). Pure: a device and the time in, findings and exposure out.

«Ειδικά οι επιχειρήσεις του κλάδου εστίασης υποχρεούνται να στέλνουν στοιχεία ανά τρίωρο, τα πρατήρια
υγρών καυσίμων κάθε ώρα, ενώ για τις υπόλοιπες επιχειρήσεις ανά 24ωρο» (seed 001).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...clock import ATHENS
from ...deadlines import athens_text
from ...findings import Finding, Severity

SEED = "ΑΑΔΕ: Α.1073/13.7.2023 (απόσυρση ΕΑΦΔΣΣ) και πρόστιμα μη διαβίβασης στοιχείων ΦΗΜ (https://www.aade.gr)"
#: «έως τις 31.10.2023 πρέπει να έχουν αποσυρθεί από την χρήση όλοι οι ΕΑΦΔΣΣ» (Α.1073/13.7.2023).
EAFDSS_WITHDRAWN_BY = dt.datetime(2023, 10, 31, 23, 59, 59, 999999, tzinfo=ATHENS)
DeviceType = Literal["ΕΑΦΔΣΣ", "ΦΤΜ", "ΑΔΗΜΕ", "ΦΗΜΑΣ"]
Sector = Literal["catering", "fuel", "other"]


class DeviceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "afm": "100000003", "serial": "FHMAS-0042", "type": "ΦΗΜΑΣ", "sector": "catering", "books": "double",
        "vat_exempt": False}]})

    afm: str = Field(pattern=r"^[0-9]{9}$")
    serial: str = Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-z-]+$")
    type: DeviceType
    sector: Sector
    books: Literal["single", "double"]
    vat_exempt: bool = False


class TransmissionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "sent_at": "2026-12-02T13:05:00+02:00", "documents": 37, "vat_amount": "112.40"}]})

    sent_at: dt.datetime
    documents: Annotated[int, Field(ge=0, le=10_000_000)]
    vat_amount: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


class Device(BaseModel):
    id: str
    afm: str
    serial: str
    type: DeviceType
    sector: Sector
    books: Literal["single", "double"]
    vat_exempt: bool
    registered_at: dt.datetime
    last_sent_at: dt.datetime | None = None
    due_at: dt.datetime


class DeviceAnswer(BaseModel):
    id: str
    due_at: dt.datetime
    findings: list[Finding]
    #: Not in SPEC's contract (an extension): the transmission's own id, on `…/transmissions`.
    transmission_id: str | None = None


def cadence(sector: Sector, hours: dict[str, int]) -> dt.timedelta:
    return dt.timedelta(hours=hours[sector])


def fine_floor(books: str, vat_exempt: bool) -> Decimal:
    """FHM-FINE's per-audit floor (seed 001): 50% of the VAT, at least 250 € (single-entry books) or
    500 € (double-entry); 500 € / 1.000 € for transactions without VAT."""
    if vat_exempt:
        return Decimal(1000) if books == "double" else Decimal(500)
    return Decimal(500) if books == "double" else Decimal(250)


def floor_shares(lapsed: list[Device]) -> dict[str, Decimal]:
    """Each lapsed device's share of the business's audit minimum: the floor counts «αθροιστικά ανά
    φορολογικό έλεγχο» (seed 001), once for the business — once for its VAT-bearing sales and once for
    its sales without VAT — however many of its devices fell silent. Split equally, to the cent; the
    remainder to the last."""
    shares: dict[str, Decimal] = {}
    for exempt in (False, True):
        group = [d for d in lapsed if d.vat_exempt is exempt]
        if not group:
            continue
        total = max(fine_floor(d.books, d.vat_exempt) for d in group)
        each = (total / len(group)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        for device in group[:-1]:
            shares[device.id] = each
        shares[group[-1].id] = total - each * (len(group) - 1)
    return shares


def _f(code: str, severity: Severity, path: str, el: str, en: str) -> Finding:
    return Finding(code=code, severity=severity, path=path, message_el=el, message_en=en, source=SEED)


def device_findings(device: DeviceRequest | Device, now: dt.datetime) -> list[Finding]:
    """FHM-EAFDSS: an ΕΑΦΔΣΣ still in use after 31.10.2023 (error); a catering ΦΤΜ/ΑΔΗΜΕ to be
    replaced whatever its purchase date (warning). The €380 voucher is noted either way."""
    if device.type == "ΕΑΦΔΣΣ" and now > EAFDSS_WITHDRAWN_BY:
        return [_f("FHM-EAFDSS", Severity.ERROR, "type",
                   f"Ο ΕΑΦΔΣΣ {device.serial} έπρεπε να έχει αποσυρθεί έως τις 31.10.2023 (Α.1073/13.7.2023): "
                   "αντικαταστήστε τον με ΦΗΜ νέων προδιαγραφών (ΦΤΜ, ΑΔΗΜΕ, ΦΗΜΑΣ)· το Πρόγραμμα ΙΙΙ «Ψηφιακές "
                   "Συναλλαγές» έδινε voucher 380 € ανά συσκευή.",
                   f"ΕΑΦΔΣΣ {device.serial} had to be withdrawn by 31 October 2023 (A.1073/13.7.2023): replace it with "
                   "a new-specification device (ΦΤΜ, ΑΔΗΜΕ, ΦΗΜΑΣ); Programme III «Digital Transactions» gave a "
                   "€380 voucher per device.")]
    if device.sector == "catering" and device.type in ("ΦΤΜ", "ΑΔΗΜΕ"):
        return [_f("FHM-EAFDSS", Severity.WARNING, "type",
                   f"Εστίαση: ο {device.type} {device.serial} αντικαθίσταται με ΦΗΜΑΣ ανεξαρτήτως ημερομηνίας "
                   "αγοράς (voucher 380 € ανά συσκευή, Πρόγραμμα ΙΙΙ κατηγορίες 5–6).",
                   f"Catering: {device.type} {device.serial} is replaced by a ΦΗΜΑΣ whatever its purchase date (a €380 "
                   "voucher per device, Programme III categories 5–6).")]
    return []


def cadence_finding(device: Device, now: dt.datetime, hours: dict[str, int]) -> Finding | None:
    """FHM-CADENCE, once ``now`` is past the device's due time, with FHM-FINE's floor and the closure risk."""
    if now <= device.due_at:
        return None
    every = hours[device.sector]
    floor = fine_floor(device.books, device.vat_exempt)
    due = athens_text(device.due_at)
    if device.last_sent_at is not None:
        last = athens_text(device.last_sent_at)
        fact_el = f"δεν έχει διαβιβάσει στοιχεία λιανικής από την τελευταία διαβίβαση στις {last}"
        fact_en = f"has sent no retail data since its last transmission at {last}"
    else:
        last = athens_text(device.registered_at)
        fact_el = f"δεν έχει διαβιβάσει κανένα στοιχείο λιανικής από την καταχώρισή του στις {last}"
        fact_en = f"has sent no retail data since it was registered at {last}"
    return _f("FHM-CADENCE", Severity.ERROR, "sent_at",
              f"Ο ΦΗΜ {device.serial} {fact_el} (κάθε {every} ώρες· έπρεπε έως τις {due}): πρόστιμο 50% επί του ΦΠΑ "
              f"κάθε μη διαβιβασθέντος στοιχείου, τουλάχιστον {floor} € αθροιστικά ανά έλεγχο, και κίνδυνος "
              "«λουκέτου» 48 ωρών έως 10 ημερών.",
              f"Fiscal device {device.serial} {fact_en} (every {every} hours; due by {due}): a fine of 50% of the VAT "
              f"of each document not sent, at least €{floor} in all per audit, and a risk of closure for 48 hours "
              "to 10 days.")
