"""A small per-process cache with a time to live, for lookups every request repeats (API-key digest
→ tenant, tenant → managed ΑΦΜ). Staleness is bounded by the TTL, the same bound API Gateway's own
authorizer cache puts on a revoked key (template.yaml: ReauthorizeEvery 60)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, ttl_s: float, max_entries: int = 10_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._data: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[K], V]) -> V:
        now = time.monotonic()
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = load(key)
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.clear()
            self._data[key] = (now + self.ttl_s, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
