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
        #: The lock every call takes (what touches moto's backends from outside a call takes it too).
        self.lock = threading.Lock()

    def _server_entry(self) -> None:
        app = OneAtATime(DomainDispatcherApplication(create_backend_app))
        app.lock = self.lock
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()
