"""What one submission costs on AWS, counted on the local stack (issue 17 §3): every AWS call the
functions make, per service and operation, with DynamoDB's request units reckoned by DynamoDB's own
rules from the items' sizes, each function invocation's duration, and the API requests.

Installed only when ``YPOVOLI_LOCAL_METER=1`` (``make bench`` sets it): every boto3 client created in
the process gets botocore event hooks. Calls made outside a function (the pollers' own SQS receives,
standing in for Lambda's event source mapping) are counted apart as ``platform``. moto's own
``ConsumedCapacity`` is not used: it does not follow DynamoDB's sizing (a 3 KB put is 1 unit there).

A DynamoDB write is billed on the item it leaves and the one it replaces, and on every secondary index
whose stored view it changes — what ``ReturnConsumedCapacity: INDEXES`` reports on AWS. So the meter
reads each written item before and after the write (with a client of its own, not counted, its time
taken out of the function's), and prices the change by :func:`write_cost`."""

from __future__ import annotations

import functools
import json
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


#: How the meter names a ``ReceiveMessage`` that found nothing (Lambda's pollers wait on idle queues).
EMPTY_RECEIVE = "ReceiveMessage (empty)"

#: The single-item writes (their key is the request's ``Key``, or the ``Item``'s).
WRITES = ("PutItem", "UpdateItem", "DeleteItem")


def _key_id(table: str, key: dict[str, Any]) -> str:
    return json.dumps([table, key], sort_keys=True)


def write_units(size: int) -> int:
    return max(1, math.ceil(size / 1024))


@dataclass(frozen=True)
class IndexShape:
    """A secondary index as DescribeTable gives it: its key attributes and what it projects."""
    name: str
    keys: tuple[str, ...]
    projection: str                 # ALL | KEYS_ONLY | INCLUDE
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableShape:
    keys: tuple[str, ...]
    indexes: tuple[IndexShape, ...] = ()

    @classmethod
    def described(cls, table: dict[str, Any]) -> TableShape:
        """From ``DescribeTable``'s ``Table``."""
        indexes = []
        for index in (*table.get("GlobalSecondaryIndexes", []), *table.get("LocalSecondaryIndexes", [])):
            projection = index.get("Projection", {})
            indexes.append(IndexShape(index["IndexName"], tuple(k["AttributeName"] for k in index["KeySchema"]),
                                      projection.get("ProjectionType", "ALL"),
                                      tuple(projection.get("NonKeyAttributes", []))))
        return cls(tuple(k["AttributeName"] for k in table["KeySchema"]), tuple(indexes))

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: item[k] for k in self.keys if k in item}


def _entry(item: dict[str, Any] | None, index: IndexShape, table_keys: tuple[str, ...]) -> dict[str, Any] | None:
    """What ``index`` stores of ``item``, or ``None`` when the item is not in it (sparse: a key missing)."""
    if item is None or any(k not in item for k in index.keys):
        return None
    if index.projection == "ALL":
        return item
    kept = {*table_keys, *index.keys, *(index.include if index.projection == "INCLUDE" else ())}
    return {k: v for k, v in item.items() if k in kept}


def write_cost(table: TableShape, old: dict[str, Any] | None, new: dict[str, Any] | None,
               transactional: bool = False) -> tuple[int, dict[str, int]]:
    """The write units of one item's write: the table's, and each secondary index's whose stored view
    changes. ``old`` is the item before (``None``: there was none), ``new`` after (``None``: deleted).

    DynamoDB's rules: the table write is sized on the larger of the two images (1 KB a unit, twice in a
    transaction); an index is charged on its projected entry — joining or leaving it costs that entry,
    a change in place the larger of the two entries, a moved index key both (a delete and a put), and an
    unchanged entry nothing, so a KEYS_ONLY index costs nothing for a change outside its keys. The index
    rules are those DynamoDB reports under ``ReturnConsumedCapacity: INDEXES`` (as captured against AWS
    by the dynoxide emulator's tests); an index entry's write is counted once, also in a transaction."""
    sizes = [item_size(i) for i in (old, new) if i is not None]
    units = write_units(max(sizes, default=0)) * (2 if transactional else 1)
    by_index: dict[str, int] = {}
    for index in table.indexes:
        before, after = _entry(old, index, table.keys), _entry(new, index, table.keys)
        if before == after:   # both absent, or the same entry
            continue
        if before is None or after is None:
            by_index[index.name] = write_units(item_size(before if after is None else after))  # type: ignore[arg-type]
        elif any(before.get(k) != after.get(k) for k in index.keys):
            by_index[index.name] = write_units(item_size(before)) + write_units(item_size(after))
        else:
            by_index[index.name] = max(write_units(item_size(before)), write_units(item_size(after)))
    return units, by_index


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


class Meter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._original_client: Any = boto3.session.Session.client
        self._readers: dict[tuple[str, str], Any] = {}
        self._shapes: dict[tuple[tuple[str, str], str], TableShape] = {}
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.calls: Counter[tuple[str, str, str]] = Counter()   # (function, service, operation)
            self.wru: Counter[str] = Counter()
            #: The same units by (function, operation, item kind): where the writes go.
            self.wru_items: Counter[tuple[str, str, str]] = Counter()
            self.rru: defaultdict[str, float] = defaultdict(float)
            #: Of ``wru``, the units each secondary index took: (function, index) → units.
            self.index_wru: Counter[tuple[str, str]] = Counter()
            self.invocations: Counter[str] = Counter()
            self.milliseconds: defaultdict[str, float] = defaultdict(float)
            #: Of those, the time spent waiting on moto (function → service → ms): moto is far slower than
            #: DynamoDB or S3, so the bill can put AWS's own latencies in its place.
            self.waiting: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
            self.api_requests = 0

    # ---- where calls come from ----------------------------------------------------------------

    @contextmanager
    def invocation(self, function: str) -> Iterator[None]:
        """One function invocation: its calls are its own, and its duration is billed (without the
        meter's own reads of the items written)."""
        outer = getattr(_local, "function", None)
        _local.function = function
        overhead = getattr(_local, "overhead_ms", 0.0)
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - start) * 1000 - (getattr(_local, "overhead_ms", 0.0) - overhead)
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
        meter._original_client = original

        def client(session: Any, *args: Any, **kwargs: Any) -> Any:
            made = original(session, *args, **kwargs)
            made.meta.events.register("before-parameter-build.*.*", meter._keep_params)
            if made.meta.service_model.service_name == "dynamodb":
                made.meta.events.register("before-call.dynamodb.*", functools.partial(
                    meter._before_write, (made.meta.endpoint_url, made.meta.region_name)))
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

    # ---- the items a write changes ------------------------------------------------------------

    def _reader(self, where: tuple[str, str]) -> Any:
        """A DynamoDB client of the meter's own (its calls are not counted), per endpoint."""
        with self.lock:
            reader = self._readers.get(where)
            if reader is None:
                reader = self._original_client(boto3.session.Session(), "dynamodb", endpoint_url=where[0],
                                               region_name=where[1])
                self._readers[where] = reader
            return reader

    def _shape(self, where: tuple[str, str], table: str) -> TableShape:
        shape = self._shapes.get((where, table))
        if shape is None:
            shape = TableShape.described(self._reader(where).describe_table(TableName=table)["Table"])
            self._shapes[(where, table)] = shape
        return shape

    def _written_keys(self, where: tuple[str, str], operation: str,
                      request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """(table, key) of every item ``request`` may write."""
        found: list[tuple[str, dict[str, Any]]] = []
        if operation in WRITES:
            table = request.get("TableName", "")
            found.append((table, request.get("Key") or self._shape(where, table).key_of(request.get("Item", {}))))
        elif operation == "TransactWriteItems":
            for entry in request.get("TransactItems", []):
                for action, body in entry.items():
                    if action != "ConditionCheck":
                        table = body.get("TableName", "")
                        found.append((table, body.get("Key") or self._shape(where, table).key_of(body.get("Item", {}))))
        elif operation == "BatchWriteItem":
            for table, requests in request.get("RequestItems", {}).items():
                for entry in requests:
                    body = entry.get("PutRequest") or entry.get("DeleteRequest") or {}
                    found.append((table, body.get("Key") or self._shape(where, table).key_of(body.get("Item", {}))))
        return found

    def _images(self, where: tuple[str, str], keys: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
        """The items at ``keys`` now, by :func:`_key_id` (absent when there is none)."""
        reader = self._reader(where)
        images: dict[str, dict[str, Any]] = {}
        for start in range(0, len(keys), 100):
            pending: dict[str, Any] = {}
            for table, key in keys[start:start + 100]:
                wanted = pending.setdefault(table, {"Keys": [], "ConsistentRead": True})["Keys"]
                if key not in wanted:
                    wanted.append(key)
            while pending:
                got = reader.batch_get_item(RequestItems=pending)
                for table, items in got.get("Responses", {}).items():
                    shape = self._shape(where, table)
                    for item in items:
                        images[_key_id(table, shape.key_of(item))] = item
                pending = got.get("UnprocessedKeys") or {}
        return images

    def _before_write(self, where: tuple[str, str], model: Any, context: dict[str, Any], **_: Any) -> None:
        request = context.get("ypovoli_params") or {}
        if model.name not in WRITES and model.name not in ("TransactWriteItems", "BatchWriteItem"):
            return
        started = time.perf_counter()
        try:
            keys = self._written_keys(where, model.name, request)
            context["ypovoli_writes"] = (where, keys, self._images(where, keys))
        except Exception:   # the meter must never fail a call it only watches
            context.pop("ypovoli_writes", None)
        _local.overhead_ms = getattr(_local, "overhead_ms", 0.0) + (time.perf_counter() - started) * 1000

    def _after_call(self, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        function = getattr(_local, "function", None) or "platform"
        service = model.service_model.service_name
        waited = (time.perf_counter() - context.get("ypovoli_started", time.perf_counter())) * 1000
        operation = model.name
        if operation == "ReceiveMessage" and not parsed.get("Messages"):
            operation = EMPTY_RECEIVE   # an idle poll: a fixed cost of the queue, not of a submission
        with self.lock:
            self.calls[(function, service, operation)] += 1
            self.waiting[function][service] += waited
        if service == "dynamodb":
            changes = None
            if "ypovoli_writes" in context:
                started = time.perf_counter()
                where, keys, before = context["ypovoli_writes"]
                try:
                    after = before if "Error" in parsed else self._images(where, keys)
                    changes = {_key_id(t, k): (before.get(_key_id(t, k)), after.get(_key_id(t, k)),
                                               self._shape(where, t)) for t, k in keys}
                except Exception:   # as above: watched, never failed
                    changes = None
                _local.overhead_ms = getattr(_local, "overhead_ms", 0.0) + (time.perf_counter() - started) * 1000
            self._capacity(function, model.name, context.get("ypovoli_params") or {}, parsed, changes)

    def _capacity(self, function: str, operation: str, request: dict[str, Any], parsed: dict[str, Any],
                  changes: dict[str, tuple[dict[str, Any] | None, dict[str, Any] | None, TableShape]] | None = None,
                  ) -> None:
        """Count one call's request units. ``changes``: each written item before and after, by
        :func:`_key_id`, with its table's shape; without them (a unit test, a failed read), a write is
        sized on what the request carries — a lower bound, and no index."""
        wru = 0
        rru = 0.0
        items: Counter[str] = Counter()
        indexes: Counter[str] = Counter()

        def write(table: str, key: dict[str, Any], carried: dict[str, Any], transactional: bool) -> None:
            nonlocal wru
            change = (changes or {}).get(_key_id(table, key))
            by_index: dict[str, int]
            if change is None:
                units, by_index = write_units(item_size(carried)) * (2 if transactional else 1), {}
            else:
                units, by_index = write_cost(change[2], change[0], change[1], transactional)
            wru += units + sum(by_index.values())
            items[item_kind(table, key)] += units
            for name, n in by_index.items():
                items[f"{item_kind(table, key)} → {name}"] += n
                indexes[name] += n

        if operation == "PutItem":
            item = request.get("Item", {})
            write(request.get("TableName", ""), self._key(request.get("TableName", ""), item), item, False)
        elif operation in ("UpdateItem", "DeleteItem"):
            # Without the images: what the request writes, or the item returned, whichever is larger.
            carried = request.get("Key", {}) | {f"v{i}": v for i, v in enumerate(
                (request.get("ExpressionAttributeValues") or {}).values())}
            returned = parsed.get("Attributes") or {}
            write(request.get("TableName", ""), request.get("Key", {}),
                  returned if item_size(returned) > item_size(carried) else carried, False)
        elif operation == "TransactWriteItems":
            for entry in request.get("TransactItems", []):
                for action, body in entry.items():
                    table = body.get("TableName", "")
                    carried = (body.get("Item") or body.get("Key", {})) | {f"v{i}": v for i, v in enumerate(
                        (body.get("ExpressionAttributeValues") or {}).values())}
                    if action == "ConditionCheck":
                        units = 2 * write_units(item_size(carried))
                        wru += units
                        items[item_kind(table, body.get("Key", {}))] += units
                    else:
                        write(table, body.get("Key") or self._key(table, body.get("Item", {})), carried, True)
        elif operation == "BatchWriteItem":
            for table, requests in request.get("RequestItems", {}).items():
                for entry in requests:
                    body = entry.get("PutRequest") or entry.get("DeleteRequest") or {}
                    write(table, body.get("Key") or self._key(table, body.get("Item", {})),
                          body.get("Item") or body.get("Key", {}), False)
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
            for name, units in indexes.items():
                self.index_wru[(function, name)] += units

    def _key(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        """A put item's key: by its table's shape when the meter has described it, else the usual PK/SK."""
        shape = next((shape for (_, name), shape in self._shapes.items() if name == table), None)
        if shape is not None:
            return shape.key_of(item)
        return {k: item[k] for k in ("PK", "SK", "pk", "sk", "id") if k in item}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "calls": [{"function": f, "service": s, "operation": o, "count": n}
                          for (f, s, o), n in sorted(self.calls.items())],
                "wru": dict(self.wru), "rru": dict(self.rru),
                "wru_items": [{"function": f, "operation": o, "item": i, "units": n}
                              for (f, o, i), n in sorted(self.wru_items.items())],
                "index_wru": [{"function": f, "index": i, "units": n} for (f, i), n in sorted(self.index_wru.items())],
                "invocations": dict(self.invocations), "milliseconds": dict(self.milliseconds),
                "waiting_ms": {f: dict(by) for f, by in self.waiting.items()},
                "api_requests": self.api_requests,
            }


METER = Meter()
