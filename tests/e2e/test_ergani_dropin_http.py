"""Issue 13 §7 end to end over HTTP: an ERGANI client that changes only its base URL to the local
stack's `/v1/ergani/` — `Authentication` with the employer's ΑΦΜ and the ypovoli key as the password,
then `Documents/WRKCardSE` with the Bearer token, in the official samples' shape (`Card.json`: the
event time with seven fractional digits and the Athens offset) — gets ERGANI's own answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Stack
from tests.factories import ISSUER

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("local-stack")]


def ergani(stack: Stack, path: str, body: Any, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(f"{stack.url}/v1/ergani/{path}", data=json.dumps(body).encode(),  # noqa: S310
                                     method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 — loopback only
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"null")


def test_an_ergani_client_changes_only_its_base_url(stack: Stack) -> None:
    status, tokens = ergani(stack, "Authentication", {"Username": ISSUER, "Password": stack.key, "Usertype": "01"})
    assert status == 200 and tokens["accessToken"] and tokens["refreshToken"], tokens
    _, clock = stack.call("GET", "/_local/clock")
    when = datetime.fromisoformat(clock["now"]).astimezone(ZoneInfo("Europe/Athens")) - timedelta(minutes=1)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond:06d}0" + when.strftime("%z")[:3] + ":" \
        + when.strftime("%z")[3:]
    card = {"Cards": {"Card": [{"f_afm_ergodoti": ISSUER, "f_aa": "0", "f_comments": "", "Details": {"CardDetails": [{
        "f_afm": "123456783", "f_eponymo": "ΠΑΠΑΔΟΠΟΥΛΟΣ", "f_onoma": "ΙΩΑΝΝΗΣ", "f_type": "0",
        "f_reference_date": when.date().isoformat(), "f_date": stamp, "f_aitiologia": ""}]}}]}}
    status, answer = ergani(stack, "Documents/WRKCardSE", card, tokens["accessToken"])
    assert status == 200 and answer[0]["protocol"] and answer[0]["submitDate"], answer
    assert ergani(stack, "Documents/WRKCardSE", card, "not-a-token")[0] == 401
