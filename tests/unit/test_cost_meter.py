"""The cost meter's arithmetic (issue 17 §3): DynamoDB's sizing rules and the bill, against figures worked
by hand from AWS's own definitions (1 KB per write unit, 4 KB per read unit, transactions twice)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from ypovoli_local.bench_cost import PRICES, _bill
from ypovoli_local.meter import Meter, item_size, read_units, write_units


def test_item_size_counts_names_and_values() -> None:
    # "PK" (2) + "TENANT#a" (8) + "n" (1) + "12" (2) + "tags" (4) + list overhead 3 + ("x" 1 + 1) = 22
    assert item_size({"PK": {"S": "TENANT#a"}, "n": {"N": "12"}, "tags": {"L": [{"S": "x"}]}}) == 22


@pytest.mark.parametrize(("size", "units"), [(1, 1), (1024, 1), (1025, 2), (3000, 3)])
def test_a_write_unit_is_one_kilobyte(size: int, units: int) -> None:
    assert write_units(size) == units


def test_a_read_unit_is_four_kilobytes_and_half_when_eventually_consistent() -> None:
    assert read_units(4096, True) == 1 and read_units(4097, True) == 2 and read_units(8000, False) == 1


def test_a_transaction_costs_twice_its_writes() -> None:
    meter = Meter()
    request = {"TransactItems": [{"Put": {"TableName": "t", "Item": {"PK": {"S": "x" * 1500}}}},
                                 {"ConditionCheck": {"TableName": "t", "Key": {"PK": {"S": "k"}}}}]}
    meter._capacity("ApiFunction", "TransactWriteItems", request, {})
    assert meter.wru["ApiFunction"] == 2 * 2 + 2 * 1


def test_the_bill_is_the_counts_at_the_list_prices() -> None:
    snapshot = {"calls": [{"function": "ApiFunction", "service": "s3", "operation": "PutObject", "count": 2},
                          {"function": "ApiFunction", "service": "s3", "operation": "GetObject", "count": 1},
                          {"function": "platform", "service": "sqs", "operation": "ReceiveMessage", "count": 2},
                          {"function": "platform", "service": "sqs", "operation": "DeleteMessageBatch", "count": 2},
                          {"function": "platform", "service": "sqs", "operation": "ReceiveMessage (empty)",
                           "count": 99}],
                "wru": {"ApiFunction": 4}, "rru": {"ApiFunction": 1.0}, "invocations": {"ApiFunction": 1},
                "milliseconds": {"ApiFunction": 0.0}, "waiting_ms": {}, "api_requests": 1}
    per_1000, lines, calls = _bill(snapshot, {"ApiFunction": 1024}, 1, {"ApiFunction"})
    expected_s3 = 2 * PRICES["s3_put"] + PRICES["s3_get"]
    assert lines["S3 requests"] == pytest.approx(expected_s3 * 1000)
    dynamodb = (4 * PRICES["dynamodb_wru"] + PRICES["dynamodb_rru"]) * 1000
    assert lines["DynamoDB request units"] == pytest.approx(dynamodb)
    # 1 GB for 3 S3 calls × 30 ms in place of moto's time, and one request
    lambda_line = (1 * 0.090 * PRICES["lambda_gb_second"] + PRICES["lambda_request"]) * 1000
    assert lines["Lambda (GB-s + requests)"] == pytest.approx(lambda_line)
    # Lambda's pollers: the receives that brought messages and their deletes are billed, idle polls apart
    assert lines["SQS requests"] == pytest.approx(4 * PRICES["sqs_request"] * 1000)
    assert calls["sqs (Lambda's pollers)"] == 4 and "sqs" not in calls
    assert per_1000 == pytest.approx(sum(lines.values()))


def test_write_units_are_also_counted_by_item_kind() -> None:
    from ypovoli_local.meter import Meter, item_kind

    assert item_kind("idx", {"PK": {"S": "TENANT#t"}, "SK": {"S": "OUTBOX#01J"}}) == "idx:OUTBOX"
    assert item_kind("idx", {"PK": {"S": "TENANT#t"}, "SK": {"S": "#META"}}) == "idx:META"
    assert item_kind("idx", {"PK": {"S": "TENANT#t#CARDS#8"}, "SK": {"S": "2026-12-01#1#0#…"}}) == "idx:…"
    meter = Meter()
    meter._capacity("ApiFunction", "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "idx", "Item": {"PK": {"S": "TENANT#t"}, "SK": {"S": "SUB#1"}}}},
        {"Update": {"TableName": "idx", "Key": {"PK": {"S": "TENANT#t"}, "SK": {"S": "OUTBOX#1"}}}}]}, {})
    items = {i["item"]: i["units"] for i in meter.snapshot()["wru_items"]}
    assert items == {"idx:SUB": 2, "idx:OUTBOX": 2} and meter.snapshot()["wru"]["ApiFunction"] == 4


# ---- secondary indexes: figures DynamoDB reports under ReturnConsumedCapacity=INDEXES, as captured
# against AWS and recorded in the dynoxide emulator's tests (src/actions/index_capacity.rs) -----------

def _s(n: int, letter: str = "x") -> dict[str, str]:
    return {"S": letter * n}


def _item(**attrs: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"pk": {"S": "a"}, "sk": {"S": "1"}, **attrs}


def _table(projection: str, include: tuple[str, ...] = ()) -> Any:
    from ypovoli_local.meter import IndexShape, TableShape

    return TableShape(("pk", "sk"), (IndexShape("gsi", ("gsiPk",), projection, include),))


def test_joining_an_index_costs_its_entry_and_leaving_it_the_old_entry() -> None:
    from ypovoli_local.meter import write_cost

    member = _item(gsiPk={"S": "g"}, proj={"S": "p"})
    assert write_cost(_table("INCLUDE", ("proj",)), None, member) == (1, {"gsi": 1})
    # S7: REMOVE of the index key under a 3,017-byte entry: the index is charged 3
    old, new = _item(gsiPk={"S": "g"}, proj=_s(3000)), _item(proj=_s(3000))
    assert write_cost(_table("INCLUDE", ("proj",)), old, new)[1] == {"gsi": 3}
    # S6: a delete charges the old entry; a non-member's delete charges no index
    assert write_cost(_table("INCLUDE", ("proj",)), old, None)[1] == {"gsi": 3}
    assert write_cost(_table("INCLUDE", ("proj",)), _item(other={"S": "o"}), None)[1] == {}


def test_a_change_outside_the_projection_costs_an_all_index_only() -> None:
    from ypovoli_local.meter import write_cost

    old, new = _item(gsiPk={"S": "g"}, other={"S": "o"}), _item(gsiPk={"S": "g"}, other={"S": "o2"})
    assert write_cost(_table("KEYS_ONLY"), old, new)[1] == {}
    assert write_cost(_table("INCLUDE", ("proj",)), old, new)[1] == {}
    assert write_cost(_table("ALL"), old, new)[1] == {"gsi": 1}


def test_an_index_entry_changed_in_place_costs_its_larger_image_and_a_moved_key_both() -> None:
    from ypovoli_local.meter import write_cost

    table = _table("INCLUDE", ("proj",))
    big, small = _item(gsiPk={"S": "g"}, proj=_s(3000)), _item(gsiPk={"S": "g"}, proj={"S": "p"})
    assert write_cost(table, big, small)[1] == {"gsi": 3} and write_cost(table, small, big)[1] == {"gsi": 3}  # S2, S3
    a, b = _item(gsiPk={"S": "A"}, proj=_s(1500)), _item(gsiPk={"S": "B"}, proj=_s(1500))
    assert write_cost(table, a, b)[1] == {"gsi": 4}                                                       # S4
    assert write_cost(table, _item(gsiPk={"S": "A"}, proj=_s(3000)),
                      _item(gsiPk={"S": "B"}, proj={"S": "p"}))[1] == {"gsi": 4}                          # S5
    assert write_cost(table, _item(gsiPk={"S": "g"}), _item(gsiPk={"S": "g2"}))[1] == {"gsi": 2}


def test_the_table_write_is_sized_on_the_larger_image_and_the_index_on_its_projection() -> None:
    from ypovoli_local.meter import write_cost

    # S1: a 3,023-byte item with an 18-byte projected entry: table 3, index 1 (ALL stores it all: 3)
    item = _item(gsiPk={"S": "g"}, proj={"S": "p"}, other=_s(3000))
    assert write_cost(_table("INCLUDE", ("proj",)), None, item) == (3, {"gsi": 1})
    assert write_cost(_table("ALL"), None, item) == (3, {"gsi": 3})
    # a shrink is billed on the item it replaced; in a transaction, twice
    assert write_cost(_table("KEYS_ONLY"), item, _item(), transactional=True) == (6, {"gsi": 1})


@contextmanager
def _installed() -> Iterator[Any]:
    """A meter installed on boto3 over moto, as the local stack installs it; boto3 restored after."""
    import boto3
    from moto import mock_aws
    from ypovoli_local.meter import Meter

    meter, original = Meter(), boto3.session.Session.client
    with mock_aws():
        try:
            meter.install()
            yield meter
        finally:
            boto3.session.Session.client = original  # type: ignore[method-assign]


def test_the_installed_meter_reads_what_each_write_changed_and_prices_its_indexes() -> None:
    import boto3

    with _installed() as meter:
        ddb = boto3.client("dynamodb", region_name="eu-central-1")
        ddb.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g1", "g2")],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {"IndexName": "All", "KeySchema": [{"AttributeName": "g1", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "Keys", "KeySchema": [{"AttributeName": "g2", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "KEYS_ONLY"}}])
        key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
        with meter.invocation("F"):
            ddb.put_item(TableName="t", Item={**key, "g1": {"S": "x"}, "g2": {"S": "d1"}, "body": _s(1500)})
        first = meter.snapshot()
        with meter.invocation("F"):   # moves g2's key, shrinks the item
            ddb.update_item(TableName="t", Key=key, UpdateExpression="SET g2 = :d, body = :b",
                            ExpressionAttributeValues={":d": {"S": "d2"}, ":b": {"S": "y"}})
        second = meter.snapshot()
    by_index = {i["index"]: i["units"] for i in first["index_wru"]}
    assert by_index == {"All": 2, "Keys": 1} and first["wru"]["F"] == 2 + 2 + 1
    by_index = {i["index"]: i["units"] for i in second["index_wru"]}
    # the update: table on the larger (old) image 2; All in place 2; Keys moved: a delete and a put
    assert by_index == {"All": 2 + 2, "Keys": 1 + 2} and second["wru"]["F"] == 5 + 2 + 2 + 2
    assert ("F", "dynamodb", "BatchGetItem") not in {(c["function"], c["service"], c["operation"])
                                                      for c in second["calls"]}   # its own reads are not billed


def test_an_idle_poll_is_told_from_a_receive_that_brought_messages() -> None:
    import boto3
    from ypovoli_local.meter import EMPTY_RECEIVE

    with _installed() as meter:
        sqs = boto3.client("sqs", region_name="eu-central-1")
        url = sqs.create_queue(QueueName="q")["QueueUrl"]
        sqs.receive_message(QueueUrl=url)
        sqs.send_message(QueueUrl=url, MessageBody="{}")
        sqs.receive_message(QueueUrl=url)
    calls = {c["operation"]: c["count"] for c in meter.snapshot()["calls"] if c["service"] == "sqs"}
    assert calls[EMPTY_RECEIVE] == 1 and calls["ReceiveMessage"] == 1 and calls["SendMessage"] == 1
