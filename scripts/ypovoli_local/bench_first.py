"""Cold start with the first invocation included (issue 17 §2): each handler in a fresh process —
its import, then two real events of its own kind against the local stack — beside a floor that
imports boto3 and Powertools and makes its first DynamoDB call.

A cold start is the import plus what the first event costs over the second (clients built, a kind
loaded, the XSD parsed, a connection opened): work deferred from import into the first call shows
up there instead of hiding, while the work every event does is not counted twice. The events are
real: two invoices through the API, their nudges through the transmitter, the webhook messages that
follows, two pump ticks, two zipped ΠΣΚΕ folders through the drop bucket. The stack here runs with
its pollers stopped, so each event reaches only the process being measured.

Run by ``make bench`` (``bench.py``) as ``python -m ypovoli_local.bench_first --rounds N``; prints
one JSON object per round.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .handlers import ROOT

FLOOR = ("import boto3\nfrom aws_lambda_powertools import Logger, Metrics, Tracer\n"
         "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType\n"
         "Logger(); Metrics(); Tracer()\n")

#: The measured process: import, then each event in turn; prints the times in seconds.
PROGRAM = """
import json, os, sys, time
t0 = time.perf_counter()
{load}
t1 = time.perf_counter()
{restore}
t2 = time.perf_counter()
events = json.load(open(sys.argv[1]))
times = []
profile = os.environ.get("BENCH_FIRST_PROFILE")   # a path: the first event's profile (cProfile), per mode
for event in events:
    s = time.perf_counter()
    if profile and not times:
        import cProfile
        with cProfile.Profile() as p:
            answer = handle(event)
        p.dump_stats(profile + "." + os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"))
    else:
        answer = handle(event)
    times.append(time.perf_counter() - s)
    check(answer)
print(json.dumps({{"import": t1 - t0, "restore": t2 - t1, "events": times}}))
"""

HANDLER = """import importlib.util
from types import SimpleNamespace
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
context = SimpleNamespace(function_name={name!r}, memory_limit_in_mb=512, aws_request_id="bench",
                          invoked_function_arn="arn:aws:lambda:eu-central-1:123456789012:function:{name}",
                          function_version="$LATEST", log_group_name="/aws/lambda/{name}", log_stream_name="bench",
                          get_remaining_time_in_millis=lambda: 30000)
handler = getattr(module, {attribute!r})
def handle(event):
    return handler(event, context)
def check(answer):
    {check}
"""

#: The floor of each function: boto3 and Powertools imported, the same AWS clients built as the function
#: uses (``AWS_SERVICES`` in its app.py), and a first DynamoDB call — what any handler doing that job
#: would pay before its own code.
FLOOR_PROGRAM = FLOOR + """import os
clients = [boto3.client(service) for service in SERVICES]
client = boto3.client("dynamodb")
def handle(event):
    return client.get_item(TableName=os.environ["YPOVOLI_INDEX_TABLE"], Key={"PK": {"S": "bench"}, "SK": {"S": "x"}})
def check(answer):
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
"""

#: The function each folder is deployed as (the API folder is also the authorizers' code).
LOGICAL = {"api": "ApiFunction", "transmitter": "TransmitterFunction", "webhooks": "WebhookFunction",
           "sweeper": "SweeperFunction", "dropzone": "DropzoneFunction"}
CHECKS = {
    # Each event must have done its job: a figure for a handler that failed early would flatter it.
    "api": "assert answer['statusCode'] in (201, 202), answer",
    "transmitter": "assert not answer.get('batchItemFailures'), answer",
    "webhooks": "assert not answer.get('batchItemFailures'), answer",
    "dropzone": "assert not answer.get('batchItemFailures'), answer",
    "sweeper": "assert isinstance(answer, dict), answer",
}


#: What a restored copy does before its first event: ours, the after-restore hook; the floor, a new client.
RESTORE = {"ours": "from ypovoli import snapstart\nsnapstart.after_restore()",
           "floor": "client = boto3.client('dynamodb')"}


def services_of(name: str) -> tuple[str, ...]:
    """``AWS_SERVICES`` of ``functions/{name}/app.py``, read without importing it."""
    tree = ast.parse((ROOT / "functions" / name / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "AWS_SERVICES" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise LookupError(f"functions/{name}/app.py declares no AWS_SERVICES")


def floor_of(name: str) -> str:
    return FLOOR_PROGRAM.replace("SERVICES", repr(services_of(name)), 1)


def _measure(load: str, events: list[dict[str, Any]], env: dict[str, str], snapstart: bool = False,
             floor: bool = False) -> dict[str, Any]:
    """``snapstart``: the init is a snapshot's (``snapstart.prime`` runs), then the restore hook runs
    before the events — what a SnapStart cold start does after Lambda resumes the snapshot."""
    restore = RESTORE["floor" if floor else "ours"] if snapstart else "pass"
    if snapstart:
        env = {**env, "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(events, f)
    try:
        out = subprocess.run([sys.executable, "-c", PROGRAM.format(load=load, restore=restore), f.name], env=env,
                             capture_output=True, text=True, timeout=180, cwd=ROOT)
    finally:
        os.unlink(f.name)
    if out.returncode != 0:
        raise RuntimeError(f"measured process failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


class Capture:
    """Stands in for the Chalice app behind the local gateway: keeps the event API Gateway would
    have sent (the authorizer's context in it) instead of running it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.events: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        if isinstance(event.get("body"), bytes):  # as API Gateway sends it: text, or base64 when binary
            event = {**event, "body": event["body"].decode()}
        self.events.append(event)
        return {"statusCode": 200, "headers": {}, "body": ""}


def _received(sqs: Any, url: str, arn: str, wanted: int) -> list[dict[str, Any]]:
    from .pollers import sqs_event

    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while len(messages) < wanted and time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1, VisibilityTimeout=600,
                                  AttributeNames=["All"]).get("Messages", [])
        messages += got
    if len(messages) < wanted:
        raise RuntimeError(f"{url}: {len(messages)} of {wanted} messages arrived")
    for m in messages:  # the measured handler does the work; nobody else will see these again
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return [sqs_event([m], arn) for m in messages[:wanted]]


def rounds(count: int) -> list[dict[str, Any]]:
    import boto3
    import urllib3

    sys.path.insert(0, str(ROOT))
    import logging

    from ypovoli import clock
    from ypovoli.settings import get_settings
    from ypovoli.store.index import Index

    from tests.factories import invoice

    from .bench_cost import _Receiver
    from .front import gateway_call, new_gateway
    from .stack import DEMO_TENANT, LOCAL_OVERRIDES, LocalStack, StackConfig, free_port, function_environment

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    stack = LocalStack(StackConfig(port=free_port("127.0.0.1"), tick_s=3600, api_instances=1,
                                   log_file=Path(os.devnull), log_level="ERROR"))
    stack.start()
    stack.stop_event.set()   # the pollers and tickers leave: the measured processes take every event
    for thread in (*stack.pollers, *stack.tickers):
        thread.join(timeout=10)
    receiver = _Receiver()
    import threading

    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    settings = get_settings()
    Index(settings.index_table, settings.outbox_shards).set_webhook(
        DEMO_TENANT, f"http://127.0.0.1:{receiver.server_address[1]}/", "bench-secret-0123456789abcdef")
    session = boto3.session.Session()
    sqs, res = session.client("sqs"), stack.resources
    every = res.functions()
    functions = {name: (logical, every[logical]) for name, logical in LOGICAL.items()}
    aws_env = {k: os.environ[k] for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                          "AWS_DEFAULT_REGION", "AWS_REGION")}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("YPOVOLI_", "AWS_", "POWERTOOLS_"))}
    # The measured processes import the layer as deployed (bench_common.deployed_layer), when given.
    layer = os.environ.get("BENCH_LAYER") or str(ROOT / "layers/core")
    base["PYTHONPATH"] = os.pathsep.join([layer, str(ROOT / "scripts")])

    def env_of(name: str) -> dict[str, str]:
        logical, _ = functions[name]
        profile = {"BENCH_FIRST_PROFILE": f"{os.environ['BENCH_FIRST_PROFILE']}.{name}"} \
            if os.environ.get("BENCH_FIRST_PROFILE") else {}
        # As Lambda sets it (ypovoli.coldstart freezes the init's heap only there).
        return {**base, **aws_env, **profile, **function_environment(res.function_environment(logical), LOCAL_OVERRIDES,
                                                          stack.shell), "LOG_LEVEL": "ERROR",
                "POWERTOOLS_LOG_LEVEL": "ERROR", "POWERTOOLS_SERVICE_NAME": "ypovoli",
                "AWS_LAMBDA_FUNCTION_NAME": logical}

    def load(name: str) -> str:
        attribute = functions[name][1]["Handler"].split(".", 1)[1]
        return HANDLER.format(path=str(ROOT / "functions" / name / "app.py"), name=name, attribute=attribute,
                              check=CHECKS[name])

    def queue(logical: str) -> tuple[str, str]:
        return res.physical[logical], res.arns[logical]

    def queue_of(name: str) -> tuple[str, str]:
        detail = next(e["Properties"] for e in functions[name][1]["Events"].values() if e["Type"] == "SQS")
        arn = res.resolve(detail["Queue"])
        logical = next(k for k, v in res.arns.items() if v == arn)
        return queue(logical)

    pump = next(json.loads(e["Properties"].get("Input", "{}")) for e in functions["sweeper"][1]["Events"].values()
                if e["Type"] == "ScheduleV2" and str(e["Properties"]["ScheduleExpression"]).startswith("rate("))
    zip_path = ROOT / "examples" / "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"
    http = urllib3.PoolManager()
    out = []
    try:
        for r in range(count * 2):
            snap = r % 2 == 1
            round_: dict[str, Any] = {"mode": "snapstart" if snap else "on-demand"}

            def floor(name: str, round_: dict[str, Any] = round_, snap: bool = snap) -> None:
                # Each floor right before its handler: this machine's speed drifts over seconds, and a
                # ratio is only as good as the two measurements are close in time.
                round_[f"floor:{name}"] = _measure(floor_of(name), [{}, {}], env_of(name), snap, floor=True)

            capture = Capture(stack.api.app)
            gateway = new_gateway(stack.api.app)
            gateway._app_object = capture  # type: ignore[assignment]
            today = clock.athens_now().date()
            for n in range(2):
                body = json.dumps(invoice(aa=f"COLD{r}-{n}-{time.time_ns()}", issue_date=today)).encode()
                gateway_call(gateway, "POST", "/v1/invoices", {"x-api-key": stack.demo_key,
                                                               "content-type": "application/json"}, body)
            floor("api")
            round_["api"] = _measure(load("api"), capture.events, env_of("api"), snap)
            floor("transmitter")
            round_["transmitter"] = _measure(load("transmitter"), _received(sqs, *queue_of("transmitter"), 2),
                                             env_of("transmitter"), snap)
            floor("webhooks")
            round_["webhooks"] = _measure(load("webhooks"), _received(sqs, *queue_of("webhooks"), 2),
                                          env_of("webhooks"), snap)
            floor("sweeper")
            round_["sweeper"] = _measure(load("sweeper"), [pump, pump], env_of("sweeper"), snap)
            live = new_gateway(stack.api.app)
            for _ in range(2):
                status, _, answer = gateway_call(live, "POST", "/v1/dossiers/uploads", {
                    "x-api-key": stack.demo_key, "content-type": "application/json"}, json.dumps({
                        "afm": "800123456", "project_code": "ΚΡ-67890", "request_type": "ΕΝΔΙΑΜΕΣΟ",
                        "filename": "ΚΡ-67890_ΕΝΔΙΑΜΕΣΟ.zip"}).encode())
                offer = json.loads(answer)
                assert status in (200, 201), answer
                sent = http.request("POST", offer["upload"]["url"], fields={
                    **offer["upload"]["fields"], "file": (zip_path.name, zip_path.read_bytes(), "application/zip")})
                assert sent.status < 300, sent.data
            floor("dropzone")
            round_["dropzone"] = _measure(load("dropzone"), _received(sqs, *queue_of("dropzone"), 2),
                                          env_of("dropzone"), snap)
            out.append(round_)
            print(json.dumps(round_), flush=True)
    finally:
        receiver.shutdown()
        stack.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each mode (on demand, SnapStart)")
    rounds(parser.parse_args(argv).rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
