"""Submit one invoice to ypovoli in Python (standard library only) and wait for its receipt.

    YPOVOLI_URL=http://127.0.0.1:8000 YPOVOLI_KEY=ypk_… python3 submit.py invoice.json ORDER-ID

The order id goes out as `Idempotency-Key`: sending the same file again (a timeout, a crash) gets the
first answer back instead of a second submission.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request


def call(method: str, path: str, body: bytes | None = None, idempotency_key: str | None = None) -> tuple[int, dict]:
    base = os.environ["YPOVOLI_URL"].rstrip("/")
    if not base.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise SystemExit("YPOVOLI_URL must be https:// (or the local stack on loopback)")
    headers = {"x-api-key": os.environ["YPOVOLI_KEY"], "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers)  # noqa: S310 — checked
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 — https or loopback, checked above
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def main(path: str, order_id: str) -> int:
    with open(path, "rb") as f:
        status, body = call("POST", "/v1/invoices", f.read(), order_id)
    if status != 202:
        for finding in body.get("findings", []):
            print(f"{finding['code']}: {finding['message_en']}", file=sys.stderr)
        return 1
    for _ in range(60):
        _, submission = call("GET", f"/v1/invoices/{body['id']}")
        if submission["status"] in ("transmitted", "rejected", "overdue"):
            print(json.dumps({"id": submission["id"], "status": submission["status"],
                              "receipt": submission.get("receipt")}, ensure_ascii=False))
            return 0 if submission["status"] == "transmitted" else 1
        time.sleep(1)
    print(json.dumps({"id": body["id"], "status": "still " + submission["status"]}))
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
