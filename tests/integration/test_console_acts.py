"""Issue 33 §5, §6: acting from the console — cancel a transmitted invoice (after a confirmation), send
the corrected document of a rejected one, acknowledge a sweep's flag — each in the audit trail with
who did it; people invited by the tenant's admin with a role, a viewer who cannot act, and a sign-out
of every session."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote_plus

from tests.factories import invoice
from tests.integration.conftest import World
from tests.integration.test_api import call
from tests.integration.test_console import PASSWORD, page, sign_in
from tests.integration.test_transmit import run_transmitter


def csrf_of(html: str) -> str:
    return re.findall(r'name="csrf" value="([^"]+)"', html)[0]


def post(path: str, session: str, html_with_csrf: str, **fields: str) -> tuple[int, dict[str, object], str]:
    body = "&".join(f"{k}={quote_plus(v)}" for k, v in {"csrf": csrf_of(html_with_csrf), **fields}.items())
    return page("POST", path, session, body)


def test_an_officer_cancels_a_transmitted_invoice_after_a_confirmation_and_the_trail_says_who(world: World) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="X-1"))
    run_transmitter(sent["id"])
    own = page("GET", f"/console/submissions/{sent['id']}", session)[2]
    assert "data-cancel" in own
    status, _, confirm = page("GET", f"/console/submissions/{sent['id']}/cancel", session)
    assert status == 200 and "CancelInvoice" in confirm
    status, headers, _ = post(f"/console/submissions/{sent['id']}/cancel", session, confirm)
    assert status == 303 and str(headers["Location"]).endswith("?cancel=done"), headers
    assert world.deps.index.get_submission("acme", sent["id"]).status.value == "cancelled"
    [entry] = [e for e in world.deps.console_users.audit_trail("acme") if e.action == "cancel"]
    assert entry.who == "officer@acme.gr" and entry.target == sent["id"]
    people = page("GET", "/console/people", session)[2]
    assert 'data-action="cancel"' in people and "officer@acme.gr" in people


def test_the_corrected_document_of_a_rejected_one_is_sent_from_its_page(world: World) -> None:
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="X-2"))
    world.simulator.configure("up", answer_next={"count": 1, "with": "rejected", "code": "203"})
    run_transmitter(sent["id"])
    own = page("GET", f"/console/submissions/{sent['id']}", session)[2]
    assert ("data-correct" in own and "&#34;X-2&#34;" in own) or '"X-2"' in own
    corrected = invoice(aa="X-2")
    corrected["counterpart"]["vatNumber"] = "090000045"
    import json

    status, headers, _ = post(f"/console/submissions/{sent['id']}/correct", session, own,
                              document=json.dumps(corrected, ensure_ascii=False))
    assert status == 303, headers
    new_id = str(headers["Location"]).rsplit("/", 1)[-1]
    assert new_id != sent["id"] and world.deps.index.get_submission("acme", new_id).supersedes == sent["id"]
    assert [e for e in world.deps.console_users.audit_trail("acme") if e.action == "correct"]


def test_a_viewer_reads_but_cannot_act_and_an_admin_invites_and_signs_out_everywhere(world: World) -> None:
    world.deps.console_users.put_user("acme", "admin@acme.gr", PASSWORD, datetime.now(UTC))
    _, admin = sign_in(world, "admin@acme.gr")
    people = page("GET", "/console/people", admin)[2]
    status, _, invited = post("/console/people", admin, people, email="viewer@acme.gr", role="viewer")
    assert status == 200, invited
    password = re.findall(r"<code data-password>([^<]+)</code>", invited)[0]
    _, viewer = sign_in(world, "viewer@acme.gr", password)
    assert viewer
    _, sent = call("POST", "/v1/invoices", body=invoice(aa="X-3"))
    run_transmitter(sent["id"])
    own = page("GET", f"/console/submissions/{sent['id']}", viewer)[2]
    assert "data-cancel" not in own
    confirm = page("GET", f"/console/submissions/{sent['id']}/cancel", viewer)[2]
    status, _, _ = post(f"/console/submissions/{sent['id']}/cancel", viewer, confirm)
    assert status == 403
    assert world.deps.index.get_submission("acme", sent["id"]).status.value == "transmitted"
    assert "viewer@acme.gr" in page("GET", "/console/people", admin)[2]
    # Sign out everywhere: both of the admin's sessions end at once.
    _, second = sign_in(world, "admin@acme.gr")
    status, _, _ = post("/console/sign-out-everywhere", admin, page("GET", "/console/people", admin)[2])
    assert status == 303
    assert page("GET", "/console", admin)[0] == 303 and page("GET", "/console", second)[0] == 303


def test_a_sweep_s_flag_is_acknowledged_with_a_note_and_stays_until_judged_again(world: World) -> None:
    from ypovoli.findings import Severity
    from ypovoli.models.compliance import ComplianceItem
    from ypovoli.store.compliance import Flag

    from tests.factories import ISSUER

    now = world.clock.now()
    world.deps.flags.replace("acme", ISSUER, "day#2026-12-01#123456783#", [Flag(
        "day#2026-12-01#123456783#missing-end", ComplianceItem(
            kind="ergani_workcard", code="ERGANI-DEVIATION", severity=Severity.WARNING,
            subject="123456783 2026-12-01", due_at=now, message_el="λείπει η λήξη", message_en="the end is missing"))],
        now)
    world.deps.console_users.put_user("acme", "officer@acme.gr", PASSWORD, datetime.now(UTC))
    _, session = sign_in(world)
    business = page("GET", f"/console/businesses/{ISSUER}", session)[2]
    flag = re.findall(r'name="flag" value="([^"]+)"', business)[0]
    status, headers, _ = post(f"/console/businesses/{ISSUER}/flags", session, business, flag=flag,
                              note="Ξέχασε να χτυπήσει· το επιβεβαίωσε ο προϊστάμενος.")
    assert status == 303 and str(headers["Location"]).endswith("?ack=done")
    again = page("GET", f"/console/businesses/{ISSUER}", session)[2]
    assert "data-acknowledged" in again and "officer@acme.gr" in again and "Ξέχασε να χτυπήσει" in again
    [item] = [i for i in call("GET", f"/v1/businesses/{ISSUER}/compliance")[1]["items"] if i.get("flag")]
    assert item["acknowledged_by"] == "officer@acme.gr"
    assert [e for e in world.deps.console_users.audit_trail("acme") if e.action == "acknowledge"]
