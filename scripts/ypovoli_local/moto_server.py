"""moto in server mode, one request at a time (but SQS's long polls).

moto's backends are plain dicts shared by werkzeug's request threads: under concurrent load they race
("dictionary changed size during iteration", 500s from transactions driven by four threads and more).
AWS serves those calls concurrently; moto cannot, so the local stack serialises them. A long-polling
``ReceiveMessage`` waits outside the lock — it would otherwise hold every other call for its wait —
and SQS, which takes it, serves it under its own lock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneAtATime:
    """A WSGI middleware: each request runs alone, its body read whole while the lock is held."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").endswith(".ReceiveMessage"):
            return self.app(environ, start_response)
        with self.lock:
            return [b"".join(self.app(environ, start_response))]


class SerialMotoServer(ThreadedMotoServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partition_queries()
        #: The lock every call takes (what touches moto's backends from outside a call takes it too).
        self.lock = threading.Lock()

    def _server_entry(self) -> None:
        app = OneAtATime(DomainDispatcherApplication(create_backend_app))
        app.lock = self.lock
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()


_querying = threading.local()


def partition_queries() -> None:
    """Let moto answer a DynamoDB query from the partition it names, as DynamoDB does.

    moto's ``Table.query`` asks ``all_items()`` for the whole table, sorted, and keeps what matches: every
    query costs the table's size (≈ 0.6 s at 30,000 items), where DynamoDB's costs what it returns. The
    query sorts what it keeps itself, so during a query ``all_items()`` may hand over its items unsorted,
    and for a query of the table (not an index) only the named partition's. Scans keep moto's order
    (their pages resume from it). Answers are unchanged: tests/unit/test_local_moto.py compares them."""
    from moto.dynamodb.models.table import Table

    if getattr(Table.query, "_partitioned", False):
        return
    query, all_items = Table.query, Table.all_items

    def partitioned_query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        _querying.table, _querying.partition = self, None if index_name else hash_key
        try:
            return query(self, hash_key, *args, **kwargs)
        finally:
            _querying.table = _querying.partition = None

    def queried_items(self: Table) -> list[Any]:
        if getattr(_querying, "table", None) is not self:
            return all_items(self)
        partition = _querying.partition
        if partition is None:
            return [item for hash_set in self.items.values()
                    for item in (hash_set.values() if self.range_key_attr else [hash_set])]
        found = self.items.get(partition)
        if found is None:
            return []
        return list(found.values()) if self.range_key_attr else [found]

    partitioned_query._partitioned = True   # type: ignore[attr-defined]
    partitioned_query._moto = query   # type: ignore[attr-defined]
    queried_items._moto = all_items   # type: ignore[attr-defined]
    Table.query, Table.all_items = partitioned_query, queried_items   # type: ignore[method-assign]
