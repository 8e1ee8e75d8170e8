"""boto3 clients, created once per process. ``AWS_ENDPOINT_URL`` (the local stack sets it to the
moto server) points them elsewhere without any code change."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=3, read_timeout=10)


@cache
def client(service: str) -> Any:
    return boto3.session.Session().client(service, config=_CONFIG)  # type: ignore[call-overload]


class TableStore:
    """A store over the index table: its name, the number of shards its time indexes use, and the
    process's DynamoDB client (created once, on first use)."""

    def __init__(self, table: str, shards: int = 4) -> None:
        self.table = table
        self.shards = shards

    @property
    def _ddb(self) -> Any:
        return client("dynamodb")
