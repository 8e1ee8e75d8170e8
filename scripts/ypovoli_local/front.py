"""The local HTTP front: API Gateway's part (key header → authorizer → Chalice app) and the
``/_local`` controls that exist only here (clock, upstream outage switches, an immediate sweep)."""

from __future__ import annotations

import json
import os
import queue
import re
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from chalice.config import Config
from chalice.local import ForbiddenError, LocalGateway, LocalGatewayException
from ypovoli import clock
from ypovoli.api import gateway_answers as answers

from .durations import parse_duration
from .ergani_simulator import ErganiSimulator
from .meter import METER
from .mydata_simulator import MyDataSimulator


class StackControls(Protocol):
    """What ``/_local`` moves on the running stack (``LocalStack`` has it; nothing here imports it)."""

    mydata: MyDataSimulator
    ergani: ErganiSimulator

    def advance_clock(self, delta: timedelta) -> None: ...

    def describe(self) -> dict[str, Any]: ...

    def admin_target(self) -> dict[str, str]: ...

    def holds_demo_key(self, key: str) -> bool: ...

    def sweep_now(self) -> Any: ...

    def reset(self) -> dict[str, Any]: ...


MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit
#: What ``/_local/stack`` tells only whoever holds the demo key.
SECRET_FIELDS = ("demo_key", "console_sign_in")


def gateway_call(gateway: LocalGateway, method: str, path: str, headers: dict[str, str],
                 body: bytes | None) -> tuple[int, dict[str, Any], bytes]:
    """One request as API Gateway would handle it: the ``x-api-key`` identity header goes to the
    token authorizer; an authorizer's ``Unauthorized`` is a 401; an integration failure a 502."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if not path.startswith("/v1/ergani/"):  # the drop-in ERGANI routes read ERGANI's own Bearer token
        lowered.pop("authorization", None)
    if path.startswith("/v1/mydata/"):
        # The drop-in myDATA routes' authorizer reads AADE's header only (template.yaml:
        # AadeKeyAuthorizer's identity source), as API Gateway does: an x-api-key there opens nothing.
        if "ocp-apim-subscription-key" in lowered:
            lowered["authorization"] = lowered["ocp-apim-subscription-key"]
    elif "x-api-key" in lowered:
        lowered["authorization"] = lowered["x-api-key"]
    request_id = uuid.uuid4().hex  # API Gateway's own id for the answers it gives itself

    def own(status: int, shape: dict[str, object]) -> tuple[int, dict[str, Any], bytes]:
        """One of API Gateway's own answers (template.yaml: GatewayResponses), in our error shape."""
        return status, {"Content-Type": "application/json; charset=utf-8", "X-Request-Id": request_id}, \
            answers.body(shape, request_id)

    try:
        response = gateway.handle_request(method, path, lowered, body or None)
    except ForbiddenError as exc:
        if b"Missing Authentication Token" in (exc.body or b"") or b"Authorization header" in (exc.body or b""):
            # API Gateway's answer to a path it does not know (template.yaml: GatewayResponses): a 404
            # in our shape, never the credential it was sent.
            return own(404, answers.NOT_FOUND)
        return exc.CODE, dict(exc.headers), exc.body or b""
    except LocalGatewayException as exc:
        if exc.CODE == 401:   # no credential header at all: API Gateway's UNAUTHORIZED response, our shape
            return own(401, answers.UNAUTHORIZED)
        return exc.CODE, dict(exc.headers), exc.body or b""
    except Exception as exc:
        return own(401, answers.UNAUTHORIZED) if str(exc) == "Unauthorized" else own(502, answers.GATEWAY_ERROR)
    out_headers = {**response.get("headers", {}), **response.get("multiValueHeaders", {})}
    payload = response.get("body") or b""
    return response["statusCode"], out_headers, payload if isinstance(payload, bytes) else payload.encode()


def merge_slashes(target: str) -> str:
    """``//`` in a path is one ``/``, as the real services take it: the ERGANI SDK joins its base URL and
    ``/Documents/…`` with a slash between (``…/v1/ergani//Documents/WRKCardSE``). The query is left as sent."""
    path, sep, query = target.partition("?")
    return re.sub(r"/{2,}", "/", path) + sep + query


def new_gateway(chalice_app: Any) -> LocalGateway:
    return LocalGateway(chalice_app, Config.create(app_name="ypovoli", lambda_timeout=30, lambda_memory_size=512))


class FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], stack: StackControls, chalice_apps: list[Any]) -> None:
        self.stack = stack
        # One Chalice app object serves one request at a time, as one Lambda execution environment
        # does (its ``current_request`` is shared state); several copies serve concurrent requests,
        # as Lambda scales out. A request waits for a free one.
        self.instances: queue.Queue[Any] = queue.Queue()
        for chalice_app in chalice_apps:
            self.instances.put(new_gateway(chalice_app))
        #: Served under this path too (``YPOVOLI_LOCAL_BASE_PATH``, e.g. «/Prod»), as API Gateway's own
        #: URL carries the stage: the prefix is taken off and told to the app in X-Forwarded-Prefix.
        self.base_path = os.environ.get("YPOVOLI_LOCAL_BASE_PATH", "").rstrip("/")
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: FrontServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle + delayed ACK add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: bytes, headers: dict[str, Any] | None = None) -> None:
        self.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "application/json")
        headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            for item in value if isinstance(value, list) else [value]:
                self.send_header(name, str(item))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _own(self, status: int, shape: dict[str, object]) -> None:
        """One of API Gateway's own answers, in the API's error shape (template.yaml: GatewayResponses)."""
        request_id = uuid.uuid4().hex
        self._send(status, answers.body(shape, request_id),
                   {"Content-Type": "application/json; charset=utf-8", "X-Request-Id": request_id})

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode())

    def _ergani(self, stack: StackControls, data: dict[str, Any]) -> None:
        """``/_local/upstreams/ergani`` (SPEC §3): ``{"mode": "up"|"down", "answer_next": {"count",
        "with": "throttled"|"server_error"|"expired"|"rejected"}, "expire_tokens": true}``."""
        if self.command != "POST":
            self._json(200, stack.ergani.state.stats())
            return
        try:
            answer_next = data.get("answer_next")
            if answer_next is not None and not isinstance(answer_next, dict):
                raise ValueError('answer_next is an object: {"count": 1, "with": "throttled"}')
            if data.get("expire_tokens"):
                stack.ergani.expire_tokens()
            stats = stack.ergani.configure(str(data.get("mode") or stack.ergani.state.mode), answer_next)
        except (ValueError, TypeError) as exc:
            self._json(400, {"message": str(exc)})
            return
        self._json(200, stats)

    def _body(self) -> bytes | None:
        """The request's body, by Content-Length or chunked (HTTP/1.1 clients stream without a length,
        as API Gateway accepts), never more than API Gateway's limit: beyond it a 413 in our shape."""
        if "chunked" in str(self.headers.get("Transfer-Encoding") or "").lower():
            return self._chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._too_large()
            return None
        return self.rfile.read(length) if length else b""

    def _too_large(self) -> None:
        self.close_connection = True
        self._own(413, answers.TOO_LARGE)

    def _chunked(self) -> bytes | None:
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                chunk = int(line.split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                self.close_connection = True
                self._own(400, answers.BAD_CHUNKS)
                return None
            if chunk == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass   # trailers
                return b"".join(parts)
            size += chunk
            if size > MAX_BODY:
                self._too_large()
                return None
            parts.append(self.rfile.read(chunk))
            self.rfile.readline(8)   # the CRLF after each chunk

    def _dispatch(self) -> None:
        body = self._body()
        if body is None:
            return
        self.path = merge_slashes(self.path)
        base = self.server.base_path
        prefix_headers: dict[str, str] = {}
        if base and (self.path == base or self.path.startswith((base + "/", base + "?"))):
            self.path = self.path[len(base):] or "/"
            prefix_headers["X-Forwarded-Prefix"] = base
        path = self.path.split("?", 1)[0]
        if path.startswith("/_local/"):
            self._local(path, body)
            return
        gateway = self.server.instances.get()
        METER.api_request()
        try:
            with METER.invocation("ApiFunction"):
                status, headers, payload = gateway_call(gateway, self.command, self.path,
                                                        {**dict(self.headers.items()), **prefix_headers}, body)
        finally:
            self.server.instances.put(gateway)
        self._send(status, payload, headers)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An unknown method (TRACE, QUERY, …) is the client's error, as API Gateway answers it."""
        if code == 501:
            self.close_connection = True
            self._own(405, answers.METHOD_NOT_ALLOWED)
            return
        super().send_error(code, message, explain)

    # ---- /_local ------------------------------------------------------------------------------

    def _local(self, path: str, body: bytes) -> None:
        stack = self.server.stack
        try:
            data = json.loads(body) if body else {}
            if not isinstance(data, dict):
                raise ValueError("expected a JSON object")
        except ValueError as exc:
            self._json(400, {"message": f"bad JSON: {exc}"})
            return
        if path == "/_local/clock":
            if self.command == "POST":
                try:
                    stack.advance_clock(parse_duration(str(data.get("advance", ""))))
                except ValueError as exc:
                    self._json(400, {"message": str(exc)})
                    return
            now = clock.athens_now()
            self._json(200, {"now": now.isoformat(), "today": now.date().isoformat()})
            return
        match = re.fullmatch(r"/_local/upstreams/(\w+)", path)
        if match:
            name = match.group(1)
            if name == "ergani":
                self._ergani(stack, data)
                return
            if name != "mydata":
                self._json(404, {"message": f"no simulator for {name!r} in this stack (mydata, ergani)"})
                return
            if self.command == "POST":
                try:
                    answer_next = data.get("answer_next")
                    if answer_next is not None and not isinstance(answer_next, dict):
                        raise ValueError('answer_next is an object: {"count": 1, "with": "rejected", "code": "203"}')
                    stats = stack.mydata.configure(str(data.get("mode", "")), float(data.get("failure_rate", 0)),
                                                   float(data.get("accept_then_timeout_rate", 0)), answer_next)
                except (ValueError, TypeError) as exc:
                    self._json(400, {"message": str(exc)})
                    return
                self._json(200, stats)
                return
            self._json(200, stack.mydata.state.stats())
            return
        holds_key = stack.holds_demo_key(str(self.headers.get("x-api-key") or ""))
        if path == "/_local/stack":   # its secrets (the demo key, the console's password) to the key's holder
            described = stack.describe()
            self._json(200, described if holds_key else {k: v for k, v in described.items()
                                                          if k not in SECRET_FIELDS})
            return
        if path == "/_local/admin":   # what the administration CLI needs with --local: the key's holder only
            if not holds_key:
                self._json(401, {"message": "the local stack's administration needs its demo key in x-api-key "
                                            "(`make run` prints it; the CLI takes --key or YPOVOLI_KEY)"})
                return
            self._json(200, stack.admin_target())
            return
        if path == "/_local/meter":   # issue 17 §3: what the functions called, since the last POST
            if self.command == "POST":
                METER.reset()
            self._json(200, METER.snapshot())
            return
        if path == "/_local/reset" and self.command == "POST":
            self._json(200, stack.reset())
            return
        if path == "/_local/sweep" and self.command == "POST":
            self._json(200, stack.sweep_now())
            return
        self._json(404, {"message": "unknown local control"})
