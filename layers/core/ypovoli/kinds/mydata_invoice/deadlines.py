"""When a myDATA invoice is due, and how long its outage window lasts (docs/architecture.md, 6).

Sources: seed 004 (A.1138/2020 art. 5 §6; A.1035/2020 §3.3) and shared/reference/mydata-api.md §5.1.

========  ==============================================
channel   due_at
========  ==============================================
ERP       end of the Athens day after the issue date
provider  the issue time (real time) — we only know the date, so the moment we received it
========  ==============================================
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ...clock import ATHENS
from ...deadlines import end_of_athens_day, grace_until
from ...settings import Channel


def invoice_due_at(issue_date: date, channel: Channel, received_at: datetime) -> datetime:
    if channel is Channel.ERP:
        return end_of_athens_day(issue_date + timedelta(days=1))
    # Provider channel: real time. The invoice carries only a date; we cannot know an earlier
    # issue time than the moment it reached us, and never later than the end of its issue day.
    return min(received_at.astimezone(ATHENS), end_of_athens_day(issue_date))


def invoice_grace_until(issue_date: date, channel: Channel, due_at: datetime, grace_days: int = 1) -> datetime:
    """The end of the outage window. Provider channel, seed 004 (TF1/TF2): «εντός μίας (1) ημέρας από
    την ημερομηνία έκδοσης εκάστου παραστατικού» — counted in Athens days from the issue date, to the
    end of that day, not 24 hours from reception. ERP channel: N Athens days after the due time."""
    if channel is Channel.PROVIDER:
        return end_of_athens_day(issue_date + timedelta(days=grace_days))
    return grace_until(due_at, grace_days)
