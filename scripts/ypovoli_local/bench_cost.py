"""``make bench --only cost upstream``: what one transmitted submission costs on AWS, and how long it
takes to reach upstream (issue 17 §3, §4) — measured end to end on the local stack.

Cost: the stack counts every AWS call its functions make (``meter.py``: botocore hooks; DynamoDB's
request units by DynamoDB's own sizing rules), each invocation's duration and the API requests, while
submissions go through intake, the transmitter and the webhook to a receiver here. The bill is those
counts at the list prices below. Durations are measured against moto, slower than DynamoDB and S3, so
the Lambda line is an upper bound. The sweeper runs on a schedule whatever the traffic: it is a
monthly fixed cost, printed apart.

Time to upstream: from the submission's ``created_at`` to its receipt's ``received_at`` (both taken by
the service, not by polling), with the upstream up; and from the moment the link returns to the last
deferred document sent.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .bench_common import Figure, _pct, _start_stack, stack_today, stop_stack
from .handlers import ROOT
from .meter import EMPTY_RECEIVE
from .stack import free_port
from .template import load_template

#: List prices, eu-central-1 (Frankfurt), on-demand, no free tier — as published by AWS on 2026-12-01.
#: One table: update it here when AWS changes a price.
PRICES_AS_OF = "2026-12-01"
#: The sweeper's stream invocations, metered apart from its scheduled runs (``pollers.StreamPoller``).
STREAM_METER = "SweeperFunction:stream"
PRICES = {
    "apigateway_request": 3.70 / 1e6,        # REST API, first 333 M requests a month
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000133334,        # arm64 (template.yaml's Architectures)
    "dynamodb_wru": 0.7625 / 1e6,            # on-demand write request unit
    "dynamodb_rru": 0.1525 / 1e6,            # on-demand read request unit
    "s3_put": 0.0054 / 1000,                 # PUT, COPY, POST, LIST (Standard)
    "s3_get": 0.00043 / 1000,                # GET, HEAD and the rest
    "sqs_request": 0.40 / 1e6,               # standard queues, per 64 KB chunk
    "secretsmanager_call": 0.05 / 10000,
}
S3_PUT_CLASS = {"PutObject", "CopyObject", "PostObject", "ListObjects", "ListObjectsV2", "CreateMultipartUpload",
                "UploadPart", "CompleteMultipartUpload"}
TARGET_PER_1000 = 0.05
#: What one call takes on AWS, from inside a Lambda in the same region (typical, not guaranteed): used
#: in place of moto's own time to bill Lambda durations as AWS would see them.
AWS_LATENCY_MS = {"dynamodb": 6.0, "s3": 30.0, "sqs": 12.0, "secretsmanager": 20.0}


def _memory_mb() -> dict[str, int]:
    """Each function's memory size from template.yaml (its own, else the Globals')."""
    template = load_template(ROOT / "template.yaml")
    default = int(template.get("Globals", {}).get("Function", {}).get("MemorySize", 128))
    return {name: int(res.get("Properties", {}).get("MemorySize", default))
            for name, res in template["Resources"].items() if res["Type"] == "AWS::Serverless::Function"}


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.transmitted: set[str] = set()
        self.lock = threading.Lock()

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                data = body.get("data") or {}
                if data.get("status") == "transmitted":
                    with outer.lock:
                        outer.transmitted.add(str(data.get("id")))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(("127.0.0.1", 0), Handler)


def _bill(meter: dict[str, Any], memory: dict[str, int], per: int,
          functions: set[str]) -> tuple[float, dict[str, float], dict[str, float]]:
    """Dollars per ``per`` submissions for the calls of ``functions`` (and the API requests), by line;
    and the calls per submission by service."""
    lines: dict[str, float] = {}
    calls: dict[str, float] = {}
    for call in meter["calls"]:
        service, operation, n = call["service"], call["operation"], call["count"]
        # Lambda's event source mapping receives and deletes the queues' messages on the account's bill
        # (the local pollers stand in for it, as ``platform``); its idle polls are the queues' fixed cost.
        if call["function"] == "platform" and service == "sqs" and operation != EMPTY_RECEIVE:
            lines["SQS requests"] = lines.get("SQS requests", 0) + n * PRICES["sqs_request"]
            calls["sqs (Lambda's pollers)"] = calls.get("sqs (Lambda's pollers)", 0) + n / per
            continue
        if call["function"] not in functions:
            continue
        calls[service] = calls.get(service, 0) + n / per
        if service == "s3":
            key = "s3_put" if operation in S3_PUT_CLASS else "s3_get"
            lines["S3 requests"] = lines.get("S3 requests", 0) + n * PRICES[key]
        elif service == "sqs":
            lines["SQS requests"] = lines.get("SQS requests", 0) + n * PRICES["sqs_request"]
        elif service == "secretsmanager":
            lines["Secrets Manager"] = lines.get("Secrets Manager", 0) + n * PRICES["secretsmanager_call"]
    wru = sum(v for f, v in meter["wru"].items() if f in functions)
    rru = sum(v for f, v in meter["rru"].items() if f in functions)
    lines["DynamoDB request units"] = wru * PRICES["dynamodb_wru"] + rru * PRICES["dynamodb_rru"]
    # Lambda: the measured duration with moto's waits replaced by AWS's typical latency per call.
    counts: dict[tuple[str, str], int] = {}
    for call in meter["calls"]:
        counts[(call["function"], call["service"])] = counts.get((call["function"], call["service"]), 0) + call["count"]
    gb_s = 0.0
    for f, ms in meter["milliseconds"].items():
        if f not in functions:
            continue
        waited = sum((meter.get("waiting_ms") or {}).get(f, {}).values())
        aws = sum(n * AWS_LATENCY_MS.get(svc, 20.0) for (fn, svc), n in counts.items() if fn == f)
        gb_s += memory.get(f, 512) / 1024 * max(ms - waited + aws, 0.0) / 1000
    invocations = sum(n for f, n in meter["invocations"].items() if f in functions)
    lines["Lambda (GB-s + requests)"] = gb_s * PRICES["lambda_gb_second"] + invocations * PRICES["lambda_request"]
    lines["API Gateway requests"] = meter["api_requests"] * PRICES["apigateway_request"]
    calls["dynamodb WRU"] = wru / per
    calls["dynamodb RRU"] = rru / per
    calls["lambda invocations"] = invocations / per
    calls["api requests"] = meter["api_requests"] / per
    total = sum(lines.values())
    return total * 1000 / per, {k: v * 1000 / per for k, v in lines.items()}, calls


def _writes_by_item(meter: dict[str, Any], per: int, functions: set[str]) -> str:
    """Where the write units go, per submission: each item kind (``SUB``, ``OUTBOX``, ``EVENT``…) with
    the function and operation that wrote it, most first."""
    by: dict[str, float] = {}
    for entry in meter.get("wru_items", []):
        if entry["function"] in functions:
            item, function = entry["item"].split(":", 1)[-1], entry["function"].removesuffix("Function")
            name = f"{item} ({function} {entry['operation']})"
            by[name] = by.get(name, 0) + entry["units"] / per
    return ", ".join(f"{k} {v:.1f}" for k, v in sorted(by.items(), key=lambda kv: -kv[1]))


def _post(http: Any, url: str, key: str, path: str, body: Any) -> dict[str, Any]:
    got = http.request("POST", url + path, body=json.dumps(body).encode(),
                       headers={"x-api-key": key, "content-type": "application/json"})
    data: dict[str, Any] = json.loads(got.data)
    if got.status != 202:
        raise RuntimeError(f"{path} answered {got.status}: {data}")
    return data


def cost_and_latency(count: int) -> list[Figure]:
    """The bill on a metered stack; the times on a stack of their own without the meter, whose reads of
    every written item (two more calls to moto per write) would slow what they measure."""
    return _run(count, metered=True) + _run(count, metered=False)


def _run(count: int, metered: bool) -> list[Figure]:
    import urllib3

    sys_path_tests()
    from tests.ergani_factory import card_event, workcard
    from tests.factories import invoice

    port, key = free_port("127.0.0.1"), "ypk_bench-key-0123456789"
    process = _start_stack(port, key, {"YPOVOLI_LOCAL_METER": "1" if metered else "0", "YPOVOLI_LOCAL_TICK_S": "1"})
    receiver = _Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    http = urllib3.PoolManager(maxsize=8)
    figures: list[Figure] = []
    memory = _memory_mb()
    try:
        today = stack_today(port)
        got = http.request("PUT", url + "/v1/webhook", body=json.dumps(
            {"url": f"http://127.0.0.1:{receiver.server_address[1]}/"}).encode(),
            headers={"x-api-key": key, "content-type": "application/json"})
        assert got.status == 200, got.data
        # The last: a tenant without a webhook (its events recorded final, nothing delivered); metered only.
        for kind in ("invoice", "card", *(("unhooked",) if metered else ())):
            if kind == "unhooked":
                assert http.request("DELETE", url + "/v1/webhook", headers={"x-api-key": key}).status < 300
            http.request("POST", url + "/_local/meter")
            started = time.monotonic()
            ids = []
            for n in range(count):
                if kind in ("invoice", "unhooked"):
                    ids.append(_post(http, url, key, "/v1/invoices",
                                     invoice(aa=f"COST-{kind}-{n}", issue_date=today))["id"])
                else:
                    now = datetime.fromisoformat(json.loads(http.request("GET", url + "/_local/clock").data)["now"])
                    doc = workcard(card_event("start", now, afm="123456783" if n % 2 else "100000015"),
                                   employer="800123456")
                    doc["Cards"]["Card"][0]["f_comments"] = f"bench {n}"   # each a declaration of its own
                    ids.append(_post(http, url, key, "/v1/workcards", doc)["id"])
            while time.monotonic() - started < 180:
                if kind == "unhooked":   # nothing reaches the receiver: the transmitter's records tell
                    if _transmissions(json.loads(http.request("GET", url + "/_local/meter").data)) >= count:
                        break
                else:
                    with receiver.lock:
                        if set(ids) <= receiver.transmitted:
                            break
                time.sleep(0.5)
            if not metered:
                figures.append(_latency(http, url, key, ids, kind))
                continue
            time.sleep(2)   # the last webhook deliveries' bookkeeping
            meter = json.loads(http.request("GET", url + "/_local/meter").data)
            # The summaries the stream keeps (the sweeper's stream batches) are a cost of each submission
            # too; the pump's runs are a cost of time, apart.
            per_request = {"ApiFunction", "TransmitterFunction", "WebhookFunction", STREAM_METER}
            dollars, lines, calls = _bill(meter, memory, count, per_request)
            sweeper = meter["milliseconds"].get("SweeperFunction", 0.0)
            what = {"invoice": "transmitted invoice (intake → upstream → webhook)",
                    "card": "ERGANI card event (intake → upstream → webhook)",
                    "unhooked": "transmitted invoice, tenant without a webhook (intake → upstream)"}[kind]
            figures.append(Figure(
                f"cost: one {what}, per 1,000", dollars, "$", None, None, f"≤ ${TARGET_PER_1000:.2f} per 1,000",
                dollars <= TARGET_PER_1000,
                "; ".join(f"{k} ${v:.4f}" for k, v in sorted(lines.items(), key=lambda kv: -kv[1]))
                + " — per submission: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(calls.items()))
                + " — DynamoDB write units by item: " + _writes_by_item(meter, count, per_request)
                + f" — prices eu-central-1 as of {PRICES_AS_OF}; sweeper apart ({sweeper / 1000:.1f} s of runs)",
                {"lines": lines, "calls": calls, "meter": meter}))
        if not metered:
            figures.append(_release(http, url, key, today, invoice, min(count, 30)))
    finally:
        receiver.shutdown()
        stop_stack(process)
    return figures


def _transmissions(meter: dict[str, Any]) -> int:
    """How many status transactions the transmitter committed (one per document sent)."""
    return sum(c["count"] for c in meter["calls"] if c["function"] == "TransmitterFunction"
               and c["operation"] == "TransactWriteItems")


def sys_path_tests() -> None:
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _read(http: Any, url: str, key: str, path: str) -> dict[str, Any]:
    return dict(json.loads(http.request("GET", url + path, headers={"x-api-key": key}).data))


def _latency(http: Any, url: str, key: str, ids: list[str], kind: str) -> Figure:
    path = "/v1/invoices" if kind == "invoice" else "/v1/workcards"
    delays, margins = [], []
    for submission_id in ids:
        sub = _read(http, url, key, f"{path}/{submission_id}")
        received = (sub.get("receipt") or {}).get("received_at")
        if sub.get("status") != "transmitted" or not received:
            continue
        created, landed = datetime.fromisoformat(sub["created_at"]), datetime.fromisoformat(received)
        delays.append((landed - created).total_seconds())
        margins.append((datetime.fromisoformat(sub["due_at"]) - landed).total_seconds())
    name = "invoice" if kind == "invoice" else "ERGANI card event"
    p50, p95, p99 = (_pct(delays, q) / 1000 for q in (.5, .95, .99)) if delays else (0.0, 0.0, 0.0)
    notes = f"p50/p95/p99 {p50:.2f}/{p95:.2f}/{p99:.2f} s over {len(delays)} of {len(ids)}"
    met = len(delays) == len(ids)
    target = "every one transmitted"
    if kind != "invoice" and margins:
        notes += f"; least margin to ERGANI's 15-minute deadline {min(margins) / 60:.1f} min"
        met = met and min(margins) > 0
        target = "inside 15 min, with margin"
    return Figure(f"time to upstream: {name}, POST → receipt, upstream up (local stack)", p50, "s (p50)", None,
                  None, target, met, notes, {"delays_s": delays, "margins_s": margins})


def _release(http: Any, url: str, key: str, today: Any, invoice: Any, count: int) -> Figure:
    """AADE down, ``count`` invoices deferred, AADE back: how long until the last one is sent."""
    http.request("POST", url + "/_local/upstreams/mydata", body=b'{"mode": "down"}')
    ids = [_post(http, url, key, "/v1/invoices", invoice(aa=f"HELD-{n}", issue_date=today))["id"]
           for n in range(count)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
            _read(http, url, key, f"/v1/invoices/{i}").get("status") == "deferred" for i in ids):
        time.sleep(0.5)
    back = json.loads(http.request("GET", url + "/_local/clock").data)["now"]
    http.request("POST", url + "/_local/upstreams/mydata", body=b'{"mode": "up"}')
    deadline = time.monotonic() + 120
    landed: list[datetime] = []
    while time.monotonic() < deadline:
        subs = [_read(http, url, key, f"/v1/invoices/{i}") for i in ids]
        if all(s.get("status") == "transmitted" for s in subs):
            landed = [datetime.fromisoformat(s["receipt"]["received_at"]) for s in subs]
            break
        time.sleep(0.5)
    returned = datetime.fromisoformat(back)
    waits = sorted((t - returned).total_seconds() for t in landed)
    last = waits[-1] if waits else float("inf")
    return Figure(f"time to upstream: {count} deferred invoices after the link returns (local stack)", last,
                  "s (last)", None, None, "all sent «αμελλητί» (seed 004)", bool(waits),
                  f"median {statistics.median(waits) if waits else float('nan'):.2f} s, last {last:.2f} s",
                  {"waits_s": waits})
