"""Issue 18 §8 without AWS: the template's alarms cover every queue and function, and the bundled
webhook receiver refuses replays by event id."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ypovoli.webhooks.signing import HEADER, signature
from ypovoli_local.ops import ReplayGuard, receive
from ypovoli_local.template import load_template

ROOT = Path(__file__).resolve().parents[2]


def _alarms(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm"]


def _dimension_refs(alarm: dict[str, Any]) -> set[str]:
    refs: set[str] = set()
    for dimension in alarm.get("Dimensions", []):
        value = dimension["Value"]
        if isinstance(value, dict):
            refs.add(str(value.get("Ref") or value.get("Fn::GetAtt", [""])[0]))
    return refs


def test_every_dead_letter_queue_and_every_function_has_its_alarms_on_one_topic() -> None:
    template = load_template(ROOT / "template.yaml")
    resources = template["Resources"]
    alarms = _alarms(template)
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms)
    dead_letter = {r["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
                   for r in resources.values() if r["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in r["Properties"]}
    watched = {ref for a in alarms if a["MetricName"] == "ApproximateNumberOfMessagesVisible"
               for ref in _dimension_refs(a)}
    assert dead_letter and dead_letter <= watched
    functions = {k for k, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    for metric in ("Errors", "Throttles"):
        assert functions <= {ref for a in alarms if a["MetricName"] == metric for ref in _dimension_refs(a)}, metric
    names = {a["MetricName"] for a in alarms}
    assert {"Overdue", "UpstreamDownSeconds", "5XXError"} <= names


def _signed(secret: str, event_id: str) -> tuple[dict[str, str], bytes]:
    body = json.dumps({"id": event_id, "data": {"id": "s-1", "previous_status": "accepted",
                                                "status": "transmitted"}}).encode()
    return {HEADER: signature(secret, int(time.time()), body), "Ypovoli-Event-Id": event_id}, body


def test_the_bundled_receiver_refuses_a_replay_by_event_id() -> None:
    guard = ReplayGuard(capacity=2)
    headers, body = _signed("whsec_x", "ev-1")
    now = int(time.time())
    assert receive("whsec_x", guard, headers, body, now).verdict == "signed"
    replay = receive("whsec_x", guard, headers, body, now)
    assert (replay.status, replay.verdict) == (200, "replay")   # acknowledged, never acted on twice
    assert receive("whsec_y", guard, headers, body, now).verdict == "bad-signature"
    for n in (2, 3):   # the guard is bounded: the oldest id is forgotten first
        assert receive("whsec_x", guard, *_signed("whsec_x", f"ev-{n}"), now).verdict == "signed"
    assert receive("whsec_x", guard, headers, body, now).verdict == "signed"


def test_a_replay_with_a_fresh_unsigned_event_id_header_is_still_a_replay() -> None:
    """Issue 34 §3: the event id is the signed body's, not the header's (which the signature does not cover)."""
    guard = ReplayGuard()
    headers, body = _signed("whsec_x", "ev-9")
    now = int(time.time())
    assert receive("whsec_x", guard, headers, body, now).verdict == "signed"
    forged = {**headers, "Ypovoli-Event-Id": "ev-new"}
    assert receive("whsec_x", guard, forged, body, now).verdict == "replay"


def test_ergani_retention_timekeeping_records_are_kept_at_least_ten_years() -> None:
    """ERGANI-RETENTION (seed 001 / ΥΑ 49758/2022): the time-measurement data are kept «για χρονικό
    διάστημα τουλάχιστον δέκα (10) ετών»; every ERGANI kind's dossier is tagged for the rule."""
    from ypovoli.kinds.ergani.kind import KINDS
    from ypovoli.kinds.registry import retention_classes
    from ypovoli.store.dossiers import dossier_prefix, retention_of

    bucket = load_template(ROOT / "template.yaml")["Resources"]["DossierBucket"]["Properties"]
    rules = bucket["LifecycleConfiguration"]["Rules"]
    [rule] = [r for r in rules if {"Key": "retention", "Value": "timekeeping"} in r.get("TagFilters", [])]
    ten_years = 3653
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] >= ten_years
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] >= ten_years
    # No other rule can expire what the timekeeping rule keeps (none without a filter of its own).
    assert all(r.get("TagFilters") or r.get("Prefix") for r in rules)
    import datetime as dt

    for kind in KINDS:
        prefix = dossier_prefix("t", "094019245", kind.name, dt.datetime(2026, 1, 1), "id")
        assert retention_of(prefix + "original.json", retention_classes()) == "timekeeping", kind.name
    invoice = dossier_prefix("t", "094019245", "mydata_invoice", dt.datetime(2026, 1, 1), "id") + "x"
    assert retention_of(invoice, retention_classes()) is None
