"""HMAC-SHA256 signatures over ``{timestamp}.{body}`` (the scheme Stripe made familiar).

Header ``Ypovoli-Signature: t=<unix seconds>,v1=<hex digest>``. A receiver recomputes the digest
with its secret, compares in constant time and refuses timestamps older than a few minutes, so a
captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "Ypovoli-Signature"
TOLERANCE_S = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance_s: int = TOLERANCE_S) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
