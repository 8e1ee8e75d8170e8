"""What the upstream simulators share: an HTTP server on the loopback that can be switched off the
way a real outage looks from outside — the listening socket closed (connections refused) and the
connections already open cut (a keep-alive pool would otherwise outlive the outage)."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SwitchableServer:
    #: The request handler class (a :class:`TrackedHandler`); each server gets its own subclass
    #: that knows it as ``simulator``.
    handler: type[TrackedHandler]
    thread_name = "simulator"

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._switch = threading.Lock()
        self.connections: set[Any] = set()

    def start(self) -> None:
        with self._switch:
            if self._server is not None:
                return
            server = ThreadingHTTPServer((self.host, self.port), type("Handler", (self.handler,), {"simulator": self}))
            server.daemon_threads = True
            self.port = server.server_address[1]
            self._server = server
            threading.Thread(target=server.serve_forever, name=self.thread_name, daemon=True).start()

    def stop(self) -> None:
        with self._switch:
            if self._server is None:
                return
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections.clear()


class TrackedHandler(BaseHTTPRequestHandler):
    """Keeps its connection in the server's set, so that an outage can cut it."""

    disable_nagle_algorithm = True  # as a real server does; else Nagle + delayed ACK add 40 ms a call
    protocol_version = "HTTP/1.1"
    simulator: Any

    def log_message(self, format: str, *args: Any) -> None:
        return

    def setup(self) -> None:
        super().setup()
        self.simulator.connections.add(self.connection)

    def finish(self) -> None:
        self.simulator.connections.discard(self.connection)
        super().finish()
