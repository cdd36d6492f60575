"""What the rest of a repository says about a Lambda function: what targets it, who invokes
it and how, and whether it runs at CloudFront's edge."""

from __future__ import annotations

from purser import kinds
from purser.model import Ref, Resource
from purser.policy import iam
from purser.policy.rule import RuleContext

# Services that invoke a function asynchronously: a failed event is retried, then dropped
# unless a dead-letter queue or on-failure destination keeps it.
ASYNC_PRINCIPALS = ("s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com",
                    "scheduler.amazonaws.com", "iot.amazonaws.com", "ses.amazonaws.com",
                    "config.amazonaws.com", "codecommit.amazonaws.com")
# SAM event types delivered asynchronously.
ASYNC_SAM_EVENTS = frozenset({"S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule",
                              "ScheduleV2", "IoTRule", "CloudWatchLogs", "CodeCommit"})
EDGE_PRINCIPAL = "edgelambda.amazonaws.com"


def base_address(address: str) -> str:
    """`aws_lambda_function.this[0]` → `aws_lambda_function.this` (what depends_on records)."""
    return address.split("[", 1)[0] if address.endswith("]") else address


def targets(other: Resource, function: Resource, attribute: str = "function_name") -> bool:
    """True when `other`'s `attribute` names `function`: a reference to it (a counted
    instance included), its name or its ARN."""
    value = other.get(attribute)
    if isinstance(value, Ref):
        return value.address == function.address
    name = function.get("function_name")
    if isinstance(value, str) and isinstance(name, str) and name:
        return value == name or value.endswith(f":function:{name}")
    return base_address(function.address) in other.depends_on \
        or function.address in other.depends_on


def targeting(function: Resource, context: RuleContext, *kind_names: str) -> list[Resource]:
    """Resources of the named kinds that configure `function`."""
    return [other for other in context.of_kind(*kind_names) if targets(other, function)]


def invoked_asynchronously(function: Resource, context: RuleContext) -> bool:
    """True when something in the repository delivers events to the function
    asynchronously: a permission for S3, SNS, EventBridge..., or a SAM event of such a
    type, or an event-invoke configuration (asynchronous invocation's own settings)."""
    if targeting(function, context, "aws.lambda.event_invoke_config"):
        return True
    for permission in targeting(function, context, "aws.lambda.permission"):
        principal = permission.get("principal")
        if isinstance(principal, str) and principal in ASYNC_PRINCIPALS:
            return True
    events = function.get("events")
    return isinstance(events, dict) and any(
        isinstance(event, dict) and event.get("Type") in ASYNC_SAM_EVENTS
        for event in events.values())


def runs_at_edge(function: Resource, context: RuleContext) -> bool:
    """True for Lambda@Edge: its role trusts edgelambda.amazonaws.com, or a CloudFront
    distribution references it."""
    role = function.get("role")
    found = context.find(role.address) if isinstance(role, Ref) else None
    if found is not None and any(EDGE_PRINCIPAL in statement.principals
                                 for statement in iam.trust_statements(found)):
        return True
    address = base_address(function.address)
    return any(address in distribution.depends_on or function.address in distribution.depends_on
               for distribution in context.of_type(*kinds.types("aws.cloudfront.distribution")))
