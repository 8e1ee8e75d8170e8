"""The tenant's webhook: set it (a new signing secret, shown once), read it, remove it, and the log of
every delivery."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from ..models.events import DeliveryList, WebhookConfig, WebhookRequest
from ..settings import get_settings
from ..webhooks.signing import new_secret
from ..webhooks.targets import SOURCE, TargetRefused, check_url, url_finding
from .context import Api, answer, forbidden, invalid, not_found


def webhook_routes(api: Api) -> Blueprint:
    bp = Blueprint(__name__)

    @bp.route("/v1/webhook", methods=["PUT"], authorizer=api.api_key_auth)
    def put_webhook() -> Response:
        request, refused = api.model_body(WebhookRequest, SOURCE)
        if request is None:
            assert refused is not None
            return refused
        try:
            url = check_url(request.url, get_settings().webhook_allow_private)
        except TargetRefused as exc:
            return invalid(422, [url_finding(str(exc))])
        secret = new_secret()
        if not api.deps.index.set_webhook(api.tenant(), url, secret):
            return forbidden()
        return answer(200, WebhookConfig(url=url, secret=secret, secret_hint=secret[-4:]).model_dump())

    @bp.route("/v1/webhook", methods=["GET"], authorizer=api.api_key_auth)
    def get_webhook() -> Response:
        config = api.deps.index.get_tenant(api.tenant()) or {}
        if not config.get("webhook_url"):
            return not_found("NO_WEBHOOK", "Δεν έχει οριστεί webhook.", "No webhook is set.")
        secret = str(config.get("webhook_secret", ""))
        return answer(200, WebhookConfig(url=str(config["webhook_url"]), secret_hint=secret[-4:]).model_dump())

    @bp.route("/v1/webhook", methods=["DELETE"], authorizer=api.api_key_auth)
    def delete_webhook() -> Response:
        api.deps.index.set_webhook(api.tenant(), None, None)
        return Response(body="", status_code=204)

    @bp.route("/v1/webhook/deliveries", methods=["GET"], authorizer=api.api_key_auth)
    def list_deliveries() -> Response:
        tenant, submission_id = api.tenant(), api.query().get("submission_id") or None
        return api.page(lambda limit, cursor: api.deps.events.deliveries(tenant, limit, submission_id, cursor),
                        lambda items: DeliveryList(items=items))

    return bp
