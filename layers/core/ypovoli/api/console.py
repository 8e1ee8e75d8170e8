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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Response

from .. import clock
from ..deadlines import athens_date, athens_text
from ..kinds import registry
from ..templates_env import template
from .console_text import texts
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
            "money": console.money, "item_link": console.item_link}


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


@dataclass(frozen=True)
class ConsoleParts:
    """What a kind's console pages are built with (``registry.CONSOLE``): the same blueprint, session,
    forms, pages and audit trail as the console's own."""

    api: Api
    bp: Blueprint
    page: Callable[..., Response]
    redirect: Callable[..., Response]
    current: Callable[[], Session | None]
    form: Callable[..., dict[str, str]]
    shown_month: Callable[[], str]
    absent: Callable[[Session], Response]
    acting: Callable[[dict[str, str]], tuple[Session | None, Response | None]]
    trail: Callable[..., None]
    refreshed: Callable[[Session, str], None]
    own_submission: Callable[[Session, str], Any]
    base: Callable[[], str]


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
        body = _template(name).render(t=texts()[language], lang=language, session=session, now=clock.now(),
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
        return page("business", session=session, business=shown, fragments=registry.BUSINESS_PAGE,
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
                    kinds=list(console.kind_names()), statuses=list(console.STATUS_NAMES), here=here,
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

    @bp.route("/console/outages", methods=["GET"])
    def outages() -> Response:
        session = current()
        if session is None:
            return redirect("/console/sign-in")
        from ..services import console
        month = shown_month()
        shown = console.outages(api.deps, session.tenant, api.managed_afms(session.tenant), month)
        return page("outages", session=session, shown=shown, month=month, here=f"/console/outages?month={month}")

    parts = ConsoleParts(api=api, bp=bp, page=page, redirect=redirect, current=current, form=form,
                         shown_month=shown_month, absent=absent, acting=acting, trail=trail, refreshed=refreshed,
                         own_submission=own_submission, base=base)
    for kind_routes in registry.console_routes():   # each kind's own pages and acts (kinds/<kind>/console.py)
        kind_routes(parts)
    return bp
