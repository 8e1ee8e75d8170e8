"""``ypovoli`` — the command line (``ypovoli local`` runs the embedded local stack)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import warnings

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
        stack.stop()


@app.command()
def version() -> None:
    """Print the version."""
    from ypovoli import __version__

    console.print(f"ypovoli {__version__}")


def main() -> None:
    app()
