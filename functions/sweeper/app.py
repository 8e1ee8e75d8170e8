"""EventBridge schedules → the sweeps, by the name in the schedule's input; the index table's stream →
the summaries of the businesses its records touched.

``{"task": "pump"}`` (every few minutes: flag what passed its window, re-enqueue what is due on
every upstream, re-enqueue webhook deliveries) and ``{"task": "outage-report"}`` (monthly: every
tenant's outage report of the previous Athens month → S3; ``"month": "YYYY-MM"`` redoes a given
month). Each name is a sweep of ``ypovoli.services.sweep.SWEEPS`` or a routine of several.

A DynamoDB stream batch (``{"Records": [...]}``, filtered by template.yaml to the items that change a
business's compliance view) makes each touched business's summary anew (``services/summaries.py``),
answering Lambda's partial batch response with where to resume when the table was too busy.
"""

from __future__ import annotations

import ypovoli.coldstart  # first: no garbage collection while the modules below load (issue 17 §2)

# isort: split
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ypovoli import snapstart
from ypovoli.services import sweep
from ypovoli.services.deps import Deps
from ypovoli.services.reports import MONTH
from ypovoli.settings import get_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()

#: Report figures → metric names.
METRICS = {"pumped": "Pumped", "overdue": "Overdue", "hooks": "WebhooksPumped"}


class SweepTask(BaseModel):
    model_config = ConfigDict(extra="ignore")
    task: str = "pump"
    month: str | None = Field(default=None, pattern=MONTH.pattern)

    @field_validator("task")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in sweep.names():
            raise ValueError(f"unknown sweep {value!r} (known: {', '.join(sweep.names())})")
        return value


#: The AWS services this function calls (its clients are primed in a SnapStart snapshot).
AWS_SERVICES = ("dynamodb", "sqs", "s3")


@cache
def deps() -> Deps:
    return Deps.from_settings(get_settings())


def _prime() -> None:
    """A snapshot's init (``snapstart.prime``): the sweeps the pump runs each tick, and their kinds."""
    from ypovoli.kinds import registry

    registry.load_all((registry.DOCUMENT_KINDS,), sweeps=True)


snapstart.forget_after_restore(deps.cache_clear)
snapstart.register()
snapstart.prime(AWS_SERVICES, _prime)


def stream_batch(records: list[Any]) -> dict[str, Any]:
    from ypovoli import clock
    from ypovoli.services import summaries

    changes = [r for r in records if isinstance(r, dict)]
    retry = summaries.from_stream(deps(), changes, clock.now())
    touched = len(summaries.touched(changes))
    metrics.add_metric(name="SummariesRefreshed", unit=MetricUnit.Count, value=touched - len(retry))
    logger.info("summaries", extra={"records": len(changes), "businesses": touched, "retry": retry})
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in retry]}


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if isinstance(event.get("Records"), list):
        return stream_batch(event["Records"])
    try:
        task = SweepTask.model_validate(event if "task" in event else event.get("detail") or {})
    except ValidationError as exc:
        logger.error("unknown sweep task", extra={"errors": exc.errors(include_url=False)})
        return {"task": None, "error": "unknown task"}
    report = sweep.run(deps(), task.task, {"month": task.month} if task.month else {})
    for figure, metric in METRICS.items():
        if figure in report:
            metrics.add_metric(name=metric, unit=MetricUnit.Count, value=report[figure])
    for upstream, seconds in report.get("links_down_s", {}).items():
        with single_metric(name="UpstreamDownSeconds", unit=MetricUnit.Seconds, value=seconds,
                           default_dimensions=metrics.default_dimensions) as down:
            down.add_dimension(name="upstream", value=upstream)
    if "reports" in report:
        metrics.add_metric(name="OutageReports", unit=MetricUnit.Count, value=len(report["reports"]))
    logger.info("sweep", extra={"task": task.task, **{k: v for k, v in report.items() if k != "reports"}})
    return {"task": task.task, **report}


ypovoli.coldstart.settle()   # the init ends here: what it loaded is frozen, collection resumes
