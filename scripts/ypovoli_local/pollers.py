"""What Lambda's event source mappings and EventBridge do in AWS, done locally: long-poll each SQS
queue and hand batches to the function's handler (honouring partial batch failures), and tick the
schedules. The handlers are the very functions Lambda runs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from ypovoli import clock

from .handlers import LambdaContext
from .meter import METER

logger = logging.getLogger("ypovoli.local")
Handler = Callable[[dict[str, Any], Any], Any]


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": {k: str(v) for k, v in m.get("Attributes", {}).items()},
        "messageAttributes": {}, "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn, "awsRegion": "eu-central-1",
    } for m in messages]}


class QueuePoller(threading.Thread):
    def __init__(self, sqs: Any, queue_url: str, queue_arn: str, handler: Handler, function_name: str,
                 batch_size: int = 10, stop: threading.Event | None = None) -> None:
        super().__init__(name=f"poller-{function_name}", daemon=True)
        self.sqs, self.queue_url, self.queue_arn = sqs, queue_url, queue_arn
        self.handler, self.function_name, self.batch_size = handler, function_name, batch_size
        self.stop_event = stop or threading.Event()
        self.batches = 0

    def poll_once(self, wait_s: int = 1) -> int:
        got = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
                                       WaitTimeSeconds=wait_s, AttributeNames=["All"])
        messages = got.get("Messages", [])
        if not messages:
            return 0
        try:
            with METER.invocation(self.function_name):
                result = self.handler(sqs_event(messages, self.queue_arn), LambdaContext(self.function_name)) or {}
        except Exception:
            # As in Lambda: the whole batch returns to the queue after its visibility timeout.
            logger.exception("%s failed a batch", self.function_name)
            return 0
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
        self.batches += 1
        return len(messages)

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.poll_once()
            except Exception:
                if not self.stop_event.is_set():
                    logger.exception("poller %s", self.function_name)
                _pause(self.stop_event, 1)


def _pause(stop: threading.Event, seconds: float, wake: threading.Event | None = None) -> bool:
    """Sleep ``seconds`` in short steps; ``True`` once ``stop`` is set, ``False`` when the time is up
    or ``wake`` was set (the clock was moved): one wait on two events, which ``Event.wait`` is not."""
    end = time.monotonic() + seconds
    while not stop.is_set():
        left = end - time.monotonic()
        if left <= 0 or (wake is not None and wake.is_set()):
            if wake is not None:
                wake.clear()
            return False
        time.sleep(min(left, 0.1))
    return True


class Ticker(threading.Thread):
    """Fires the schedule's input at a compressed local cadence (the clock is moved, not waited for)."""

    def __init__(self, handler: Handler, event: dict[str, Any], function_name: str, every_s: float,
                 stop: threading.Event | None = None) -> None:
        super().__init__(name=f"ticker-{function_name}", daemon=True)
        self.handler, self.event, self.function_name, self.every_s = handler, event, function_name, every_s
        self.stop_event = stop or threading.Event()
        #: Set to fire now rather than at the next period (the clock was moved).
        self.wake = threading.Event()
        self._lock = threading.Lock()

    def tick(self) -> Any:
        with self._lock, METER.invocation(self.function_name):
            return self.handler(dict(self.event), LambdaContext(self.function_name, timeout_s=120))

    def run(self) -> None:
        while not _pause(self.stop_event, self.every_s, self.wake):
            try:
                self.tick()
            except Exception:
                logger.exception("schedule %s", self.function_name)


class MonthlyTicker(Ticker):
    """A monthly cron schedule, fired when the stack's (movable) Athens month changes — moving the
    clock into a new month runs it, as EventBridge would on the 1st."""

    def __init__(self, handler: Handler, event: dict[str, Any], function_name: str, every_s: float,
                 stop: threading.Event | None = None) -> None:
        super().__init__(handler, event, function_name, every_s, stop)
        self.month = self._current()

    @staticmethod
    def _current() -> str:
        return clock.athens_now().strftime("%Y-%m")

    def due(self) -> Any:
        current = self._current()
        if current == self.month:
            return None
        self.month = current
        return self.tick()

    def run(self) -> None:
        while not _pause(self.stop_event, self.every_s, self.wake):
            try:
                self.due()
            except Exception:
                logger.exception("schedule %s", self.function_name)
