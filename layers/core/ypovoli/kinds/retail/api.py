"""Businesses and fiscal devices (SPEC §3 «Retail and SME routes»): ``/v1/businesses`` and
``/v1/fiscal-devices``. The ΑΦΜ must be one the tenant manages (403 otherwise, the same for absent),
except that registering a business adds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Blueprint, Response

from ... import clock
from ...api.context import Api, answer, error, forbidden, invalid, well_formed_id
from ...store.pages import page_of_sorted

if TYPE_CHECKING:
    from .business import Business
    from .businesses_store import Businesses
    from .devices_store import FiscalDevices
    from .fiscal_device import Device


def _businesses(api: Api) -> Businesses:
    from .businesses_store import Businesses  # with the first request that needs it (issue 17 §2)

    return api.deps.store(Businesses)


def _devices(api: Api) -> FiscalDevices:
    from .devices_store import FiscalDevices

    return api.deps.store(FiscalDevices)


def retail_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/businesses", methods=["POST"], authorizer=api.api_key_auth)
    def register_business() -> Response:
        from . import service as retail
        from .business import SEED as REG_SEED  # each route imports its own kind (issue 17 §2)
        from .business import BusinessCreated, BusinessRequest

        req, refused = api.model_body(BusinessRequest, f"{REG_SEED} · ypovoli API reference (GET /docs)")
        if refused is not None or req is None:
            return refused or forbidden()
        tenant = api.tenant()
        findings = retail.register_business(api.deps, tenant, req, clock.now())
        if findings:
            return invalid(422, findings)
        return answer(201, BusinessCreated(afm=req.afm, ame=req.ame, findings=[]).model_dump(mode="json"))

    @bp.route("/v1/businesses", methods=["GET"], authorizer=api.api_key_auth)
    def list_businesses() -> Response:
        from .business import Business, BusinessList

        tenant = api.tenant()

        def businesses(limit: int, cursor: str | None) -> tuple[list[Business], str | None]:
            registrations = _businesses(api).registrations(tenant)
            every = set(api.managed_afms(tenant, fresh=True)) | {r.afm for r in registrations}
            afms, next_cursor = page_of_sorted(every, limit, cursor)
            by_afm = {afm: Business(afm=afm, registrations=[]) for afm in afms}
            for registration in registrations:
                if registration.afm in by_afm:
                    by_afm[registration.afm].registrations.append(registration)
            return list(by_afm.values()), next_cursor

        return api.page(businesses, lambda items: BusinessList(items=items))

    @bp.route("/v1/businesses/{afm}", methods=["GET"], authorizer=api.api_key_auth)
    def get_business(afm: str) -> Response:
        from .business import Business

        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        business = Business(afm=afm, registrations=_businesses(api).registrations(tenant, afm))
        return answer(200, business.model_dump(mode="json"))

    @bp.route("/v1/businesses/{afm}/settings", methods=["GET", "PUT"], authorizer=api.api_key_auth)
    def business_settings(afm: str) -> Response:
        """The business's books (single- or double-entry): the minimum of a fine per audit depends on them."""
        from .business import BusinessSettings, BusinessSettingsView

        tenant = api.tenant_of(afm)
        if tenant is None:
            return forbidden()
        if api.request().method == "PUT":
            req, refused = api.model_body(BusinessSettings, "ypovoli API reference (GET /docs): business settings")
            if refused is not None or req is None:
                return refused or forbidden()
            _businesses(api).set_books(tenant, afm, req.books, clock.now())
        books = _businesses(api).books(tenant, afm)
        default = "double" if api.deps.settings.double_entry_books else "single"
        return answer(200, BusinessSettingsView(afm=afm, books=books or default, books_default=books is None)
                      .model_dump(mode="json"))

    @bp.route("/v1/fiscal-devices", methods=["POST"], authorizer=api.api_key_auth)
    def register_device() -> Response:
        from . import service as retail
        from .fiscal_device import SEED as FHM_SEED
        from .fiscal_device import DeviceAnswer, DeviceRequest

        owned = api.owned_body(DeviceRequest, f"{FHM_SEED} · ypovoli API reference (GET /docs)")
        if isinstance(owned, Response):
            return owned
        req, tenant = owned
        device, findings, existing = retail.register_device(api.deps, tenant, req, clock.now())
        if device is None:
            return error(409, "FHM-DEVICE-DUPLICATE", f"Ο ΦΗΜ {req.serial} έχει ήδη καταχωριστεί γι' αυτόν τον ΑΦΜ.",
                         f"Fiscal device {req.serial} is already registered for this ΑΦΜ.", id=existing)
        return answer(201, DeviceAnswer(id=device.id, due_at=device.due_at, findings=findings).model_dump(mode="json"))

    def owned_device(device_id: str) -> tuple[str, Device] | None:
        """The tenant and its device, if the device exists and its ΑΦΜ is the tenant's."""
        tenant = api.tenant()
        device = _devices(api).get(tenant, device_id) if well_formed_id(device_id) else None
        return (tenant, device) if device is not None and device.afm in api.managed_afms(tenant) else None

    @bp.route("/v1/fiscal-devices/{id}", methods=["GET"], authorizer=api.api_key_auth)
    def get_device(id: str) -> Response:
        owned = owned_device(id)
        return answer(200, owned[1].model_dump(mode="json")) if owned else forbidden()

    @bp.route("/v1/fiscal-devices/{id}/transmissions", methods=["POST"], authorizer=api.api_key_auth)
    def record_transmission(id: str) -> Response:
        owned = owned_device(id)
        if owned is None:
            return forbidden()
        tenant, device = owned
        from . import service as retail
        from .fiscal_device import SEED as FHM_SEED
        from .fiscal_device import TransmissionRequest

        req, refused = api.model_body(TransmissionRequest, f"{FHM_SEED} · ypovoli API reference (GET /docs)")
        if refused is not None or req is None:
            return refused or forbidden()
        recorded, findings = retail.record_transmission(api.deps, tenant, device, req, clock.now())
        if recorded is None:
            return invalid(422, findings)
        return answer(201, recorded.model_dump(mode="json"))

    return bp


def routes(api: Api) -> list[Blueprint]:
    """Every route of the kind (the registry's line for the API)."""
    return [retail_routes(api)]
