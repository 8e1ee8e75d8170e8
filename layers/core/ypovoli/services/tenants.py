"""Tenants, their API keys and their ΑΦΜ (issue 16 §1): what ``ypovoli tenants|keys|afms`` does,
against the local stack or a deployed one.

A key is generated here, shown once, and stored only as its HMAC digest under the deployment's
pepper. In AWS the same key is also registered with the API's usage plan (API Gateway requires
``x-api-key`` to be a key of the plan; the plan only throttles, the authorizer decides the tenant).
Rotation issues a new key and gives every older one an expiry (``grace``), so clients can switch
without an outage; revocation removes a key at once (the authorizers' 60-second caches aside).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..auth import key_digest, new_api_key
from ..rules.common import is_valid_afm
from ..store.index import Index

#: What identifies a key in listings and in ``keys revoke``: the first characters of its digest
#: (the digest is not a secret; the key is).
KEY_ID_LENGTH = 12


class Gateway(Protocol):
    """API Gateway's side of a key: registered in the usage plan, or removed from it."""

    def register(self, tenant: str, key: str, key_id: str) -> str: ...

    def remove(self, gateway_key_id: str) -> None: ...


class AdminError(ValueError):
    """A request the administration refuses, said in one line."""


@dataclass(frozen=True)
class IssuedKey:
    key: str
    key_id: str


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    created_at: str
    expires_at: str | None


class Tenants:
    def __init__(self, index: Index, pepper: str, gateway: Gateway | None = None) -> None:
        self.index = index
        self.pepper = pepper
        self.gateway = gateway

    def create(self, tenant: str, name: str, afms: list[str]) -> None:
        if not tenant or not tenant.replace("-", "").replace("_", "").isalnum() or len(tenant) > 64:
            raise AdminError("a tenant id is 1–64 letters, digits, '-' or '_'")
        _check_afms(afms)
        if not self.index.create_tenant(tenant, name or tenant, afms):
            raise AdminError(f"tenant {tenant} exists already")

    def _existing(self, tenant: str) -> dict[str, Any]:
        found = self.index.get_tenant(tenant)
        if found is None:
            raise AdminError(f"no tenant {tenant}")
        return found

    def issue_key(self, tenant: str, now: datetime) -> IssuedKey:
        self._existing(tenant)
        key = new_api_key()
        digest = key_digest(key, self.pepper)
        key_id = digest[:KEY_ID_LENGTH]
        gateway_id = self.gateway.register(tenant, key, key_id) if self.gateway else None
        self.index.put_api_key(digest, tenant, now, gateway_id)
        return IssuedKey(key, key_id)

    def keys(self, tenant: str) -> list[KeyInfo]:
        self._existing(tenant)
        return [KeyInfo(str(k["digest"])[:KEY_ID_LENGTH], str(k["created_at"]),
                        str(k["expires_at_iso"]) if k.get("expires_at_iso") else None)
                for k in self.index.tenant_keys(tenant)]

    def rotate(self, tenant: str, now: datetime, grace: timedelta) -> IssuedKey:
        """A new key; every key the tenant had expires after ``grace``."""
        older = [str(k["digest"]) for k in self.index.tenant_keys(tenant) if not k.get("expires_at_iso")]
        issued = self.issue_key(tenant, now)
        for digest in older:
            self.index.expire_key(tenant, digest, now + grace)
        return issued

    def revoke(self, tenant: str, key_id: str) -> None:
        matches = [k for k in self.index.tenant_keys(tenant) if str(k["digest"]).startswith(key_id)]
        if len(key_id) < 8 or len(matches) != 1:
            raise AdminError(f"no single key {key_id!r} of {tenant} (give the id `keys list` shows)")
        [found] = matches
        if found.get("gateway_key_id") and self.gateway:
            self.gateway.remove(str(found["gateway_key_id"]))
        self.index.delete_key(tenant, str(found["digest"]))

    def add_afms(self, tenant: str, afms: list[str]) -> list[str]:
        _check_afms(afms)
        current = [str(a) for a in self._existing(tenant).get("afms", [])]
        updated = sorted({*current, *afms})
        self.index.set_afms(tenant, updated)
        return updated

    def remove_afms(self, tenant: str, afms: list[str]) -> list[str]:
        current = [str(a) for a in self._existing(tenant).get("afms", [])]
        updated = sorted(set(current) - set(afms))
        self.index.set_afms(tenant, updated)
        return updated


def _check_afms(afms: list[str]) -> None:
    bad = [a for a in afms if not is_valid_afm(a)]
    if bad:
        raise AdminError(f"not a valid ΑΦΜ: {', '.join(bad)}")
