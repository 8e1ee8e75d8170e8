"""Per-tenant upstream credentials (each upstream's) in AWS Secrets Manager (issue 18 §8).

One secret per tenant and upstream, ``{prefix}/{tenant}/{upstream}``, a JSON object of that
upstream's credential fields (say, a user id and a subscription key). Read through a
per-process cache with a TTL, so a rotation (``ypovoli credentials set``, or Secrets Manager's own
rotation) takes effect within the TTL without a deploy. A tenant without a secret uses the
deployment-wide credentials of the settings. Values never reach a log: :class:`Credentials` hides
them from ``repr``, and errors name the secret, never its content.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ..caching import TtlCache
from .aws import client

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Credentials:
    """An upstream account: who (shown) and its key (never shown)."""

    user: str
    key: str = field(repr=False)


class CredentialsUnusable(ValueError):
    """The tenant's secret exists but does not hold usable credentials."""


class TenantSecrets:
    def __init__(self, prefix: str, ttl_s: float = 300.0) -> None:
        self.prefix = prefix.rstrip("/")
        self._cache: TtlCache[tuple[str, str], Credentials | None] = TtlCache(ttl_s)

    def name(self, tenant: str, upstream: str) -> str:
        return f"{self.prefix}/{tenant}/{upstream}"

    def get(self, tenant: str, upstream: str) -> Credentials | None:
        """The tenant's own credentials for ``upstream``, or None (the deployment's then apply)."""
        return self._cache.get((tenant, upstream), lambda key: self._load(*key))

    def _load(self, tenant: str, upstream: str) -> Credentials | None:
        name = self.name(tenant, upstream)
        try:
            got = client("secretsmanager").get_secret_value(SecretId=name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise
        try:
            data = json.loads(got.get("SecretString") or "")
            return Credentials(str(data["user_id"]), str(data["subscription_key"]))
        except (ValueError, KeyError, TypeError):
            logger.error("secret %s does not hold {user_id, subscription_key}", name)
            raise CredentialsUnusable(name) from None

    def put(self, tenant: str, upstream: str, credentials: Credentials) -> str:
        """Create or rotate the tenant's secret; answers its name. This process sees it at once,
        others within the TTL."""
        name = self.name(tenant, upstream)
        value = json.dumps({"user_id": credentials.user, "subscription_key": credentials.key})
        sm: Any = client("secretsmanager")
        try:
            sm.put_secret_value(SecretId=name, SecretString=value)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
            sm.create_secret(Name=name, SecretString=value,
                             Description=f"ypovoli: {upstream} credentials of tenant {tenant}")
        self._cache.clear()
        return name

    def remove(self, tenant: str, upstream: str) -> None:
        try:
            client("secretsmanager").delete_secret(SecretId=self.name(tenant, upstream),
                                                   ForceDeleteWithoutRecovery=True)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                raise
        self._cache.clear()
