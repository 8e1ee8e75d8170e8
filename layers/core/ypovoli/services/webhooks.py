"""Deliver status-change events to a tenant's webhook: signed, retried with backoff, logged.

Runs in its own function fed by its own queue, so a slow or failing receiver costs only its own
deliveries; the transmitter merely nudges the queue after a commit (best effort: the pump
re-enqueues whatever is due). Delivery is at least once: receivers deduplicate by event id.
"""

from __future__ import annotations

import logging
import random
import socket
import time
from dataclasses import dataclass
from datetime import timedelta

import urllib3

from .. import clock
from ..models.events import DeliveryAttempt, Event
from ..store.events import NO_ENDPOINT
from ..store.keys import MAX_NUDGE_DELAY
from ..webhooks.delivery_http import DeadlineExceeded, Resolver, post, resolve_target
from ..webhooks.signing import HEADER, signature
from ..webhooks.targets import TargetRefused
from .deps import Deps
from .retry import backoff

logger = logging.getLogger(__name__)
USER_AGENT = "ypovoli-webhooks/1"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: str  # skipped | delivered | retry | failed | no_endpoint


def announce(deps: Deps, tenant: str, event: Event | None) -> None:
    """After the transaction that recorded ``event`` committed: count the change on its business's
    summary (so a page knows its figures are behind until the stream makes them anew), and nudge the
    event's delivery — unless the write just made found the tenant without a webhook (the event was
    recorded final, nothing to deliver)."""
    if event is None:
        return
    try:
        deps.summaries.touch(tenant, event.data.afm)
    except Exception:   # the change is committed; the stream still makes the summary anew
        logger.exception("change of %s not counted on its summary", event.data.afm)
    if deps.index.hook_seen(tenant) is not False:
        deps.hooks_queue.nudge(tenant, event.sort_key)


class Deliverer:
    """One delivery attempt per call. The receiver gets ``webhook_timeout_s`` in total — connect, TLS,
    request and answer together — at the address checked for this very attempt (issue 18 §5, §6)."""

    def __init__(self, deps: Deps, rng: random.Random | None = None,
                 resolver: Resolver = socket.getaddrinfo) -> None:
        self.deps = deps
        self.rng = rng
        self.resolver = resolver

    def attempt(self, tenant: str, event_key: str) -> DeliveryResult:
        settings = self.deps.settings
        now = clock.now()
        first = self.deps.events.take_first(tenant, event_key, now)
        claim = first if first is not False else self.deps.events.claim(
            tenant, event_key, now, timedelta(seconds=settings.webhook_timeout_s * 4 + 30))
        if claim is None:
            return DeliveryResult("skipped")
        config = self.deps.index.get_tenant(tenant) or {}
        url, secret = config.get("webhook_url"), config.get("webhook_secret")
        if not url or not secret:
            self.deps.events.finish(claim, DeliveryAttempt(at=now, error=NO_ENDPOINT), "no_endpoint")
            return DeliveryResult("no_endpoint")

        started = time.monotonic()
        status: int | None = None
        error = ""
        try:
            target = resolve_target(str(url), settings.webhook_allow_private, self.resolver)
            # Wall time, not the (injectable) legal clock: the receiver checks it against its own.
            timestamp = int(time.time())
            status = post(target, claim.payload, deadline_s=settings.webhook_timeout_s,
                          connect_timeout_s=min(3.0, settings.webhook_timeout_s),
                          headers={"Content-Type": "application/json", "User-Agent": USER_AGENT,
                                   HEADER: signature(str(secret), timestamp, claim.payload),
                                   "Ypovoli-Event-Id": event_key.rsplit("#", 1)[-1]})
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except TargetRefused as exc:
            error = f"target refused: {exc}"
        except DeadlineExceeded as exc:
            error = str(exc)
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        attempt = DeliveryAttempt(at=now, http_status=status, error=error,
                                  duration_ms=int((time.monotonic() - started) * 1000))
        if not error:
            self.deps.events.finish(claim, attempt, "delivered")
            return DeliveryResult("delivered")
        if claim.attempt >= settings.webhook_max_attempts:
            logger.warning("webhook gave up on %s/%s after %d attempts: %s", tenant, event_key, claim.attempt, error)
            self.deps.events.finish(claim, attempt, "failed")
            return DeliveryResult("failed")
        wait = backoff(claim.attempt, settings.webhook_backoff_base_s, settings.webhook_backoff_cap_s, self.rng)
        # A delayed nudge brings short retries back before the pump's next run; longer ones wait for it.
        nudged = wait < MAX_NUDGE_DELAY
        self.deps.events.finish(claim, attempt, "pending", clock.now() + wait, nudged=nudged)
        if nudged:
            self.deps.hooks_queue.nudge(tenant, event_key, int(wait.total_seconds()) + 1)
        return DeliveryResult("retry")
