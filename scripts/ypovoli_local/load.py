"""``make load``: bounded mixed load on the local stack (loopback only; stops by itself).

Four clients for ``--seconds`` post invoices (new ones, repeats of earlier ones, wrong ones) and
ΠΣΚΕ payment requests while the myDATA simulator is flaky (failures and accept-then-timeouts).
Then the link is made healthy and the accepted invoices are drained until each is final (transmitted
or rejected) or a generous deadline passes. Printed at the end: zero 5xx, zero lost, zero duplicates —
or the command fails. An invoice not yet final at the deadline but still in the outbox is ``in_flight``
(the stack is still at it: on a loaded machine it lands seconds later), never counted as lost; lost is
accepted and absent from the outbox without having landed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from typing import Any

import urllib3

from .bench_common import _start_stack, stack_today, stop_stack
from .handlers import ROOT
from .stack import free_port

KEY = "ypk_load-key-0123456789"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=45.0, help="length of the load phase (≤ 90)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--drain", type=float, default=180.0, help="how long every invoice may take to land (≤ 300)")
    args = parser.parse_args(argv)
    seconds, drain = min(args.seconds, 90.0), min(args.drain, 300.0)
    sys.path.insert(0, str(ROOT))
    from tests.factories import invoice
    from tests.pske_factory import clean_request

    port = free_port("127.0.0.1")
    process = _start_stack(port, KEY)
    base = f"http://127.0.0.1:{port}"
    http = urllib3.PoolManager(maxsize=args.clients + 2, timeout=urllib3.Timeout(connect=2, read=30))
    headers = {"x-api-key": KEY, "content-type": "application/json"}
    statuses: Counter[str] = Counter()
    accepted: set[str] = set()
    posted_bodies: list[dict[str, Any]] = []
    lock = threading.Lock()

    def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = http.request(method, base + path, headers=headers,
                                body=json.dumps(body).encode() if body is not None else None)
        return response.status, json.loads(response.data or b"null")

    try:
        today = stack_today(port)
        call("POST", "/_local/upstreams/mydata", {"mode": "flaky", "failure_rate": 0.3,
                                                  "accept_then_timeout_rate": 0.1})
        stop = time.monotonic() + seconds

        def client(k: int) -> None:
            rng = random.Random(k)
            n = 0
            while time.monotonic() < stop:
                n += 1
                roll = rng.random()
                if roll < 0.6:
                    kind, body, path = "invoice", invoice(aa=f"L{k}-{n}", issue_date=today), "/v1/invoices"
                elif roll < 0.75 and posted_bodies:
                    with lock:
                        body = rng.choice(posted_bodies)
                    kind, path = "repeat", "/v1/invoices"
                elif roll < 0.85:
                    body = invoice(aa=f"W{k}-{n}", issue_date=today)
                    body["invoiceSummary"]["totalGrossValue"] = "1.00"
                    kind, path = "wrong", "/v1/invoices"
                else:
                    body = clean_request()
                    body["afm"] = "800123456"
                    body["project"]["code"] = f"ΚΡ-L{k}-{n}"
                    kind, path = "dossier", "/v1/dossiers"
                status, answer = call("POST", path, body)
                with lock:
                    statuses[f"{kind} {status}"] += 1
                    if status >= 500:
                        statuses["5xx"] += 1
                    if kind == "invoice" and status == 202:
                        accepted.add(answer["id"])
                        posted_bodies.append(body)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        call("POST", "/_local/upstreams/mydata", {"mode": "up"})
        call("POST", "/_local/clock", {"advance": "PT1H"})  # past every backoff; the sweep re-pumps
        deadline = time.monotonic() + drain
        pending = set(accepted)
        final: Counter[str] = Counter()
        while pending and time.monotonic() < deadline:
            # Reading every pending invoice each second would itself be the load moto chokes on (a
            # hundred reads a second against the transmitter's writes): look every few seconds.
            for sid in list(pending):
                status, answer = call("GET", f"/v1/invoices/{sid}")
                if status == 200 and answer["status"] in ("transmitted", "rejected"):
                    final[answer["status"]] += 1
                    pending.discard(sid)
            if pending:
                call("POST", "/_local/sweep")
                time.sleep(4)
        _, upstream = call("GET", "/_local/upstreams/mydata")
        in_flight, lost_ids, stuck = _not_landed(call, pending)
        if stuck:
            print("not landed:", dict(stuck))
    finally:
        stop_stack(process)

    duplicates = int(upstream.get("replaced", 0))
    lost = len(lost_ids)
    print("requests:", dict(sorted(statuses.items())))
    print(f"accepted invoices={len(accepted)} transmitted={final['transmitted']} rejected={final['rejected']} "
          f"in_flight={len(in_flight)} lost={lost} duplicates={duplicates} 5xx={statuses['5xx']} "
          f"upstream_calls={upstream.get('calls')}")
    if lost_ids:
        print("lost:", ", ".join(sorted(lost_ids)[:20]))
    ok = statuses["5xx"] == 0 and lost == 0 and duplicates == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def _not_landed(call: Any, pending: set[str]) -> tuple[set[str], set[str], Counter[str]]:
    """(in flight, lost, what they were doing): an invoice still open whose outbox entry exists is in
    flight — the outbox is the truth the pump works from —, anything else not landed is lost."""
    import boto3

    _, described = call("GET", "/_local/stack")
    ddb = boto3.client("dynamodb", endpoint_url=described["aws_endpoint (moto)"], region_name="eu-central-1",
                       aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106 — moto's
    from ypovoli.store import keys

    in_flight: set[str] = set()
    lost: set[str] = set()
    stuck: Counter[str] = Counter()
    for sid in sorted(pending):
        status, answer = call("GET", f"/v1/invoices/{sid}")
        held = status == 200 and ddb.get_item(TableName=described["index_table"], Key={
            "PK": {"S": keys.tenant_pk("demo")}, "SK": {"S": keys.outbox_sk(sid)}}).get("Item") is not None
        (in_flight if held else lost).add(sid)
        stuck[f"{answer.get('status') if status == 200 else status} attempts={answer.get('attempts')} "
              f"{'in the outbox' if held else 'NOT in the outbox'}"] += 1
    return in_flight, lost, stuck


if __name__ == "__main__":
    raise SystemExit(main())
