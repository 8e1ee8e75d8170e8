"""Read template.yaml and create its resources on the local AWS endpoint (no second list).

Supports what the template uses: ``!Ref``, ``!Sub`` (string form), ``!GetAtt`` for queue ARNs and
names, parameters with defaults. DynamoDB tables, S3 buckets (versioning, encryption, queue
notifications) and SQS queues (with redrive) are created; the functions' environment is computed
from Globals the same way Lambda would see it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACCOUNT = "123456789012"
REGION = "eu-central-1"


class _CfnLoader(yaml.SafeLoader):
    pass


def _tag(name: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if name == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {("Ref" if name == "Ref" else f"Fn::{name}"): value}

    return construct


for _name in ("Ref", "Sub", "GetAtt", "Join", "If", "Equals", "Not", "And", "Or", "Select", "Split", "ImportValue",
              "FindInMap"):
    _CfnLoader.add_constructor(f"!{_name}", _tag(_name))


def load_template(path: Path) -> dict[str, Any]:
    return dict(yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader))  # noqa: S506 — SafeLoader subclass


@dataclass
class LocalResources:
    stack_name: str
    template: dict[str, Any]
    parameters: dict[str, str] = field(default_factory=dict)
    physical: dict[str, str] = field(default_factory=dict)  # logical id → name / URL
    arns: dict[str, str] = field(default_factory=dict)
    #: Tables' stream ARNs by logical id (``!GetAtt Table.StreamArn``).
    streams: dict[str, str] = field(default_factory=dict)
    #: ``False``: tables are made without their streams (benchmarks that write 100,000 items and read
    #: no stream: moto keeps every record and copies them with the table in each transaction).
    with_streams: bool = True

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self._ref(str(arg))
            if key == "Fn::Sub":
                return self._sub(arg if isinstance(arg, str) else arg[0])
            if key == "Fn::GetAtt":
                logical, attr = arg
                return self._get_att(logical, attr)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _pseudo(self, name: str) -> str | None:
        return {"AWS::StackName": self.stack_name, "AWS::AccountId": ACCOUNT, "AWS::Region": REGION,
                "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}.get(name)

    def _ref(self, name: str) -> str:
        pseudo = self._pseudo(name)
        if pseudo is not None:
            return pseudo
        if name in self.parameters:
            return self.parameters[name]
        params = self.template.get("Parameters", {})
        if name in params:
            return str(params[name].get("Default", ""))
        if name in self.physical:
            return self.physical[name]
        raise KeyError(f"cannot resolve !Ref {name} locally")

    def _sub(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            inner = match.group(1)
            if "." in inner:
                logical, attr = inner.split(".", 1)
                return str(self._get_att(logical, attr))
            return self._ref(inner)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)

    def _get_att(self, logical: str, attr: str) -> str:
        if attr == "Arn" and logical in self.arns:
            return self.arns[logical]
        if attr == "StreamArn" and logical in self.streams:
            return self.streams[logical]
        if attr == "QueueName":
            return str(self.resolve(self.template["Resources"][logical]["Properties"]["QueueName"]))
        raise KeyError(f"cannot resolve !GetAtt {logical}.{attr} locally")

    def of_type(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v.get("Properties", {})) for k, v in self.template["Resources"].items() if v["Type"] == kind]

    # ---- creation ---------------------------------------------------------------------------

    def create(self, session: Any) -> None:
        self._create_queues(session.client("sqs"))
        self._create_tables(session.client("dynamodb"))
        self._create_buckets(session.client("s3"))

    def _create_queues(self, sqs: Any) -> None:
        queues = self.of_type("AWS::SQS::Queue")
        # Dead-letter queues first: the others' redrive policies name them.
        queues.sort(key=lambda q: "RedrivePolicy" in q[1])
        for logical, props in queues:
            name = self.resolve(props["QueueName"])
            attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
            if "MessageRetentionPeriod" in props:
                attributes["MessageRetentionPeriod"] = str(props["MessageRetentionPeriod"])
            if "RedrivePolicy" in props:
                attributes["RedrivePolicy"] = json.dumps(self.resolve(props["RedrivePolicy"]))
            url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
            self.physical[logical] = url
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
            self.arns[logical] = attributes["QueueArn"]

    def _create_tables(self, ddb: Any) -> None:
        for logical, props in self.of_type("AWS::DynamoDB::Table"):
            name = self.resolve(props["TableName"])
            kwargs: dict[str, Any] = {
                "TableName": name, "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
                "AttributeDefinitions": props["AttributeDefinitions"], "KeySchema": props["KeySchema"],
            }
            if props.get("GlobalSecondaryIndexes"):
                kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
            stream = props.get("StreamSpecification")
            if stream and self.with_streams:
                kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
            created = ddb.create_table(**kwargs)["TableDescription"]
            if created.get("LatestStreamArn"):
                self.streams[logical] = str(created["LatestStreamArn"])
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
            self.physical[logical] = name

    def _create_buckets(self, s3: Any) -> None:
        for logical, props in self.of_type("AWS::S3::Bucket"):
            name = self.resolve(props["BucketName"])
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
            self.physical[logical] = name
            if props.get("VersioningConfiguration"):
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
            if props.get("BucketEncryption"):
                rules = [{"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"]}
                         for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
            notifications = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
            if notifications:
                s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={
                    "QueueConfigurations": [self._queue_notification(n) for n in notifications]})

    def _queue_notification(self, config: dict[str, Any]) -> dict[str, Any]:
        resolved = self.resolve(config)
        out: dict[str, Any] = {"QueueArn": resolved["Queue"], "Events": [resolved["Event"]]}
        rules = resolved.get("Filter", {}).get("S3Key", {}).get("Rules")
        if rules:
            out["Filter"] = {"Key": {"FilterRules": rules}}
        return out

    # ---- what the functions see ---------------------------------------------------------------

    def function_environment(self, logical: str) -> dict[str, str]:
        env = dict(self.template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {}))
        own = self.template["Resources"][logical]["Properties"].get("Environment", {}).get("Variables", {})
        env.update(own)
        return {k: str(self.resolve(v)) for k, v in env.items()}

    def functions(self) -> dict[str, dict[str, Any]]:
        return {k: v["Properties"] for k, v in self.template["Resources"].items()
                if v["Type"] == "AWS::Serverless::Function"}
