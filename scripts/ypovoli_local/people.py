"""``ypovoli submit | status | upload-dossier | validate``: the commands for people at a terminal — an
office's clerk, an integrator trying things — as opposed to the operators' ``tenants``, ``keys`` and
``dlq``. Tables and progress bars by rich; every refusal one line, in the API's own words."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from .client import Answer, Client, ClientError, Target, find, resolve

#: A terminal's own width; piped into a file or another program, wide enough that an id, a kind and a
#: status are never cut (rich would assume 80 columns).
console = Console() if sys.stdout.isatty() else Console(width=200)

URL = typer.Option(None, "--url", envvar="YPOVOLI_URL", help="ypovoli's address (the local stack: http://127.0.0.1:8000)")
KEY = typer.Option(None, "--key", envvar="YPOVOLI_KEY", help="your API key")
PROFILE = typer.Option(None, "--profile", envvar="YPOVOLI_PROFILE",
                       help="a \\[section] of ~/.config/ypovoli/profiles.toml (url = …, key = …); default: "
                            "\\[default]")
FILES = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                       help="JSON invoices, ERGANI documents or ΠΣΚΕ requests, AADE InvoicesDoc XML")
ZIP = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                     help="the zipped folder, «<project code>_<request type>.zip»")
AFM = typer.Option(..., "--afm", help="the business's ΑΦΜ")
AFM_OPTIONAL = typer.Option(None, "--afm", help="for a zip: the business's ΑΦΜ")
PROJECT = typer.Option(None, "--project", help="the project's code (default: from the zip's name)")
REQUEST_TYPE = typer.Option(None, "--request-type", help="e.g. ΕΝΔΙΑΜΕΣΟ, ΤΕΛΙΚΟ (default: from the zip's name)")
WAIT = typer.Option(120, "--wait", help="seconds to wait for the report (0: do not wait)")
SUBMIT_WAIT = typer.Option(15.0, "--wait", help="seconds to wait for the upstream's answer (transmitted or "
                           "rejected) before showing the table; 0: show what intake said")
AS_OF = typer.Option(None, "--as-of", help="judge deadlines as of this moment (ISO date or date-time, Athens "
                     "time when it has no offset); default: now")


LIST_AFMS = typer.Option([], "--afm", help="a business's ΑΦΜ (repeat; default: every one you manage)")
LOCAL = typer.Option(False, "--local", help="the local stack (`make run`): --url defaults to http://127.0.0.1:8000")
JSON = typer.Option(False, "--json", help="print JSON instead of tables")


def _fit() -> None:
    """A terminal's own width; piped, COLUMNS if set, else wide enough that nothing is cut."""
    if not sys.stdout.isatty():
        columns = os.environ.get("COLUMNS", "")
        console.width = int(columns) if columns.isdigit() else 200


def _client(url: str | None, key: str | None, profile: str | None, local: bool = False) -> Client:
    from .where import DEFAULT_LOCAL_URL, is_loopback

    _fit()
    if local and not is_loopback(url):
        url = DEFAULT_LOCAL_URL
    try:
        return Client(resolve(url, key, profile))
    except ClientError as exc:
        console.print(str(exc), style="red", markup=False)
        raise typer.Exit(2) from None


def _codes(findings: list[dict[str, Any]]) -> str:
    return ", ".join(f"{f.get('code')}{'' if f.get('severity') == 'error' else ' (' + str(f.get('severity')) + ')'}"
                     for f in findings) or "—"


@dataclass
class Sent:
    """What became of one file: its answer, and every finding with its message."""

    file: str
    kind: str
    ident: str
    status: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    fine: dict[str, Any] | None = None
    #: The route to read it back from (JSON answers only), while it may still change.
    route: str = ""

    @property
    def failed(self) -> bool:
        return self.status in ("invalid", "rejected", "not sent") or self.status.startswith("HTTP") \
            or "ValidationError" in self.status or "XMLSyntaxError" in self.status


def _finding(code: str, severity: str, message_en: str, message_el: str = "", path: str = "") -> dict[str, Any]:
    return {"code": code, "severity": severity, "message_en": message_en, "message_el": message_el, "path": path}


def _outcome(path: Path, kind: str, route: str, got: Answer) -> Sent:
    """One submission's answer, JSON or AADE's ResponseDoc, with every finding's message."""
    if route == "/v1/mydata/SendInvoices":
        from lxml import etree

        try:
            root = etree.fromstring(got.data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            text = got.data[:300].decode("utf-8", "replace")
            return Sent(path.name, kind, "", f"HTTP {got.status}", [_finding("HTTP", "error", text)])
        statuses = [e.text or "" for e in root.iter("{*}statusCode")]
        marks = [e.text or "" for e in root.iter("{*}invoiceMark")]
        errors = [_finding(e.findtext("{*}code") or "", "error", e.findtext("{*}message") or "")
                  for e in root.iter("{*}error")]
        return Sent(path.name, kind, ", ".join(marks), ", ".join(sorted(set(statuses))), errors)
    body = got.json() or {}
    status = str(body.get("status") or f"HTTP {got.status}")
    if got.status >= 400 and status not in ("invalid",):
        status = f"HTTP {got.status} {status}"
    findings = list(body.get("findings") or [])
    if not findings and got.status >= 400:
        findings = [_finding(str(body.get("code") or got.status), "error", str(body.get("message_en") or ""),
                             str(body.get("message_el") or ""))]
    return Sent(path.name, kind, str(body.get("id") or ""), status, findings, body.get("fine_exposure"),
                route if got.status == 202 else "")


#: Statuses a submission leaves on its own within seconds (the queue's worker is at it).
PASSING = ("accepted", "transmitting")


def _follow(client: Client, sent: list[Sent], wait_s: float) -> None:
    """Read each accepted submission back until it is past ``accepted`` / ``transmitting`` (transmitted,
    rejected, deferred…) or ``wait_s`` is over: a rejection is the file's outcome too."""
    deadline = time.monotonic() + wait_s
    pending = [s for s in sent if s.route and s.ident and s.status in PASSING]
    with console.status("waiting for the upstream's answer"):
        while pending and time.monotonic() < deadline:
            time.sleep(0.5)
            for item in list(pending):
                got = client.call("GET", f"{item.route}/{item.ident}")
                if got.status != 200:
                    continue
                body = got.json() or {}
                item.status = str(body.get("status") or item.status)
                item.findings = list(body.get("findings") or item.findings)
                item.fine = body.get("fine_exposure") or item.fine
                if item.status not in PASSING:
                    pending.remove(item)


def _findings_table(sent: list[Sent]) -> Table | None:
    """Every finding of every file, its message in English and in Greek, and any fine exposure."""
    table = Table(title="findings", show_lines=True)
    table.add_column("file", overflow="fold", ratio=1)
    table.add_column("code", no_wrap=True)
    table.add_column("message", overflow="fold", ratio=3)
    rows = 0
    for item in sent:
        for f in item.findings:
            severity = "" if f.get("severity") == "error" else f" ({f.get('severity')})"
            where = f"{f['path']}: " if f.get("path") else ""
            message = f"{where}{f.get('message_en', '')}" + (f"\n{f['message_el']}" if f.get("message_el") else "")
            table.add_row(item.file, f"{f.get('code')}{severity}", message)
            rows += 1
        if item.fine:
            table.add_row(item.file, "fine exposure", f"€{item.fine.get('amount')}: {item.fine.get('basis_en', '')}"
                          f"\n{item.fine.get('basis_el', '')}")
            rows += 1
    return table if rows else None


def register(app: typer.Typer) -> None:
    @app.command()
    def submit(files: list[Path] = FILES, url: str | None = URL, key: str | None = KEY,
               profile: str | None = PROFILE, wait: float = SUBMIT_WAIT, local: bool = LOCAL,
               as_json: bool = JSON) -> None:
        """Send files to ypovoli — each to its route by what it is — with a progress bar, then wait up to
        --wait seconds for the upstream's answer and show what became of each, with every finding's
        message. Exit status 1 when a file was invalid or rejected. Sending a file again is safe: the same
        file carries the same Idempotency-Key."""
        from ypovoli.services.offline import identify

        client = _client(url, key, profile, local)
        sent: list[Sent] = []
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      console=console, transient=True, disable=as_json) as progress:
            task = progress.add_task("submitting", total=len(files))
            for path in files:
                data = path.read_bytes()
                what = identify(data)
                if what.findings:
                    sent.append(Sent(path.name, "?", "", "not sent",
                                     [f.model_dump(mode="json") for f in what.findings]))
                else:
                    try:
                        got = client.submit(what.route, data)
                    except ClientError as exc:
                        console.print(str(exc), style="red", markup=False)
                        raise typer.Exit(2) from None
                    sent.append(_outcome(path, what.kind, what.route, got))
                progress.advance(task)
        if wait > 0:
            try:
                _follow(client, sent, wait)
            except ClientError as exc:
                console.print(str(exc), style="red", markup=False)
        if as_json:
            print(json.dumps([{"file": i.file, "kind": i.kind, "id": i.ident, "status": i.status,
                               "findings": i.findings, "fine_exposure": i.fine} for i in sent],
                             ensure_ascii=False, indent=2))
            raise typer.Exit(1 if any(item.failed for item in sent) else 0)
        table = Table(title=f"submitted to {client.target.url}")
        for column in ("file", "kind", "id / MARK", "status"):
            # ids and statuses whole (a person copies them); file names and kinds fold to fit 80 columns
            table.add_column(column, overflow="fold", no_wrap=column in ("id / MARK", "status"))
        for item in sent:
            table.add_row(item.file, item.kind, item.ident, item.status, style="red" if item.failed else None)
        console.print(table)
        listed = _findings_table(sent)
        if listed is not None:
            console.print(listed)
        raise typer.Exit(1 if any(item.failed for item in sent) else 0)

    @app.command()
    def status(submission_id: str = typer.Argument(..., help="the id a submission was given"),
               url: str | None = URL, key: str | None = KEY, profile: str | None = PROFILE, local: bool = LOCAL,
               as_json: bool = JSON) -> None:
        """Where a submission (or ΠΣΚΕ dossier) stands: status, deadlines, receipt, findings."""
        client = _client(url, key, profile, local)
        try:
            found = find(client, submission_id)
        except ClientError as exc:
            console.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        if found is None:
            console.print(f"[red]no submission {submission_id} of yours[/red]")
            raise typer.Exit(1)
        if as_json:
            print(json.dumps(found[1], ensure_ascii=False, indent=2))
            return
        _show(found[1])

    @app.command("upload-dossier")
    def upload_dossier(zip_file: Path = ZIP, afm: str = AFM, project: str | None = PROJECT,
                       request_type: str | None = REQUEST_TYPE, wait: int = WAIT, url: str | None = URL,
                       key: str | None = KEY, profile: str | None = PROFILE, local: bool = LOCAL,
                       as_json: bool = JSON) -> None:
        """Upload a zipped Αίτημα Ελέγχου folder through a presigned POST (with progress), then wait for
        its report."""
        from ypovoli.kinds.pske.dropzone import split_zip_name

        client = _client(url, key, profile, local)
        named_project, named_type = split_zip_name(zip_file.name)
        project, request_type = project or named_project, request_type or named_type
        if not project or not request_type:
            console.print("[red]name the zip «<project code>_<request type>.zip», or give --project and "
                          "--request-type[/red]")
            raise typer.Exit(2)
        try:
            ticket = client.call("POST", "/v1/dossiers/uploads", _json({
                "afm": afm, "project_code": project, "request_type": request_type,
                "filename": f"{project}_{request_type}.zip"}), {"Content-Type": "application/json"})
            if ticket.status != 201:
                console.print(f"[red]refused ({ticket.status}): {_codes((ticket.json() or {}).get('findings') or [])}"
                              f" — {(ticket.json() or {}).get('message_en', '')}[/red]")
                raise typer.Exit(1)
            offer = ticket.json()
            data = zip_file.read_bytes()
            with Progress(TextColumn("uploading"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                          console=console, transient=True, disable=as_json) as progress:
                task = progress.add_task("upload", total=None)
                sent = client.upload(offer["upload"]["url"], offer["upload"]["fields"],
                                     f"{project}_{request_type}.zip", data,
                                     lambda n: progress.advance(task, n))
            if sent not in (200, 201, 204):
                console.print(f"[red]the drop folder refused the upload ({sent})[/red]")
                raise typer.Exit(1)
            if not as_json:
                console.print(f"uploaded {len(data):,} bytes as dossier {offer['id']}")
            dossier = _wait_for_report(client, offer["id"], wait)
        except ClientError as exc:
            console.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        if as_json:
            print(json.dumps(dossier, ensure_ascii=False, indent=2))
        else:
            _show(dossier)
        raise typer.Exit(1 if dossier.get("status") == "invalid" else 0)

    @app.command()
    def validate(files: list[Path] = FILES, afm: str | None = AFM_OPTIONAL, as_of: str | None = AS_OF,
                 as_json: bool = JSON) -> None:
        """Check files offline — the same parse, rules and official XSD as intake, no network — and list
        the findings. What only the service knows (duplicates, a project's earlier requests) is not
        checked. Exit status 1 when any file has an error."""
        from ypovoli import clock
        from ypovoli.findings import Severity
        from ypovoli.kinds.pske.files import validate_zip
        from ypovoli.services.offline import UNKNOWN_OFFLINE, identify, offline_settings, validate

        _fit()
        settings, now, failed = offline_settings(), _moment(as_of) if as_of else clock.now(), False
        checked: list[dict[str, Any]] = []
        table = Table(title="offline validation")
        for column in ("file", "kind", "code", "severity", "path", "message"):
            table.add_column(column, overflow="fold", no_wrap=column in ("kind", "code", "severity"))
        for path in files:
            data = path.read_bytes()
            if path.suffix.lower() == ".zip":
                if not afm:
                    console.print(f"[red]{path.name}: give the business's --afm to check a zip[/red]")
                    raise typer.Exit(2)
                kind, findings = "pske_upload", validate_zip(data, path.name, afm)
            else:
                what = identify(data)
                kind, findings = what.kind, validate(what, now, settings)
            failed |= any(f.severity is Severity.ERROR for f in findings)
            checked.append({"file": path.name, "kind": kind, "findings": [f.model_dump(mode="json") for f in findings]})
            if not findings:
                table.add_row(path.name, kind, "—", "ok", "", "")
            for f in findings:
                table.add_row(path.name, kind, f.code, f.severity.value, f.path, f"{f.message_en}\n{f.message_el}")
        if as_json:
            print(json.dumps({"files": checked, "not_checked_offline": UNKNOWN_OFFLINE[1]}, ensure_ascii=False,
                             indent=2))
        else:
            console.print(table)
            console.print(f"[dim]{UNKNOWN_OFFLINE[1]}[/dim]")
        raise typer.Exit(1 if failed else 0)

    @app.command("list")
    def listing(afm: list[str] = LIST_AFMS,
                kind: str | None = typer.Option(None, "--kind", help="one kind: mydata_invoice, ergani_workcard, "
                                                "ergani_wto_week, ergani_wto_daily, ergani_overtime, "
                                                "ergani_overtime_retro, ergani_leave"),
                status: str | None = typer.Option(None, "--status", help="e.g. overdue, rejected, deferred, "
                                                  "transmitted"),
                today: bool = typer.Option(False, "--today", help="only what was received today (Athens)"),
                since: str | None = typer.Option(None, "--since", help="received on or after this day (YYYY-MM-DD, "
                                                 "Athens)"),
                limit: int = typer.Option(200, "--limit", help="at most this many rows"),
                url: str | None = URL, key: str | None = KEY, profile: str | None = PROFILE, local: bool = LOCAL,
                as_json: bool = JSON) -> None:
        """Submissions by business and kind, newest first: today's (--today), the overdue or rejected
        (--status), of one kind (--kind)."""
        from ypovoli.clock import ATHENS
        from ypovoli.services.offline import routes as file_routes

        routes = {k: r for k, r in file_routes().items() if k not in ("pske_request", "mydata_invoices_doc")}
        if kind is not None and kind not in routes:
            console.print(f"[red]no kind {kind!r}: one of {', '.join(routes)}[/red]")
            raise typer.Exit(2)
        client = _client(url, key, profile, local)
        day = datetime.now(ATHENS).date()
        try:
            first = date.fromisoformat(since) if since else None
        except ValueError:
            console.print(f"[red]--since is a day, YYYY-MM-DD: {since!r}[/red]")
            raise typer.Exit(2) from None
        rows: list[dict[str, Any]] = []
        try:
            afms = afm or [b["afm"] for b in (client.call("GET", "/v1/businesses").json() or {}).get("items", [])]
            for one in afms:
                for name, route in routes.items():
                    if kind is not None and name != kind:
                        continue
                    path: str | None = f"{route}?afm={one}&limit=100" + (f"&status={status}" if status else "")
                    while path and len(rows) < limit:
                        got = client.call("GET", path)
                        if got.status != 200:
                            body = got.json() or {}
                            console.print(f"[red]{route}: HTTP {got.status} {body.get('message_en', '')}[/red]")
                            raise typer.Exit(1)
                        page = got.json() or {}
                        for item in page.get("items", []):
                            created = datetime.fromisoformat(str(item["created_at"]).replace("Z", "+00:00"))
                            received = created.astimezone(ATHENS).date()
                            if (today and received != day) or (first is not None and received < first):
                                continue
                            rows.append(item)
                        path = page.get("next")
        except ClientError as exc:
            console.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        rows.sort(key=lambda i: str(i["created_at"]), reverse=True)
        rows = rows[:limit]
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{len(rows)} submissions")
        table.add_column("received", no_wrap=True)
        table.add_column("ΑΦΜ", no_wrap=True)
        table.add_column("kind", overflow="fold")
        table.add_column("what", overflow="fold")
        table.add_column("status", no_wrap=True)
        table.add_column("id", overflow="fold")
        for item in rows:
            created = datetime.fromisoformat(str(item["created_at"]).replace("Z", "+00:00")).astimezone(ATHENS)
            summary = item.get("summary") or {}
            what = summary.get("document_number") or summary.get("names") or summary.get("code") or ""
            table.add_row(created.strftime("%d/%m %H:%M"), item["afm"], item["kind"], str(what), item["status"],
                          item["id"], style="red" if item["status"] in ("rejected", "overdue") else None)
        console.print(table)

def _moment(text: str) -> datetime:
    """``--as-of``: a date (that day at noon, Athens) or a date-time (Athens when it has no offset)."""
    from ypovoli.clock import ATHENS

    try:
        moment = datetime.fromisoformat(text if "T" in text or " " in text else f"{text}T12:00:00")
    except ValueError:
        raise typer.BadParameter(f"not an ISO date or date-time: {text!r}", param_hint="--as-of") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ATHENS)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _wait_for_report(client: Client, dossier_id: str, wait_s: int) -> dict[str, Any]:
    deadline = time.monotonic() + wait_s
    with console.status("waiting for the report"):
        while True:
            got = client.call("GET", f"/v1/dossiers/{dossier_id}").json() or {}
            if got.get("status") != "pending" or time.monotonic() >= deadline:
                return dict(got)
            time.sleep(1)


def _show(item: dict[str, Any]) -> None:
    table = Table(show_header=False, title=f"{item.get('kind', '')} {item.get('id', '')}")
    table.add_column("field", no_wrap=True)
    table.add_column("value", overflow="fold")   # a URL or a message whole, folded to the terminal
    for name in ("status", "afm", "due_at", "grace_until", "attempts", "report_url"):
        if item.get(name) not in (None, ""):
            table.add_row(name, str(item[name]))
    receipt = item.get("receipt") or {}
    for name in ("mark", "protocol", "qr_url", "transmission_failure", "late_justification", "cancelled_by_mark"):
        if receipt.get(name) is not None:
            table.add_row(f"receipt.{name}", str(receipt[name]))
    fine = item.get("fine_exposure") or {}
    if fine:
        table.add_row("fine_exposure", f"€{fine.get('amount')}: {fine.get('basis_en', '')}")
    for error in item.get("upstream_errors") or []:
        table.add_row("upstream_error", f"{error.get('code', '')} {error.get('message', '')}".strip())
    for name in ("supersedes", "superseded_by"):
        if item.get(name):
            table.add_row(name, str(item[name]))
    console.print(table)
    findings = item.get("findings") or []
    if findings:
        listed = Table(title="findings")
        for column in ("code", "severity", "path", "message"):
            listed.add_column(column, overflow="fold")
        for f in findings:
            listed.add_row(f["code"], f["severity"], f["path"], f"{f['message_en']}\n{f['message_el']}")
        console.print(listed)


__all__ = ["Target", "register"]


def register_ergani(app: typer.Typer) -> None:
    """``ypovoli ergani staff import|list AFM``: the employer's registry from ERGANI's current staff."""
    ergani_app = typer.Typer(help="ERGANI II: the employer's own data (ExecuteService)")
    staff_app = typer.Typer(help="The employer's registry of employees")
    ergani_app.add_typer(staff_app, name="staff")
    app.add_typer(ergani_app, name="ergani")

    def show(body: dict[str, Any]) -> None:
        employer = body.get("employer") or {}
        if employer:
            flag = employer.get("in_card_sector")
            regime = "unknown" if flag is None else ("yes" if flag else "no")
            console.print(f"{employer.get('name') or body.get('afm')} · ΚΑΔ {employer.get('main_kad') or '—'} · "
                          f"card regime (IsInCardSector): {regime} · branches "
                          f"{', '.join(employer.get('branches') or []) or '—'}", markup=False)
        table = Table(title=f"employees of {body.get('afm')}", show_lines=False)
        for column in ("ΑΦΜ", "name", "branch", "card", "h/week", "days", "break", "flex"):
            table.add_column(column, overflow="fold")
        for e in body.get("items") or []:
            brk = "—" if e.get("break_minutes") is None else \
                f"{e['break_minutes']}′ {'in' if e.get('break_within') else 'out'}"
            table.add_row(e["afm"], f"{e.get('surname', '')} {e.get('name', '')}".strip(), e.get("branch", ""),
                          "yes" if e.get("card") else "no", str(e.get("weekly_hours") or "—"),
                          str(e.get("week_days") or "—"), brk,
                          "—" if e.get("flex_minutes") is None else f"{e['flex_minutes']}′")
        console.print(table)
        for line in body.get("skipped") or []:
            console.print(f"[yellow]not read:[/yellow] {line}")

    def call(method: str, path: str, url: str | None, key: str | None, profile: str | None, local: bool = False,
             as_json: bool = False) -> None:
        client = _client(url, key, profile, local)
        try:
            got = client.call(method, path)
        except ClientError as exc:
            console.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        body = got.json() or {}
        if got.status != 200:
            console.print(f"HTTP {got.status} {body.get('code', '')}: {body.get('message_en', '')}", style="red",
                          markup=False)
            raise typer.Exit(1)
        if as_json:
            print(json.dumps(body, ensure_ascii=False, indent=2))
            return
        show(body)

    @staff_app.command("import")
    def staff_import(afm: str = typer.Argument(..., help="the employer's ΑΦΜ"), url: str | None = URL,
                     key: str | None = KEY, profile: str | None = PROFILE, local: bool = LOCAL,
                     as_json: bool = JSON) -> None:
        """Read the employer, its branches and current staff from ERGANI into ypovoli's registry
        (never ΑΜΚΑ, address or pay)."""
        call("POST", f"/v1/businesses/{afm}/employees/import", url, key, profile, local, as_json)

    @staff_app.command("list")
    def staff_list(afm: str = typer.Argument(..., help="the employer's ΑΦΜ"), url: str | None = URL,
                   key: str | None = KEY, profile: str | None = PROFILE, local: bool = LOCAL,
                   as_json: bool = JSON) -> None:
        """The employer's registry as ypovoli holds it."""
        call("GET", f"/v1/businesses/{afm}/employees", url, key, profile, local, as_json)
