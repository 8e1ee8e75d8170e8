"""The console in a real browser (issue 15 §4): Debian's headless Chromium, driven by Selenium
through its chromedriver, against the local stack that ``make run`` starts. Sign in, watch an
outage turn an invoice amber and then green, open its dossier, switch language, fail to reach
another tenant's business — with a screenshot of every page under ``tests/artifacts/`` and
axe-core's WCAG 2 A/AA check on every page."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest

from tests.e2e.conftest import CONSOLE_PASSWORD, Stack
from tests.factories import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "tests" / "artifacts"
#: The screenshots the README shows (docs/console/), refreshed with YPOVOLI_UPDATE_SCREENSHOTS=1.
README_SHOTS = {"sign-in", "overview-amber", "business-amber", "submission", "outages", "phone-overview"}
#: A business this test registers for itself (so what other tests leave on the demo ΑΦΜ cannot
#: colour its light), and one another tenant manages.
OWN_AFM, RIVAL_AFM = "100000052", "100000064"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=el"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def axe_violations(driver: object) -> list[str]:
    import axe_core_python

    source = (Path(axe_core_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    driver.execute_script(source)  # type: ignore[attr-defined]
    found = driver.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        ".then(r => done(r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.help)))"
        ".catch(e => done(['axe failed: ' + e]));")
    return list(found)


def visit(driver: object, stack: Stack, path: str, shot: str) -> str:
    driver.get(stack.url + path)  # type: ignore[attr-defined]
    driver.save_screenshot(str(ARTIFACTS / f"console-{shot}.png"))  # type: ignore[attr-defined]
    if os.environ.get("YPOVOLI_UPDATE_SCREENSHOTS") and shot in README_SHOTS:   # the README's pictures
        shutil.copy(ARTIFACTS / f"console-{shot}.png", ROOT / "docs" / "console" / f"console-{shot}.png")
    assert axe_violations(driver) == [], f"accessibility of {path}"
    return str(driver.page_source)  # type: ignore[attr-defined]


def until(check: Callable[[], bool], timeout_s: float = 40) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def upstream(stack: Stack, mode: str) -> None:
    assert stack.call("POST", "/_local/upstreams/mydata", {"mode": mode})[0] == 200


def rival_tenant(stack: Stack) -> None:
    """Another office, managing RIVAL_AFM, written straight into the local stack's table."""
    with urllib.request.urlopen(f"{stack.url}/_local/stack", timeout=10) as answer:  # noqa: S310
        described = json.loads(answer.read())
    ddb = boto3.client("dynamodb", endpoint_url=described["aws_endpoint (moto)"], region_name="eu-central-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
    ddb.put_item(TableName=described["index_table"], Item={
        "PK": {"S": "TENANT#rival"}, "SK": {"S": "#META"}, "tenant": {"S": "rival"}, "name": {"S": "Rival office"},
        "afms": {"L": [{"S": RIVAL_AFM}]}})


def test_the_console_in_a_browser(stack: Stack, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    rival_tenant(stack)
    status, body = stack.call("POST", "/v1/businesses", {
        "afm": OWN_AFM, "taxisnet_afm": OWN_AFM, "entity": "sole_trader", "employer": False,
        "ergani_activated_on": None, "ame": None, "email": "console-e2e@example.gr", "username": "console-e2e"})
    assert status in (201, 422), body

    # Signed out, every page leads to the sign-in form; nothing of the key anywhere.
    html = visit(driver, stack, "/console", "sign-in")
    assert "csrf" in html and stack.key not in html
    driver.find_element(By.ID, "email").send_keys("demo@ypovoli.local")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "password").send_keys(CONSOLE_PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()  # type: ignore[attr-defined]
    until(lambda: "/console" in driver.current_url and "sign-in" not in driver.current_url)  # type: ignore[attr-defined]
    assert driver.execute_script("return document.cookie") == ""  # type: ignore[attr-defined]  # HttpOnly

    # An outage turns the new invoice amber…
    upstream(stack, "down")
    try:
        status, sent = stack.call("POST", "/v1/invoices", stack.invoice("CONSOLE-1", issuer=OWN_AFM))
        assert status == 202, sent
        until(lambda: stack.call("GET", f"/v1/invoices/{sent['id']}")[1]["status"] == "deferred")
        html = visit(driver, stack, "/console", "overview-amber")
        row = driver.find_element(By.XPATH, f"//tr[td/a[text()='{OWN_AFM}']]")  # type: ignore[attr-defined]
        assert row.find_element(By.CSS_SELECTOR, "[data-light]").get_attribute("data-light") == "amber"
        html = visit(driver, stack, f"/console/businesses/{OWN_AFM}", "business-amber")
        assert 'data-severity="warning"' in html and sent["id"] in html
    finally:
        upstream(stack, "up")
    # …and, once myDATA is back and the invoice sent, green.
    until(lambda: stack.call("GET", f"/v1/invoices/{sent['id']}")[1]["status"] == "transmitted", 60)
    visit(driver, stack, "/console", "overview-green")
    row = driver.find_element(By.XPATH, f"//tr[td/a[text()='{OWN_AFM}']]")  # type: ignore[attr-defined]
    assert row.find_element(By.CSS_SELECTOR, "[data-light]").get_attribute("data-light") == "green"

    # Its dossier: timeline, receipt with its MARK and QR, outage evidence, downloads.
    html = visit(driver, stack, f"/console/submissions/{sent['id']}", "submission")
    assert 'data-status="transmitted"' in html and "ΜΑΡΚ" in html and "original.json" in html
    assert "Στοιχεία διακοπής" in html   # the outage evidence the invoice carries

    # The language switch keeps the page.
    driver.find_element(By.LINK_TEXT, "English").click()  # type: ignore[attr-defined]
    until(lambda: "Timeline" in driver.page_source)  # type: ignore[attr-defined]
    assert driver.current_url.endswith(f"/console/submissions/{sent['id']}")  # type: ignore[attr-defined]
    visit(driver, stack, "/console/outages", "outages")

    # A ΠΣΚΕ request under its business, and the audit letter recorded from its page (issue 31 §3).
    request = json.loads((ROOT / "examples" / "pske-request.json").read_text(encoding="utf-8"))
    request["afm"], request["project"]["code"] = OWN_AFM, "ΚΡ-CONSOLE"
    status, dossier = stack.call("POST", "/v1/dossiers", request)
    assert status == 201, dossier
    html = visit(driver, stack, f"/console/businesses/{OWN_AFM}", "business-dossiers")
    assert f"/console/dossiers/{dossier['id']}" in html
    visit(driver, stack, f"/console/dossiers/{dossier['id']}", "dossier")
    expense = request["expense_links"][0]["expense"]
    driver.find_element(By.ID, "reference").send_keys("ΕΦΔ 12/2026")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "expenses").send_keys(f"{expense} 100,00")  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()  # type: ignore[attr-defined]
    until(lambda: "audit=saved" in driver.current_url)  # type: ignore[attr-defined]
    assert axe_violations(driver) == []

    # Issue 33 §1, §5, §6: find the invoice by its number and by its MARK; its cancellation asks first;
    # the people page with the invitation form and the audit trail — each accessible.
    fresh = stack.call("GET", f"/v1/invoices/{sent['id']}")[1]
    mark, number = str(fresh["receipt"]["mark"]), str(fresh["summary"]["document_number"])
    for query in (number, mark):
        html = visit(driver, stack, f"/console/submissions?q={query}", "search")
        assert f'data-id="{sent["id"]}"' in html, query
    html = visit(driver, stack, f"/console/submissions/{sent['id']}/cancel", "confirm-cancel")
    assert "CancelInvoice" in html
    visit(driver, stack, f"/console/businesses/{OWN_AFM}/deviations", "deviations")
    html = visit(driver, stack, "/console/people", "people")
    assert "demo@ypovoli.local" in html and 'name="role"' in html

    # Another tenant's business is the same page as one that does not exist.
    theirs = visit(driver, stack, f"/console/businesses/{RIVAL_AFM}", "not-yours")
    nobody = visit(driver, stack, "/console/businesses/999999999", "absent")
    assert theirs == nobody and RIVAL_AFM not in theirs

    # Phone width: the same pages, still accessible.
    driver.set_window_size(390, 844)  # type: ignore[attr-defined]
    visit(driver, stack, "/console", "phone-overview")
    driver.set_window_size(1280, 900)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "header form button").click()  # type: ignore[attr-defined]
    until(lambda: "sign-in" in driver.current_url)  # type: ignore[attr-defined]


def test_the_console_works_under_the_stage_url_the_stack_prints(browser: object) -> None:
    """Issue 34 §2: API Gateway's own URL carries the stage («…/Prod»); the console's links, redirects,
    forms and cookies follow it. The local front serves under a base path the same way."""
    from selenium.webdriver.common.by import By

    from tests.e2e.conftest import start_stack, stop_stack

    process, staged = start_stack(YPOVOLI_LOCAL_BASE_PATH="/Prod")
    driver = browser
    try:
        driver.delete_all_cookies()  # type: ignore[attr-defined]
        driver.get(staged.url + "/Prod/console")  # type: ignore[attr-defined]
        until(lambda: driver.current_url.endswith("/Prod/console/sign-in"))  # type: ignore[attr-defined]
        assert axe_violations(driver) == []
        driver.find_element(By.ID, "email").send_keys("demo@ypovoli.local")  # type: ignore[attr-defined]
        driver.find_element(By.ID, "password").send_keys(CONSOLE_PASSWORD)  # type: ignore[attr-defined]
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()  # type: ignore[attr-defined]
        until(lambda: driver.current_url.rstrip("/").endswith("/Prod/console"))  # type: ignore[attr-defined]
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/console']")]  # type: ignore[attr-defined]
        assert links and all("/Prod/console" in str(link) for link in links), links
        driver.find_element(By.LINK_TEXT, "800123456").click()  # type: ignore[attr-defined]
        until(lambda: "/Prod/console/businesses/800123456" in driver.current_url)  # type: ignore[attr-defined]
        driver.find_element(By.CSS_SELECTOR, "header form button").click()  # type: ignore[attr-defined]
        until(lambda: driver.current_url.endswith("/Prod/console/sign-in"))  # type: ignore[attr-defined]
    finally:
        driver.delete_all_cookies()  # type: ignore[attr-defined]
        stop_stack(process)


def test_a_pske_zip_is_uploaded_from_the_browser_and_its_report_follows(browser: object, stack: Stack) -> None:
    """Issue 33 §3: a ΠΣΚΕ folder from the business page — the file goes straight to the drop folder by
    the presigned POST, S3 sends the browser back to the request's page, the report appears once read."""
    from selenium.webdriver.common.by import By

    driver = browser
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    visit(driver, stack, "/console", "sign-in-upload")
    driver.find_element(By.ID, "email").send_keys("demo@ypovoli.local")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "password").send_keys(CONSOLE_PASSWORD)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()  # type: ignore[attr-defined]
    until(lambda: "sign-in" not in driver.current_url)  # type: ignore[attr-defined]
    visit(driver, stack, "/console/businesses/800123456", "business-upload")
    driver.find_element(By.CSS_SELECTOR, "details[data-upload-open] summary").click()  # type: ignore[attr-defined]
    driver.find_element(By.ID, "project_code").send_keys("ΚΡ-67890")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "request_type").send_keys("ΕΝΔΙΑΜΕΣΟ")  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "details[data-upload-open] button").click()  # type: ignore[attr-defined]
    until(lambda: "data-upload" in driver.page_source)  # type: ignore[attr-defined]
    assert axe_violations(driver) == []
    zipped = ROOT / "examples" / "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"
    driver.find_element(By.ID, "file").send_keys(str(zipped))  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "form[data-upload] button").click()  # type: ignore[attr-defined]
    until(lambda: "/console/dossiers/" in driver.current_url)  # type: ignore[attr-defined]
    page_url = driver.current_url.split("?")[0]  # type: ignore[attr-defined]

    def read() -> bool:
        driver.get(page_url)  # type: ignore[attr-defined]
        return "data-pending" not in driver.page_source  # type: ignore[attr-defined]

    until(read, 60)
    assert 'data-status="' in driver.page_source and "ΚΡ-67890" in driver.page_source  # type: ignore[attr-defined]
    assert axe_violations(driver) == []
    driver.delete_all_cookies()  # type: ignore[attr-defined]
