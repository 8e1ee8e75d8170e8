"""DynamoDB attribute-value conversions shared by the store modules."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

_ser = TypeSerializer()
_de = TypeDeserializer()


def item(data: dict[str, Any]) -> dict[str, Any]:
    """Plain values → attribute values; ``None`` fields are left out (sparse attributes)."""
    return {k: _ser.serialize(v) for k, v in data.items() if v is not None}


def plain(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: _de.deserialize(v) for k, v in attributes.items()}


def values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in data.items()}


def condition_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] in ("ConditionalCheckFailedException", "TransactionCanceledException")
