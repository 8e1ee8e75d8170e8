"""The businesses' and fiscal devices' share of the OpenAPI document (``registry.OPENAPI``; SPEC §3
«Retail and SME routes»)."""

from __future__ import annotations

from functools import partial
from typing import Any

from pydantic import BaseModel

from ...models.api import ErrorResponse
from ...openapi import errors, get_op, json_body, post_op, ref
from .business import (
    Business,
    BusinessCreated,
    BusinessList,
    BusinessRequest,
    BusinessSettings,
    BusinessSettingsView,
)
from .fiscal_device import Device, DeviceAnswer, DeviceRequest, TransmissionRequest

MODELS: list[type[BaseModel]] = [BusinessRequest, BusinessCreated, BusinessList, Business, DeviceRequest, DeviceAnswer,
                                 Device, TransmissionRequest, BusinessSettings, BusinessSettingsView]
SECURITY_SCHEMES: dict[str, Any] = {}   # the API key only
TAGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Fiscal devices", "ΦΗΜ and their transmission cadence.", ("/v1/fiscal-devices",)),
)


def paths(security: list[dict[str, list[str]]], id_param: dict[str, Any]) -> dict[str, Any]:
    post, get = partial(post_op, security), partial(get_op, security)
    afm_param = {"name": "afm", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "/v1/businesses": {
            **post("registerBusiness", "Register a business (REG-ACCOUNT); its ΑΦΜ joins the managed list",
                   BusinessRequest, "201", BusinessCreated),
            "get": {"operationId": "listBusinesses", "security": security,
                    "summary": "Every ΑΦΜ the tenant manages, with its registrations",
                    "responses": {"200": json_body(BusinessList, "The businesses"), **errors(401)}},
        },
        "/v1/businesses/{afm}": get("getBusiness", "One business and its registrations", Business, [afm_param]),
        "/v1/businesses/{afm}/settings": {
            **get("getBusinessSettings", "The business's books (the default until it says)", BusinessSettingsView,
                  [afm_param]),
            "put": {"operationId": "putBusinessSettings", "security": security, "parameters": [afm_param],
                    "summary": "Say which books the business keeps: a fine's minimum per audit depends on them",
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": ref(BusinessSettings)}}},
                    "responses": {"200": json_body(BusinessSettingsView, "The settings, as kept"),
                                  **errors(400, 401, 403, 422)}},
        },
        "/v1/fiscal-devices": post(
            "registerFiscalDevice", "Register a fiscal device (ΦΗΜ): its cadence starts now; FHM-EAFDSS noted",
            DeviceRequest, "201", DeviceAnswer,
            {"409": json_body(ErrorResponse, "Serial already registered for this ΑΦΜ (FHM-DEVICE-DUPLICATE): its id")}),
        "/v1/fiscal-devices/{id}": get("getFiscalDevice", "A fiscal device and its due time", Device, [id_param]),
        "/v1/fiscal-devices/{id}/transmissions": post(
            "recordFiscalTransmission", "Record one e-send: the device's due time moves (FHM-CADENCE)",
            TransmissionRequest, "201", DeviceAnswer, params=[id_param]),
    }
