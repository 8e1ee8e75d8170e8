"""What every bench module shares: the figure, the environment the measured processes get, and the
local stack a bench starts in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from .handlers import ROOT

FUNCTIONS = ("api", "transmitter", "sweeper", "dropzone", "webhooks")
ENV = {**os.environ, "POWERTOOLS_SERVICE_NAME": "ypovoli", "POWERTOOLS_METRICS_NAMESPACE": "Ypovoli",
       "AWS_DEFAULT_REGION": "eu-central-1", "PYTHONPATH": os.pathsep.join([str(ROOT / "layers/core"),
                                                                            str(ROOT / "scripts")])}


@cache
def deployed_layer() -> str:
    """The code layer as ``sam build`` makes it (``layers/core/Makefile``: the source with its bytecode,
    compiled by this interpreter in place of the runtime's), for the cold-start figures: Lambda's /opt
    is read-only, so what a cold start imports is what the layer ships — never a cache written by an
    earlier run on this machine. Its ``python`` folder, built once per bench."""
    target = ROOT / ".bench" / "layer"
    subprocess.run(["make", "-s", "-C", str(ROOT / "layers/core"), "build-CoreLayer", f"ARTIFACTS_DIR={target}",
                    f"PYTHON={sys.executable}"], check=True, capture_output=True, timeout=300)
    return str(target / "python")


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _start_stack(port: int, key: str, extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {**ENV, "YPOVOLI_PORT": str(port), "YPOVOLI_DEMO_KEY": key, "YPOVOLI_LOCAL_TICK_S": "3600",
           "LOG_LEVEL": "ERROR", "YPOVOLI_LOCAL_LOG": os.devnull, **(extra or {})}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "ypovoli_local", "local"], env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import urllib3

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib3.request("GET", f"http://127.0.0.1:{port}/health", timeout=2).status == 200:
                return process
        except urllib3.exceptions.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the local stack did not start")


def stop_stack(process: subprocess.Popen[str]) -> None:
    """Stop a stack this run started; one that will not leave within 20 s is killed (it holds
    nothing: its whole world is moto's memory)."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def stack_today(port: int) -> date:
    """The local stack's Athens day: what it sends is dated from its clock, not the machine's."""
    import urllib3

    answer = urllib3.request("GET", f"http://127.0.0.1:{port}/_local/clock", timeout=5)
    return date.fromisoformat(json.loads(answer.data)["today"])
