"""Businesses and fiscal devices (issue 14 §1–§2): registration with REG-ACCOUNT, devices with their
cadence, e-sends that move it, the compliance items computed on read, and the sweep that alerts a
lapse once."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from ... import clock
from ...clock import ATHENS
from ...deadlines import athens_text
from ...findings import Finding, Severity
from ...models.compliance import ComplianceItem
from ...models.events import ComplianceAlert, ComplianceEvent
from ...services.deps import Deps
from ...services.webhooks import announce
from . import fiscal_device as fhm
from .business import BusinessRequest, check_registration, reg
from .businesses_store import Businesses, Taken
from .devices_store import FiscalDevices, SerialTaken

logger = logging.getLogger(__name__)

#: What each refused condition of the registration means, for REG-ACCOUNT.
_TAKEN = {
    "registration": ("afm", "Η επιχείρηση έχει ήδη καταχωριστεί με αυτόν τον ΑΦΜ και ΑΜΕ.",
                     "The business is already registered with this ΑΦΜ and ΑΜΕ."),
    "afm": ("ame", "Ο ΑΦΜ έχει ήδη καταχωριστεί ως ενιαία επιχείρηση ή ανά ΑΜΕ: μία φορά συνολικά ή μία φορά ανά "
                   "ΑΜΕ, όχι και τα δύο.",
            "The ΑΦΜ is already registered, whole or per ΑΜΕ: once in all or once per ΑΜΕ, never both."),
    "email": ("email", "Το e-mail χρησιμοποιείται ήδη από άλλη επιχείρησή σας (κάθε λογαριασμός θέλει δικό του· "
                       "μπορείτε να χρησιμοποιήσετε όνομα+επιχείρηση@…).",
              "The e-mail is already used by another of your businesses (each account needs its own; "
              "name+company@… works)."),
    "username": ("username", "Το όνομα χρήστη χρησιμοποιείται ήδη.", "The username is already taken."),
}


def register_business(deps: Deps, tenant: str, req: BusinessRequest, now: datetime) -> list[Finding]:
    """The findings; empty when registered."""
    findings = check_registration(req, now.astimezone(ATHENS).date())
    if findings:
        return findings
    try:
        deps.store(Businesses).register(tenant, req, now)
    except Taken as taken:
        # The same registration again also trips the ΑΦΜ's marker: one finding says it.
        whats = [w for w in taken.what if not (w == "afm" and "registration" in taken.what)]
        return [reg(*_TAKEN[what]) for what in whats]
    return []


def cadence_hours(deps: Deps) -> dict[str, int]:
    s = deps.settings
    return {"catering": s.fhm_cadence_catering_h, "fuel": s.fhm_cadence_fuel_h, "other": s.fhm_cadence_other_h}


def register_device(deps: Deps, tenant: str, req: fhm.DeviceRequest,
                    now: datetime) -> tuple[fhm.Device | None, list[Finding], str | None]:
    """(device, findings, the existing id when the serial is already registered)."""
    due = now + fhm.cadence(req.sector, cadence_hours(deps))
    try:
        device = deps.store(FiscalDevices).register(tenant, str(uuid.uuid4()), req, now, due)
    except SerialTaken as taken:
        return None, [], taken.device_id
    return device, fhm.device_findings(req, now), None


def record_transmission(deps: Deps, tenant: str, device: fhm.Device, req: fhm.TransmissionRequest,
                        now: datetime) -> tuple[fhm.DeviceAnswer | None, list[Finding]]:
    sent_at = req.sent_at if req.sent_at.tzinfo else req.sent_at.replace(tzinfo=ATHENS)
    if sent_at > now + timedelta(minutes=5):
        return None, [Finding(code="FHM-CADENCE", severity=Severity.ERROR, path="sent_at", source=fhm.SEED,
                              message_el=f"Η ώρα αποστολής {athens_text(sent_at)} είναι στο μέλλον.",
                              message_en=f"The e-send time {athens_text(sent_at)} is in the future.")]
    hours = cadence_hours(deps)
    findings: list[Finding] = []
    previous_due = device.due_at
    late = fhm.cadence_finding(device, sent_at, hours)
    if late is not None and (device.last_sent_at is None or sent_at > device.last_sent_at):
        findings.append(late.model_copy(update={
            "severity": Severity.WARNING,
            "message_el": f"Η αποστολή έγινε μετά την προθεσμία ({previous_due.astimezone(ATHENS):%d/%m/%Y %H:%M}). "
                          + late.message_el,
            "message_en": f"This e-send came after the deadline ({previous_due.astimezone(ATHENS):%Y-%m-%d %H:%M}). "
                          + late.message_en}))
    due = sent_at + fhm.cadence(device.sector, hours)
    tx_id = str(uuid.uuid4())
    moved = deps.store(FiscalDevices).record_transmission(tenant, device, tx_id, sent_at, req.documents,
                                                          str(req.vat_amount), due, now)
    # Not moved: a later e-send holds the due time; read it, since ``device`` may predate that one.
    due_at = due if moved else (deps.store(FiscalDevices).get(tenant, device.id) or device).due_at
    return fhm.DeviceAnswer(id=device.id, due_at=due_at, findings=findings, transmission_id=tx_id), findings


def compliance_items(deps: Deps, tenant: str, afm: str, now: datetime) -> list[ComplianceItem]:
    """The business's devices as the compliance view shows them, computed on read (SPEC §3)."""
    hours = cadence_hours(deps)
    items: list[ComplianceItem] = []
    devices = deps.store(FiscalDevices).of_business(tenant, afm)
    shares = fhm.floor_shares([d for d in devices if fhm.cadence_finding(d, now, hours) is not None])
    for device in devices:
        lapse = fhm.cadence_finding(device, now, hours)
        if lapse is not None:
            items.append(_item(device, lapse, device.due_at, shares[device.id]))
        for finding in fhm.device_findings(device, now):
            due = fhm.EAFDSS_WITHDRAWN_BY if finding.severity is Severity.ERROR else device.registered_at
            items.append(_item(device, finding, due, None))
    return items


def _item(device: fhm.Device, finding: Finding, due: datetime, exposure: object) -> ComplianceItem:
    return ComplianceItem(kind="fiscal_device", code=finding.code, severity=finding.severity, subject=device.serial,
                          due_at=due, submission_id=device.id, message_el=finding.message_el,
                          message_en=finding.message_en, exposure_eur=f"{exposure:.2f}" if exposure else None)


def sweep_devices(deps: Deps, limit_per_shard: int = 500) -> int:
    """Every device whose cadence lapsed → one ``compliance.flagged`` alert per lapse."""
    now = clock.now()
    hours = cadence_hours(deps)
    alerted = 0
    for shard in range(deps.settings.outbox_shards):
        for tenant, device_id in deps.store(FiscalDevices).lapsed(shard, now, limit_per_shard):
            device = deps.store(FiscalDevices).get(tenant, device_id)
            lapse = fhm.cadence_finding(device, now, hours) if device is not None else None
            if device is None or lapse is None:
                continue
            silent = [d for d in deps.store(FiscalDevices).of_business(tenant, device.afm)
                      if fhm.cadence_finding(d, now, hours) is not None]
            share = fhm.floor_shares(silent or [device]).get(device.id, fhm.fine_floor(device.books, device.vat_exempt))
            item = _item(device, lapse, device.due_at, share)
            digest = hashlib.sha256(f"{tenant}|{device.id}|{device.due_at.isoformat()}".encode()).hexdigest()[:32]
            event = ComplianceEvent(id=f"evt_{digest}", occurred_at=now,
                                    data=ComplianceAlert(afm=device.afm, **item.model_dump()))
            if deps.store(FiscalDevices).alert_once(tenant, device, event):
                announce(deps, tenant, event)
                alerted += 1
                logger.warning("FHM-CADENCE: device %s of %s/%s silent since %s", device.serial, tenant, device.afm,
                               device.due_at)
    return alerted


def sweep_task(deps: Deps, _task: dict[str, Any]) -> dict[str, Any]:
    """The registry's sweep: its figures for the sweeper's report."""
    return {"devices_alerted": sweep_devices(deps)}


def compliance_part(deps: Deps, tenant: str, afm: str, now: datetime,
                    _known: dict[str, Any]) -> tuple[list[ComplianceItem], dict[str, Any]]:
    """The registry's compliance part: the business's devices."""
    return compliance_items(deps, tenant, afm, now), {}
