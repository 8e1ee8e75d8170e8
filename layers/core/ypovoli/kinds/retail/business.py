"""Business registration (seed 000; SPEC §3 `POST /v1/businesses`, §5.5 REG-ACCOUNT). Pure checks;
the uniqueness of e-mail, username and registration is the store's conditional write."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ...findings import Finding, Severity
from ...models.page import Page
from ...rules.common import is_valid_afm

SEED = ("Σ.ΕΠ.Ε.: «Κατευθυντήριες οδηγίες – Διευκρινίσεις αναφορικά με τη διαδικασία εγγραφής στο portal "
        "ηλεκτρονικών υπηρεσιών» (https://www.sepenet.gr)")


class BusinessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [{
        "afm": "100000003", "taxisnet_afm": "100000003", "entity": "legal_entity", "employer": True,
        "ergani_activated_on": "2026-01-15", "ame": None, "email": "office+taverna@example.gr",
        "username": "taverna-ae"}]})

    afm: str = Field(pattern=r"^[0-9]{9}$")
    #: The ΑΦΜ whose TAXISnet credentials open the account: it must be the business's own.
    taxisnet_afm: str = Field(pattern=r"^[0-9]{9}$")
    entity: Literal["natural_person", "sole_trader", "legal_entity"]
    employer: bool = False
    ergani_activated_on: dt.date | None = None
    #: Employer registry number (ΑΜΕ); null = the whole business.
    ame: str | None = Field(default=None, pattern=r"^[0-9]{1,15}$")
    email: str = Field(pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$", max_length=320)
    username: str = Field(min_length=1, max_length=100)
    #: Not in SPEC's contract (an extension): how the business is called in listings and the console.
    name: str = Field(default="", max_length=200)


class Registration(BaseModel):
    afm: str
    ame: str | None = None
    entity: str
    employer: bool
    ergani_activated_on: dt.date | None = None
    email: str
    username: str
    name: str = ""
    registered_at: dt.datetime


class Business(BaseModel):
    afm: str
    registrations: list[Registration]


class BusinessList(Page):
    """The businesses (ΑΦΜ) the tenant manages, by ΑΦΜ, with their registrations."""

    items: list[Business]


class BusinessCreated(BaseModel):
    afm: str
    ame: str | None
    findings: list[Finding]


def reg(path: str, el: str, en: str) -> Finding:
    return Finding(code="REG-ACCOUNT", severity=Severity.ERROR, path=path, message_el=el, message_en=en, source=SEED)


def check_registration(req: BusinessRequest, today: dt.date) -> list[Finding]:
    """What can be told from the request alone: its own ΑΦΜ, never a representative's; an employer's
    ERGANI account active at least one day earlier."""
    out: list[Finding] = []
    if not is_valid_afm(req.afm):
        out.append(reg("afm", f"Μη έγκυρος ΑΦΜ επιχείρησης «{req.afm}».", f"Invalid business ΑΦΜ «{req.afm}»."))
    if req.taxisnet_afm != req.afm:
        out.append(reg("taxisnet_afm",
                       "Ο λογαριασμός δημιουργείται με τους κωδικούς TAXISnet της ίδιας της επιχείρησης "
                       f"(ΑΦΜ {req.afm}), όχι του νομίμου εκπροσώπου ή λογιστή ({req.taxisnet_afm}).",
                       f"The account is opened with the business's own TAXISnet credentials (ΑΦΜ {req.afm}), not "
                       f"those of its representative or accountant ({req.taxisnet_afm})."))
    if req.employer and (req.ergani_activated_on is None or req.ergani_activated_on >= today):
        when = req.ergani_activated_on.isoformat() if req.ergani_activated_on else "—"
        out.append(reg("ergani_activated_on",
                       f"Ο εργοδότης χρειάζεται λογαριασμό ΕΡΓΑΝΗ ενεργό τουλάχιστον από την προηγούμενη ημέρα "
                       f"(ενεργοποίηση: {when}).",
                       f"An employer needs an ERGANI account active since at least the day before (activated: "
                       f"{when})."))
    return out


def email_key(email: str) -> str:
    """Case-insensitive; plus-addressing kept, so `a+co@x` and `a@x` are two addresses (seed 000)."""
    return email.strip().lower()


class BusinessSettings(BaseModel):
    """``PUT /v1/businesses/{afm}/settings``: what the business keeps, as fines depend on it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"books": "single"}]})

    books: Literal["single", "double"] = Field(
        description="its books: single-entry (απλογραφικά) or double-entry (διπλογραφικά) — the minimum of a "
                    "fine per audit depends on it (€250 / €500)")


class BusinessSettingsView(BaseModel):
    afm: str
    books: Literal["single", "double"]
    books_default: bool = Field(description="true while the business has not said which books it keeps (the "
                                            "deployment's default stands in, double-entry unless configured)")
