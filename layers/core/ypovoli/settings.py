"""Environment → typed settings, parsed once per cold start; a missing setting fails loudly here.

The ``YPOVOLI_*`` variables (case-insensitive) are gathered by ``Settings.from_environ`` and converted
and validated by pydantic, as any model's input; no ``.env`` file is read — in Lambda the template
sets the environment, locally the stack does. pydantic-settings did this before, and cost ~70 ms of
every cold start (its sources import ``importlib.metadata``, dotenv and the plugin loader) for one
prefix and flat fields: a gathering loop is all of it that was used (docs/architecture.md, decision 60).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PREFIX = "YPOVOLI_"


class Channel(StrEnum):
    """How the gateway reaches myDATA (SPEC §4): AADE's ERP channel or a certified provider's."""

    ERP = "erp"
    PROVIDER = "provider"


#: AADE's base URLs (shared/reference/mydata-api.md §1.1).
ERGANI_BASE_URLS = {"trial": "https://trialv2eservices.yeka.gr/WebservicesAPI/Api",
                    "prod": "https://eservices.yeka.gr/WebservicesAPI/Api"}
MYDATA_BASE_URLS = {
    ("erp", "prod"): "https://mydatapi.aade.gr/myDATA",
    ("erp", "dev"): "https://mydataapidev.aade.gr",
    ("provider", "prod"): "https://mydatapi.aade.gr/myDataProvider",
    ("provider", "dev"): "https://mydataapidev.aade.gr/myDataProvider",
}


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """The settings named by ``YPOVOLI_*`` variables of ``environ`` (the process's by default), any
        case, with ``overrides`` over them; an empty variable counts as set (to empty)."""
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {name[len(PREFIX):].lower(): value for name, value in source.items()
                                  if name[:len(PREFIX)].upper() == PREFIX}
        return cls.model_validate({**values, **overrides})

    stage: str = "local"
    index_table: str
    idempotency_table: str = ""
    dossier_bucket: str
    drop_bucket: str = ""
    transmit_queue_url: str = ""
    webhook_queue_url: str = ""
    #: HMAC key under which API keys are digested before storage (never the key itself).
    api_key_pepper: str = Field(min_length=16)

    mydata_channel: Channel = Channel.ERP
    mydata_env: str = "dev"
    #: Overrides the AADE base URL (the local stack points it at its simulator).
    mydata_base_url: str = ""
    mydata_user_id: str = ""
    mydata_subscription_key: str = ""
    #: Per-tenant upstream credentials live in Secrets Manager under this prefix
    #: (``{prefix}/{tenant}/{upstream}``); a tenant without one uses the two settings above.
    tenant_secrets_prefix: str = "ypovoli/tenants"
    tenant_secrets_ttl_s: float = Field(default=300.0, ge=0)
    mydata_xsd_version: str = "v2.0.1"
    mydata_connect_timeout_s: float = 3.0
    mydata_read_timeout_s: float = 20.0

    #: ERGANI II Web API (ergani-api.md §1.1): "trial" (trialv2eservices, submissions stamped void)
    #: or "prod"; ``ergani_base_url`` overrides it (the local stack points it at its simulator).
    ergani_env: Literal["trial", "prod"] = "trial"
    ergani_base_url: str = ""
    ergani_username: str = ""
    ergani_password: str = ""
    #: 01 e-ΕΦΚΑ employer credentials, 02 ERGANI branch user, 03 construction project (§1.2).
    ergani_usertype: Literal["01", "02", "03"] = "01"
    ergani_connect_timeout_s: float = 3.0
    ergani_read_timeout_s: float = 30.0
    #: Leaves are declared by this day of the following month (seed 001: «εντός του πρώτου
    #: δεκαημέρου»; the 2026 manual says the whole month — set 28 to follow it).
    ergani_leave_due_day: int = Field(default=10, ge=1, le=28)
    #: Deviation sweeps (ERGANI-DEVIATION): a card time this many minutes off the declared schedule
    #: (after flexible arrival) is not yet a deviation.
    ergani_tolerance_min: int = Field(default=15, ge=0, le=120)
    #: An absence without a declared leave is flagged this many days before the leave deadline.
    ergani_leave_warn_days: int = Field(default=3, ge=0, le=28)
    #: An open-ended weekly schedule is expanded this many days ahead, and extended as days pass.
    ergani_schedule_horizon_days: int = Field(default=28, ge=7, le=92)
    #: Phases of the digital work card beyond the built-in table (kinds/ergani/card_phases.py), as JSON:
    #: ``[{"from": "2026-06-01", "kad": ["49"], "sector": "…", "source": "…"}]`` — a new ministerial
    #: decision is a setting, not a release.
    ergani_card_phases: str = ""

    #: Fiscal devices (ΦΗΜ): hours between e-sends per sector (seed 001: «ανά τρίωρο», «κάθε ώρα»,
    #: «ανά 24ωρο»).
    fhm_cadence_catering_h: int = Field(default=3, ge=1, le=72)
    fhm_cadence_fuel_h: int = Field(default=1, ge=1, le=72)
    fhm_cadence_other_h: int = Field(default=24, ge=1, le=72)
    #: Voucher pre-check: per-user and per-device licences ≤ AWU × this (seed 002: «ΕΜΕ Χ 150%»).
    voucher_awu_factor: Decimal = Field(default=Decimal("1.5"), gt=0, le=10)

    #: Length of the legal outage window after the deadline (seed 004: one day).
    grace_days: int = Field(default=1, ge=1, le=7)
    #: Double-entry books raise the minimum fine (SPEC §4); per-tenant later, default here.
    double_entry_books: bool = True
    max_body_bytes: int = 1_048_576
    backoff_base_s: int = 30
    backoff_cap_s: int = 1800
    lease_s: int = 120
    outbox_shards: int = Field(default=4, ge=1, le=64)

    #: The drop-in SendInvoices answers within this many seconds, intake and sending together
    #: (API Gateway ends a call at 29 s), taking in this many documents at a time.
    dropin_budget_s: float = Field(default=20.0, gt=0, le=27)
    dropin_intake_workers: int = Field(default=8, ge=1, le=32)

    #: Webhooks: a slow receiver costs its own delivery, never a transmission (separate function).
    webhook_timeout_s: float = 5.0
    webhook_max_attempts: int = Field(default=12, ge=1, le=50)
    webhook_backoff_base_s: int = 30
    webhook_backoff_cap_s: int = 3600
    #: Only the local stack sets this: plain HTTP and loopback targets for its demo receiver.
    webhook_allow_private: bool = False

    @field_validator("mydata_xsd_version")
    @classmethod
    def _known_version(cls, v: str) -> str:
        if v not in ("v2.0.1", "v1.0.12"):
            raise ValueError("mydata_xsd_version must be v2.0.1 or v1.0.12")
        return v

    @property
    def ergani_url(self) -> str:
        if self.ergani_base_url:
            return self.ergani_base_url.rstrip("/")
        return ERGANI_BASE_URLS[self.ergani_env]

    @property
    def mydata_url(self) -> str:
        if self.mydata_base_url:
            return self.mydata_base_url.rstrip("/")
        return MYDATA_BASE_URLS[(self.mydata_channel.value, self.mydata_env)]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environ()  # the required fields come from the environment


def reset_settings() -> None:
    """Forget the cached settings (tests and the local stack change the environment)."""
    get_settings.cache_clear()
