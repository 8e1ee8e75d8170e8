"""The console without a browser (issue 15 §3): sign-in separate from API keys, the session's
cookie flags, CSRF on every form, sign-out that ends the session, pages scoped by tenant exactly as
the API is. (tests/e2e/test_console_browser.py drives the same pages in Chromium.)"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ypovoli_local.ergani_simulator import ErganiSimulator
from ypovoli_local.front import gateway_call, new_gateway
from ypovoli_local.handlers import load_function

from tests.factories import ISSUER, OTHER_AFM, invoice
from tests.integration.conftest import KEYS, World
from tests.integration.test_api import call

PASSWORD = "correct horse battery staple"


def page(method: str, path: str, cookie: str = "", body: str | None = None) -> tuple[int, dict[str, object], str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    status, out, raw = gateway_call(new_gateway(load_function("api").app), method, path, headers,
                                    body.encode() if body is not None else None)
    return status, out, raw.decode()


def set_cookies(headers: dict[str, object]) -> list[str]:
    value = headers.get("Set-Cookie") or headers.get("set-cookie") or []
    return value if isinstance(value, list) else [str(value)]


def sign_in(world: World, email: str = "officer@acme.gr", password: str = PASSWORD) -> tuple[int, str]:
    status, headers, html = page("GET", "/console/sign-in")
    assert status == 200
    [csrf] = re.findall(r'name="csrf" value="([^"]+)"', html)
    signin_cookie = set_cookies(headers)[0].split(";")[0]
    status, headers, _ = page("POST", "/console/sign-in", signin_cookie,
                              f"csrf={csrf}&email={email}&password={password.replace(' ', '+')}")
    session = next((c.split(";")[0] for c in set_cookies(headers) if c.startswith("ypv_session=")), "")
    return status, session


def test_sign_in_gives_a_strict_httponly_cookie_and_pages_scoped_by_tenant(world: World) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    assert page("GET", "/console")[0] == 303   # signed out: to the sign-in page
    status, session = sign_in(world)
    assert status == 303 and session
    status, _, _ = page("POST", "/console/sign-in", "", "csrf=x&email=officer@acme.gr&password=x")
    assert status == 401   # no CSRF cookie, no session
    status, _, html = page("GET", "/console", session)
    assert status == 200 and ISSUER in html and OTHER_AFM not in html
    assert KEYS["acme"] not in html and "x-api-key" not in html   # no key anywhere in a page
    status, _, mine = page("GET", f"/console/businesses/{ISSUER}", session)
    assert status == 200 and ISSUER in mine
    other_status, _, other = page("GET", f"/console/businesses/{OTHER_AFM}", session)
    absent_status, _, absent = page("GET", "/console/businesses/999999999", session)
    assert other_status == absent_status == 404 and other == absent   # not yours = absent
    _, theirs = call("POST", "/v1/invoices", body=invoice(aa="C-1", issuer=OTHER_AFM), key=KEYS["other"])
    assert page("GET", f"/console/submissions/{theirs['id']}", session)[2] == absent


def test_the_session_cookie_flags_and_sign_out_with_csrf(world: World) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    status, headers, html = page("GET", "/console/sign-in")
    [csrf] = re.findall(r'name="csrf" value="([^"]+)"', html)
    status, headers, _ = page("POST", "/console/sign-in", set_cookies(headers)[0].split(";")[0],
                              f"csrf={csrf}&email=officer@acme.gr&password={PASSWORD.replace(' ', '+')}")
    assert status == 303
    [cookie] = [c for c in set_cookies(headers) if c.startswith("ypv_session=")]
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= flags and "SameSite=Strict" in cookie
    session = cookie.split(";")[0]
    _, _, html = page("GET", "/console", session)
    [form_csrf] = re.findall(r'name="csrf" value="([^"]+)"', html)
    page("POST", "/console/sign-out", session, "csrf=forged")
    assert page("GET", "/console", session)[0] == 200   # a forged sign-out does nothing
    page("POST", "/console/sign-out", session, f"csrf={form_csrf}")
    assert page("GET", "/console", session)[0] == 303   # the session is over, server-side


def test_a_wrong_password_and_an_unknown_person_look_the_same(world: World) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    assert sign_in(world, password="wrong password!!")[1] == ""
    assert sign_in(world, email="nobody@acme.gr")[1] == ""
    assert world.deps.console_users.remove_user("officer@acme.gr")


def test_a_submission_page_shows_its_timeline_findings_receipt_and_downloads(world: World) -> None:
    from tests.integration.test_transmit import run_transmitter

    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="C-2"))
    run_transmitter(sent["id"])
    status, _, html = page("GET", f"/console/submissions/{sent['id']}", session)
    assert status == 200 and 'data-status="transmitted"' in html
    assert "original.json" in html and "report.json" in html and "ΜΑΡΚ" in html
    # It leads with the document itself (issue 33 §2): number, date, counterpart, amounts.
    document = html[html.index('<dl class="document">'):html.index("</dl>")]
    assert "C-2" in document and "090000045" in document and "124.00 €" in document
    assert html.index('<dl class="document">') < html.index('data-status="transmitted"')
    # every file of the dossier, in the order it was written: what came in, the findings, the attempt
    files = html[html.index("Αρχεία"):]
    assert files.index("original.json") < files.index("report.json") < files.index("attempts/1.json")
    timeline = html[html.index("Χρονολόγιο"):html.index("Ευρήματα")]
    assert timeline.index("σε ουρά") < timeline.index("διαβιβάστηκε")   # the timeline, in order
    status, headers, _ = page("GET", f"/console/language/en?next=/console/submissions/{sent['id']}", session)
    assert status == 303 and headers["Location"] == f"/console/submissions/{sent['id']}"
    lang = next(c.split(";")[0] for c in set_cookies(headers) if c.startswith("ypv_lang="))
    english = page("GET", f"/console/submissions/{sent['id']}", f"{session}; {lang}")[2]
    assert "Timeline" in english and 'lang="en"' in english and "Series / number" in english
    assert page("GET", "/console/language/en?next=https://evil.example/", session)[1]["Location"] == "/console"
    status, _, outages = page("GET", "/console/outages", session)
    assert status == 200 and 'data-link="up"' in outages and "myDATA" in outages


def test_a_rejected_document_shows_its_reason_on_every_page_until_its_correction(world: World) -> None:
    """Issue 30 §4: the overview counts it, the business page lists it with AADE's reason, its page
    says what to do and links the correction once one is sent."""
    from decimal import Decimal

    from tests.factories import multi_line_invoice
    from tests.integration.test_transmit import run_transmitter

    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="C-9"))
    world.simulator.configure("up", answer_next={"count": 1, "with": "rejected", "code": "203"})
    run_transmitter(sent["id"])
    overview = page("GET", "/console", session)[2]
    assert "απορρίφθηκε" in overview
    business = page("GET", f"/console/businesses/{ISSUER}", session)[2]
    assert sent["id"] in business and "203" in business and "UPSTREAM-REJECTED" in business
    own = page("GET", f"/console/submissions/{sent['id']}", session)[2]
    assert 'data-status="rejected"' in own and "Διορθώστε το έγγραφο" in own and "203" in own
    _, fixed = call("POST", "/v1/invoices", body=multi_line_invoice([(Decimal("50.00"), 1)], aa="C-9"))
    own = page("GET", f"/console/submissions/{sent['id']}", session)[2]
    assert fixed["id"] in own and "Διορθώστε το έγγραφο" not in own
    assert sent["id"] in page("GET", f"/console/submissions/{fixed['id']}", session)[2]


def test_a_pske_request_has_its_page_under_its_business_and_records_the_audit_letter(world: World) -> None:
    """Issue 31 §3 (the console): the request's page shows its cuts and findings and carries the audit
    letter's form (CSRF-checked); what it records is what later requests count."""
    import re as _re
    from decimal import Decimal

    from ypovoli.kinds.pske.store import PskeStore

    from tests.pske_factory import clean_request

    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    data = clean_request()
    data["afm"] = ISSUER
    status, dossier = call("POST", "/v1/dossiers", body=data)
    assert status == 201, dossier
    business = page("GET", f"/console/businesses/{ISSUER}", session)[2]
    assert f"/console/dossiers/{dossier['id']}" in business and "ΚΡ-12345" in business
    status, _, html = page("GET", f"/console/dossiers/{dossier['id']}", session)
    assert status == 200 and "Επιστολή ελέγχου" in html and 'data-status="accepted"' in html
    csrf = set(_re.findall(r'name="csrf" value="([^"]+)"', html)).pop()   # the session's one token, on every form
    body = f"csrf={csrf}&reference=ΕΦΔ+9&date=2026-11-30&expenses=E1+1.000,00%0AE2+319,80&invoices="
    status, headers, _ = page("POST", f"/console/dossiers/{dossier['id']}/audit", session, body)
    assert status == 303 and headers["Location"].endswith("audit=saved"), headers
    certified = world.deps.store(PskeStore).history(ISSUER, "ΚΡ-12345").certified
    assert certified == {"E1": Decimal("1000"), "E2": Decimal("319.80")}
    assert "καταχωρίστηκε" in page("GET", headers["Location"], session)[2]
    # A forged form (no CSRF) records nothing; a line that is no «code amount» is refused, said on the page.
    status, headers, _ = page("POST", f"/console/dossiers/{dossier['id']}/audit", session, "expenses=E1+1")
    assert status == 303 and headers["Location"] == "/console/sign-in"
    status, headers, _ = page("POST", f"/console/dossiers/{dossier['id']}/audit", session,
                              f"csrf={csrf}&expenses=E1+lots")
    assert headers["Location"].endswith("audit=refused")
    # Another tenant's officer finds nothing there.
    world.deps.console_users.put_user("other", "officer@other.gr", PASSWORD, datetime.now(UTC))
    _, theirs = sign_in(world, "officer@other.gr")
    assert page("GET", f"/console/dossiers/{dossier['id']}", theirs)[0] == 404


def test_an_employer_page_says_the_card_regime_and_prints_the_incident_notice_in_athens_time(
        world: World, ergani_simulator: ErganiSimulator) -> None:
    """Issue 32 §4, §5: the business page says whether the employer is in the card regime (ERGANI's flag,
    read by the staff import) and shows each ERGANI incident with the notice to the Labour Inspectorate."""
    from ypovoli.clock import ATHENS
    from ypovoli_local.ergani_simulator import demo_employers

    ergani_simulator.configure("up")
    with ergani_simulator.state.lock:
        ergani_simulator.state.employers = demo_employers()
        ergani_simulator.state.default_employer = ISSUER
    assert call("POST", f"/v1/businesses/{ISSUER}/employees/import")[0] == 200
    start = world.clock.now()
    world.deps.incidents.held("ergani", "acme", ISSUER, start, "s-1", start, "ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783)")
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    status, _, html = page("GET", f"/console/businesses/{ISSUER}", session)
    assert status == 200, html
    assert 'data-card-regime="True"' in html and "IsInCardSector" in html
    assert "Προς την Επιθεώρηση Εργασίας" in html and start.astimezone(ATHENS).strftime("%d/%m/%Y %H:%M") in html
    notice = html.split('<pre lang="el"', 1)[1].split("</pre>", 1)[0]
    assert "ΠΑΠΑΔΟΠΟΥΛΟΣ ΙΩΑΝΝΗΣ (123456783)" in notice and "+00:00" not in notice and "T" not in notice[:40]


def test_the_submissions_page_finds_by_number_mark_protocol_employee_and_project_and_exports_csv(
        world: World, ergani_simulator: ErganiSimulator) -> None:
    """Issue 33 §1: one page over every kind — a search box (series/number, MARK, protocol, employee ΑΦΜ or
    surname, project code) and filters, backed by index entries, the rows as CSV; another office's
    documents never found."""
    from tests.ergani_factory import card_event, workcard
    from tests.integration.test_transmit import run_transmitter
    from tests.pske_factory import clean_request

    ergani_simulator.configure("up")
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="7301"))
    run_transmitter(sent["id"])
    mark = world.deps.index.get_submission("acme", sent["id"]).receipt.mark
    _, card = call("POST", "/v1/workcards", body=workcard(card_event("start", world.clock.now()), employer=ISSUER))
    run_transmitter(card["id"])
    protocol = world.deps.index.get_submission("acme", card["id"]).receipt.protocol
    dossier = clean_request()
    dossier["afm"] = ISSUER
    _, filed = call("POST", "/v1/dossiers", body=dossier)

    def found(q: str, **filters: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"q": q, **filters}.items() if v)
        status, _, html = page("GET", f"/console/submissions?{query}", session)
        assert status == 200, html
        return html

    for q in ("Α-7301", "7301", str(mark)):
        assert f'data-id="{sent["id"]}"' in found(q), q
    for q in (protocol, "123456783", "παπαδοπουλος"):
        assert f'data-id="{card["id"]}"' in found(q.replace(" ", "+")), q
    assert f'data-id="{filed["id"]}"' in found("ΚΡ-12345")
    listed = found("", kind="ergani_workcard")
    assert f'data-id="{card["id"]}"' in listed and f'data-id="{sent["id"]}"' not in listed
    assert f'data-id="{sent["id"]}"' not in found("", status="rejected")
    status, headers, csv = page("GET", "/console/submissions.csv?q=7301", session)
    assert status == 200 and str(headers["Content-Type"]).startswith("text/csv") and "Α-7301" in csv
    assert str(mark) in csv and sent["id"] in csv
    # Another office finds nothing of acme's, by any term.
    world.deps.console_users.put_user("other", "officer@other.gr", PASSWORD, datetime.now(UTC))
    _, theirs = sign_in(world, "officer@other.gr")
    for q in ("7301", str(mark), "123456783", "ΚΡ-12345"):
        html = page("GET", f"/console/submissions?q={q}", theirs)[2]
        assert sent["id"] not in html and card["id"] not in html and filed["id"] not in html, q


def test_an_employer_s_month_of_deviations_has_its_console_page(world: World) -> None:
    """Issue 33 §4: the month's declared days against the card, per employee, under the business."""
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    status, _, html = page("GET", f"/console/businesses/{ISSUER}/deviations?month=2026-11", session)
    assert status == 200 and "Ανά εργαζόμενο" in html and 'value="2026-11"' in html
    assert page("GET", f"/console/businesses/{OTHER_AFM}/deviations", session)[0] == 404
