"""DynamoDB attribute-value conversions shared by the store modules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def conditional(call: Callable[..., Any], **request: Any) -> Any | None:
    """One conditional DynamoDB write (``update_item``, ``put_item``, ``delete_item``,
    ``transact_write_items``): its answer, or ``None`` when its condition refused it — someone else
    got there first, which is an outcome here, not an error. Every other failure is raised."""
    try:
        return call(**request)
    except ClientError as exc:
        if condition_failed(exc):
            return None
        raise


def query_items(ddb: Any, limit: int | None = None, page_size: int = 100, **request: Any) -> Iterator[dict[str, Any]]:
    """Every item a DynamoDB ``query`` returns, page after page (``Limit`` ``page_size`` each, the next
    from ``LastEvaluatedKey``), up to ``limit``. A plain loop rather than botocore's paginator, which
    loads its paginator models with its first use: a few milliseconds of the sweeper's and the
    dropzone's first events (issue 17 §2), for the same calls."""
    request = {**request, "Limit": page_size}
    left = limit
    while left is None or left > 0:
        page = ddb.query(**request)
        items = page.get("Items", [])
        if left is not None:
            items = items[:left]
            left -= len(items)
        yield from items
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def batch_get(ddb: Any, table: str, keys: list[dict[str, Any]], key_names: tuple[str, ...] = ("PK", "SK"),
              consistent: bool = False, attributes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The items at ``keys``, in the order of ``keys`` (one gone meanwhile is left out): BatchGetItem a
    hundred at a time, its unprocessed keys asked again. What a ``KEYS_ONLY`` index found, read whole —
    or only ``attributes`` (the keys are always read)."""
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    wanted = list(dict.fromkeys((*key_names, *attributes))) if attributes else []
    projection = {"ProjectionExpression": ", ".join(f"#a{i}" for i in range(len(wanted))),
                  "ExpressionAttributeNames": {f"#a{i}": name for i, name in enumerate(wanted)}} if wanted else {}
    for start in range(0, len(keys), 100):
        chunk = [{k: key[k] for k in key_names} for key in keys[start:start + 100]]
        pending: dict[str, Any] = {table: {"Keys": chunk, "ConsistentRead": consistent, **projection}}
        while pending:
            got = ddb.batch_get_item(RequestItems=pending)
            for raw in got.get("Responses", {}).get(table, []):
                found[tuple(str(raw[k]["S"]) for k in key_names)] = raw
            pending = got.get("UnprocessedKeys") or {}
    return [found[k] for k in (tuple(str(key[n]["S"]) for n in key_names) for key in keys) if k in found]


def batch_write(ddb: Any, table: str, requests: list[dict[str, Any]], tries: int = 8) -> None:
    """Put/delete requests, 25 a call, what DynamoDB leaves unprocessed sent again; ``RuntimeError``
    if some are still left after ``tries`` rounds."""
    for start in range(0, len(requests), 25):
        pending: dict[str, Any] = {table: requests[start:start + 25]}
        for _ in range(tries):
            pending = ddb.batch_write_item(RequestItems=pending).get("UnprocessedItems", {})
            if not pending:
                break
        else:
            raise RuntimeError(f"DynamoDB left items unwritten after {tries} tries")
