"""``Idempotency-Key`` on every POST (issue 16 §3): the same key and body within 24 hours replays the
first answer — status, body and headers — instead of doing the work again; the same key with another
body is a 422 (IDEMPOTENCY-KEY); a retry while the first is still running is a 409.

Built on Powertools Idempotency (its DynamoDB persistence in the stack's idempotency table), keyed by
tenant, method, path and the client's key, with the body's SHA-256 as the payload it validates.
Answers of 5xx are not kept (the work may not have happened: a retry must do it again).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from chalice.app import Request, Response

from ..findings import Finding, Severity
from ..rules.input import REQUEST_SOURCE
from ..settings import get_settings
from .context import error, invalid

HEADER = "Idempotency-Key"
WINDOW_S = 24 * 3600
MAX_KEY = 255


class _NotKept(Exception):
    """Carries an answer that must not be replayed (a 5xx) out of the idempotent call."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


@cache
def _persistence() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table)


def _config() -> IdempotencyConfig:
    return IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="fingerprint",
                             expires_after_seconds=WINDOW_S, raise_on_no_idempotency_key=True)


def replayable(request: Request, tenant: str, key: str, work: Callable[[], Response],
               lambda_context: Any = None) -> Response:
    """``work()``'s answer, done once per (tenant, method, path, key) within the window. With the
    Lambda context, a record left "in progress" by a timed-out invocation expires with it."""
    if not key or len(key) > MAX_KEY or not key.isprintable():
        return invalid(400, [Finding(code="IDEMPOTENCY-KEY", severity=Severity.ERROR, path=f"headers.{HEADER}",
                                     source=REQUEST_SOURCE,
                                     message_el=f"Η κεφαλίδα {HEADER} είναι 1–{MAX_KEY} εκτυπώσιμοι χαρακτήρες.",
                                     message_en=f"The {HEADER} header is 1–{MAX_KEY} printable characters.")])
    raw = request.raw_body or b""
    body = raw.encode() if isinstance(raw, str) else raw
    data = {"key": f"{tenant}|{request.method}|{request.path}|{key}",
            "fingerprint": hashlib.sha256(body).hexdigest()}

    ran: list[bool] = []
    config = _config()
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        config.register_lambda_context(lambda_context)

    @idempotent_function(data_keyword_argument="data", config=config,  # type: ignore[untyped-decorator]
                         persistence_store=_persistence())
    def once(data: dict[str, Any]) -> dict[str, Any]:
        ran.append(True)
        response = work()
        if response.status_code >= 500:
            raise _NotKept(response)
        text = response.body if isinstance(response.body, str) else (response.body or b"").decode()
        return {"status": response.status_code, "body": text, "headers": dict(response.headers or {})}

    try:
        kept = once(data=data)
    except _NotKept as not_kept:
        return not_kept.response
    except IdempotencyValidationError:
        return error(422, "IDEMPOTENCY-KEY", f"Το ίδιο {HEADER} χρησιμοποιήθηκε με άλλο σώμα αιτήματος.",
                     f"The same {HEADER} was used with another request body.")
    except IdempotencyAlreadyInProgressError:
        return error(409, "IDEMPOTENCY-KEY", f"Το αίτημα με αυτό το {HEADER} εκτελείται ακόμη· δοκιμάστε σε λίγο.",
                     f"The request with this {HEADER} is still running; retry shortly.", headers={"Retry-After": "2"})
    headers = {str(k): v for k, v in kept["headers"].items()}
    if not ran:
        headers["Idempotent-Replayed"] = "true"   # the first answer, given again
    return Response(body=kept["body"], status_code=int(kept["status"]), headers=headers)
