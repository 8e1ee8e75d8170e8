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

from ... import clock
from ...clock import ATHENS
from ...findings import Severity
from ...services.deps import Deps
from ...services.inline import send_now
from ...services.intake import accept
from ...status import Status
from .kind import LEAVE, OVERTIME, OVERTIME_RETRO, WORKCARD, WTO_DAILY, WTO_WEEK, ErganiKind

KINDS: dict[str, ErganiKind] = {k.code.lower(): k for k in (WORKCARD, WTO_WEEK, WTO_DAILY, LEAVE, OVERTIME,
                                                             OVERTIME_RETRO)}
#: ERGANI's correction of a leave is a leave naming the original's protocol (the same kind here).
KINDS["wtoleavec"] = LEAVE
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


#: ERGANI's own refusal of a document whose employer is not the one logged in (ergani-api.md §1.4).
NOT_THE_EMPLOYER = "Το ΑΦΜ δεν αντιστοιχεί στον συνδεδεμένο εργοδότη."

#: Submission codes of ERGANI I that ERGANI II replaced, and what replaced them (ergani-api.md §1.3).
REPLACED = {"ovtime": "WTOOv (δήλωση υπερωρίας του ΕΡΓΑΝΗ ΙΙ, που αντικατέστησε το έντυπο Ε8 / OvTime)"}


def unsupported(code: str) -> str:
    """ERGANI's answer to a submission code it does not take, saying what to use instead."""
    instead = REPLACED.get(code.lower())
    if instead is not None:
        return (f"Η υποβολή «{code}» δεν υπάρχει στο ΕΡΓΑΝΗ ΙΙ· χρησιμοποιήστε την {instead}.\n"
                f"«{code}» is not an ERGANI II submission; use {instead.split(' ', 1)[0]} (ERGANI II's overtime "
                "declaration, which replaced form E8 / OvTime).")
    known = ", ".join(sorted({k.code for k in KINDS.values()} | {"WTOLeaveC"}))
    return (f"Η υποβολή «{code}» δεν υποστηρίζεται από την ypovoli· δεκτές: {known}.\n"
            f"ypovoli does not take «{code}»; it takes {known}.")


def other_employer(kind: ErganiKind, payload: dict[str, Any], employer: str) -> str | None:
    """ERGANI's 400 when a document names an employer other than the one logged in: a card carries
    `f_afm_ergodoti` «για επαλήθευση» (to be checked against the login); ERGANI's WTOS carry none, and
    one that carries another is refused the same way. ``None`` when the document is the employer's."""
    if kind is WORKCARD:
        cards = (payload.get("Cards") or {}).get("Card") if isinstance(payload.get("Cards"), dict) else None
        for card in cards if isinstance(cards, list) else []:
            if isinstance(card, dict) and str(card.get("f_afm_ergodoti", employer)) != employer:
                return f"Για το Παράρτημα: {card.get('f_aa', 0)}\n{NOT_THE_EMPLOYER}"
        return None
    named = payload.get("f_afm_ergodoti")
    if named is not None and str(named) != employer:
        wtos = (payload.get("WTOS") or {}).get("WTO") if isinstance(payload.get("WTOS"), dict) else None
        first = wtos[0] if isinstance(wtos, list) and wtos and isinstance(wtos[0], dict) else {}
        return f"Για το Παράρτημα: {first.get('f_aa_pararthmatos', 0)}\n{NOT_THE_EMPLOYER}"
    return None


def submit(deps: Deps, grant: Grant, managed_afms: set[str], code: str, payload: Any, raw: bytes,
           transmit: Callable[[str, str], object], budget_s: float = 20.0) -> tuple[int, Any]:
    """One declaration through ypovoli, answered as ERGANI answers (status, JSON body)."""
    kind = KINDS.get(code.lower())
    if kind is None:
        return 400, {"message": unsupported(code)}
    if not isinstance(payload, dict):
        return 400, {"message": f"{kind.code} not valid"}
    if code.lower() == "wtoleavec" and not any(isinstance(w, dict) and w.get("f_rel_protocol")
                                               for w in ((payload.get("WTOS") or {}).get("WTO") or [])
                                               if isinstance(payload.get("WTOS"), dict)):
        return 400, {"message": "Για την ορθή επανάληψη απαιτούνται ο αριθμός πρωτοκόλλου (f_rel_protocol) και η "
                                "ημερομηνία υποβολής (f_rel_date) της αρχικής δήλωσης."}
    other = other_employer(kind, payload, grant.employer)
    if other is not None:
        return 400, {"message": other}
    if kind is not WORKCARD:
        payload = {**payload, "f_afm_ergodoti": grant.employer}
    outcome = accept(deps, kind, grant.tenant, managed_afms, payload, raw, "json")
    if outcome.kind == "forbidden":
        return 400, {"message": NOT_THE_EMPLOYER}
    if outcome.kind == "invalid":
        return 400, {"message": "\n".join(f"[{f.code}] {f.path.removeprefix('document.')}: {f.message_el}"
                                          for f in outcome.findings if f.severity is Severity.ERROR)[:4000]}
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
