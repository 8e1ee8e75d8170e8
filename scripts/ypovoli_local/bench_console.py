"""Issue 33 §8: the console at an office's size — 200 businesses and 10,000 open items on the local
stack — read from the summaries the table's stream keeps (services/summaries.py). Figures: the
overview's and a business page's p50/p95 over HTTP, beside a floor measured in the same run (the
sign-in page: the same front, session-less, no read of the index), and how long the stream took to
make the 200 summaries from nothing (what every overview cost before, once per page)."""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from datetime import timedelta
from typing import Any

from .bench_common import Figure, _pct, _start_stack, stop_stack

#: The target (issue 33 §8): p95 of both pages at this size.
TARGET_MS = 300.0


def _afms(count: int) -> list[str]:
    """``count`` valid ΑΦΜ (python-stdnum's check digit), distinct, none of the demo's."""
    from stdnum.gr import vat

    found: list[str] = []
    n = 10_000_000
    while len(found) < count:
        body = f"{n:08d}"
        found.append(body + vat.calc_check_digit(body))
        n += 7919
    return found


def _seed(endpoint: str, table: str, afms: list[str], per_business: int, now: Any) -> int:
    """Each business's open submissions, written as intake's transaction writes them (submission,
    dedup key, outbox entry with its OPEN key) but in batches: moto copies the whole table for every
    transaction, which would time moto, not the design. 8 of 10 queued, 1 held by an outage, 1 overdue;
    due days ahead, retries far off, so the transmitter and the pump leave them be."""
    import os

    import boto3
    from ypovoli.models.submission import FineExposure, OutageEvidence, Submission
    from ypovoli.status import Status
    from ypovoli.store.index import Index

    os.environ.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"})
    index = Index(table)
    index.set_afms("demo", afms)   # the office's businesses (before the items: the stream reads them)
    resource = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="eu-central-1",
                              aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    written = 0
    with resource.Table(table).batch_writer() as batch:
        for b, afm in enumerate(afms):
            for n in range(per_business):
                status = Status.OVERDUE if n % 10 == 9 else Status.DEFERRED if n % 10 == 8 else Status.ACCEPTED
                due = now + timedelta(days=1 + n % 20, minutes=b)
                sub = Submission(
                    id=f"00000000-0000-4000-8000-{b:06d}{n:06d}", tenant="demo", kind="mydata_invoice", afm=afm,
                    status=status, natural_key=f"A|{b}|{n}", created_at=now, updated_at=now, due_at=due,
                    grace_until=due + timedelta(days=1), dossier=f"demo/{afm}/{b}/{n}/",
                    summary={"document_number": f"A {n + 1}", "gross": "124.00", "vat": "24.00"},
                    outage=OutageEvidence(first_failure_at=now, last_failure_at=now, failures=3,
                                          last_error="HTTP 503") if status is not Status.ACCEPTED else None,
                    fine_exposure=FineExposure(amount="12.00", basis_el="50% του ΦΠΑ", basis_en="50% of the VAT")
                    if status is Status.OVERDUE else None)
                for item in index.creation_items(sub, now + timedelta(days=365), "mydata"):
                    batch.put_item(Item=item)
                    written += 1
    return written


def _session(http: Any, base: str, email: str, password: str) -> str:
    answer = http.request("GET", f"{base}/console/sign-in")
    csrf = re.findall(r'name="csrf" value="([^"]+)"', answer.data.decode())[0]
    cookie = answer.headers.get("Set-Cookie", "").split(";")[0]
    from urllib.parse import urlencode

    answer = http.request("POST", f"{base}/console/sign-in", body=urlencode(
        {"csrf": csrf, "email": email, "password": password}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}, redirect=False)
    cookies = answer.headers.getlist("Set-Cookie") if hasattr(answer.headers, "getlist") else []
    session = next((c.split(";")[0] for c in cookies if c.startswith("ypv_session=")), "")
    if not session:
        raise RuntimeError(f"could not sign in to the console ({answer.status})")
    return session


def _timed(http: Any, url: str, cookie: str, rounds: int) -> list[float]:
    taken = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = http.request("GET", url, headers={"Cookie": cookie} if cookie else {}, redirect=False)
        taken.append(time.perf_counter() - start)   # seconds, as _pct reads them
        if answer.status != 200:
            raise RuntimeError(f"{url}: HTTP {answer.status}")
    return taken


def console_at_size(businesses: int = 200, per_business: int = 50, rounds: int = 40) -> list[Figure]:
    import urllib3
    from ypovoli import clock

    from .stack import free_port

    port, key = free_port("127.0.0.1"), "ypk_bench-console-0123456789"
    process = _start_stack(port, key)
    base = f"http://127.0.0.1:{port}"
    http = urllib3.PoolManager()
    try:
        info = json.loads(http.request("GET", f"{base}/_local/stack", headers={"x-api-key": key}).data)
        email, password = (part.strip() for part in str(info["console_sign_in"]).split(" / ", 1))
        afms = _afms(businesses)
        now = clock.now()
        begin = time.perf_counter()
        written = _seed(info["aws_endpoint (moto)"], info["index_table"], afms, per_business, now)
        seeded = time.perf_counter() - begin
        summaries = _kept(info, businesses, per_business, deadline_s=3600)
        caught_up = time.perf_counter() - begin - seeded
        cookie = _session(http, base, email, password)
        floor = _timed(http, f"{base}/console/sign-in", "", rounds)
        overview = _timed(http, f"{base}/console", cookie, rounds)
        pick = random.Random(7)
        pages = [_timed(http, f"{base}/console/businesses/{pick.choice(afms)}", cookie, 1)[0] for _ in range(rounds)]
    finally:
        stop_stack(process)
    notes = (f"{businesses} businesses × {per_business} open = {businesses * per_business:,} open items "
             f"({written:,} items seeded in {seeded:.0f} s); the stream made the {summaries} summaries in "
             f"{caught_up:.0f} s — every one a compliance view, what each overview computed before")
    figures = []
    for label, taken in (("overview", overview), ("business page", pages)):
        p95, floor95 = _pct(taken, .95), _pct(floor, .95)
        figures.append(Figure(
            f"console: {label}, {businesses} businesses, {businesses * per_business:,} open, p95", p95, "ms",
            floor95, p95 / floor95, f"≤ {TARGET_MS:.0f} ms", p95 <= TARGET_MS,
            f"p50 {statistics.median(taken) * 1000:.0f} ms, floor (sign-in page) p50 "
            f"{statistics.median(floor) * 1000:.0f} ms; "
            + notes, {"ms": taken, "floor_ms": floor}))
    return figures


def _kept(info: dict[str, Any], businesses: int, per_business: int, deadline_s: float) -> int:
    """Wait until the stream has made every business's summary with all its open items; how many."""
    import boto3

    ddb = boto3.client("dynamodb", endpoint_url=info["aws_endpoint (moto)"], region_name="eu-central-1",
                       aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        done = 0
        request: dict[str, Any] = {"TableName": info["index_table"], "KeyConditionExpression": "PK = :pk",
                                   "ProjectionExpression": "#row", "ExpressionAttributeNames": {"#row": "row"},
                                   "ExpressionAttributeValues": {":pk": {"S": "SUMMARIES#demo"}}}
        while True:
            page = ddb.query(**request)
            done += sum(1 for i in page["Items"] if "row" in i
                        and int(json.loads(i["row"]["S"]).get("open_items", 0)) >= per_business)
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        if done >= businesses:
            return done
        time.sleep(2)
    raise RuntimeError("the stream did not make every summary in time")
