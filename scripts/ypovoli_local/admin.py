"""Where ``ypovoli tenants|keys|afms`` writes on a deployed stack: its CloudFormation outputs for the
table and the usage plan, the API function's configuration for the pepper — all with the caller's own
AWS credentials (the local stack's are ``/_local/admin``'s: where.py)."""

from __future__ import annotations

import os
from typing import Any

from ypovoli.services.tenants import Tenants
from ypovoli.store.index import Index


class UsagePlanGateway:
    """API Gateway's half of a key: the same key value registered in the stack's usage plan."""

    def __init__(self, usage_plan_id: str, apigateway: Any) -> None:
        self.usage_plan_id = usage_plan_id
        self.apigateway = apigateway

    def register(self, tenant: str, key: str, key_id: str) -> str:
        created = self.apigateway.create_api_key(name=f"ypovoli-{tenant}-{key_id}", value=key, enabled=True,
                                                 tags={"tenant": tenant})
        self.apigateway.create_usage_plan_key(usagePlanId=self.usage_plan_id, keyId=created["id"], keyType="API_KEY")
        return str(created["id"])

    def remove(self, gateway_key_id: str) -> None:
        self.apigateway.delete_usage_plan_key(usagePlanId=self.usage_plan_id, keyId=gateway_key_id)
        self.apigateway.delete_api_key(apiKey=gateway_key_id)


def deployed_tenants(stack: str, cloudformation: Any, lambda_: Any, apigateway: Any) -> Tenants:
    outputs = {o["OutputKey"]: o["OutputValue"]
               for o in cloudformation.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])}
    pepper = os.environ.get("YPOVOLI_API_KEY_PEPPER")
    if not pepper:
        function = cloudformation.describe_stack_resource(
            StackName=stack, LogicalResourceId="ApiFunction")["StackResourceDetail"]["PhysicalResourceId"]
        pepper = lambda_.get_function_configuration(FunctionName=function)["Environment"]["Variables"][
            "YPOVOLI_API_KEY_PEPPER"]
    return Tenants(Index(outputs["IndexTableName"]), str(pepper),
                   UsagePlanGateway(outputs["UsagePlanId"], apigateway))
