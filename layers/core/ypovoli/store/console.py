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
from .items import conditional, item, plain, query_items, values

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
    #: admin (invites colleagues), officer (acts), viewer (reads only). People created by the CLI are admins.
    role: str = "admin"

    @property
    def can_act(self) -> bool:
        return self.role in ("admin", "officer")


ROLES = ("admin", "officer", "viewer")


@dataclass(frozen=True)
class Person:
    email: str
    role: str
    created_at: str


@dataclass(frozen=True)
class AuditEntry:
    """Who did what in the console, and when (Athens time is the page's to show)."""

    at: datetime
    who: str
    action: str
    target: str
    detail: str = ""


class ConsoleUsers(TableStore):
    def put_user(self, tenant: str, email: str, password: str, now: datetime, role: str = "admin") -> None:
        """Create the person, or set a new password (the tenant stays the one it was created for)."""
        if role not in ROLES:
            raise ValueError(f"role is one of {', '.join(ROLES)}")
        salt = secrets.token_bytes(16)
        address = email.strip().lower()
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"CONSOLEUSER#{address}", "SK": "#USER", "tenant": tenant,
            "email": address, "salt": salt.hex(), "hash": _hash(password, salt).hex(),
            "created_at": now.isoformat(), "role": role}),
            ConditionExpression="attribute_not_exists(PK) OR tenant = :t",
            ExpressionAttributeValues={":t": {"S": tenant}})
        # The tenant's list of its people (the console's «People» page reads it, never a scan).
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"TENANT#{tenant}", "SK": f"CONSOLEUSER#{address}", "email": address, "role": role,
            "created_at": now.isoformat()}))

    def remove_user(self, email: str) -> bool:
        got = self._ddb.delete_item(TableName=self.table, ReturnValues="ALL_OLD",
                                    Key=item({"PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER"}))
        if "Attributes" in got:
            tenant = str(got["Attributes"]["tenant"]["S"])
            self._ddb.delete_item(TableName=self.table, Key=item({
                "PK": f"TENANT#{tenant}", "SK": f"CONSOLEUSER#{email.strip().lower()}"}))
        return "Attributes" in got

    def people(self, tenant: str) -> list[Person]:
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND begins_with(SK, :u)",
                            ExpressionAttributeValues=values({":pk": f"TENANT#{tenant}", ":u": "CONSOLEUSER#"}))
        return [Person(str(p["email"]), str(p.get("role", "admin")), str(p.get("created_at", "")))
                for p in (plain(i) for i in found)]

    def sign_out_everywhere(self, email: str) -> None:
        """Every session of the person ends at once (the epoch its sessions carry moves on)."""
        conditional(self._ddb.update_item, TableName=self.table,
                    Key=item({"PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER"}),
                    ConditionExpression="attribute_exists(PK)",
                    UpdateExpression="ADD epoch :one", ExpressionAttributeValues=values({":one": 1}))

    # ---- the audit trail ------------------------------------------------------------------------------

    def audit(self, tenant: str, who: str, action: str, target: str, detail: str, now: datetime) -> None:
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"TENANT#{tenant}#AUDIT", "SK": f"{now.isoformat()}#{secrets.token_hex(4)}", "who": who,
            "action": action, "target": target, "detail": detail[:500]}))

    def audit_trail(self, tenant: str, limit: int = 100) -> list[AuditEntry]:
        got = self._ddb.query(TableName=self.table, Limit=limit, ScanIndexForward=False,
                              KeyConditionExpression="PK = :pk",
                              ExpressionAttributeValues=values({":pk": f"TENANT#{tenant}#AUDIT"}))
        out = []
        for raw in got.get("Items", []):
            data = plain(raw)
            out.append(AuditEntry(datetime.fromisoformat(str(data["SK"]).split("#", 1)[0]), str(data["who"]),
                                  str(data["action"]), str(data["target"]), str(data.get("detail", ""))))
        return out

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
        user = self._ddb.get_item(TableName=self.table, ConsistentRead=True, Key=item({
            "PK": f"CONSOLEUSER#{email.strip().lower()}", "SK": "#USER"})).get("Item", {})
        epoch = int(plain(user).get("epoch", 0)) if user else 0
        session = Session(tenant=tenant, email=email.strip().lower(), csrf=secrets.token_urlsafe(24),
                          expires_at=now + lifetime, role=str(plain(user).get("role", "admin")) if user else "admin")
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": f"CONSOLESESSION#{_digest(token)}", "SK": "#SESSION", "tenant": tenant, "email": session.email,
            "csrf": session.csrf, "expires": session.expires_at.isoformat(), "epoch": epoch,
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
        # A person removed (or moved), or signed out everywhere, ends their sessions at once.
        found = self._ddb.get_item(TableName=self.table, Key=item({"PK": f"CONSOLEUSER#{data['email']}",
                                                                   "SK": "#USER"})).get("Item")
        user = plain(found) if found is not None else None
        if user is None or str(user["tenant"]) != str(data["tenant"]) \
                or int(user.get("epoch", 0)) != int(data.get("epoch", 0)):
            return None
        return Session(tenant=str(data["tenant"]), email=str(data["email"]), csrf=str(data["csrf"]),
                       expires_at=expires, role=str(user.get("role", "admin")))

    def close_session(self, token: str) -> None:
        conditional(self._ddb.delete_item, TableName=self.table,
                    Key=item({"PK": f"CONSOLESESSION#{_digest(token)}", "SK": "#SESSION"}))
