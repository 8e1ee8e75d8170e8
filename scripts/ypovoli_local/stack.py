"""Assemble and run the local stack: every part on 127.0.0.1, nothing needing an AWS account."""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
from ypovoli import clock
from ypovoli.auth import key_digest, new_api_key
from ypovoli.settings import get_settings, reset_settings
from ypovoli.store import aws
from ypovoli.store.console import ConsoleUsers
from ypovoli.store.index import Index

from .durations import parse_duration
from .ergani_simulator import ErganiSimulator
from .front import FrontServer
from .handlers import ROOT, load_function
from .moto_server import SerialMotoServer
from .mydata_simulator import MyDataSimulator
from .pollers import MonthlyTicker, QueuePoller, StreamPoller, Ticker, moto_stream_trimmer
from .template import LocalResources, load_template

DEFAULT_AFMS = ("800123456", "997123453")
DEMO_TENANT = "demo"
logger = logging.getLogger("ypovoli.local")

#: Settings that differ locally, and why: retries and leases are short so a demo shows recovery in
#: seconds; the read timeout is shorter than AWS's (20 s) so accept-then-timeout is felt quickly, yet
#: long enough that a busy machine (the suite's two workers, the fuzzer) is not mistaken for an outage.
LOCAL_OVERRIDES = {
    "YPOVOLI_BACKOFF_BASE_S": "2",
    "YPOVOLI_BACKOFF_CAP_S": "20",
    "YPOVOLI_LEASE_S": "15",
    "YPOVOLI_MYDATA_CONNECT_TIMEOUT_S": "1",
    "YPOVOLI_MYDATA_READ_TIMEOUT_S": "5",
    "YPOVOLI_WEBHOOK_BACKOFF_BASE_S": "2",
    "YPOVOLI_WEBHOOK_BACKOFF_CAP_S": "20",
    "YPOVOLI_WEBHOOK_TIMEOUT_S": "2",
    # moto answers 500 to transactions from four threads and more (see LOCAL_CONCURRENCY).
    "YPOVOLI_DROPIN_INTAKE_WORKERS": "2",
    # The demo receiver listens on loopback over plain HTTP; never set in AWS.
    "YPOVOLI_WEBHOOK_ALLOW_PRIVATE": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_DEV": "false",
}


#: Settings the stack itself decides (its resources and its simulator's credentials): a value in
#: the shell for one of these would point the stack at something it did not create.
STACK_OWNED = frozenset({
    "YPOVOLI_INDEX_TABLE", "YPOVOLI_IDEMPOTENCY_TABLE", "YPOVOLI_DOSSIER_BUCKET", "YPOVOLI_DROP_BUCKET",
    "YPOVOLI_TRANSMIT_QUEUE_URL", "YPOVOLI_WEBHOOK_QUEUE_URL", "YPOVOLI_API_KEY_PEPPER",
    "YPOVOLI_MYDATA_BASE_URL", "YPOVOLI_MYDATA_USER_ID", "YPOVOLI_MYDATA_SUBSCRIPTION_KEY",
    "YPOVOLI_ERGANI_BASE_URL", "YPOVOLI_ERGANI_USERNAME", "YPOVOLI_ERGANI_PASSWORD",
})


#: Concurrent consumers of one queue at most, locally (the template may allow more in AWS): moto
#: answers 500 to transactions driven from four threads and more, and the API already runs four.
LOCAL_CONCURRENCY = 2
#: The stream's batching window, locally at least this (seconds; ``YPOVOLI_LOCAL_STREAM_WINDOW_S``):
#: moto answers every query by looping over the whole table, one call at a time, so a summary made anew
#: each second under steady traffic held every other call of the stack. Nothing a person sees waits for
#: it — a page makes anew a summary behind a change it knows of (services/summaries.py).
LOCAL_STREAM_WINDOW_S = float(os.environ.get("YPOVOLI_LOCAL_STREAM_WINDOW_S", "5"))


def function_environment(template: dict[str, str], local: dict[str, str], shell: dict[str, str]) -> dict[str, str]:
    """What the functions see: the template's values, then the local defaults, then whatever
    ``YPOVOLI_*`` setting the person who ran ``make run`` set (``YPOVOLI_MYDATA_CHANNEL=provider``,
    ``YPOVOLI_DOUBLE_ENTRY_BOOKS=false``, …) — except the ones the stack owns."""
    chosen = {k: v for k, v in shell.items() if k.startswith("YPOVOLI_") and k not in STACK_OWNED}
    return {**template, **local, **chosen}


class PortTaken(OSError):
    """The port ``ypovoli local`` was asked to listen on is someone else's."""


def claim_port(host: str, port: int) -> None:
    """Fail at once, in one line, when the port is taken — before anything else starts."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise PortTaken(f"port {port} on {host} is taken (another `ypovoli local`?): stop it, or choose "
                            "another with --port or YPOVOLI_PORT") from None


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class StackConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    moto_port: int = 0
    mydata_port: int = 0
    demo_key: str = ""
    demo_afms: tuple[str, ...] = DEFAULT_AFMS
    #: The person who signs in to the console (``YPOVOLI_DEMO_CONSOLE_PASSWORD``; generated when unset).
    console_email: str = "demo@ypovoli.local"
    console_password: str = ""
    tick_s: float = 2.0
    #: Concurrent API requests (Lambda execution environments) the local front serves.
    api_instances: int = 4
    stack_name: str = "ypovoli-local"
    log_level: str = "WARNING"
    #: Where moto's, the pollers' and the functions' logs go (``YPOVOLI_LOCAL_LOG``): not the terminal.
    log_file: Path = Path(".ypovoli-local.log")
    #: Where the stack's clock starts relative to the machine's (``YPOVOLI_LOCAL_CLOCK_OFFSET``, an
    #: ISO-8601 duration such as ``P365D``): lets a test run the whole flow in another season.
    clock_offset: timedelta = timedelta(0)

    @classmethod
    def from_env(cls) -> StackConfig:
        afms = tuple(a.strip() for a in os.environ.get("YPOVOLI_DEMO_AFMS", "").split(",") if a.strip())
        return cls(port=int(os.environ.get("YPOVOLI_PORT", "8000")), demo_key=os.environ.get("YPOVOLI_DEMO_KEY", ""),
                   console_password=os.environ.get("YPOVOLI_DEMO_CONSOLE_PASSWORD", ""),
                   demo_afms=afms or DEFAULT_AFMS, tick_s=float(os.environ.get("YPOVOLI_LOCAL_TICK_S", "2")),
                   api_instances=max(1, int(os.environ.get("YPOVOLI_LOCAL_API_INSTANCES", "4"))),
                   log_level=os.environ.get("LOG_LEVEL", "WARNING"),
                   log_file=Path(os.environ.get("YPOVOLI_LOCAL_LOG") or ".ypovoli-local.log"),
                   clock_offset=parse_duration(os.environ.get("YPOVOLI_LOCAL_CLOCK_OFFSET") or "PT0S"))


@dataclass
class LocalStack:
    config: StackConfig
    clock: clock.OffsetClock = field(default_factory=clock.OffsetClock)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def start(self, step: Callable[[str], None] = lambda _: None) -> None:
        """Start every part; ``step`` hears what is being done (``ypovoli local`` shows it)."""
        cfg = self.config
        step("starting moto (the embedded AWS)")
        if os.environ.get("YPOVOLI_LOCAL_METER") == "1":
            from .meter import METER

            METER.install()
        self.shell = dict(os.environ)  # before the stack writes its own settings into the environment
        cfg.moto_port = cfg.moto_port or free_port(cfg.host)
        self.moto = SerialMotoServer(ip_address=cfg.host, port=cfg.moto_port, verbose=False)
        self.moto.start()
        endpoint = f"http://{cfg.host}:{cfg.moto_port}"
        os.environ.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                           "AWS_DEFAULT_REGION": "eu-central-1", "AWS_REGION": "eu-central-1"})
        self.clock.advance(cfg.clock_offset)
        clock.set_clock(self.clock)

        step("starting the myDATA and ERGANI simulators")
        user_id, sub_key = "ypovoli-local", secrets.token_hex(16)
        self.mydata = MyDataSimulator(cfg.host, cfg.mydata_port, user_id, sub_key)
        self.mydata.start()
        ergani_password = secrets.token_hex(12)
        self.ergani = ErganiSimulator(cfg.host, 0, "ypovoli-local", ergani_password)
        self.ergani.start()

        self.resources = LocalResources(cfg.stack_name, load_template(ROOT / "template.yaml"), parameters={
            "Stage": "dev", "ApiKeyPepper": secrets.token_hex(24), "MyDataBaseUrl": self.mydata.base_url,
            "MyDataUserId": user_id, "MyDataSubscriptionKey": sub_key, "ErganiBaseUrl": self.ergani.base_url,
            "ErganiUsername": "ypovoli-local", "ErganiPassword": ergani_password,
        })
        session = boto3.session.Session()
        step("creating template.yaml's tables, buckets and queues on moto")
        self.resources.create(session)
        os.environ.update(function_environment(self.resources.function_environment("ApiFunction"), LOCAL_OVERRIDES,
                                               self.shell))
        os.environ["LOG_LEVEL"] = cfg.log_level
        os.environ["POWERTOOLS_LOG_LEVEL"] = cfg.log_level
        reset_settings()
        aws.client.cache_clear()

        step("seeding the demo tenant, its key and the console's person")
        self.demo_key = cfg.demo_key or new_api_key()
        settings = get_settings()
        index = Index(settings.index_table, settings.outbox_shards)
        index.put_tenant(DEMO_TENANT, "Demo business (local stack)", list(cfg.demo_afms))
        index.put_api_key(key_digest(self.demo_key, settings.api_key_pepper), DEMO_TENANT, clock.now())
        self.console_password = cfg.console_password or secrets.token_urlsafe(12)
        ConsoleUsers(settings.index_table).put_user(DEMO_TENANT, cfg.console_email, self.console_password,
                                                    clock.now())

        step("loading the functions and their pollers")
        self.api = load_function("api")
        self._wire_events(session.client("sqs"))
        apps = [self.api.app] + [load_function("api", instance=i).app for i in range(1, cfg.api_instances)]
        self.front = FrontServer((cfg.host, cfg.port), self, apps)
        self.config.port = self.front.server_address[1]
        for thread in (*self.pollers, *self.tickers):
            thread.start()
        self._front_thread = threading.Thread(target=self.front.serve_forever, name="front", daemon=True)
        self._front_thread.start()

    def _wire_events(self, sqs: Any) -> None:
        """Every function's SQS and schedule events, read from template.yaml (no second list)."""
        self.pollers: list[QueuePoller | StreamPoller] = []
        self.tickers: list[Ticker] = []
        queue_of_arn = {arn: logical for logical, arn in self.resources.arns.items()}
        for logical, props in self.resources.functions().items():
            module = load_function(Path(props["CodeUri"]).name)
            handler = getattr(module, props["Handler"].split(".", 1)[1])
            for event in props.get("Events", {}).values():
                detail = event.get("Properties", {})
                if event["Type"] == "SQS":
                    queue = queue_of_arn[self.resources.resolve(detail["Queue"])]
                    # As Lambda scales an SQS source up to its MaximumConcurrency, each environment with
                    # its own module state — bounded here by what moto survives (LOCAL_CONCURRENCY).
                    wanted = int(detail.get("ScalingConfig", {}).get("MaximumConcurrency", 1))
                    for instance in range(min(wanted, LOCAL_CONCURRENCY)):
                        own = handler if instance == 0 else getattr(
                            load_function(Path(props["CodeUri"]).name, instance=instance),
                            props["Handler"].split(".", 1)[1])
                        self.pollers.append(QueuePoller(
                            sqs, self.resources.physical[queue], self.resources.arns[queue], own, logical,
                            int(detail.get("BatchSize", 10)), self.stop_event))
                elif event["Type"] == "DynamoDB":
                    table = next(k for k, v in self.resources.streams.items()
                                 if v == self.resources.resolve(detail["Stream"]))
                    self.pollers.append(StreamPoller(
                        boto3.client("dynamodbstreams"), self.resources.streams[table], handler, logical,
                        int(detail.get("BatchSize", 100)),
                        [json.loads(f["Pattern"]) for f in detail.get("FilterCriteria", {}).get("Filters", [])],
                        str(detail.get("StartingPosition", "TRIM_HORIZON")), self.stop_event,
                        moto_stream_trimmer(self.resources.physical[table], self.moto.lock),
                        max(float(detail.get("MaximumBatchingWindowInSeconds", 0)), LOCAL_STREAM_WINDOW_S)))
                elif event["Type"] == "ScheduleV2":
                    payload = json.loads(detail.get("Input", "{}"))
                    expression = str(detail["ScheduleExpression"])
                    if expression.startswith("rate("):
                        self.tickers.append(Ticker(handler, payload, logical, self.config.tick_s, self.stop_event))
                    elif expression.startswith("cron(0 ") and " 1 * ? *)" in expression:
                        self.tickers.append(MonthlyTicker(handler, payload, logical, self.config.tick_s,
                                                          self.stop_event))
                    else:
                        raise ValueError(f"{logical}: schedule {expression} has no local equivalent yet")

    def advance_clock(self, delta: timedelta) -> None:
        """Move the clock and wake every schedule: they sweep on their own threads at once, so this
        answers immediately however long a sweep takes on moto (``POST /_local/sweep`` waits for one)."""
        self.clock.advance(delta)
        for ticker in self.tickers:
            ticker.wake.set()

    def reset(self) -> dict[str, Any]:
        """``POST /_local/reset``: what the demos change, back as ``make run`` left it — both upstream
        simulators up with nothing scripted and their tokens valid, the demo tenant without a webhook.
        What was submitted stays (it is the dossier), and the clock stays where it is: like time, it
        only moves forward, and every demo dates what it sends from it."""
        self.mydata.configure("up")
        self.ergani.configure("up")
        Index(get_settings().index_table, get_settings().outbox_shards).set_webhook(DEMO_TENANT, None, None)
        now = clock.athens_now()
        return {"mydata": self.mydata.state.stats(), "ergani": self.ergani.state.stats(), "webhook": None,
                "now": now.isoformat(), "today": now.date().isoformat()}

    def sweep_now(self) -> Any:
        pump = next(t for t in self.tickers if not isinstance(t, MonthlyTicker))
        return pump.tick()

    def describe(self) -> dict[str, Any]:
        cfg = self.config
        return {
            "api": f"http://{cfg.host}:{cfg.port}",
            "aws_endpoint (moto)": f"http://{cfg.host}:{cfg.moto_port}",
            "mydata_simulator": self.mydata.base_url,
            "ergani_simulator": self.ergani.base_url,
            "demo_key": self.demo_key,
            "console": f"http://{cfg.host}:{cfg.port}/console",
            "console_sign_in": f"{cfg.console_email} / {self.console_password}",
            "demo_afms": list(cfg.demo_afms),
            "index_table": self.resources.physical.get("IndexTable"),
            "dossier_bucket": self.resources.physical.get("DossierBucket"),
            "drop_bucket": self.resources.physical.get("DropBucket"),
        }

    def holds_demo_key(self, key: str) -> bool:
        return bool(key) and hmac.compare_digest(key.encode(), self.demo_key.encode())

    def admin_target(self) -> dict[str, str]:
        """Where the administration CLI writes on this stack (the pepper is this stack's own, made
        for it; in AWS the CLI reads the deployed function's)."""
        settings = get_settings()
        return {"aws_endpoint": f"http://{self.config.host}:{self.config.moto_port}", "region": "eu-central-1",
                "stack": self.config.stack_name, "tenant": DEMO_TENANT,
                "index_table": settings.index_table, "api_key_pepper": settings.api_key_pepper,
                "secrets_prefix": settings.tenant_secrets_prefix}

    def stop(self) -> None:
        self.stop_event.set()
        self.front.shutdown()
        self.front.server_close()
        self.mydata.stop()
        self.ergani.stop()
        self.moto.stop()
