"""The compliance console (issue 15): server-rendered pages for people, under ``/console``.

Sign-in is separate from integrators' API keys: a person's e-mail and password (``ypovoli
console-users add``), then a session whose token lives only in an HttpOnly, Secure, SameSite=Strict
cookie (never in a URL, the HTML or browser storage) and whose digest is kept server-side, so
sign-out ends it. Every form carries a CSRF token: the session's own once signed in, and before that
a double-submit cookie. Every page is scoped by the session's tenant exactly as the API is by the
key's: another tenant's ΑΦΜ or id gives the same page as an absent one.
"""

from __future__ import annotations

import hmac
import re
import secrets
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Response

from .. import clock
from ..deadlines import athens_date, athens_text
from ..templates_env import template
from .console_text import TEXT
from .context import Api, well_formed_id

if TYPE_CHECKING:
    from jinja2 import Template

    from ..store.console import Session

SESSION_COOKIE = "ypv_session"
SIGNIN_COOKIE = "ypv_signin"
LANG_COOKIE = "ypv_lang"
SESSION_LIFETIME = timedelta(hours=8)


def _globals() -> dict[str, object]:
    """What every page may call. The console's services are imported with its first page: an API
    cold start for an integrator's request pays none of them (issue 17 §2)."""
    from ..services import console

    return {"kind_name": console.kind_name, "status_name": console.status_name, "athens": athens_text,
            "code_name": console.code_name, "state_name": console.state_name, "outage_words": console.outage_words,
            "money": console.money}


def _template(name: str) -> Template:
    return template(f"console/{name}.html")


def _wall_now() -> datetime:
    """Sessions run on the wall clock, not the (movable) legal one: a demo that moves the stack's
    clock a day must not sign people out."""
    return datetime.now(UTC)


def _cookie(name: str, value: str, max_age: int, base: str = "") -> str:
    return f"{name}={value}; Path={base}/console; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"


#: A base path the console may be served under: the API stage («/Prod») or a reverse proxy's prefix.
BASE_PATH = re.compile(r"^(/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,4}$")


def base_path(context: dict[str, object], event_path: str, forwarded: str) -> str:
    """Where the console lives on this URL. API Gateway's own URL carries the stage: its
    requestContext.path is «/Prod/console/…» where the event's path is «/console/…» — the difference is
    the base. Without one (a custom domain, the local front) a reverse proxy's ``X-Forwarded-Prefix``
    (the local front sets it when serving under a base path); only a plain path is ever taken, so a
    forged header can send its sender nowhere but this host."""
    full = str(context.get("path") or "")
    if event_path and full.endswith(event_path) and len(full) > len(event_path):
        found = full[:-len(event_path)]
        return found if BASE_PATH.fullmatch(found) else ""
    prefix = forwarded.strip().rstrip("/")
    return prefix if prefix and BASE_PATH.fullmatch(prefix) else ""


def _amount_lines(text: str) -> dict[str, str]:
    """«E1 1000.00» (or «E1: 1.000,00») per line → {"E1": "1000.00"}; ``ValueError`` for a line that is not one."""
    from ..kinds.pske.rules import as_number

    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, amount = line.replace(":", " ").strip().rpartition(" ")
        number = as_number(amount.replace("€", ""))
        if not name.strip() or number is None:
            raise ValueError(line)
        out[name.strip()] = number
    return out


def console_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    def cookies() -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(api.header("cookie") or "")
        except Exception:  # an unreadable cookie header is no cookie
            return {}
        return {k: m.value for k, m in jar.items()}

    def lang() -> str:
        return "en" if cookies().get(LANG_COOKIE) == "en" else "el"

    def base() -> str:
        request = api.request()
        event_path = str(request.to_original_event().get("path") or "")
        return base_path(request.context or {}, event_path, str(api.header("x-forwarded-prefix") or ""))

    def page(name: str, status: int = 200, session: Session | None = None,
             headers: dict[str, str | list[str]] | None = None, here: str = "/console", **context: object) -> Response:
        language = lang()
        body = _template(name).render(t=TEXT[language], lang=language, session=session, now=clock.now(),
                                      here=here, base=base(), **_globals(), **context)
        return Response(body=body, status_code=status, headers={
            "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: "
                                       "https:; frame-ancestors 'none'; form-action 'self'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", **(headers or {})})

    def redirect(to: str, set_cookie: list[str] | None = None) -> Response:
        headers: dict[str, str | list[str]] = {"Location": base() + to, "Cache-Control": "no-store"}
        if set_cookie:
            headers["Set-Cookie"] = set_cookie
        return Response(body="", status_code=303, headers=headers)

    def current() -> Session | None:
        return api.deps.console_users.session(cookies().get(SESSION_COOKIE, ""), _wall_now())

    def form(limit: int = 8192) -> dict[str, str]:
        raw = api.raw_body()
        if len(raw) > limit:
            return {}
        parsed = urllib.parse.parse_qs(raw.decode(errors="replace"), keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items() if v}

    def shown_month() -> str:
        """``?month=YYYY-MM``, or this Athens month."""
        from ..services.reports import valid_month

        month = api.query().get("month", "")
        return month if valid_month(month) else athens_date(clock.now()).strftime("%Y-%m")

    def absent(session: Session) -> Response:
        return page("absent", 404, session, here="/console")

    # ---- sign-in ---------------------------------------------------------------------------------

    @bp.route("/console/sign-in", methods=["GET"])
    def sign_in_form() -> Response:
        token = secrets.token_urlsafe(24)
        return page("sign_in", csrf=token, error=False,
                    headers={"Set-Cookie": _cookie(SIGNIN_COOKIE, token, 1800, base())})

    @bp.route("/console/sign-in", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def sign_in() -> Response:
        data = form()
        expected = cookies().get(SIGNIN_COOKIE, "")
        tenant = None
        if expected and hmac.compare_digest(expected, data.get("csrf", "")):
            tenant = api.deps.console_users.verify(data.get("email", "")[:320], data.get("password", "")[:200])
        if tenant is None:
            token = secrets.token_urlsafe(24)
            return page("sign_in", 401, csrf=token, error=True,
                        headers={"Set-Cookie": _cookie(SIGNIN_COOKIE, token, 1800, base())})
        token, _ = api.deps.console_users.open_session(tenant, data["email"], _wall_now(), SESSION_LIFETIME)
        return redirect("/console", [_cookie(SESSION_COOKIE, token, int(SESSION_LIFETIME.total_seconds()), base()),
                                     _cookie(SIGNIN_COOKIE, "", 0, base())])

    @bp.route("/console/sign-out", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def sign_out() -> Response:
        session = current()
        if session is not None and hmac.compare_digest(session.csrf, form().get("csrf", "")):
            api.deps.console_users.close_session(cookies().get(SESSION_COOKIE, ""))
        return redirect("/console/sign-in", [_cookie(SESSION_COOKIE, "", 0, base())])

    @bp.route("/console/language/{code}", methods=["GET"])
    def language(code: str) -> Response:
        chosen = "en" if code == "en" else "el"
        back = api.query().get("next", "/console")
        if not back.startswith("/console") or "//" in back or "\\" in back:
            back = "/console"   # never an open redirect
        return redirect(back, [f"{LANG_COOKIE}={chosen}; Path={base()}/console; Secure; SameSite=Strict; "
                               "Max-Age=31536000"])

    # ---- pages -----------------------------------------------------------------------------------

    @bp.route("/console", methods=["GET"])
    def overview() -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console

        rows = console.overview(api.deps, session.tenant, api.managed_afms(session.tenant, fresh=True), clock.now(),
                                lang())
        return page("overview", session=session, rows=rows)

    @bp.route("/console/businesses/{afm}", methods=["GET"])
    def business(afm: str) -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        if afm not in api.managed_afms(session.tenant):
            return absent(session)
        from ..services import console

        shown = console.business(api.deps, session.tenant, afm, clock.now(), api.query().get("kind", "")[:40])
        kind = api.query().get("kind", "")
        return page("business", session=session, business=shown,
                    here=f"/console/businesses/{afm}" + (f"?kind={kind}" if shown.selected else ""))

    @bp.route("/console/submissions/{id}", methods=["GET"])
    def submission(id: str) -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console

        shown = console.submission(api.deps, session.tenant, id) if well_formed_id(id) else None
        if shown is None or shown.submission.afm not in api.managed_afms(session.tenant):
            return absent(session)
        return page("submission", session=session, shown=shown, here=f"/console/submissions/{id}")

    @bp.route("/console/dossiers/{id}", methods=["GET"])
    def dossier(id: str) -> Response:
        """A ΠΣΚΕ payment request: its stage, findings and likely cuts, and the form that records the
        authority's audit letter (what later requests of the project then count)."""
        from ..kinds.pske.store import PskeStore

        session = current()
        if session is None:
            return redirect("/console/sign-in")
        found = api.deps.store(PskeStore).get_dossier(session.tenant, id) if well_formed_id(id) else None
        if found is None or found[0].afm not in api.managed_afms(session.tenant):
            return absent(session)
        notice = {"saved": "audit_saved", "refused": "audit_refused"}.get(api.query().get("audit", ""), "")
        return page("dossier", session=session, dossier=found[0], notice=notice, here=f"/console/dossiers/{id}")

    @bp.route("/console/dossiers/{id}/audit", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def dossier_audit(id: str) -> Response:
        """The audit letter from the form: one «expense amount» per line (and «invoice-ref amount» lines),
        the letter's reference and date. Recorded as ``POST /v1/dossiers/{id}/audit`` records it."""
        from ..kinds.pske.store import PskeStore

        session, refused = acting(form())
        if session is None:
            return refused  # type: ignore[return-value]
        data = form()
        found = api.deps.store(PskeStore).get_dossier(session.tenant, id) if well_formed_id(id) else None
        if found is None or found[0].afm not in api.managed_afms(session.tenant):
            return absent(session)
        from pydantic import ValidationError

        from ..kinds.pske.model import AuditLetter

        view = found[0]
        try:
            letter = AuditLetter.model_validate({
                "reference": data.get("reference", ""), "date": data.get("date") or None,
                "expenses": _amount_lines(data.get("expenses", "")),
                "invoices": _amount_lines(data.get("invoices", ""))})
        except (ValidationError, ValueError):
            return redirect(f"/console/dossiers/{id}?audit=refused")
        from ..kinds.pske.dossiers import record_audit

        if record_audit(api.deps, view, letter) != []:   # None (not registered) or what it does not know
            return redirect(f"/console/dossiers/{id}?audit=refused")
        refreshed(session, view.afm)
        return redirect(f"/console/dossiers/{id}?audit=saved")

    def query() -> Any:
        from ..services.console import Query

        args = api.query()

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(args.get(name, "")[:10]) if args.get(name) else None
            except ValueError:
                return None

        return Query(q=args.get("q", "")[:80], afm=args.get("afm", "")[:9], kind=args.get("kind", "")[:40],
                     status=args.get("status", "")[:20], since=day("since"), until=day("until"))

    @bp.route("/console/submissions", methods=["GET"])
    def submissions() -> Response:
        """Every kind, found: filters and a search box (a number, a MARK, a protocol, an employee, a
        project code), the rows a CSV away."""
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console

        wanted = query()
        managed = api.managed_afms(session.tenant)
        rows = console.find_submissions(api.deps, session.tenant, managed, wanted)
        here = "/console/submissions?" + urllib.parse.urlencode(
            {k: v for k, v in api.query().items() if k in ("q", "afm", "kind", "status", "since", "until")})
        return page("submissions", session=session, rows=rows, query=wanted, afms=sorted(managed),
                    kinds=list(console.KIND_NAMES), statuses=list(console.STATUS_NAMES), here=here,
                    csv_link=here.replace("/console/submissions?", "/console/submissions.csv?", 1))

    @bp.route("/console/submissions.csv", methods=["GET"])
    def submissions_csv() -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console

        rows = console.find_submissions(api.deps, session.tenant, api.managed_afms(session.tenant), query())
        return Response(body="\ufeff" + console.csv_of(rows, lang()), status_code=200, headers={
            "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="ypovoli-submissions.csv"',
            "X-Content-Type-Options": "nosniff"})

    # ---- acting, with a confirmation and the audit trail --------------------------------------------

    def acting(data: dict[str, str]) -> tuple[Session | None, Response | None]:
        """The signed-in person, if this form is theirs (CSRF) and they may act; else the answer."""
        session = current()
        if session is None or not hmac.compare_digest(session.csrf, data.get("csrf", "")):
            return None, redirect("/console/sign-in")
        if not session.can_act:
            return None, page("forbidden", 403, session)
        return session, None

    def trail(session: Session, action: str, target: str, detail: str = "") -> None:
        api.deps.console_users.audit(session.tenant, session.email, action, target, detail, _wall_now())

    def refreshed(session: Session, afm: str) -> None:
        """An act changed the business: its summary is made anew now (the stream would, a moment later),
        so the page the officer lands on shows what was done."""
        from ..services import summaries

        summaries.refresh(api.deps, session.tenant, afm, clock.now())

    def own_submission(session: Session, id: str) -> Any:
        found = api.deps.index.get_submission(session.tenant, id) if well_formed_id(id) else None
        return found if found is not None and found.afm in api.managed_afms(session.tenant) else None

    @bp.route("/console/submissions/{id}/cancel", methods=["GET"])
    def cancel_confirm(id: str) -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        found = own_submission(session, id)
        if found is None:
            return absent(session)
        return page("confirm_cancel", session=session, sub=found, here=f"/console/submissions/{id}")

    @bp.route("/console/submissions/{id}/cancel", methods=["POST"],
              content_types=["application/x-www-form-urlencoded"])
    def cancel(id: str) -> Response:
        session, refused = acting(form())
        if session is None:
            return refused  # type: ignore[return-value]
        found = own_submission(session, id)
        if found is None or found.kind != "mydata_invoice":
            return absent(session)
        from ..kinds.mydata_invoice.cancel import cancel_submission
        from ..kinds.mydata_invoice.transmission import port_of

        outcome = cancel_submission(api.deps, port_of(api.deps, session.tenant), session.tenant, found)
        trail(session, "cancel", found.id, outcome.kind + (f": {outcome.error}" if outcome.error else ""))
        refreshed(session, found.afm)
        return redirect(f"/console/submissions/{id}?cancel={'done' if outcome.kind == 'cancelled' else 'refused'}")

    @bp.route("/console/submissions/{id}/correct", methods=["POST"],
              content_types=["application/x-www-form-urlencoded"])
    def correct(id: str) -> Response:
        """The corrected document of a rejected one, sent from the page: it takes over (supersedes)."""
        data = form(limit=512 * 1024)
        session, refused = acting(data)
        if session is None:
            return refused  # type: ignore[return-value]
        found = own_submission(session, id)
        if found is None or found.status.value != "rejected":
            return absent(session)
        import json as _json

        from ..kinds import registry
        from ..services.intake import accept

        raw = data.get("document", "").encode()
        try:
            payload = _json.loads(raw)
        except ValueError:
            return redirect(f"/console/submissions/{id}?correct=unreadable")
        outcome = accept(api.deps, registry.document_kind(found.kind), session.tenant,
                         api.managed_afms(session.tenant), payload, raw, "json")
        trail(session, "correct", found.id, f"{outcome.kind} {outcome.submission.id if outcome.submission else ''}")
        refreshed(session, found.afm)
        if outcome.submission is not None:
            return redirect(f"/console/submissions/{outcome.submission.id}")
        codes = ",".join(sorted({f.code for f in outcome.findings}))[:200]
        return redirect(f"/console/submissions/{id}?correct={outcome.kind}&codes={urllib.parse.quote(codes)}")

    @bp.route("/console/businesses/{afm}/flags", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def acknowledge(afm: str) -> Response:
        data = form()
        session, refused = acting(data)
        if session is None:
            return refused  # type: ignore[return-value]
        if afm not in api.managed_afms(session.tenant):
            return absent(session)
        key, note = data.get("flag", "")[:300], data.get("note", "").strip()[:500]
        done = bool(key and note) and api.deps.flags.acknowledge(session.tenant, afm, key, session.email, note,
                                                                  _wall_now())
        if done:
            trail(session, "acknowledge", f"{afm} {key}", note)
            refreshed(session, afm)
        return redirect(f"/console/businesses/{afm}?ack={'done' if done else 'refused'}")

    # ---- people ---------------------------------------------------------------------------------------

    @bp.route("/console/people", methods=["GET"])
    def people() -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        users = api.deps.console_users
        return page("people", session=session, people=users.people(session.tenant),
                    trail=users.audit_trail(session.tenant) if session.role == "admin" else [],
                    invited=None, here="/console/people")

    @bp.route("/console/people", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def invite() -> Response:
        data = form()
        session, refused = acting(data)
        if session is None:
            return refused  # type: ignore[return-value]
        if session.role != "admin":
            return page("forbidden", 403, session)
        users = api.deps.console_users
        email, role = data.get("email", "").strip().lower()[:320], data.get("role", "viewer")
        if data.get("remove"):
            target = data["remove"].strip().lower()
            if target != session.email and target in {p.email for p in users.people(session.tenant)}:
                users.remove_user(target)
                trail(session, "remove person", target)
            return redirect("/console/people")
        from ..store.console import ROLES

        if "@" not in email or role not in ROLES:
            return redirect("/console/people?invite=refused")
        password = secrets.token_urlsafe(12)
        try:
            users.put_user(session.tenant, email, password, _wall_now(), role)
        except Exception:   # another office's person already (the condition refused it)
            return redirect("/console/people?invite=refused")
        trail(session, "invite", email, role)
        return page("people", session=session, people=users.people(session.tenant),
                    trail=users.audit_trail(session.tenant), invited=(email, role, password), here="/console/people")

    @bp.route("/console/sign-out-everywhere", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def sign_out_everywhere() -> Response:
        session = current()
        if session is not None and hmac.compare_digest(session.csrf, form().get("csrf", "")):
            api.deps.console_users.sign_out_everywhere(session.email)
            trail(session, "sign out everywhere", session.email)
        return redirect("/console/sign-in", [_cookie(SESSION_COOKIE, "", 0, base())])

    @bp.route("/console/businesses/{afm}/uploads", methods=["POST"],
              content_types=["application/x-www-form-urlencoded"])
    def upload(afm: str) -> Response:
        """A ΠΣΚΕ zip from the browser: the request is opened (pending) and the page is the drop folder's
        presigned POST — the browser sends the file straight to S3, which sends it back to the request's
        page, where the report appears once the drop folder has read it."""
        from ..kinds.pske.store import PskeStore

        data = form()
        session, refused = acting(data)
        if session is None:
            return refused  # type: ignore[return-value]
        if afm not in api.managed_afms(session.tenant):
            return absent(session)
        import uuid
        from urllib.parse import urlsplit

        from pydantic import ValidationError

        from ..kinds.pske.api import MAX_UPLOAD_BYTES, UPLOAD_EXPIRES_S
        from ..kinds.pske.model import DossierView, UploadRequest
        from ..store.dossiers import dossier_prefix

        project, kind = data.get("project_code", "").strip(), data.get("request_type", "").strip()
        try:
            request = UploadRequest(afm=afm, project_code=project, request_type=kind, filename=f"{project}_{kind}.zip")
        except ValidationError:
            return redirect(f"/console/businesses/{afm}?upload=refused")
        now = clock.now()
        dossier_id = str(uuid.uuid4())
        view = DossierView(id=dossier_id, afm=afm, kind="pske_upload", status="pending",
                           project_code=request.project_code, request_type=request.request_type, created_at=now)
        api.deps.store(PskeStore).create_pending(session.tenant, view,
                                     dossier_prefix(session.tenant, afm, "pske_upload", now, dossier_id))
        scheme = str(api.header("x-forwarded-proto") or "http").split(",")[0].strip()
        host = str(api.header("host") or "")
        back = f"{scheme}://{host}{base()}/console/dossiers/{dossier_id}?uploaded=1"
        key = f"incoming/{session.tenant}/{afm}/{dossier_id}/{request.filename}"
        url, fields = api.deps.drops.presigned_upload(key, UPLOAD_EXPIRES_S, MAX_UPLOAD_BYTES, back)
        trail(session, "upload", dossier_id, f"{request.project_code} {request.request_type}")
        target = urlsplit(url)
        csp = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
               f"frame-ancestors 'none'; form-action 'self' {target.scheme}://{target.netloc}")
        return page("upload", session=session, afm=afm, view=view, url=url, fields=fields,
                    headers={"Content-Security-Policy": csp}, here=f"/console/businesses/{afm}")

    @bp.route("/console/businesses/{afm}/deviations", methods=["GET"])
    def deviations(afm: str) -> Response:
        """ERGANI: the month's declared days against the card, per employee (the deviation report)."""
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        if afm not in api.managed_afms(session.tenant):
            return absent(session)
        from ..kinds.ergani.deviation_report import build
        month = shown_month()
        report = build(api.deps, session.tenant, afm, month, clock.now())
        return page("deviations", session=session, report=report, month=month, afm=afm,
                    here=f"/console/businesses/{afm}/deviations?month={month}")

    @bp.route("/console/outages", methods=["GET"])
    def outages() -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console
        month = shown_month()
        shown = console.outages(api.deps, session.tenant, api.managed_afms(session.tenant), month)
        return page("outages", session=session, shown=shown, month=month, here=f"/console/outages?month={month}")

    return bp
