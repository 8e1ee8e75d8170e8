"""``ypovoli`` — the command line (``ypovoli local`` runs the embedded local stack)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, help="ypovoli (Υποβολή) — the submission gateway")
console = Console()


@app.command()
def local() -> None:
    """Start the local stack in the foreground (moto, the API, pollers, the myDATA simulator)."""
    from .stack import LocalStack, StackConfig

    config = StackConfig.from_env()
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    stack = LocalStack(config)
    stack.start()
    table = Table(title="ypovoli local stack — all on 127.0.0.1", show_header=False)
    for name, value in stack.describe().items():
        table.add_row(name, ", ".join(value) if isinstance(value, list) else str(value))
    console.print(table)
    console.print(f"[bold]Try:[/bold] curl -s http://{config.host}:{config.port}/health")
    console.print("Ctrl-C stops it.")
    sys.stdout.flush()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        _stop_promptly(stack.stop)


#: How long a stop may take before the process leaves anyway. Everything the stack holds lives in
#: this process (moto's memory), so nothing is lost by not waiting for a sweep still running on moto.
STOP_GRACE_S = 10.0


def _stop_promptly(stop: Callable[[], None]) -> None:
    stopper = threading.Thread(target=stop, name="stop", daemon=True)
    stopper.start()
    stopper.join(STOP_GRACE_S)
    if stopper.is_alive():
        console.print(f"[yellow]the stack did not stop within {STOP_GRACE_S:.0f} s (a sweep still running on "
                      "moto); leaving anyway[/yellow]")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@app.command("receive-webhooks")
def receive_webhooks(
    secret: str = typer.Option(..., envvar="YPOVOLI_WEBHOOK_SECRET", help="the secret PUT /v1/webhook returned"),
    port: int = typer.Option(9000, help="port on 127.0.0.1"),
) -> None:
    """A webhook receiver for trying things out: verifies each signature and prints the event."""
    import json
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from ypovoli.webhooks.signing import HEADER, verify

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = verify(secret, self.headers.get(HEADER, ""), body, int(time.time()))
            self.send_response(204 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            try:
                data = json.loads(body)["data"]
                line = f"{data['id']}  {data.get('previous_status')} → {data['status']}"
            except (ValueError, KeyError, TypeError):
                line = body[:200].decode(errors="replace")
            console.print(("[green]signed[/green] " if ok else "[red]BAD SIGNATURE[/red] ") + line)

    console.print(f"listening on http://127.0.0.1:{port}/ — Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        HTTPServer(("127.0.0.1", port), Handler).serve_forever()


@app.command()
def version() -> None:
    """Print the version."""
    from ypovoli import __version__

    console.print(f"ypovoli {__version__}")


def main() -> None:
    app()
