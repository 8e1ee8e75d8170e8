"""Every key pattern of the single-table index (DynamoDB), in one place.

=====================  ===============================  ==========================  ===================
item                   PK                               SK                          GSIs
=====================  ===============================  ==========================  ===================
tenant                 ``TENANT#{tenant}``              ``#META``
API key (digest only)  ``APIKEY#{hmac_sha256(key)}``    ``#KEY``
submission             ``TENANT#{tenant}``              ``SUB#{id}``                GSI1: by AFM
outbox entry           ``TENANT#{tenant}``              ``OUTBOX#{id}``             GSI1 open; 2 due; 3 grace
dedup key              ``DEDUP#{kind}#{afm}#{natural}`` ``#DEDUP``
status event           ``TENANT#{tenant}``              ``EVENT#{at}#{event id}``   GSI2: hook due
MARK of a sent doc     ``TENANT#{tenant}``              ``MARK#{mark:020d}``
protocol number       ``TENANT#{tenant}``              ``PROTO#{protocol}``
outage record          ``TENANT#{t}#OUTAGES#{yyyy-mm}`` ``{afm}#{sent at}#{id}``
tenant registry        ``TENANTS``                      ``TENANT#{tenant}``
upstream link state    ``LINK#{upstream}``              ``#STATE``
sweep finding (flag)   ``TENANT#{t}#FLAGS#{afm}``       ``{family}#{date}#{who}…``
card / schedule / …    see ``card_ledger`` and ``timekeeping``
=====================  ===============================  ==========================  ===================

GSI1 ``ByAfm``  : GSI1PK ``TENANT#{tenant}#AFM#{afm}``, GSI1SK ``{created_at}#{id}`` — listings; and
                  on outbox entries ``TENANT#{tenant}#OPEN#{afm}`` / ``{due_at}#{id}`` — the compliance
                  view's open submissions, soonest first (sparse: gone with the entry).
GSI2 ``Due``    : GSI2PK ``DUE#{upstream}#{shard}``, GSI2SK ``{next_attempt_at}#{tenant}#{id}`` — the
                  pump's query; sparse: only entries still to send carry it, so its cost follows what
                  is due. Per upstream, so a link that returns pulls forward only its own entries.
                  Webhook events still to deliver use the same index under ``HOOK#{shard}``.
GSI3 ``Grace``  : GSI3PK ``GRACE#{shard}``, GSI3SK ``{grace_until}#{tenant}#{id}`` — the overdue
                  sweep; removed once the entry is sent or flipped to overdue.

Every key a request touches starts from the tenant taken from the authorizer, so one tenant can
never address another's items. Dedup keys are per AFM, not per tenant: two offices managing the
same AFM must not both transmit one invoice (the second is refused without the first one's id).
Times in sort keys are UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` so that text order is time order.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from ..clock import sortable

#: Times in keys (see the module's note on ordering).
ts = sortable

#: How long after an entry that was nudged is due the pump takes it too. Intake nudges a new outbox
#: entry and a status change its webhook event, a delivery retry sends itself a delayed nudge: the
#: pump is the net for a nudge lost, and one that took the entry at once would only send a second
#: message whose claim fails — and a failed conditional write is billed like a write (issue 17 §3).
#: The entry's own ``next_attempt_at`` is unchanged: only its place in the ``Due`` index is later.
NUDGED_GRACE = timedelta(seconds=60)

#: SQS delays a message at most this long: a retry further away gets no nudge, only the pump.
MAX_NUDGE_DELAY = timedelta(seconds=900)


def tenant_pk(tenant: str) -> str:
    return f"TENANT#{tenant}"


TENANT_SK = "#META"


def apikey_pk(digest: str) -> str:
    return f"APIKEY#{digest}"


APIKEY_SK = "#KEY"


def submission_sk(submission_id: str) -> str:
    return f"SUB#{submission_id}"


def outbox_sk(submission_id: str) -> str:
    return f"OUTBOX#{submission_id}"


def dedup_pk(kind: str, afm: str, natural_key: str) -> str:
    return f"DEDUP#{kind}#{afm}#{natural_key}"


DEDUP_SK = "#DEDUP"


def by_afm_pk(tenant: str, afm: str) -> str:
    return f"TENANT#{tenant}#AFM#{afm}"


def rejected_sk(submission_id: str) -> str:
    """A rejected submission still to correct: listed beside the outbox entries in the ΑΦΜ's open index
    until a correction supersedes it."""
    return f"REJECTED#{submission_id}"


def open_pk(tenant: str, afm: str) -> str:
    """GSI1 partition of the ΑΦΜ's outbox entries (what is still to send)."""
    return f"TENANT#{tenant}#OPEN#{afm}"


def shard_of(submission_id: str, shards: int) -> int:
    return zlib.crc32(submission_id.encode()) % shards


def due_pk(upstream: str, shard: int) -> str:
    return f"DUE#{upstream}#{shard}"


def grace_pk(shard: int) -> str:
    return f"GRACE#{shard}"


def timed_sk(moment: datetime, tenant: str, submission_id: str) -> str:
    return f"{ts(moment)}#{tenant}#{submission_id}"


def event_sk(event_key: str) -> str:
    return f"EVENT#{event_key}"


def hook_pk(shard: int) -> str:
    return f"HOOK#{shard}"


def outages_pk(tenant: str, month: str) -> str:
    return f"TENANT#{tenant}#OUTAGES#{month}"


TENANTS_PK = "TENANTS"


def link_pk(upstream: str) -> str:
    return f"LINK#{upstream}"


LINK_SK = "#STATE"


def protocol_sk(protocol: str) -> str:
    """An upstream's protocol of a transmitted declaration (a leave correction names its original by it)."""
    return f"PROTO#{protocol}"


def mark_sk(mark: int) -> str:
    """Zero-padded so that text order is MARK order (RequestTransmittedDocs pages by MARK)."""
    return f"MARK#{mark:020d}"
