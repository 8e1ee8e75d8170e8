"""What one submission costs on AWS, counted on the local stack (issue 17 §3): every AWS call the
functions make, per service and operation, with DynamoDB's request units reckoned by DynamoDB's own
rules from the items' sizes, each function invocation's duration, and the API requests.

Installed only when ``YPOVOLI_LOCAL_METER=1`` (``make bench`` sets it): every boto3 client created in
the process gets botocore event hooks. Calls made outside a function (the pollers' own SQS receives,
standing in for Lambda's event source mapping) are counted apart as ``platform``. moto's own
``ConsumedCapacity`` is not used: it does not follow DynamoDB's sizing (a 3 KB put is 1 unit there)."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

_local = threading.local()


def _size(value: Any) -> int:
    """DynamoDB's item size: names plus values (numbers approximated by their digits)."""
    if isinstance(value, dict) and len(value) == 1:
        (kind, inner), = value.items()
        if kind in ("S", "N"):
            return len(str(inner).encode())
        if kind == "B":
            return len(inner)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind in ("SS", "NS"):
            return sum(len(str(v).encode()) for v in inner)
        if kind == "L":
            return 3 + sum(_size(v) + 1 for v in inner)
        if kind == "M":
            return 3 + sum(len(k.encode()) + _size(v) + 1 for k, v in inner.items())
    return 0


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + _size(value) for name, value in item.items())


def item_kind(table: str, key: dict[str, Any]) -> str:
    """What an item is, for the cost breakdown: its table and its sort key's first part (``SUB``,
    ``OUTBOX``, ``EVENT``…; a key pattern's leading word, see ``store/keys.py``)."""
    sort: Any = next((v for k, v in key.items() if k in ("SK", "sk")), None) or next(iter(key.values()), {})
    text = str(next(iter(sort.values()), "")) if isinstance(sort, dict) else ""
    word = text.lstrip("#").split("#", 1)[0] if text else "?"
    return f"{table}:{word if word.isupper() else '…'}"


def write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


class Meter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.calls: Counter[tuple[str, str, str]] = Counter()   # (function, service, operation)
            self.wru: Counter[str] = Counter()
            #: The same units by (function, operation, item kind): where the writes go.
            self.wru_items: Counter[tuple[str, str, str]] = Counter()
            self.rru: defaultdict[str, float] = defaultdict(float)
            self.invocations: Counter[str] = Counter()
            self.milliseconds: defaultdict[str, float] = defaultdict(float)
            #: Of those, the time spent waiting on moto (function → service → ms): moto is far slower than
            #: DynamoDB or S3, so the bill can put AWS's own latencies in its place.
            self.waiting: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
            self.api_requests = 0

    # ---- where calls come from ----------------------------------------------------------------

    @contextmanager
    def invocation(self, function: str) -> Iterator[None]:
        """One function invocation: its calls are its own, and its duration is billed."""
        outer = getattr(_local, "function", None)
        _local.function = function
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            _local.function = outer
            with self.lock:
                self.invocations[function] += 1
                self.milliseconds[function] += elapsed

    def api_request(self) -> None:
        with self.lock:
            self.api_requests += 1

    # ---- botocore hooks -----------------------------------------------------------------------

    def install(self) -> None:
        original = boto3.session.Session.client
        meter = self

        def client(session: Any, *args: Any, **kwargs: Any) -> Any:
            made = original(session, *args, **kwargs)
            made.meta.events.register("before-parameter-build.*.*", meter._keep_params)
            made.meta.events.register("before-call.*.*", meter._started)
            made.meta.events.register("after-call.*.*", meter._after_call)
            return made

        boto3.session.Session.client = client  # type: ignore[method-assign,assignment]

    @staticmethod
    def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["ypovoli_params"] = params

    @staticmethod
    def _started(context: dict[str, Any], **_: Any) -> None:
        context["ypovoli_started"] = time.perf_counter()

    def _after_call(self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        function = getattr(_local, "function", None) or "platform"
        service = model.service_model.service_name
        waited = (time.perf_counter() - context.get("ypovoli_started", time.perf_counter())) * 1000
        with self.lock:
            self.calls[(function, service, model.name)] += 1
            self.waiting[function][service] += waited
        if service == "dynamodb":
            self._capacity(function, model.name, context.get("ypovoli_params") or {}, parsed)

    def _capacity(self, function: str, operation: str, request: dict[str, Any], parsed: dict[str, Any]) -> None:
        wru = 0
        rru = 0.0
        items: Counter[str] = Counter()
        if operation == "PutItem":
            wru = write_units(item_size(request.get("Item", {})))
            items[item_kind(request.get("TableName", ""), request.get("Item", {}))] += wru
        elif operation in ("UpdateItem", "DeleteItem"):
            # Billed on the larger of the item before and after; what the request writes is a lower bound.
            written = item_size(request.get("Key", {})) + sum(
                _size(v) for v in (request.get("ExpressionAttributeValues") or {}).values())
            wru = write_units(max(written, item_size(parsed.get("Attributes") or {})))
            items[item_kind(request.get("TableName", ""), request.get("Key", {}))] += wru
        elif operation == "TransactWriteItems":
            for entry in request.get("TransactItems", []):
                for body in entry.values():
                    written = item_size(body.get("Item") or body.get("Key", {})) + sum(
                        _size(v) for v in (body.get("ExpressionAttributeValues") or {}).values())
                    wru += 2 * write_units(written)
                    items[item_kind(body.get("TableName", ""), body.get("Item") or body.get("Key", {}))] += \
                        2 * write_units(written)
        elif operation == "BatchWriteItem":
            for table, requests in request.get("RequestItems", {}).items():
                for entry in requests:
                    body = entry.get("PutRequest") or entry.get("DeleteRequest") or {}
                    units = write_units(item_size(body.get("Item") or body.get("Key", {})))
                    wru += units
                    items[item_kind(table, body.get("Item") or body.get("Key", {}))] += units
        elif operation == "GetItem":
            rru = read_units(item_size(parsed.get("Item", {})), bool(request.get("ConsistentRead")))
        elif operation in ("Query", "Scan"):
            size = sum(item_size(i) for i in parsed.get("Items", []))
            rru = read_units(size, bool(request.get("ConsistentRead")))
        elif operation == "TransactGetItems":
            rru = sum(2 * read_units(item_size(r.get("Item", {})), True) for r in parsed.get("Responses", []))
        elif operation == "BatchGetItem":
            rru = sum(read_units(item_size(i), False) for items in parsed.get("Responses", {}).values() for i in items)
        with self.lock:
            self.wru[function] += wru
            self.rru[function] += rru
            for kind, units in items.items():
                self.wru_items[(function, operation, kind)] += units

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "calls": [{"function": f, "service": s, "operation": o, "count": n}
                          for (f, s, o), n in sorted(self.calls.items())],
                "wru": dict(self.wru), "rru": dict(self.rru),
                "wru_items": [{"function": f, "operation": o, "item": i, "units": n}
                              for (f, o, i), n in sorted(self.wru_items.items())],
                "invocations": dict(self.invocations), "milliseconds": dict(self.milliseconds),
                "waiting_ms": {f: dict(by) for f, by in self.waiting.items()},
                "api_requests": self.api_requests,
            }


METER = Meter()
