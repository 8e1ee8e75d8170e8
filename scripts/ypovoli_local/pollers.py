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


def matches(pattern: Any, value: Any, present: bool = True) -> bool:
    """One of an event source mapping's filter patterns against a record, as Lambda reads them (the
    rules the template uses: a literal, ``prefix``, ``exists``; a dict goes one level down)."""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            value = {}
        return all(matches(rule, value.get(key), key in value) for key, rule in pattern.items())
    if isinstance(pattern, list):
        for rule in pattern:
            if isinstance(rule, dict) and "exists" in rule:
                if bool(rule["exists"]) == present:
                    return True
            elif isinstance(rule, dict) and "prefix" in rule:
                if present and isinstance(value, str) and value.startswith(str(rule["prefix"])):
                    return True
            elif present and value == rule:
                return True
        return False
    return bool(present and value == pattern)


class StreamPoller(threading.Thread):
    """A DynamoDB stream → the function's handler, as Lambda's event source mapping does: batches in
    order from the mapping's starting position, only the records its filters let through, a partial
    batch response resuming at the first failed record, a failed batch tried again.

    DynamoDB keeps a stream's records 24 hours; moto keeps them for ever, and copies them with the
    table in every transaction — ``trim`` (the local stack's) lets moto forget what was read."""

    #: As ``MaximumRetryAttempts`` bounds it in AWS: a batch that keeps failing is passed over, logged.
    RETRIES = 5

    def __init__(self, streams: Any, stream_arn: str, handler: Handler, function_name: str, batch_size: int = 100,
                 filters: list[Any] | None = None, starting: str = "TRIM_HORIZON",
                 stop: threading.Event | None = None, trim: Callable[[int | None, str], None] | None = None,
                 window_s: float = 0.0) -> None:
        super().__init__(name=f"stream-{function_name}", daemon=True)
        self.streams, self.stream_arn, self.handler = streams, stream_arn, handler
        self.function_name, self.batch_size, self.filters = function_name, batch_size, filters or []
        self.stop_event = stop or threading.Event()
        self.trim = trim
        #: ``MaximumBatchingWindowInSeconds``: a batch smaller than ``batch_size`` waits this long for more.
        self.window_s = window_s
        shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.shard = shard
        self.iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard,
                                                   ShardIteratorType=starting)["ShardIterator"]
        self.failures = 0
        self.batches = 0

    def _from(self, sequence: str) -> str:
        return str(self.streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=self.shard,
                                                   ShardIteratorType="AT_SEQUENCE_NUMBER",
                                                   SequenceNumber=sequence)["ShardIterator"])

    def poll_once(self) -> int:
        """One batch; how many records it read (0: nothing new)."""
        used = self.iterator
        got = self.streams.get_records(ShardIterator=used, Limit=self.batch_size)
        records = got.get("Records", [])
        if not records:
            self.iterator = got["NextShardIterator"]
            if self.trim is not None:
                self.trim(None, used)
            return 0
        if self.window_s and len(records) < self.batch_size and not _pause(self.stop_event, self.window_s):
            more = self.streams.get_records(ShardIterator=got["NextShardIterator"],
                                            Limit=self.batch_size - len(records))
            if self.trim is not None:
                self.trim(None, got["NextShardIterator"])
            records = records + more.get("Records", [])
            got = more
        chosen = [r for r in records if not self.filters or any(matches(f, r) for f in self.filters)]
        retry_from: str | None = None
        if chosen:
            event = {"Records": [{**r, "eventSourceARN": self.stream_arn, "awsRegion": "eu-central-1"} for r in chosen]}
            try:
                # Metered apart from the function's scheduled runs: the stream's work follows the writes.
                with METER.invocation(f"{self.function_name}:stream"):
                    result = self.handler(event, LambdaContext(self.function_name, timeout_s=120)) or {}
                failed = sorted((str(f["itemIdentifier"]) for f in result.get("batchItemFailures", [])), key=int)
                retry_from = failed[0] if failed else None
            except Exception:
                logger.exception("%s failed a stream batch", self.function_name)
                retry_from = str(chosen[0]["dynamodb"]["SequenceNumber"])
        if retry_from is not None and self.failures < self.RETRIES:
            self.failures += 1
            self.iterator = self._from(retry_from)
            if self.trim is not None:
                self.trim(None, used)
            return len(records)
        if retry_from is not None:
            logger.error("%s: a stream batch from %s passed over after %d attempts", self.function_name,
                         retry_from, self.failures + 1)
        self.failures = 0
        self.iterator = got["NextShardIterator"]
        self.batches += 1
        if self.trim is not None:
            self.trim(int(records[-1]["dynamodb"]["SequenceNumber"]), used)
        return len(records)

    def run(self) -> None:
        idle = 0
        while not self.stop_event.is_set():
            try:
                read = self.poll_once()
            except Exception:
                if not self.stop_event.is_set():
                    logger.exception("stream poller %s", self.function_name)
                read = 0
            # Lambda polls a shard about four times a second; an idle local stack need not.
            idle = 0 if read else min(idle + 1, 4)
            if not read and _pause(self.stop_event, 0.125 * 2 ** (idle - 1)):
                return


def moto_stream_trimmer(table: str, lock: Any = None) -> Callable[[int | None, str], None]:
    """What lets an in-process moto forget what a stream's reader is done with: the records of ``table``
    up to a sequence number (read, so never asked for again: their list shortened, its numbering kept)
    and the shard iterator just used (moto keeps every one it hands out)."""
    import contextlib

    def trim(upto: int | None, used_iterator: str) -> None:
        from moto.dynamodb.models import dynamodb_backends
        from moto.dynamodbstreams.models import dynamodbstreams_backends

        from .template import ACCOUNT, REGION

        with lock if lock is not None else contextlib.nullcontext():
            dynamodbstreams_backends[ACCOUNT][REGION].shard_iterators.pop(used_iterator, None)
            found = dynamodb_backends[ACCOUNT][REGION].tables.get(table)
            shard = getattr(found, "stream_shard", None)
            if shard is None or upto is None:
                return
            drop = max(0, min(len(shard.items), upto + 1 - shard.starting_sequence_number))
            if drop:
                del shard.items[:drop]
                shard.starting_sequence_number += drop

    return trim
