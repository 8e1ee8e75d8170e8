"""A small per-process cache with a time to live, for lookups every request repeats (API-key digest
→ tenant, tenant → managed ΑΦΜ). Staleness is bounded by the TTL, the same bound API Gateway's own
authorizer cache puts on a revoked key (template.yaml: ReauthorizeEvery 60).

cachetools' ``TTLCache`` keeps the entries (expiry on the monotonic clock, least recently used out
first when full); it is not thread-safe, so a lock guards it. The loader runs outside the lock: two
threads missing the same key may both load it, which is harmless for these read-only look-ups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from cachetools import TTLCache

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, ttl_s: float, max_entries: int = 10_000) -> None:
        self._data: TTLCache[K, V] = TTLCache(maxsize=max_entries, ttl=ttl_s)
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[K], V]) -> V:
        with self._lock:
            if key in self._data:
                return self._data[key]
        value = load(key)
        with self._lock:
            self._data[key] = value
        return value

    def forget(self, key: K) -> None:
        """Drop one entry (this copy's; others age out with the TTL)."""
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
