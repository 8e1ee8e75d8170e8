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
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from . import people
from .where import JSON, KEY, LOCAL, REGION, STACK, URL, UserError, Where, emit, err, friendly, resolve

app = typer.Typer(add_completion=False, help="ypovoli (Υποβολή) — the submission gateway")
console = Console()
people.register(app)   # submit, status, upload-dossier, validate
people.register_ergani(app)   # ergani staff import|list


PORT = typer.Option(None, "--port", envvar="YPOVOLI_PORT", help="the API's port on 127.0.0.1 (default 8000)")
DEMO_KEY = typer.Option(None, "--key", envvar="YPOVOLI_DEMO_KEY",
                        help="the demo tenant's API key (default: a new one each start)")
DEMO_AFMS = typer.Option(None, "--afms", envvar="YPOVOLI_DEMO_AFMS",
                         help="the demo tenant's ΑΦΜ, comma-separated (default 800123456,997123453)")
LOG_FILE = typer.Option(None, "--log-file", envvar="YPOVOLI_LOCAL_LOG",
                        help="where moto's, the pollers' and the functions' logs go (default .ypovoli-local.log)")


@app.command()
def local(port: int | None = PORT, key: str | None = DEMO_KEY, afms: str | None = DEMO_AFMS,
          log_file: Path | None = LOG_FILE) -> None:
    """Start the local stack in the foreground: moto (the embedded AWS), the API, the queue, S3 and
    schedule pollers, the myDATA and ERGANI simulators — all on 127.0.0.1, nothing needing an AWS account."""
    from .stack import LocalStack, PortTaken, StackConfig, claim_port

    config = StackConfig.from_env()
    if port is not None:
        config.port = port
    if key:
        config.demo_key = key
    if afms:
        config.demo_afms = tuple(a.strip() for a in afms.split(",") if a.strip())
    if log_file is not None:
        config.log_file = log_file
    try:
        claim_port(config.host, config.port)
    except PortTaken as exc:
        console.print(str(exc), style="red", markup=False)
        raise typer.Exit(1) from None
    _log_to(config.log_file, config.log_level)
    stack = LocalStack(config)
    with console.status("starting the local stack") as status:
        stack.start(lambda step: status.update(step + " …"))
    terminal = Console(file=sys.stdout)
    _quiet_functions(config.log_file)
    table = Table(title="ypovoli local stack — all on 127.0.0.1", show_header=False)
    for name, value in stack.describe().items():
        table.add_row(name, ", ".join(value) if isinstance(value, list) else str(value))
    table.add_row("logs", str(config.log_file))
    terminal.print(table)
    terminal.print(f"[bold]Try:[/bold] curl -s http://{config.host}:{config.port}/health — the reference: "
                   f"http://{config.host}:{config.port}/docs")
    terminal.print("Ctrl-C stops it.")
    sys.stdout.flush()
    done = threading.Event()

    def terminate(*_: object) -> None:
        done.set()
        # Whatever the stack's threads are doing (a sweep on a loaded moto), the process is gone within
        # the grace: a timer that does not wait for the main thread to get its turn.
        deadline = threading.Timer(STOP_GRACE_S, _leave, args=(terminal,))
        deadline.daemon = True   # never what keeps the process alive
        deadline.start()

    signal.signal(signal.SIGTERM, terminate)
    parent = os.getppid()
    try:
        # Woken twice a second: a signal is handled at once, and a parent that died (`make run` killed,
        # its child left behind on the port) is noticed — the stack then stops too.
        while not done.wait(0.5):
            if os.getppid() != parent:
                terminate()
    except KeyboardInterrupt:
        pass
    finally:
        _stop_promptly(stack.stop, terminal)


def _log_to(path: Path, level: str) -> None:
    """Every log of the stack's process into ``path`` — moto's, werkzeug's, the pollers', uncaught errors
    in threads — so the terminal keeps the table and what the person typed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=level, filename=str(path), format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        force=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    logging.captureWarnings(True)

    def log_thread_error(args: threading.ExceptHookArgs) -> None:
        logging.getLogger("ypovoli.local").error(
            "uncaught in thread %s", args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]

    threading.excepthook = log_thread_error


def _quiet_functions(path: Path) -> None:
    """The functions log through Powertools to stdout (CloudWatch in AWS) and print their metrics there
    (EMF); locally, both go to the log file, and the terminal keeps only what ``ypovoli local`` says."""
    stream = path.open("a", encoding="utf-8", buffering=1)  # kept open for the life of the process
    for handler in logging.getLogger("ypovoli").handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            handler.setStream(stream)
    sys.stdout = stream


#: How long a stop may take before the process leaves anyway. Everything the stack holds lives in
#: this process (moto's memory), so nothing is lost by not waiting for a sweep still running on moto.
STOP_GRACE_S = 10.0


def _stop_promptly(stop: Callable[[], None], terminal: Console = console) -> None:
    stopper = threading.Thread(target=stop, name="stop", daemon=True)
    stopper.start()
    stopper.join(STOP_GRACE_S)
    if stopper.is_alive():
        _leave(terminal)


def _leave(terminal: Console) -> None:
    terminal.print(f"[yellow]the stack did not stop within {STOP_GRACE_S:.0f} s (a sweep still running on "
                   "moto); leaving anyway[/yellow]")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@app.command("receive-webhooks")
def receive_webhooks(
    secret: str = typer.Option(..., envvar="YPOVOLI_WEBHOOK_SECRET", help="the secret PUT /v1/webhook returned"),
    port: int = typer.Option(9000, help="port on 127.0.0.1"),
) -> None:
    """A webhook receiver for trying things out: verifies each signature, refuses replays by event
    id, and prints the event."""
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from .ops import ReplayGuard, receive

    guard = ReplayGuard()
    colours = {"signed": "[green]signed[/green] ", "replay": "[yellow]REPLAY ignored[/yellow] ",
               "bad-signature": "[red]BAD SIGNATURE[/red] ", "unreadable": "[red]UNREADABLE[/red] "}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(min(int(self.headers.get("Content-Length") or 0), 1_048_576))
            got = receive(secret, guard, dict(self.headers.items()), body, int(time.time()))
            self.send_response(got.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            console.print(colours[got.verdict] + got.line)

    console.print(f"listening on http://127.0.0.1:{port}/ — Ctrl-C stops it")
    with contextlib.suppress(KeyboardInterrupt):
        HTTPServer(("127.0.0.1", port), Handler).serve_forever()


dlq_app = typer.Typer(help="Dead-letter queues: what reached them, and sending it back")
app.add_typer(dlq_app, name="dlq")


def _queues(queue: str) -> list[str]:
    from .ops import QUEUES

    if queue == "all":
        return list(QUEUES)
    if queue not in QUEUES:
        raise UserError(f"no queue {queue!r}: one of all, {', '.join(QUEUES)}")
    return [queue]


@dlq_app.command("show")
@friendly
def dlq_show(stack: str = STACK, local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
             region: str | None = REGION, as_json: bool = JSON) -> None:
    """How many messages wait in each dead-letter queue."""
    import boto3

    from .ops import QUEUES, depth, queue_urls

    where = resolve(stack, local, url, key, region)
    sqs = boto3.client("sqs")
    waiting = {name: depth(sqs, queue_urls(sqs, where.stack, name)[1]) for name in QUEUES}

    def show() -> None:
        table = Table(title=f"dead-letter queues of {where.stack}")
        table.add_column("queue")
        table.add_column("waiting", justify="right")
        for name, count in waiting.items():
            table.add_row(name, str(count))
        console.print(table)

    emit(as_json, {"stack": where.stack, "waiting": waiting}, show)


@dlq_app.command("redrive")
@friendly
def dlq_redrive(
    queue: str = typer.Argument("all", help="transmit | webhooks | drop | all"),
    stack: str = STACK, local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
    region: str | None = REGION, as_json: bool = JSON,
    limit: int = typer.Option(10_000, help="move at most this many per queue"),
    dry_run: bool = typer.Option(False, "--dry-run", help="only count"),
) -> None:
    """Move dead-lettered messages back to their queue (after fixing why they died: read the
    function's logs first). Safe to repeat: every handler is idempotent."""
    import boto3

    from .ops import redrive

    where = resolve(stack, local, url, key, region)
    sqs = boto3.client("sqs")
    results = {name: redrive(sqs, where.stack, name, limit, dry_run) for name in _queues(queue)}

    def show() -> None:
        verb = "would move" if dry_run else "moved"
        for name, result in results.items():
            console.print(f"{name}: {verb} {result.left if dry_run else result.moved}; {result.left} left in "
                          "its DLQ", markup=False)

    emit(as_json, {name: {"moved": r.moved, "left": r.left, "dry_run": dry_run} for name, r in results.items()},
         show)


credentials_app = typer.Typer(help="Tenants' own upstream credentials (AADE, ERGANI) in Secrets Manager")
app.add_typer(credentials_app, name="credentials")
UPSTREAM = typer.Option("mydata", help="mydata (AADE) or ergani")


def _secrets(where: Where) -> Any:
    from ypovoli.store.secrets import TenantSecrets

    prefix = os.environ.get("YPOVOLI_TENANT_SECRETS_PREFIX") or where.env("secrets_prefix", f"{where.stack}/tenants")
    return TenantSecrets(prefix, ttl_s=0)


def _upstream(upstream: str) -> str:
    if upstream not in ("mydata", "ergani"):
        raise UserError(f"no upstream {upstream!r}: mydata or ergani")
    return upstream


@credentials_app.command("set")
@friendly
def credentials_set(
    tenant: str = typer.Argument(..., help="the tenant id"),
    user_id: str = typer.Option(..., "--user-id", help="the upstream account's user (AADE: aade-user-id; "
                                "ERGANI: the username)"),
    subscription_key: str = typer.Option(..., "--subscription-key", prompt=True, hide_input=True,
                                         envvar="YPOVOLI_SUBSCRIPTION_KEY",
                                         help="its key or password (prompted, never echoed)"),
    upstream: str = UPSTREAM, stack: str = STACK, local: bool = LOCAL, url: str | None = URL,
    key: str | None = KEY, region: str | None = REGION, as_json: bool = JSON,
) -> None:
    """Create or rotate a tenant's credentials: every function sees them within the cache TTL
    (YPOVOLI_TENANT_SECRETS_TTL_S, 300 s), with no deploy."""
    from ypovoli.store.secrets import Credentials

    where = resolve(stack, local, url, key, region)
    name = _secrets(where).put(tenant, _upstream(upstream), Credentials(user_id, subscription_key))
    emit(as_json, {"tenant": tenant, "upstream": upstream, "secret": name},
         lambda: console.print(f"stored in {name} (the key is not shown)", markup=False))


@credentials_app.command("remove")
@friendly
def credentials_remove(tenant: str = typer.Argument(...), upstream: str = UPSTREAM, stack: str = STACK,
                       local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
                       region: str | None = REGION, as_json: bool = JSON) -> None:
    """Remove a tenant's own credentials: it falls back to the deployment's."""
    where = resolve(stack, local, url, key, region)
    _secrets(where).remove(tenant, _upstream(upstream))
    emit(as_json, {"tenant": tenant, "upstream": upstream, "removed": True},
         lambda: console.print(f"removed {tenant}'s {upstream} credentials", markup=False))


tenants_app = typer.Typer(help="Tenants (offices, ERP vendors) and the ΑΦΜ they manage")
keys_app = typer.Typer(help="A tenant's API keys: shown once, stored only as a digest")
afms_app = typer.Typer(help="The ΑΦΜ a tenant manages")
app.add_typer(tenants_app, name="tenants")
app.add_typer(keys_app, name="keys")
app.add_typer(afms_app, name="afms")
AFM_OPTION = typer.Option([], "--afm", help="an ΑΦΜ it manages (repeat the option)")
AFMS = typer.Argument(..., help="one ΑΦΜ or several")


def _tenants(where: Where) -> Any:
    from ypovoli.services.tenants import Tenants
    from ypovoli.store.index import Index

    from .admin import deployed_tenants

    if where.local:
        return Tenants(Index(where.env("index_table")), where.env("api_key_pepper"))
    import boto3

    return deployed_tenants(where.stack, boto3.client("cloudformation"), boto3.client("lambda"),
                            boto3.client("apigateway"))


def _admin_call(call: Callable[[], Any]) -> Any:
    from ypovoli.services.tenants import AdminError

    try:
        return call()
    except AdminError as exc:
        raise UserError(str(exc)) from None


@tenants_app.command("create")
@friendly
def tenants_create(tenant: str = typer.Argument(..., help="its id: letters, digits, '-' or '_'"),
                   name: str = typer.Option("", help="how it is called"),
                   afm: list[str] = AFM_OPTION, stack: str = STACK, local: bool = LOCAL, url: str | None = URL,
                   key: str | None = KEY, region: str | None = REGION, as_json: bool = JSON) -> None:
    """Create a tenant (then give it a key with `ypovoli keys create`)."""
    where = resolve(stack, local, url, key, region)
    _admin_call(lambda: _tenants(where).create(tenant, name, afm))
    emit(as_json, {"tenant": tenant, "name": name, "afms": afm},
         lambda: console.print(f"tenant {tenant} created, managing {', '.join(afm) or 'no ΑΦΜ yet'}", markup=False))


@keys_app.command("create")
@friendly
def keys_create(tenant: str = typer.Argument(...), stack: str = STACK, local: bool = LOCAL, url: str | None = URL,
                key: str | None = KEY, region: str | None = REGION, as_json: bool = JSON) -> None:
    """A new key for the tenant, printed once: keep it now, it cannot be shown again."""
    from datetime import UTC, datetime

    where = resolve(stack, local, url, key, region)
    issued = _admin_call(lambda: _tenants(where).issue_key(tenant, datetime.now(UTC)))

    def show() -> None:
        err.print(f"key id {issued.key_id}", markup=False)
        print(issued.key)

    emit(as_json, {"tenant": tenant, "key_id": issued.key_id, "key": issued.key}, show)


@keys_app.command("list")
@friendly
def keys_list(tenant: str = typer.Argument(...), stack: str = STACK, local: bool = LOCAL, url: str | None = URL,
              key: str | None = KEY, region: str | None = REGION, as_json: bool = JSON) -> None:
    """The tenant's keys by id (never the keys themselves)."""
    where = resolve(stack, local, url, key, region)
    keys = _admin_call(lambda: _tenants(where).keys(tenant))

    def show() -> None:
        table = Table(title=f"keys of {tenant}")
        for column in ("id", "created", "expires"):
            table.add_column(column, overflow="fold")
        for one in keys:
            table.add_row(one.key_id, one.created_at, one.expires_at or "—")
        console.print(table)

    emit(as_json, [{"key_id": k.key_id, "created_at": k.created_at, "expires_at": k.expires_at} for k in keys], show)


@keys_app.command("rotate")
@friendly
def keys_rotate(tenant: str = typer.Argument(...),
                grace_hours: float = typer.Option(24.0, envvar="YPOVOLI_KEY_ROTATION_GRACE_H",
                                                  help="how long the older keys keep working"),
                stack: str = STACK, local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
                region: str | None = REGION, as_json: bool = JSON) -> None:
    """A new key (printed once); the tenant's older keys expire after the grace period."""
    from datetime import UTC, datetime, timedelta

    where = resolve(stack, local, url, key, region)
    issued = _admin_call(lambda: _tenants(where).rotate(tenant, datetime.now(UTC), timedelta(hours=grace_hours)))

    def show() -> None:
        err.print(f"key id {issued.key_id}; older keys expire in {grace_hours:g} h", markup=False)
        print(issued.key)

    emit(as_json, {"tenant": tenant, "key_id": issued.key_id, "key": issued.key, "grace_hours": grace_hours}, show)


@keys_app.command("revoke")
@friendly
def keys_revoke(tenant: str = typer.Argument(...), key_id: str = typer.Argument(..., help="from `keys list`"),
                stack: str = STACK, local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
                region: str | None = REGION, as_json: bool = JSON) -> None:
    """Remove a key now (API copies that cached it stop accepting it within a minute)."""
    where = resolve(stack, local, url, key, region)
    _admin_call(lambda: _tenants(where).revoke(tenant, key_id))
    emit(as_json, {"tenant": tenant, "key_id": key_id, "revoked": True},
         lambda: console.print(f"revoked {key_id}", markup=False))


@afms_app.command("add")
@friendly
def afms_add(tenant: str = typer.Argument(...), afm: list[str] = AFMS, stack: str = STACK, local: bool = LOCAL,
             url: str | None = URL, key: str | None = KEY, region: str | None = REGION, as_json: bool = JSON) -> None:
    """Let the tenant submit for these ΑΦΜ."""
    where = resolve(stack, local, url, key, region)
    managed = _admin_call(lambda: _tenants(where).add_afms(tenant, afm))
    emit(as_json, {"tenant": tenant, "afms": managed}, lambda: console.print(", ".join(managed), markup=False))


@afms_app.command("remove")
@friendly
def afms_remove(tenant: str = typer.Argument(...), afm: list[str] = AFMS, stack: str = STACK, local: bool = LOCAL,
                url: str | None = URL, key: str | None = KEY, region: str | None = REGION,
                as_json: bool = JSON) -> None:
    """Stop the tenant submitting for these ΑΦΜ (what was sent stays in its dossiers)."""
    where = resolve(stack, local, url, key, region)
    managed = _admin_call(lambda: _tenants(where).remove_afms(tenant, afm))
    emit(as_json, {"tenant": tenant, "afms": managed},
         lambda: console.print(", ".join(managed) or "no ΑΦΜ left", markup=False))


console_users_app = typer.Typer(help="People who sign in to the compliance console (apart from API keys)")
app.add_typer(console_users_app, name="console-users")


def _console_users(where: Where) -> Any:
    """The console's people live in the stack's index table: the local stack's own, else
    ``YPOVOLI_INDEX_TABLE``, else the table of the deployed CloudFormation stack."""
    from ypovoli.store.console import ConsoleUsers

    table = where.env("index_table") or os.environ.get("YPOVOLI_INDEX_TABLE")
    if not table:
        import boto3

        table = boto3.client("cloudformation").describe_stack_resource(
            StackName=where.stack, LogicalResourceId="IndexTable")["StackResourceDetail"]["PhysicalResourceId"]
    return ConsoleUsers(str(table))


@console_users_app.command("add")
@friendly
def console_users_add(
    tenant: str = typer.Argument(..., help="the tenant whose businesses the person sees"),
    email: str = typer.Argument(..., help="what the person signs in with"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True,
                                 envvar="YPOVOLI_CONSOLE_PASSWORD", help="prompted, never echoed"),
    stack: str = STACK, local: bool = LOCAL, url: str | None = URL, key: str | None = KEY,
    region: str | None = REGION, as_json: bool = JSON,
) -> None:
    """Create a person, or set a new password (kept only as a scrypt hash)."""
    from datetime import UTC, datetime

    if len(password) < 12:
        raise UserError("the password needs at least 12 characters")
    where = resolve(stack, local, url, key, region)
    _console_users(where).put_user(tenant, email, password, datetime.now(UTC))
    emit(as_json, {"tenant": tenant, "email": email},
         lambda: console.print(f"{email} signs in to {tenant}'s console", markup=False))


@console_users_app.command("remove")
@friendly
def console_users_remove(email: str = typer.Argument(...), stack: str = STACK, local: bool = LOCAL,
                         url: str | None = URL, key: str | None = KEY, region: str | None = REGION,
                         as_json: bool = JSON) -> None:
    """Remove a person: their open sessions end at once."""
    where = resolve(stack, local, url, key, region)
    removed = _console_users(where).remove_user(email)
    emit(as_json, {"email": email, "removed": bool(removed)},
         lambda: console.print(f"{'removed' if removed else 'no such person:'} {email}", markup=False))


#: Where docs/codes.md's generated table sits.
CODES_BEGIN = "<!-- codes:begin (generated by `ypovoli codes --write-docs`) -->"
CODES_END = "<!-- codes:end -->"


WRITE_DOCS = typer.Option(False, "--write-docs", help="rewrite docs/codes.md's generated table instead of printing")


@app.command()
def codes(write_docs: bool = WRITE_DOCS, as_json: bool = JSON, local: bool = LOCAL) -> None:
    """Every finding and error code, its severities and its meaning in Greek and English (as GET /v1/codes;
    the catalog is the code's own, so --local changes nothing and is taken for symmetry)."""
    del local
    from dataclasses import asdict

    from ypovoli.codes import CODES, markdown_table

    if write_docs:
        from .handlers import ROOT

        path = ROOT / "docs" / "codes.md"
        text = path.read_text(encoding="utf-8")
        head, rest = text.split(CODES_BEGIN, 1)
        tail = rest.split(CODES_END, 1)[1]
        path.write_text(f"{head}{CODES_BEGIN}\n{markdown_table()}{CODES_END}{tail}", encoding="utf-8")
        console.print(f"wrote {len(CODES)} codes to {path}")
        return

    def show() -> None:
        if console.width < 120:   # a narrow terminal: one block a code, nothing cut
            for code in CODES:
                console.print(f"[bold]{code.code}[/bold]  {code.severity} · {code.area}")
                console.print(f"  {code.message_el}", markup=False, overflow="fold")
                console.print(f"  {code.message_en}", markup=False, overflow="fold", style="dim")
            return
        table = Table(title="ypovoli codes")
        table.add_column("code", no_wrap=True)
        for column in ("sev", "area", "Ελληνικά", "English"):
            table.add_column(column, overflow="fold")
        for code in CODES:
            table.add_row(code.code, code.severity, code.area, code.message_el, code.message_en)
        console.print(table)

    emit(as_json, [asdict(code) for code in CODES], show)


@app.command()
def version() -> None:
    """Print the version."""
    from ypovoli import __version__

    console.print(f"ypovoli {__version__}")


def main() -> None:
    app()
