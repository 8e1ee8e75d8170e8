"""SQS batch → one transmission attempt per message, with partial batch failures.

A message is only a nudge ``{"tenant", "id"}``: the outbox entry decides whether anything is due.
A redelivered or duplicated message finds the entry leased, not due or gone, and does nothing.
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
from ypovoli.services.transmit import Transmitter
from ypovoli.settings import get_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)


class TransmitMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tenant: str
    id: str


#: The AWS services this function calls (its clients are primed in a SnapStart snapshot).
AWS_SERVICES = ("dynamodb", "s3", "sqs", "secretsmanager")


@cache
def transmitter() -> Transmitter:
    return Transmitter(Deps.from_settings(get_settings()))


def _prime() -> None:
    """A snapshot's init (``snapstart.prime``): every kind sent, primed, and each upstream's transmission."""
    from ypovoli.kinds import registry

    registry.load_all((registry.DOCUMENT_KINDS,))
    for upstream in registry.upstreams():
        transmitter().deps.transmission(upstream)


snapstart.forget_after_restore(transmitter.cache_clear)
snapstart.register()
snapstart.prime(AWS_SERVICES, _prime)


def record_handler(record: SQSRecord) -> str:
    try:
        message = TransmitMessage.model_validate_json(record.body)
    except ValidationError:
        # Nothing to transmit can hide in a malformed nudge (the outbox is the truth): drop it loudly.
        logger.error("malformed transmit message dropped", extra={"message_id": record.message_id})
        metrics.add_metric(name="MalformedMessage", unit=MetricUnit.Count, value=1)
        return "malformed"
    logger.set_correlation_id(message.id)
    result = transmitter().attempt(message.tenant, message.id)
    metrics.add_metric(name=result.outcome.capitalize(), unit=MetricUnit.Count, value=1)
    logger.info("attempt", extra={"submission_id": message.id, "outcome": result.outcome})
    return result.outcome


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)


ypovoli.coldstart.settle()   # the init ends here: what it loaded is frozen, collection resumes
