"""EventBridge schedules → the outbox pump and the compliance sweeps.

The schedule's input names the task: ``{"task": "pump"}`` (every few minutes: re-enqueue what is
due, flag what passed its window, re-enqueue webhook deliveries) and ``{"task": "outage-report"}``
(monthly: every tenant's outage report of the previous Athens month → S3; ``"month": "YYYY-MM"``
redoes a given month).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ypovoli.services.deps import Deps
from ypovoli.services.reports import MONTH, write_monthly_reports
from ypovoli.services.sweep import sweep
from ypovoli.settings import get_settings

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class SweepTask(BaseModel):
    model_config = ConfigDict(extra="ignore")
    task: Literal["pump", "outage-report"] = "pump"
    month: str | None = Field(default=None, pattern=MONTH.pattern)


@cache
def deps() -> Deps:
    return Deps.from_settings(get_settings())


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        task = SweepTask.model_validate(event if "task" in event else event.get("detail") or {})
    except ValidationError as exc:
        logger.error("unknown sweep task", extra={"errors": exc.errors(include_url=False)})
        return {"task": None, "error": "unknown task"}
    if task.task == "outage-report":
        written = write_monthly_reports(deps(), task.month)
        metrics.add_metric(name="OutageReports", unit=MetricUnit.Count, value=len(written))
        logger.info("outage reports", extra={"month": task.month, "tenants": len(written)})
        return {"task": task.task, "reports": written}
    report = sweep(deps())
    metrics.add_metric(name="Pumped", unit=MetricUnit.Count, value=report.pumped)
    metrics.add_metric(name="Overdue", unit=MetricUnit.Count, value=report.overdue)
    metrics.add_metric(name="WebhooksPumped", unit=MetricUnit.Count, value=report.hooks)
    logger.info("sweep", extra={"task": task.task, "pumped": report.pumped, "overdue": report.overdue,
                                "hooks": report.hooks})
    return {"task": task.task, "pumped": report.pumped, "overdue": report.overdue, "hooks": report.hooks}
