"""One upstream HTTP call, never retried here, and how it ended when it did not answer: the same
for every government endpoint (shared/reference/: each upstream's API notes). A connect failure sent
nothing (transient); a read timeout or a broken answer came after sending (ambiguous: upstream may
have registered it)."""

from __future__ import annotations

from typing import Any

import urllib3

from .base import Outcome, SendResult


def request_once(pool: urllib3.PoolManager, method: str, url: str,
                 **options: Any) -> tuple[urllib3.BaseHTTPResponse | None, SendResult | None]:
    """``(response, None)``, or ``(None, the failure as a SendResult)``."""
    try:
        return pool.request(method, url, retries=False, **options), None
    except urllib3.exceptions.ConnectTimeoutError as exc:  # NewConnectionError is one too
        return None, SendResult(Outcome.TRANSIENT, f"connect failed: {exc}")
    except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError) as exc:
        return None, SendResult(Outcome.AMBIGUOUS, f"no answer after sending: {exc}")
    except urllib3.exceptions.HTTPError as exc:
        return None, SendResult(Outcome.TRANSIENT, f"HTTP failure before sending: {exc}")
