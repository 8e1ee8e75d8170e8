"""``ergani`` 1.0.1 (the Python SDK for ERGANI II), unchanged, against ypovoli's drop-in ERGANI door: the
base URL is the only change (docs/clients.md). A work card, a weekly and a daily schedule, and the
SDK's legacy overtime (OvTime), which ERGANI II replaced."""

from __future__ import annotations

import datetime as dt
import json
import os

from ergani.client import ErganiClient
from ergani.exceptions import APIError
from ergani.models import (
    CompanyDailySchedule,
    CompanyOvertime,
    CompanyWeeklySchedule,
    CompanyWorkCard,
    EmployeeDailySchedule,
    EmployeeWeeklySchedule,
    Overtime,
    WorkCard,
    WorkdayDetails,
)

EMPLOYEE = "123456783"


def main() -> None:
    url, key, afm = os.environ["YPOVOLI_URL"], os.environ["YPOVOLI_KEY"], os.environ["YPOVOLI_AFM"]
    now = dt.datetime.fromisoformat(os.environ["YPOVOLI_NOW"])
    client = ErganiClient(username=afm, password=key, base_url=f"{url}/v1/ergani")
    out: dict[str, object] = {}

    card = CompanyWorkCard(employer_tax_identification_number=afm, business_branch_number=0, card_details=[
        WorkCard(employee_tax_identification_number=EMPLOYEE, employee_last_name="ΠΑΠΑΔΟΠΟΥΛΟΣ",
                 employee_first_name="ΙΩΑΝΝΗΣ", work_card_movement_type="ARRIVAL",
                 work_card_submission_date=now.date(), work_card_movement_datetime=now - dt.timedelta(minutes=1))])
    out["work_card"] = [dict(r) for r in client.submit_work_card([card])]

    monday = now.date() + dt.timedelta(days=7 - now.date().weekday())
    week = CompanyWeeklySchedule(business_branch_number=0, start_date=monday, end_date=monday + dt.timedelta(days=6),
                                 employee_schedules=[
        EmployeeWeeklySchedule(employee_tax_identification_number=EMPLOYEE, employee_last_name="ΠΑΠΑΔΟΠΟΥΛΟΣ",
                               employee_first_name="ΙΩΑΝΝΗΣ", schedule_date=monday + dt.timedelta(days=offset),
                               workday_details=[WorkdayDetails("REST_DAY", None, None) if offset >= 5 else  # type: ignore[arg-type]
                                                WorkdayDetails("WORK_FROM_OFFICE", dt.time(9), dt.time(17))])
        for offset in range(7)])
    out["weekly_schedule"] = [dict(r) for r in client.submit_weekly_schedule([week])]

    day = monday + dt.timedelta(days=8)
    daily = CompanyDailySchedule(business_branch_number=0, start_date=day, end_date=day, employee_schedules=[
        EmployeeDailySchedule(employee_tax_identification_number=EMPLOYEE, employee_last_name="ΠΑΠΑΔΟΠΟΥΛΟΣ",
                              employee_first_name="ΙΩΑΝΝΗΣ", schedule_date=day,
                              workday_details=[WorkdayDetails("WORK_FROM_HOME", dt.time(10), dt.time(18))])])
    out["daily_schedule"] = [dict(r) for r in client.submit_daily_schedule([daily])]

    overtime = CompanyOvertime(business_branch_number=0, sepe_service_code="10000", business_primary_activity_code="1",
                               business_branch_activity_code="1", kallikratis_municipal_code="1",
                               legal_representative_tax_identification_number=afm, employee_overtimes=[
        Overtime(employee_tax_identification_number=EMPLOYEE, employee_social_security_number="01010101010",
                 employee_last_name="ΠΑΠΑΔΟΠΟΥΛΟΣ", employee_first_name="ΙΩΑΝΝΗΣ", overtime_date=day,
                 overtime_start_time=dt.time(18), overtime_end_time=dt.time(19), overtime_cancellation=False,
                 employee_profession_code="1", overtime_justification="EXCEPTIONAL_WORKLOAD",
                 weekly_workdays_number=5)])
    try:
        client.submit_overtime([overtime])
        out["overtime"] = {"accepted": True}
    except APIError as exc:
        out["overtime"] = {"status": exc.response.status_code if exc.response is not None else None,
                           "message": str(exc)}
    print(json.dumps(out, default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
