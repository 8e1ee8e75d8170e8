"""DynamoDB's own refusals are not our 500s (issue 18 §3): a transaction cancelled for a conflict with
another transaction is written again after a short pause; one that keeps conflicting, or a table
that keeps throttling, ends in a 503 with Retry-After and nothing kept — never a 500, never half."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.factories import invoice
from tests.integration.conftest import World
from tests.integration.test_api import call


def conflict() -> ClientError:
    return ClientError({"Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                        "CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"},
                                                {"Code": "None"}, {"Code": "None"}]}, "TransactWriteItems")


def throttled() -> ClientError:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                       "TransactWriteItems")


@pytest.fixture
def flaky_index(world: World, monkeypatch: pytest.MonkeyPatch) -> list[ClientError]:
    """Errors the next TransactWriteItems calls raise, in order; after them, the real call."""
    from ypovoli.store.aws import client as real
    from ypovoli.store.index import Index

    pending: list[ClientError] = []

    def client(name: str) -> Any:
        ddb = real(name)

        class Wrapped:
            def __getattr__(self, attr: str) -> Any:
                if attr == "transact_write_items" and pending:
                    def fail(**_: Any) -> Any:
                        raise pending.pop(0)
                    return fail
                return getattr(ddb, attr)

        return Wrapped()

    monkeypatch.setattr(Index, "_ddb", property(lambda _self: client("dynamodb")))
    return pending


def test_a_conflict_is_written_again_and_accepted(world: World, flaky_index: list[ClientError]) -> None:
    flaky_index.extend([conflict(), conflict()])
    status, body = call("POST", "/v1/invoices", body=invoice(aa="C-9"))
    assert status == 202 and body["status"] == "accepted", body


def test_lasting_conflicts_or_throttling_are_503_and_nothing_is_kept(world: World,
                                                                     flaky_index: list[ClientError]) -> None:
    for errors in ([conflict()] * 4, [throttled()]):
        flaky_index.extend(errors)
        status, body = call("POST", "/v1/invoices", body=invoice(aa="C-10"))
        assert status == 503 and body["code"] == "BUSY", body
        assert [k for k in world.s3_keys() if "C-10" in k or k.endswith("original.json")] == []
    status, body = call("POST", "/v1/invoices", body=invoice(aa="C-10"))
    assert status == 202, body  # the same document, sent again, goes through once
