"""API keys: generated once, shown once, stored only as an HMAC-SHA256 digest under a pepper."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_PREFIX = "ypk_"


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(api_key: str, pepper: str) -> str:
    return hmac.new(pepper.encode(), api_key.encode(), hashlib.sha256).hexdigest()
