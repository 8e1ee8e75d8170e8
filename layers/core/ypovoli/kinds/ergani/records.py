"""What an employer declared about working time, kept for the deviation sweeps (ERGANI has no
read-back API): the declared days of its ΨΟΧΕ, its leaves, and the checkpoints at which a day is judged.

==========================  ====================================  ==============================================
item                        PK                                    SK
==========================  ====================================  ==============================================
declared day                ``TENANT#{t}#SCHED#{employer}``       ``{date}#{employee}#{declared at}#{submission}``
declared leave              ``TENANT#{t}#LEAVES#{employer}``      ``{date}#{employee}``
declared overtime           ``TENANT#{t}#OVERTIME#{employer}``    ``{date}#{employee}#{declared at}#{submission}``
checkpoint                  ``TENANT#{t}``                        ``CHECK#{employer}#{what}#{date}#{subject}``
==========================  ====================================  ==============================================

Declared days carry their declaration time in the key, so a later declaration never overwrites an
earlier one: the day holds the **latest** (ERGANI-SCHEDULE-OVERLAP), and the earlier stays visible.
A checkpoint sits on the ``Due`` index under ``CHECK#{shard}`` until it has been judged, so the sweep
reads only what is due — never the whole history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ...store import keys
from ...store.aws import TableStore
from ...store.items import batch_write, conditional, item, plain, query_items, values
from .deviations import DaySchedule
from .overtime import OvertimeDay

#: What a checkpoint judges: a declared day, a start left alone, an absence without a leave, or the
#: next stretch of an open-ended weekly schedule.
CHECKS = ("day", "orphan", "leave", "extend")


def check_pk(shard: int) -> str:
    return f"CHECK#{shard}"


@dataclass(frozen=True)
class Checkpoint:
    tenant: str
    employer: str
    what: str
    day: dt.date
    #: The employee (``day``, ``orphan``, ``leave``) or the submission (``extend``).
    subject: str

    @property
    def sk(self) -> str:
        return f"CHECK#{self.employer}#{self.what}#{self.day.isoformat()}#{self.subject}"

    @classmethod
    def from_sk(cls, tenant: str, sk: str) -> Checkpoint:
        _, employer, what, day, subject = sk.split("#", 4)
        return cls(tenant, employer, what, dt.date.fromisoformat(day), subject)


def _day_item(tenant: str, employer: str, day: DaySchedule, declared_at: dt.datetime) -> dict[str, Any]:
    return {"PK": f"{keys.tenant_pk(tenant)}#SCHED#{employer}",
            "SK": f"{day.day.isoformat()}#{day.employee}#{keys.ts(declared_at)}#{day.submission_id}",
            "intervals": [[a.isoformat(), b.isoformat()] for a, b in day.intervals], "off": day.off,
            "flex": day.flex_minutes, "submission_id": day.submission_id, "name": day.name}


def _day_schedule(data: dict[str, Any]) -> DaySchedule:
    day, employee, _ = str(data["SK"]).split("#", 2)
    return DaySchedule(employee=employee, day=dt.date.fromisoformat(day),
                       intervals=tuple((dt.datetime.fromisoformat(str(a)), dt.datetime.fromisoformat(str(b)))
                                       for a, b in data.get("intervals", [])),
                       off=str(data.get("off", "")), flex_minutes=int(data.get("flex", 0)),
                       submission_id=str(data.get("submission_id", "")), name=str(data.get("name", "")))


class Timekeeping(TableStore):
    def _batch_put(self, items: list[dict[str, Any]]) -> None:
        batch_write(self._ddb, self.table, [{"PutRequest": {"Item": item(i)}} for i in items])

    # ---- declared days -------------------------------------------------------------------------------

    def declare_days(self, tenant: str, employer: str, days: list[DaySchedule], declared_at: dt.datetime) -> None:
        """Idempotent: the same declaration written again lands on the same keys."""
        self._batch_put([_day_item(tenant, employer, d, declared_at) for d in days])

    def declarations(self, tenant: str, employer: str, day: dt.date, employee: str) -> list[DaySchedule]:
        """Every declaration of that employee-day, the one that holds (the latest) last."""
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                            ExpressionAttributeValues=values({":pk": f"{keys.tenant_pk(tenant)}#SCHED#{employer}",
                                                              ":prefix": f"{day.isoformat()}#{employee}#"}))
        return [_day_schedule(plain(i)) for i in found]

    def holding(self, tenant: str, employer: str, day: dt.date, employee: str) -> DaySchedule | None:
        got = self._ddb.query(TableName=self.table, Limit=1, ScanIndexForward=False,
                              KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                              ExpressionAttributeValues=values({
                                  ":pk": f"{keys.tenant_pk(tenant)}#SCHED#{employer}",
                                  ":prefix": f"{day.isoformat()}#{employee}#"}))
        found = got.get("Items", [])
        return _day_schedule(plain(found[0])) if found else None

    def month(self, tenant: str, employer: str, first: dt.date,
              last: dt.date) -> dict[tuple[dt.date, str], DaySchedule]:
        """The holding declaration of every employee-day between ``first`` and ``last`` (the report)."""
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND SK BETWEEN :a AND :b",
                            ExpressionAttributeValues=values({":pk": f"{keys.tenant_pk(tenant)}#SCHED#{employer}",
                                                              ":a": first.isoformat(), ":b": f"{last.isoformat()}~"}))
        held: dict[tuple[dt.date, str], DaySchedule] = {}
        for raw in found:  # key order: the latest declaration of a day comes last and wins
            day = _day_schedule(plain(raw))
            held[(day.day, day.employee)] = day
        return held

    # ---- overtime -------------------------------------------------------------------------------------

    def declare_overtime(self, tenant: str, employer: str, days: list[OvertimeDay], declared_at: dt.datetime) -> None:
        """Like declared days: the latest declaration of an employee-day holds (an amended end, a
        cancellation), the earlier stay visible."""
        self._batch_put([{"PK": f"{keys.tenant_pk(tenant)}#OVERTIME#{employer}",
                          "SK": f"{d.day.isoformat()}#{d.employee}#{keys.ts(declared_at)}#{d.submission_id}",
                          "intervals": [[a.isoformat(), b.isoformat()] for a, b in d.intervals],
                          "submission_id": d.submission_id} for d in days])

    def overtime(self, tenant: str, employer: str, day: dt.date, employee: str) -> OvertimeDay | None:
        """The overtime that holds for the employee-day: the latest declaration's."""
        got = self._ddb.query(TableName=self.table, Limit=1, ScanIndexForward=False, ConsistentRead=True,
                              KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                              ExpressionAttributeValues=values({
                                  ":pk": f"{keys.tenant_pk(tenant)}#OVERTIME#{employer}",
                                  ":prefix": f"{day.isoformat()}#{employee}#"}))
        found = got.get("Items", [])
        if not found:
            return None
        data = plain(found[0])
        return OvertimeDay(employee, day, tuple((dt.datetime.fromisoformat(str(a)), dt.datetime.fromisoformat(str(b)))
                                                for a, b in data.get("intervals", [])),
                           str(data.get("submission_id", "")))

    # ---- leaves ----------------------------------------------------------------------------------------

    def declare_leaves(self, tenant: str, employer: str, leaves: list[tuple[dt.date, str]], submission_id: str) -> None:
        self._batch_put([{"PK": f"{keys.tenant_pk(tenant)}#LEAVES#{employer}", "SK": f"{day.isoformat()}#{employee}",
                          "submission_id": submission_id} for day, employee in leaves])

    def withdraw_leaves(self, tenant: str, employer: str, leaves: list[tuple[dt.date, str]],
                        submission_id: str) -> None:
        """A corrected or cancelled declaration's leaves go — each only while it is still that
        declaration's (a correction that re-declares the day has already taken it over)."""
        for day, employee in leaves:
            conditional(self._ddb.delete_item, TableName=self.table,
                        Key=item({"PK": f"{keys.tenant_pk(tenant)}#LEAVES#{employer}",
                                  "SK": f"{day.isoformat()}#{employee}"}),
                        ConditionExpression="submission_id = :s", ExpressionAttributeValues=values({
                            ":s": submission_id}))

    def leaves_between(self, tenant: str, employer: str, first: dt.date, last: dt.date) -> set[tuple[dt.date, str]]:
        """Every (day, employee) with a declared leave from ``first`` to ``last`` (the report)."""
        found = query_items(self._ddb, TableName=self.table, ProjectionExpression="SK",
                            KeyConditionExpression="PK = :pk AND SK BETWEEN :a AND :b",
                            ExpressionAttributeValues=values({":pk": f"{keys.tenant_pk(tenant)}#LEAVES#{employer}",
                                                              ":a": first.isoformat(), ":b": f"{last.isoformat()}~"}))
        out: set[tuple[dt.date, str]] = set()
        for raw in found:
            day, employee = str(raw["SK"]["S"]).split("#", 1)
            out.add((dt.date.fromisoformat(day), employee))
        return out

    def on_leave(self, tenant: str, employer: str, day: dt.date, employee: str) -> bool:
        got = self._ddb.get_item(TableName=self.table, ConsistentRead=True, Key=item({
            "PK": f"{keys.tenant_pk(tenant)}#LEAVES#{employer}", "SK": f"{day.isoformat()}#{employee}"}))
        return "Item" in got

    # ---- checkpoints -------------------------------------------------------------------------------------

    def _checkpoint(self, point: Checkpoint, at: dt.datetime) -> dict[str, Any]:
        shard = keys.shard_of(point.sk, self.shards)
        return {"PK": keys.tenant_pk(point.tenant), "SK": point.sk, "check_at": keys.ts(at),
                "GSI2PK": check_pk(shard), "GSI2SK": f"{keys.ts(at)}#{point.tenant}#{point.sk}"}

    def schedule(self, points: list[tuple[Checkpoint, dt.datetime]]) -> None:
        """Set each checkpoint's time (a later declaration of the same day moves it)."""
        self._batch_put([self._checkpoint(p, at) for p, at in points])

    def schedule_if_absent(self, point: Checkpoint, at: dt.datetime) -> bool:
        """Ask for a judgement at ``at`` unless one is already pending (it will see the same facts)."""
        return conditional(self._ddb.put_item, TableName=self.table, Item=item(self._checkpoint(point, at)),
                           ConditionExpression="attribute_not_exists(PK)") is not None

    def due(self, shard: int, now: dt.datetime, limit: int = 500) -> list[Checkpoint]:
        found = query_items(self._ddb, limit, min(100, limit), TableName=self.table, IndexName="Due",
                            KeyConditionExpression="GSI2PK = :pk AND GSI2SK <= :now",
                            ExpressionAttributeValues=values({":pk": check_pk(shard), ":now": keys.ts(now) + "~"}))
        points = []
        for raw in found:
            _, tenant, sk = str(raw["GSI2SK"]["S"]).split("#", 2)
            points.append(Checkpoint.from_sk(tenant, sk))
        return points

    def done(self, point: Checkpoint, judged_at: dt.datetime) -> None:
        """Judged: off the index — unless it was moved past ``judged_at`` meanwhile (then it stays)."""
        conditional(self._ddb.delete_item, TableName=self.table,
                    Key=item({"PK": keys.tenant_pk(point.tenant), "SK": point.sk}),
                    ConditionExpression="check_at <= :now", ExpressionAttributeValues=values({
                        ":now": keys.ts(judged_at) + "~"}))
