"""Lambda functions: configuration, code, reserved concurrency and tags.

`desired` reads the code through the repository tree (`code.package`) and carries only its
digest, `code_sha256`, as Lambda reports it; the bytes wait in the handler, keyed by that
digest, for the create or update of the same run. Configuration goes through
UpdateFunctionConfiguration and code through UpdateFunctionCode, one after the other once
the function has settled (Lambda refuses a second update while one is in progress).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import ApplyError, Desired, Live
from purser.reconcile.appliers.aws import code
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, handlers, integer, same
from purser.reconcile.appliers.aws.tags import stale_keys, user_tags, wanted_tags

VARIABLES = "environment.variables"
CONCURRENCY = "reserved_concurrent_executions"
# Canonical field → UpdateFunctionConfiguration / CreateFunction parameter.
CONFIGURATION = {"role": "Role", "handler": "Handler", "runtime": "Runtime",
                 "memory_size": "MemorySize", "timeout": "Timeout",
                 "description": "Description"}
CODE_KEPT = 32  # packages kept for this run's writes (each at most 50 MB)


def text_map(value: Any) -> Any:
    """Environment variables: Lambda keeps every value as text."""
    if not isinstance(value, dict):
        return value
    return {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()}


# Settings Lambda nests one level: canonical field → (object, key).
NESTED = {"tracing_config.mode": ("TracingConfig", "Mode"),
          "dead_letter_config.target_arn": ("DeadLetterConfig", "TargetArn")}


@handlers.register("aws.lambda.function")
class Function(Handler):
    kind = "aws.lambda.function"
    delete_rank = 30
    name_field = "function_name"
    fields = {"function_name": str, "role": str, "handler": str, "runtime": str,
              "memory_size": integer, "timeout": integer, "architectures": same,
              "description": str, VARIABLES: text_map, CONCURRENCY: integer,
              "code_sha256": str, **{field: str for field in NESTED}}
    tagging_type = "lambda:function"
    required = {"role": "declare the execution role (SAM's implicit role, made for a function "
                        "without Role, is not applied yet)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._packages: OrderedDict[str, bytes] = OrderedDict()

    @property
    def awslambda(self) -> Any:
        return self.aws.client("lambda")

    def desired(self, resource: Resource) -> Desired:
        desired = super().desired(resource)
        package = code.package(resource, self.tree)
        sha = code.digest(package)
        self._packages[sha] = package
        while len(self._packages) > CODE_KEPT:
            self._packages.popitem(last=False)
        return Desired(desired.address, desired.kind, desired.name,
                       {**desired.fields, "code_sha256": sha}, desired.depends_on)

    def owns_arn(self, arn: str) -> bool:
        parts = arn.split(":")
        return parts[2:3] == ["lambda"] and parts[5:6] == ["function"] and len(parts) == 7

    def read(self, handle: str, address: str) -> Live | None:
        return self.find(handle.rsplit(":function:", 1)[-1], address)

    def find(self, name: str, address: str) -> Live | None:
        try:
            found = self.awslambda.get_function(FunctionName=name)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        config, tags = found["Configuration"], found.get("Tags", {})
        fields: dict[str, Any] = {field: config[key] for field, key in CONFIGURATION.items()
                                  if config.get(key) not in (None, "")}
        fields.update({field: config[outer][inner] for field, (outer, inner) in NESTED.items()
                       if config.get(outer, {}).get(inner)})
        fields.update({"architectures": config.get("Architectures", ["x86_64"]),
                       VARIABLES: config.get("Environment", {}).get("Variables", {}),
                       "code_sha256": config["CodeSha256"], "tags": user_tags(tags)})
        reserved = found.get("Concurrency", {}).get("ReservedConcurrentExecutions")
        if reserved is not None:
            fields[CONCURRENCY] = reserved
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=name,
                    tags=tags, outputs=_outputs(config))

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields, name = desired.fields, desired.name
        options = {key: fields[field] for field, key in CONFIGURATION.items() if field in fields}
        options.update(_nested(fields, set(fields)))
        if "architectures" in fields:
            options["Architectures"] = fields["architectures"]
        if VARIABLES in fields:
            options["Environment"] = {"Variables": fields[VARIABLES]}
        package = self._package(fields["code_sha256"], name)
        with_retries(lambda: self.awslambda.create_function(
            FunctionName=name, Code={"ZipFile": package}, Publish=False,
            Tags=wanted_tags(fields, tags), **options),
            what=f"creating function {name}")
        self._settle(name, "function_active_v2")
        if CONCURRENCY in fields:
            self._reserve(name, fields[CONCURRENCY])
        return self.written(self.find(name, desired.address), name)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        fields, name = desired.fields, live.name
        options = {key: fields[field] for field, key in CONFIGURATION.items()
                   if field in changed}
        options.update(_nested(fields, changed))
        if VARIABLES in changed:
            options["Environment"] = {"Variables": fields[VARIABLES]}
        if options:
            with_retries(lambda: self.awslambda.update_function_configuration(
                FunctionName=name, **options), what=f"updating function {name}")
            self._settle(name, "function_updated_v2")
        if changed & {"code_sha256", "architectures"}:
            self._upload(name, fields, live.fields)
        if CONCURRENCY in changed:
            self._reserve(name, fields[CONCURRENCY])
        if "tags" in changed:
            self._retag(live, wanted_tags(fields, tags))
        return self.written(self.find(name, live.address), name)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.awslambda.delete_function(FunctionName=live.name),
                     what=f"deleting function {live.name}")

    def _package(self, sha: str, name: str) -> bytes:
        package = self._packages.get(sha)
        if package is None:
            raise ApplyError(f"function {name}: its code (sha256 {sha}) was not read from the "
                             "repository in this run; plan again")
        return package

    def _upload(self, name: str, fields: dict[str, Any], live: dict[str, Any]) -> None:
        """New code, or the same code for another architecture (set with the code)."""
        sha = fields.get("code_sha256", live.get("code_sha256", ""))
        package = self._package(sha, name)
        architectures = fields.get("architectures", live.get("architectures"))
        with_retries(lambda: self.awslambda.update_function_code(
            FunctionName=name, ZipFile=package, Architectures=architectures),
            what=f"updating the code of function {name}")
        self._settle(name, "function_updated_v2")

    def _reserve(self, name: str, count: Any) -> None:
        with_retries(lambda: self.awslambda.put_function_concurrency(
            FunctionName=name, ReservedConcurrentExecutions=int(count)),
            what=f"reserving concurrency of function {name}")

    def _retag(self, live: Live, wanted: dict[str, str]) -> None:
        arn = live.outputs["arn"]
        stale = stale_keys(live.tags, wanted)
        if stale:
            with_retries(lambda: self.awslambda.untag_resource(Resource=arn, TagKeys=stale),
                         what=f"untagging function {live.name}")
        with_retries(lambda: self.awslambda.tag_resource(Resource=arn, Tags=wanted),
                     what=f"tagging function {live.name}")

    def _settle(self, name: str, waiter: str) -> None:
        """Until Lambda has finished with the last change (it refuses the next before)."""
        self.awslambda.get_waiter(waiter).wait(FunctionName=name,
                                               WaiterConfig={"Delay": 1, "MaxAttempts": 300})



def _nested(fields: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The settings Lambda takes as one-key objects (TracingConfig.Mode, ...)."""
    return {outer: {inner: fields[field]} for field, (outer, inner) in NESTED.items()
            if field in names and field in fields}


def _outputs(config: dict[str, Any]) -> dict[str, Any]:
    """Terraform's attribute names, and `ref` (CloudFormation's Ref: the name)."""
    arn, name = config["FunctionArn"], config["FunctionName"]
    partition, region = arn.split(":")[1], arn.split(":")[3]
    return {"arn": arn, "id": name, "function_name": name, "ref": name,
            "qualified_arn": f"{arn}:{config.get('Version', '$LATEST')}",
            "version": config.get("Version", "$LATEST"),
            "invoke_arn": f"arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/"
                          f"functions/{arn}/invocations",
            "code_sha256": config["CodeSha256"]}
