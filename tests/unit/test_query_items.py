"""``store.items.query_items``: every item of a query, page after page, up to a limit — and no call
more than the items asked for need (a plain loop over ``LastEvaluatedKey``, on moto's DynamoDB)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from ypovoli.store.items import query_items


@pytest.fixture
def table() -> Iterator[Any]:
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="eu-central-1")
        ddb.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        for n in range(7):
            ddb.put_item(TableName="t", Item={"pk": {"S": "p"}, "sk": {"S": f"{n:02d}"}})
        ddb.put_item(TableName="t", Item={"pk": {"S": "other"}, "sk": {"S": "00"}})
        calls: list[dict[str, Any]] = []
        ddb.meta.events.register("provide-client-params.dynamodb.Query",
                                 lambda params, **_: calls.append(dict(params)))
        yield ddb, calls


def _sks(ddb: Any, limit: int | None, page_size: int) -> list[str]:
    return [i["sk"]["S"] for i in query_items(ddb, limit, page_size, TableName="t",
                                              KeyConditionExpression="pk = :p",
                                              ExpressionAttributeValues={":p": {"S": "p"}})]


@pytest.mark.parametrize(("limit", "page_size", "expected", "queries"), [
    (None, 3, [f"{n:02d}" for n in range(7)], 3),    # 3 + 3 + 1, the last page has no LastEvaluatedKey
    (None, 100, [f"{n:02d}" for n in range(7)], 1),
    (4, 3, ["00", "01", "02", "03"], 2),              # stops inside the second page
    (3, 3, ["00", "01", "02"], 1),                    # a full first page is enough: no second call
    (0, 3, [], 0),                                    # nothing asked for, nothing read
])
def test_pages_up_to_the_limit_and_no_further(table: tuple[Any, list[dict[str, Any]]], limit: int | None,
                                              page_size: int, expected: list[str], queries: int) -> None:
    ddb, calls = table
    assert _sks(ddb, limit, page_size) == expected
    assert len(calls) == queries and all(c["Limit"] == page_size for c in calls)
    assert [("ExclusiveStartKey" in c) for c in calls] == ([False] + [True] * (queries - 1))[:queries]
