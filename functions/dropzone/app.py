"""S3 ObjectCreated in the drop bucket (through its SQS queue) → the object handed to the kind whose
drop folder it is (``registry.DROP_FOLDER``), which checks and files it.

Keys come ``quote_plus``-encoded and a new notification configuration first sends an
``s3:TestEvent``: both are handled here; what a key means is the kind's.
"""

from __future__ import annotations

import ypovoli.coldstart  # first: no garbage collection while the modules below load (issue 17 §2)

# isort: split
import json
from functools import cache
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from ypovoli import snapstart
from ypovoli.kinds import registry
from ypovoli.services.deps import Deps
from ypovoli.settings import get_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)


#: The AWS services this function calls (its clients are primed in a SnapStart snapshot).
AWS_SERVICES = ("dynamodb", "s3")


@cache
def stores() -> Deps:
    return Deps.from_settings(get_settings())


def _prime() -> None:
    """A snapshot's init (``snapstart.prime``): the drop folder's kind, primed."""
    registry.DROP_FOLDER.load()
    registry.load_all((registry.EVALUATIONS,))


snapstart.forget_after_restore(stores.cache_clear)
snapstart.register()
snapstart.prime(AWS_SERVICES, _prime)


def record_handler(record: SQSRecord) -> int:
    try:
        body = json.loads(record.body)
    except ValueError:
        logger.error("malformed drop notification dropped", extra={"message_id": record.message_id})
        return 0
    if not isinstance(body, dict) or body.get("Event") == "s3:TestEvent":
        return 0
    handled = 0
    for s3_record in body.get("Records", []):
        bucket = s3_record["s3"]["bucket"]["name"]
        key = unquote_plus(s3_record["s3"]["object"]["key"])
        etag = s3_record["s3"]["object"].get("eTag", "")
        handle_upload(bucket, key, etag, s3_record["s3"]["object"].get("versionId"))
        handled += 1
    return handled


def handle_upload(bucket: str, key: str, etag: str, version: str | None = None) -> str:
    """Check and file the upload the event names — that very version of the object (a second upload
    to the same key is another event, another version) — by the kind whose drop folder it is."""
    handled: str = registry.DROP_FOLDER.load()(stores(), bucket, key, etag, version)
    return handled


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)


ypovoli.coldstart.settle()   # the init ends here: what it loaded is frozen, collection resumes
