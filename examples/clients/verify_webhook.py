"""Verify a ypovoli webhook in Python (standard library only): `Ypovoli-Signature: t=<unix>,v1=<hex>`
is HMAC-SHA256 with your webhook secret over "<t>.<raw body>". Refuse a `t` more than five minutes
from your clock, compare in constant time, and deduplicate by the event's `id` in the verified body
(the signature does not cover the `Ypovoli-Event-Id` header that repeats it).

    python3 verify_webhook.py SECRET SIGNATURE_HEADER BODY_FILE   → prints "valid" or "invalid", exit 0/1
"""

from __future__ import annotations

import hashlib
import hmac
import sys
import time

TOLERANCE_S = 300


def verify(secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


if __name__ == "__main__":
    secret, header, path = sys.argv[1:4]
    with open(path, "rb") as f:
        ok = verify(secret, header, f.read())
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
