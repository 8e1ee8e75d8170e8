"""The cost meter's arithmetic (issue 17 §3): DynamoDB's sizing rules and the bill, against figures worked
by hand from AWS's own definitions (1 KB per write unit, 4 KB per read unit, transactions twice)."""

from __future__ import annotations

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
                          {"function": "platform", "service": "sqs", "operation": "ReceiveMessage", "count": 99}],
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
    assert "sqs" not in calls   # the pollers' receives are the platform's, not the submission's
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
