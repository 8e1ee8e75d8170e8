"""Upstream session tokens shared by every process (ERGANI's JWT pair, ergani-api.md §1.2).

ERGANI punishes a login per call with 429, so one token pair per credential set lives in the index
table (``TOKEN#{upstream}#{account}`` / ``#STATE``): any process reads it; only the holder of a short
lease logs in or refreshes, so concurrent Lambdas never log in together. The account is a digest of
the user name (the table never holds credentials; the tokens themselves expire within days and the
table is encrypted at rest).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...store.aws import TableStore
from ...store.items import conditional, item, plain, values


@dataclass(frozen=True)
class TokenPair:
    access: str
    access_expires_at: datetime
    refresh: str
    refresh_expires_at: datetime

    def fresh(self, now: datetime, margin: timedelta = timedelta(minutes=15)) -> bool:
        return now + margin < self.access_expires_at

    def refreshable(self, now: datetime) -> bool:
        return bool(self.refresh) and now + timedelta(minutes=1) < self.refresh_expires_at


def account_of(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:20]


class TokenStore(TableStore):
    @staticmethod
    def _key(upstream: str, account: str) -> dict[str, Any]:
        return item({"PK": f"TOKEN#{upstream}#{account}", "SK": "#STATE"})

    def get(self, upstream: str, account: str) -> TokenPair | None:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True, Key=self._key(upstream, account))
        data = plain(got["Item"]) if "Item" in got else {}
        if not data.get("access"):
            return None
        return TokenPair(str(data["access"]), datetime.fromisoformat(str(data["access_expires_at"])),
                         str(data.get("refresh", "")), datetime.fromisoformat(str(data["refresh_expires_at"])))

    def lease(self, upstream: str, account: str, owner: str, now: datetime, seconds: int = 20) -> bool:
        """Take the right to log in or refresh for ``seconds``; ``False`` while another holds it."""
        return conditional(
            self._ddb.update_item, TableName=self.table, Key=self._key(upstream, account),
            UpdateExpression="SET lease_owner = :me, lease_until = :until",
            ConditionExpression="attribute_not_exists(lease_until) OR lease_until < :now OR lease_owner = :me",
            ExpressionAttributeValues=values({":me": owner, ":until": (now + timedelta(seconds=seconds)).isoformat(),
                                              ":now": now.isoformat()}),
        ) is not None

    def put(self, upstream: str, account: str, pair: TokenPair) -> None:
        """Store a new pair and give the lease back, in one write (a newer pair is always better,
        whoever held the lease last)."""
        self._ddb.update_item(
            TableName=self.table, Key=self._key(upstream, account),
            UpdateExpression="SET access = :a, access_expires_at = :ae, refresh = :r, refresh_expires_at = :re "
                             "REMOVE lease_owner, lease_until",
            ExpressionAttributeValues=values({":a": pair.access, ":ae": pair.access_expires_at.isoformat(),
                                              ":r": pair.refresh, ":re": pair.refresh_expires_at.isoformat()}))

    def release(self, upstream: str, account: str, owner: str) -> None:
        conditional(self._ddb.update_item, TableName=self.table, Key=self._key(upstream, account),
                    UpdateExpression="REMOVE lease_owner, lease_until", ConditionExpression="lease_owner = :me",
                    ExpressionAttributeValues=values({":me": owner}))

    def expire_access(self, upstream: str, account: str, access: str, now: datetime) -> None:
        """ERGANI said this access token expired: mark it so (only if it is still the stored one)."""
        conditional(self._ddb.update_item, TableName=self.table, Key=self._key(upstream, account),
                    UpdateExpression="SET access_expires_at = :now", ConditionExpression="access = :a",
                    ExpressionAttributeValues=values({":now": now.isoformat(), ":a": access}))
