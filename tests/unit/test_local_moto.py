"""The local stack's moto answers a DynamoDB query from the partition it names
(``ypovoli_local.moto_server.partition_queries``): the same answers as moto's own, page by page."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.table import Table
from ypovoli_local.moto_server import partition_queries

QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "P3"}}},
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "P3"}},
     "ScanIndexForward": False, "Limit": 4},
    {"KeyConditionExpression": "PK = :p AND begins_with(SK, :s)",
     "ExpressionAttributeValues": {":p": {"S": "P1"}, ":s": {"S": "S00001"}}},
    {"KeyConditionExpression": "PK = :p", "FilterExpression": "n > :n",
     "ExpressionAttributeValues": {":p": {"S": "P2"}, ":n": {"N": "40"}}, "Limit": 3},
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "nobody"}}},
    {"IndexName": "by-g", "KeyConditionExpression": "G = :g", "ExpressionAttributeValues": {":g": {"S": "G1"}}},
    {"IndexName": "by-g", "KeyConditionExpression": "G = :g AND SK > :s", "Limit": 5,
     "ExpressionAttributeValues": {":g": {"S": "G0"}, ":s": {"S": "S000010"}}, "ScanIndexForward": False},
]


def _answers() -> list[list[list[dict[str, Any]]]]:
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name="eu-central-1")
        ddb.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "G")],
            GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
                {"AttributeName": "G", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}]}])
        # Written out of order, so an unsorted partition would show.
        for i in sorted(range(60), key=lambda i: (i * 37) % 60):
            item = {"PK": {"S": f"P{i % 4}"}, "SK": {"S": f"S{i:06d}"}, "n": {"N": str(i)}}
            if i % 3:
                item["G"] = {"S": f"G{i % 2}"}
            ddb.put_item(TableName="t", Item=item)
        answers = []
        for query in QUERIES:
            pages, start = [], None
            while True:
                page = ddb.query(TableName="t", **query, **({"ExclusiveStartKey": start} if start else {}))
                pages.append(page["Items"])
                start = page.get("LastEvaluatedKey")
                if not start:
                    break
            answers.append(pages)
        scanned = ddb.scan(TableName="t", Limit=7)
        answers.append([scanned["Items"], ddb.scan(TableName="t", ExclusiveStartKey=scanned["LastEvaluatedKey"],
                                                   Limit=7)["Items"]])
        return answers


def test_partitioned_queries_answer_as_moto_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto's own methods, even where the local stack already partitioned them in this process
    monkeypatch.setattr(Table, "query", getattr(Table.query, "_moto", Table.query))
    monkeypatch.setattr(Table, "all_items", getattr(Table.all_items, "_moto", Table.all_items))
    moto_own = _answers()
    partition_queries()
    assert getattr(Table.query, "_partitioned", False)
    assert _answers() == moto_own
    assert any(len(pages) > 1 for pages in moto_own)   # paging was exercised
