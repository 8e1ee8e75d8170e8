"""boto3 clients, created once per process. ``AWS_ENDPOINT_URL`` (the local stack sets it to the
moto server) points them elsewhere without any code change.

Every client comes from one session whose botocore loader is shared: a session of its own per client
would parse botocore's endpoint rules and each service's model again (the first event of the
transmitter spent ~0.4 s of its ~1.1 s cold extra that way — issue 17 §2, ``bench_first.py``). The
loader holds only botocore's data files, so it also survives a SnapStart restore, where the session
(credentials) and the clients (connections) are made anew.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=10)
_LOCK = threading.Lock()   # a boto3 session is not safe to create clients from on several threads at once


@cache
def _loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


@cache
def _session() -> boto3.session.Session:
    core = botocore.session.get_session()
    core.register_component("data_loader", _loader())
    return boto3.session.Session(botocore_session=core)


@cache
def client(service: str) -> Any:
    with _LOCK:
        return _session().client(service, config=_CONFIG)  # type: ignore[call-overload]


def forget_clients() -> None:
    """New clients and a new session (fresh credentials, fresh connections) on next use; the parsed
    botocore data stays."""
    client.cache_clear()
    _session.cache_clear()


class TableStore:
    """A store over the index table: its name, the number of shards its time indexes use, and the
    process's DynamoDB client (created once, on first use)."""

    def __init__(self, table: str, shards: int = 4) -> None:
        self.table = table
        self.shards = shards

    @property
    def _ddb(self) -> Any:
        return client("dynamodb")
