"""A statement in a function's resource policy (`aws_lambda_permission`,
`AWS::Lambda::Permission`): who may invoke it, from where.

Statements take no tags: they are owned through their function, whose ownership tags name
the application. `discover` reads the resource policy of every function the tagging API
lists as this application's; each statement is known by `permission <function>
<statement id>`, the same text `identity` makes from a resolved declaration. Lambda has no
call to change a statement, so any change is a replace (RemovePermission, AddPermission).
A declaration that sets a condition purser does not apply yet is unsupported: applied
without it, the statement would grant more than git says.
"""

from __future__ import annotations

import json
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import ApplyError, Desired, Live, Unsupported
from purser.reconcile.appliers.aws.client import Aws, is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, handlers
from purser.reconcile.ownership import APP_TAG

UNAPPLIED = ("qualifier", "principal_org_id", "event_source_token", "function_url_auth_type")


def function_name(value: Any) -> Any:
    """A function's name from its ARN (`arn:aws:lambda:r:1:function:name`) or name."""
    if isinstance(value, str) and value.startswith("arn:"):
        return value.split(":")[6]
    return value


def principal(value: Any) -> Any:
    """A principal as AddPermission takes it: a service, an account id or `*` (a policy
    writes `{"Service": s}` and an account as its root ARN)."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    if isinstance(value, str) and value.startswith("arn:") and value.endswith(":root"):
        return value.split(":")[4]
    return value


def owned_functions(aws: Aws, application: str) -> list[str]:
    """The names of the functions whose ownership tags name `application`."""
    tagging = aws.client("resourcegroupstaggingapi")
    pages = tagging.get_paginator("get_resources").paginate(
        TagFilters=[{"Key": APP_TAG, "Values": [application]}],
        ResourceTypeFilters=["lambda:function"])
    return [function_name(item["ResourceARN"]) for page in pages
            for item in page["ResourceTagMappingList"]]


@handlers.register("aws.lambda.permission")
class Permission(Handler):
    kind = "aws.lambda.permission"
    delete_rank = 15  # before its function (30)
    name_field = "statement_id"
    name_limit = 100
    fields = {"statement_id": str, "function_name": function_name, "action": str,
              "principal": principal, "source_arn": str, "source_account": str}
    replace_on = frozenset(fields)
    taggable = False
    tagging_type = None
    required = {"function_name": "a permission belongs to a function",
                "action": "a permission names the action it allows",
                "principal": "a permission names who it allows"}

    @property
    def awslambda(self) -> Any:
        return self.aws.client("lambda")

    def desired(self, resource: Resource) -> Desired:
        declared = [name for name in UNAPPLIED if resource.get(name) not in (None, "")]
        if declared:
            raise Unsupported(f"{', '.join(declared)} is not applied yet (without it the "
                              "permission would grant more than declared)")
        return super().desired(resource)

    def identity(self, desired: Desired) -> str:
        function = desired.fields.get("function_name")
        if not isinstance(function, str):  # its function is still to be created
            return ""
        return f"permission {function} {desired.name}"

    # ---------------------------------------------------------------- live
    def discover(self) -> list[str]:
        return [f"{function}/{statement['Sid']}"
                for function in owned_functions(self.aws, self.application)
                for statement in self._statements(function)]

    def _statements(self, function: str) -> list[dict[str, Any]]:
        try:
            policy = self.awslambda.get_policy(FunctionName=function)["Policy"]
        except Exception as error:
            if is_not_found(error):  # no policy yet, or the function is gone
                return []
            raise
        return list(json.loads(policy).get("Statement", []))

    def read(self, handle: str, address: str) -> Live | None:
        function, sid = handle.split("/", 1)
        try:
            tags = self.awslambda.get_function(FunctionName=function).get("Tags", {})
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        statement = next((s for s in self._statements(function) if s.get("Sid") == sid), None)
        if statement is None:
            return None
        fields = {"function_name": function, **_fields(statement)}
        application = tags.get(APP_TAG)
        return Live(address=address, kind=self.kind, name=sid, fields=fields, handle=handle,
                    tags={APP_TAG: application} if application else {},
                    outputs={"id": sid, "statement_id": sid, "ref": sid,
                             "function_name": function},
                    identity=f"permission {function} {sid}")

    def find(self, name: str, address: str) -> Live | None:
        return None  # a statement of an owned function is the one `discover` matched

    # ---------------------------------------------------------------- writes
    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields, sid = desired.fields, desired.name
        function = fields["function_name"]
        options = {key: fields[field] for field, key in (
            ("source_arn", "SourceArn"), ("source_account", "SourceAccount")) if field in fields}
        with_retries(lambda: self.awslambda.add_permission(
            FunctionName=function, StatementId=sid, Action=fields["action"],
            Principal=fields["principal"], **options),
            what=f"allowing {fields['principal']} to call function {function}")
        live = self.read(f"{function}/{sid}", desired.address)
        if live is None:
            raise LookupError(f"permission {sid} of {function} vanished right after it was added")
        return live

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        return live  # every field replaces: a statement is never changed in place

    def delete(self, live: Live) -> None:
        """Gone already is done: deleting the function (pruned after it) takes it along."""
        function, sid = live.fields["function_name"], live.name
        try:
            with_retries(lambda: self.awslambda.remove_permission(
                FunctionName=function, StatementId=sid),
                what=f"removing permission {sid} of function {function}")
        except ApplyError as error:
            if error.__cause__ is None or not is_not_found(error.__cause__):
                raise


def _fields(statement: dict[str, Any]) -> dict[str, Any]:
    """The managed fields of a policy statement (conditions as AddPermission took them)."""
    condition = statement.get("Condition", {})
    fields = {"action": statement.get("Action"), "principal": principal(statement.get("Principal")),
              "source_arn": condition.get("ArnLike", {}).get("AWS:SourceArn"),
              "source_account": condition.get("StringEquals", {}).get("AWS:SourceAccount")}
    return {name: value for name, value in fields.items() if value is not None}
