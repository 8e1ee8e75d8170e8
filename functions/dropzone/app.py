"""S3 ObjectCreated in the drop bucket (through its SQS queue) → inspect the zip → file a report.

Keys arrive ``quote_plus``-encoded (S3 does that; so does moto) and the first message of a new
notification configuration is an ``s3:TestEvent``: both are handled here. The dossier id derives
from bucket, key and ETag, so a duplicated event rewrites the same report and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from functools import cache
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from ypovoli import clock
from ypovoli.dossier_zip import inspect_zip, refuse
from ypovoli.findings import has_errors
from ypovoli.settings import get_settings
from ypovoli.store.aws import client
from ypovoli.store.dossiers import Dossiers, dossier_prefix
from ypovoli.store.index import Index

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS)
MAX_UPLOAD = 200 * 1024 * 1024


@cache
def stores() -> tuple[Index, Dossiers]:
    settings = get_settings()
    return Index(settings.index_table, settings.outbox_shards), Dossiers(settings.dossier_bucket)


def record_handler(record: SQSRecord) -> int:
    body = json.loads(record.body)
    if body.get("Event") == "s3:TestEvent":
        return 0
    handled = 0
    for s3_record in body.get("Records", []):
        bucket = s3_record["s3"]["bucket"]["name"]
        key = unquote_plus(s3_record["s3"]["object"]["key"])
        etag = s3_record["s3"]["object"].get("eTag", "")
        handle_upload(bucket, key, etag)
        handled += 1
    return handled


def handle_upload(bucket: str, key: str, etag: str) -> str:
    index, dossiers = stores()
    parts = key.split("/")
    dossier_id = hashlib.sha256(f"{bucket}/{key}/{etag}".encode()).hexdigest()[:32]
    if len(parts) != 4 or parts[0] != "incoming" or not parts[3]:
        logger.warning("upload outside incoming/{tenant}/{afm}/: ignored", extra={"key": key})
        return "ignored"
    tenant, afm, filename = parts[1], parts[2], parts[3]
    tenant_item = index.get_tenant(tenant)
    if tenant_item is None or afm not in tenant_item.get("afms", []):
        logger.warning("upload for an AFM the tenant does not manage", extra={"key": key})
        return "ignored"
    s3 = client("s3")
    head = s3.head_object(Bucket=bucket, Key=key)
    now = clock.now()
    prefix = dossier_prefix(tenant, afm, "pske_dossier", now, dossier_id)
    with tempfile.TemporaryFile() as scratch:
        if head["ContentLength"] <= MAX_UPLOAD:
            s3.download_fileobj(bucket, key, scratch)
            scratch.seek(0)
            inspection = inspect_zip(scratch)
            findings = inspection.findings
            names = inspection.names
        else:
            findings, names = [refuse("ZIP-LIMITS", "upload",
                                      f"Το αρχείο ξεπερνά τα {MAX_UPLOAD} bytes.",
                                      f"The upload is over {MAX_UPLOAD} bytes.")], []
    status = "invalid" if has_errors(findings) or not names else "accepted"
    report = {"id": dossier_id, "status": status, "filename": filename, "source_key": key,
              "received_at": now.isoformat(), "members": names[:500],
              "findings": [f.model_dump(mode="json") for f in findings]}
    if status == "accepted":
        s3.copy_object(Bucket=dossiers.bucket, Key=f"{prefix}original.zip", CopySource={"Bucket": bucket, "Key": key})
    dossiers.put_json(f"{prefix}report.json", report)
    metrics.add_metric(name="DossierAccepted" if status == "accepted" else "DossierInvalid",
                       unit=MetricUnit.Count, value=1)
    logger.info("dossier filed", extra={"dossier_id": dossier_id, "status": status})
    return status


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)
