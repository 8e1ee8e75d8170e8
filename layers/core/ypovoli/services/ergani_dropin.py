"""The drop-in ERGANI endpoint: ERGANI II's own `Authentication` and `Documents/{code}`, with
ypovoli behind them, so an ERGANI client changes only its base URL (issue 13 §7).

`Authentication`: `Password` is the tenant's ypovoli API key and `Username` the employer's ΑΦΜ
(ERGANI knows the employer from its login; so does this door). The answer is ERGANI's token pair:
an access token of 3 hours and a refresh token of 7 days, both signed by the gateway (HMAC with
the deployment's key pepper) and naming tenant, employer and expiry — nothing to store, nothing
that opens anything but this tenant's declarations for that employer. A refresh checks that the
API key it came from is still valid.

`Documents/{code}`: the same intake as the JSON routes, then sent at once within a deadline. The
answers are ERGANI's: 200 `[{id, protocol, submitDate}]` when ERGANI gave the protocol; 400
`{"message"}` (Greek, our findings' texts) when the declaration is refused, by us or by ERGANI; 503
`{"message"}` when ERGANI is unreachable — the declaration is kept and queued, and sending the same
declaration again returns its protocol once it has gone through.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .. import clock
from ..clock import ATHENS
from ..findings import Severity
from ..kinds.ergani.kind import LEAVE, WORKCARD, WTO_DAILY, WTO_WEEK, ErganiKind
from ..status import Status
from .deps import Deps
from .inline import send_now
from .intake import accept

KINDS: dict[str, ErganiKind] = {k.code.lower(): k for k in (WORKCARD, WTO_WEEK, WTO_DAILY, LEAVE)}
ACCESS_S = 10800
REFRESH = timedelta(days=7)


@dataclass(frozen=True)
class Grant:
    tenant: str
    employer: str
    key_digest: str


def _sign(secret: str, payload: dict[str, Any]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"ypv1.{body}.{mac}"


def _read(secret: str, token: str, use: str) -> dict[str, Any] | None:
    try:
        prefix, body, mac = token.split(".")
    except ValueError:
        return None
    expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    if prefix != "ypv1" or not hmac.compare_digest(mac, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("use") != use or float(payload.get("exp", 0)) < time.time():
        return None
    return payload


def token_pair(secret: str, grant: Grant) -> dict[str, Any]:
    """ERGANI's login answer, for this grant (wall time: tokens are checked against wall clocks)."""
    now = time.time()
    claims = {"t": grant.tenant, "e": grant.employer}
    refresh_until = clock.now() + REFRESH
    return {
        "accessToken": _sign(secret, {**claims, "use": "access", "exp": now + ACCESS_S}),
        "accessTokenExpired": ACCESS_S,
        "refreshToken": _sign(secret, {**claims, "k": grant.key_digest, "use": "refresh",
                                       "exp": now + REFRESH.total_seconds()}),
        "refreshTokenExpired": refresh_until.astimezone(ATHENS).isoformat(),
    }


def grant_of_access(secret: str, authorization: str) -> Grant | None:
    claims = _read(secret, authorization.removeprefix("Bearer ").strip(), "access")
    return Grant(str(claims["t"]), str(claims["e"]), "") if claims else None


def grant_of_refresh(secret: str, refresh_token: str) -> Grant | None:
    claims = _read(secret, refresh_token, "refresh")
    return Grant(str(claims["t"]), str(claims["e"]), str(claims.get("k", ""))) if claims else None


def submit(deps: Deps, grant: Grant, managed_afms: set[str], code: str, payload: Any, raw: bytes,
           transmit: Callable[[str, str], object], budget_s: float = 20.0) -> tuple[int, Any]:
    """One declaration through ypovoli, answered as ERGANI answers (status, JSON body)."""
    kind = KINDS.get(code.lower())
    if kind is None:
        return 400, {"message": f"Η υποβολή «{code}» δεν υποστηρίζεται από την ypovoli."}
    if not isinstance(payload, dict):
        return 400, {"message": f"{kind.code} not valid"}
    if kind is not WORKCARD:
        payload = {**payload, "f_afm_ergodoti": grant.employer}
    outcome = accept(deps, kind, grant.tenant, managed_afms, payload, raw, "json")
    if outcome.kind == "forbidden":
        return 400, {"message": "Το ΑΦΜ δεν αντιστοιχεί στον συνδεδεμένο εργοδότη."}
    if outcome.kind == "invalid":
        return 400, {"message": "\n".join(f"[{f.code}] {f.message_el}" for f in outcome.findings
                                          if f.severity is Severity.ERROR)[:4000]}
    if outcome.kind == "busy" or (outcome.kind == "duplicate" and outcome.existing_id is None):
        return 503, {"message": "ypovoli: η δήλωση δεν κρατήθηκε· στείλτε την ξανά σε λίγο."}
    deadline = time.monotonic() + budget_s
    current = send_now(deps, grant.tenant, outcome, transmit, lambda: time.monotonic() < deadline)
    if current is not None and current.status is Status.TRANSMITTED and current.receipt is not None:
        return 200, [{"id": current.id, "protocol": current.receipt.protocol,
                      "submitDate": current.receipt.submit_date}]
    if current is not None and current.status is Status.REJECTED:
        return 400, {"message": "\n".join(e.message for e in current.upstream_errors)[:4000]}
    return 503, {"message": "ypovoli: το ΕΡΓΑΝΗ δεν είναι διαθέσιμο· η δήλωση κρατήθηκε και θα σταλεί. Στείλτε την "
                           "ίδια δήλωση ξανά αργότερα για το πρωτόκολλο."}
