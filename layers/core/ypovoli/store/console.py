"""People who sign in to the console, and their sessions — apart from integrators' API keys.

=================  ==================================  ===========  ===========================================
item               PK                                  SK           holds
=================  ==================================  ===========  ===========================================
console user       ``CONSOLEUSER#{e-mail, lower}``     ``#USER``    tenant, scrypt hash and salt
session            ``CONSOLESESSION#{sha256(token)}``  ``#SESSION`` tenant, e-mail, CSRF token, ``expires_at``
=================  ==================================  ===========  ===========================================

The session token lives only in the browser's HttpOnly cookie; the table keeps its digest, so a
leaked table opens no session. Sessions expire by time (checked on every request, and TTL cleans up)
and end at sign-out (the item is deleted).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .aws import TableStore
from .items import conditional, item, plain

#: scrypt's cost (RFC 7914's interactive setting): ~50 ms and 16 MiB per sign-in attempt.
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    tenant: str
    email: str
    csrf: str
    expires_at: datetime


class ConsoleUsers(TableStore):
    def put_user(self, tenant: str, email: str, password: str, now: datetime) -> None:
        """Create the person, or set a new password (the tenant stays the one it was created for)."""
        salt = secrets.token_bytes(16)
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER", "tenant": tenant,
            "email": email.strip().lower(), "salt": salt.hex(), "hash": _hash(password, salt).hex(),
            "created_at": now.isoformat()}),
            ConditionExpression="attribute_not_exists(PK) OR tenant = :t",
            ExpressionAttributeValues={":t": {"S": tenant}})

    def remove_user(self, email: str) -> bool:
        got = self._ddb.delete_item(TableName=self.table, ReturnValues="ALL_OLD",
                                    Key=item({"PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER"}))
        return "Attributes" in got

    def verify(self, email: str, password: str) -> str | None:
        """The tenant of this person if the password is theirs. An unknown e-mail costs the same
        hashing as a wrong password, so timing does not tell which."""
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER"}))
        user = plain(got["Item"]) if "Item" in got else None
        salt = bytes.fromhex(str(user["salt"])) if user else b"\0" * 16
        computed = _hash(password, salt)
        if user is None or not hmac.compare_digest(computed, bytes.fromhex(str(user["hash"]))):
            return None
        return str(user["tenant"])

    def open_session(self, tenant: str, email: str, now: datetime, lifetime: timedelta) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(tenant=tenant, email=email.strip().lower(), csrf=secrets.token_urlsafe(24),
                          expires_at=now + lifetime)
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"CONSOLESESSION#{_digest(token)}", "SK": "#SESSION", "tenant": tenant, "email": session.email,
            "csrf": session.csrf, "expires": session.expires_at.isoformat(),
            "expires_at": int(session.expires_at.timestamp())}))
        return token, session

    def session(self, token: str, now: datetime) -> Session | None:
        if not token or len(token) > 200:
            return None
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True,
                                 Key=item({"PK": f"CONSOLESESSION#{_digest(token)}", "SK": "#SESSION"}))
        if "Item" not in got:
            return None
        data = plain(got["Item"])
        expires = datetime.fromisoformat(str(data["expires"]))
        if expires <= now:
            return None
        # A person removed (or moved) ends their sessions at once, not at expiry.
        user = self._ddb.get_item(TableName=self.table, Key=item({"PK": f"CONSOLEUSER#{data['email']}",
                                                                  "SK": "#USER"})).get("Item")
        if user is None or str(user["tenant"]["S"]) != str(data["tenant"]):
            return None
        return Session(tenant=str(data["tenant"]), email=str(data["email"]), csrf=str(data["csrf"]),
                       expires_at=expires)

    def close_session(self, token: str) -> None:
        conditional(self._ddb.delete_item, TableName=self.table,
                    Key=item({"PK": f"CONSOLESESSION#{_digest(token)}", "SK": "#SESSION"}))
