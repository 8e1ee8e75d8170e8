"""Retry timing shared by transmissions and webhook deliveries."""

from __future__ import annotations

import random
from datetime import timedelta


def backoff(attempt: int, base_s: int, cap_s: int, rng: random.Random | None = None) -> timedelta:
    """Capped exponential backoff with full jitter (never less than a second)."""
    ceiling = min(cap_s, base_s * 2 ** max(0, attempt - 1))
    return timedelta(seconds=max(1.0, (rng or random).uniform(ceiling / 2, ceiling)))
