"""Each employer's registry of employees and its own data as ERGANI gave them (``ExecuteService``:
EX_BASE_01/02/05), for the rules and the sweeps. Never the sensitive fields ERGANI returns: the
records are :class:`~ypovoli.kinds.ergani.staff.Employee` and ``Employer``, nothing else.

========================  ==================================  ==================
item                      PK                                  SK
========================  ==================================  ==================
the employer              ``TENANT#{t}#STAFF#{employer}``     ``EMPLOYER``
one employee              ``TENANT#{t}#STAFF#{employer}``     ``EMP#{afm}``
========================  ==================================  ==================
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ...store import keys
from ...store.aws import TableStore
from ...store.items import batch_write, item, plain, query_items, values
from .staff import Employee, Employer


def _pk(tenant: str, employer: str) -> str:
    return f"{keys.tenant_pk(tenant)}#STAFF#{employer}"


class Staff(TableStore):
    def put_employer(self, tenant: str, employer: Employer, at: dt.datetime) -> None:
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": _pk(tenant, employer.afm), "SK": "EMPLOYER", "record": employer.model_dump_json(),
            "imported_at": at.isoformat()}))

    def employer(self, tenant: str, afm: str) -> tuple[Employer, dt.datetime] | None:
        got = self._ddb.get_item(TableName=self.table, Key=item({"PK": _pk(tenant, afm), "SK": "EMPLOYER"}))
        if "Item" not in got:
            return None
        data = plain(got["Item"])
        return Employer.model_validate_json(str(data["record"])), dt.datetime.fromisoformat(str(data["imported_at"]))

    def replace(self, tenant: str, afm: str, employees: list[Employee], at: dt.datetime) -> int:
        """ERGANI's current staff replaces what an earlier import brought; an employee the employer
        entered itself stays unless ERGANI now lists it. How many records went."""
        current = self.employees(tenant, afm)
        listed = {e.afm for e in employees}
        gone = [a for a, e in current.items() if a not in listed and e.source == "ergani"]
        requests: list[dict[str, Any]] = [{"PutRequest": {"Item": item({
            "PK": _pk(tenant, afm), "SK": f"EMP#{e.afm}", "record": e.model_dump_json(),
            "updated_at": at.isoformat()})}} for e in employees]
        requests += [{"DeleteRequest": {"Key": item({"PK": _pk(tenant, afm), "SK": f"EMP#{a}"})}} for a in gone]
        batch_write(self._ddb, self.table, requests)
        return len(gone)

    def put_employee(self, tenant: str, employer: str, employee: Employee, at: dt.datetime) -> None:
        self._ddb.put_item(TableName=self.table, Item=item({
            "PK": _pk(tenant, employer), "SK": f"EMP#{employee.afm}", "record": employee.model_dump_json(),
            "updated_at": at.isoformat()}))

    def employee(self, tenant: str, employer: str, afm: str) -> Employee | None:
        got = self._ddb.get_item(TableName=self.table, Key=item({"PK": _pk(tenant, employer), "SK": f"EMP#{afm}"}))
        return Employee.model_validate(json.loads(str(plain(got["Item"])["record"]))) if "Item" in got else None

    def employees(self, tenant: str, employer: str) -> dict[str, Employee]:
        found = query_items(self._ddb, TableName=self.table,
                            KeyConditionExpression="PK = :pk AND begins_with(SK, :emp)",
                            ExpressionAttributeValues=values({":pk": _pk(tenant, employer), ":emp": "EMP#"}))
        out: dict[str, Employee] = {}
        for raw in found:
            employee = Employee.model_validate(json.loads(str(plain(raw)["record"])))
            out[employee.afm] = employee
        return out
