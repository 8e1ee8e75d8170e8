"""A webhook receiver for tests: records what it is sent, answers as told (status, delay)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    status: int = 200
    delay_s: float = 0.0
    #: Seconds between the bytes of the answer: a receiver that never trips a per-read timeout.
    trickle_s: float = 0.0
    received: list[Received] = field(default_factory=list)

    def start(self) -> Receiver:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.received.append(Received(dict(self.headers.items()), body))
                if outer.delay_s:
                    time.sleep(outer.delay_s)
                if outer.trickle_s:
                    answer = f"HTTP/1.1 {outer.status} OK\r\nX-Slow: {'z' * 120}\r\n\r\n".encode()
                    try:
                        for byte in answer:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(outer.trickle_s)
                    except OSError:
                        pass  # the sender gave up on us, as it should
                    self.close_connection = True
                    return
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/ypovoli"

    def statuses(self) -> list[str]:
        return [r.event["data"]["status"] for r in self.received]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
