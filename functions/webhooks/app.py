"""SQS batch → one webhook delivery attempt per message, with partial batch failures.

Its own function and queue: a receiver that hangs or fails delays its own events only, never a
transmission. A message only names an event ``{"tenant", "id"}``; the event item decides whether a
delivery is due, so redelivered or duplicated messages do nothing twice.
"""

from __future__ import annotations

import ypovoli.coldstart  # first: no garbage collection while the modules below load (issue 17 §2)

# isort: split
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, ValidationError
from ypovoli import snapstart
from ypovoli.services.deps import Deps
from ypovoli.services.webhooks import Deliverer
from ypovoli.settings import get_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)


class HookMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tenant: str
    id: str


#: The AWS services this function calls (its clients are primed in a SnapStart snapshot).
AWS_SERVICES = ("dynamodb", "sqs")


@cache
def deliverer() -> Deliverer:
    return Deliverer(Deps.from_settings(get_settings()))


snapstart.forget_after_restore(deliverer.cache_clear)
snapstart.register()
snapstart.prime(AWS_SERVICES, deliverer)


def record_handler(record: SQSRecord) -> str:
    try:
        message = HookMessage.model_validate_json(record.body)
    except ValidationError:
        logger.error("malformed webhook message dropped", extra={"message_id": record.message_id})
        metrics.add_metric(name="MalformedMessage", unit=MetricUnit.Count, value=1)
        return "malformed"
    result = deliverer().attempt(message.tenant, message.id)
    metrics.add_metric(name=f"Webhook{result.outcome.title().replace('_', '')}", unit=MetricUnit.Count, value=1)
    logger.info("webhook", extra={"event": message.id, "outcome": result.outcome})
    return result.outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)


ypovoli.coldstart.settle()   # the init ends here: what it loaded is frozen, collection resumes
