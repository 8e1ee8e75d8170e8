"""Issue 16 §1 on moto: tenants, keys and ΑΦΜ administered as `ypovoli tenants|keys|afms` does — a
key shown once and kept as a digest, registered in the usage plan, rotated with a grace period,
revoked at once; the API takes it at once."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from ypovoli.services.tenants import AdminError, Tenants
from ypovoli_local.admin import UsagePlanGateway

from tests.factories import invoice
from tests.integration.conftest import PEPPER, World, _reset_caches
from tests.integration.test_api import call

NEW_AFM = "100000076"


def test_a_tenant_and_its_key_work_on_the_api_at_once_and_rotate_with_grace(world: World) -> None:
    apigateway = boto3.client("apigateway")
    rest = apigateway.create_rest_api(name="ypovoli-it")
    plan = apigateway.create_usage_plan(name="it", apiStages=[])
    tenants = Tenants(world.deps.index, PEPPER, UsagePlanGateway(plan["id"], apigateway))
    tenants.create("newco", "New office", [NEW_AFM])
    with pytest.raises(AdminError):
        tenants.create("newco", "again", [])
    with pytest.raises(AdminError):
        tenants.create("bad", "", ["123456789"])   # not a valid ΑΦΜ
    first = tenants.issue_key("newco", world.clock.now())
    assert first.key.startswith("ypk_") and first.key not in str(world.table_items())   # only its digest
    assert call("POST", "/v1/invoices", key=first.key, body=invoice(aa="T-1", issuer=NEW_AFM))[0] == 202
    [registered] = apigateway.get_usage_plan_keys(usagePlanId=plan["id"])["items"]
    assert registered["value"] == first.key and rest["id"]

    second = tenants.rotate("newco", world.clock.now(), dt.timedelta(hours=24))
    _reset_caches()
    assert call("GET", f"/v1/invoices?afm={NEW_AFM}", key=first.key)[0] == 200    # still in its grace
    world.clock.advance(dt.timedelta(hours=24, seconds=1))
    _reset_caches()
    assert call("GET", f"/v1/invoices?afm={NEW_AFM}", key=first.key)[0] == 401    # expired
    assert call("GET", f"/v1/invoices?afm={NEW_AFM}", key=second.key)[0] == 200
    assert [k.expires_at is not None for k in tenants.keys("newco")].count(True) == 1

    tenants.revoke("newco", second.key_id)
    _reset_caches()
    assert call("GET", f"/v1/invoices?afm={NEW_AFM}", key=second.key)[0] == 401
    assert [k["id"] for k in apigateway.get_usage_plan_keys(usagePlanId=plan["id"])["items"]] \
        == [registered["id"]]   # the revoked key left the plan
    with pytest.raises(AdminError):
        tenants.revoke("newco", "0000")


def test_afms_added_and_removed(world: World) -> None:
    tenants = Tenants(world.deps.index, PEPPER)
    tenants.create("afmco", "", [])
    key = tenants.issue_key("afmco", world.clock.now()).key
    assert call("POST", "/v1/invoices", key=key, body=invoice(aa="T-2", issuer=NEW_AFM))[0] == 403
    assert tenants.add_afms("afmco", [NEW_AFM]) == [NEW_AFM]
    _reset_caches()
    assert call("POST", "/v1/invoices", key=key, body=invoice(aa="T-2", issuer=NEW_AFM))[0] == 202
    assert tenants.remove_afms("afmco", [NEW_AFM]) == []
    _reset_caches()
    assert call("POST", "/v1/invoices", key=key, body=invoice(aa="T-3", issuer=NEW_AFM))[0] == 403


def test_an_unknown_path_is_a_404_that_echoes_no_credential_and_answers_carry_a_request_id(world: World) -> None:
    from ypovoli_local.front import gateway_call, new_gateway
    from ypovoli_local.handlers import load_function

    gateway = new_gateway(load_function("api").app)
    status, _, raw = gateway_call(gateway, "GET", "/v1/no-such-thing", {"x-api-key": "ypk_secret-value"}, None)
    assert status == 404 and b"ypk_secret-value" not in raw and b"NOT_FOUND" in raw
    status, _, raw = gateway_call(gateway, "GET", "/v1/invoices?afm=800123456", {"x-api-key": "ypk_wrong"}, None)
    assert status == 401 and b"x-api-key" in raw and b"ypk_wrong" not in raw
    status, headers, _ = gateway_call(gateway, "GET", "/health", {}, None)
    assert status == 200 and headers.get("X-Request-Id")
