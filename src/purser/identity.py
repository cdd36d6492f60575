"""Resource identity: the structured id of a resource and the address derived from it.

The address is a public contract. The reconciler writes it as the `purser:address` tag that
marks what it owns, the warehouse joins billing rows on it, waivers and usage files name
it. It is unique in the repository and stable when files are reformatted, when Kubernetes
manifests move, and when an apiVersion is bumped (`apps/v1beta2` → `apps/v1`):

==============  ====================================================================
Terraform       `aws_lambda_function.api`, `module.lambda.aws_iam_role.this[0]`,
                `aws_sqs_queue.q["jobs"]`: Terraform's own address inside a root module.
                Where the repository has several roots, the root's folder comes first,
                then `//`: `apps/a//aws_lambda_function.api`. A folder never holds `//`
                and a Terraform address never starts with one, so the two cannot be
                confused (Terraform writes a module's sub-folder after `//` in the same
                way). A plan JSON file gives its addresses as the plan writes them.
Kubernetes      `k8s:<group>/<Kind>/<namespace>/<name>`, without the version; the core
                group is written `core`; a cluster-scoped object has namespace `_`:
                `k8s:apps/Deployment/shop/web`, `k8s:core/Namespace/_/shop`.
CloudFormation  `cfn:<stack>#<LogicalId>`: the stack is the application's `stack:` in
                purser.yaml when given, else the template's path: `cfn:orders#Table`,
                `cfn:sam/template.yaml#OrdersFunction`.
==============  ====================================================================

A resource written once in a shared module has one address per caller, so the address
also says through which root and module calls it was reached (`Resource.caller`).
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

ROOT_SEPARATOR = "//"
KUBERNETES_SCHEME = "k8s:"
CLOUDFORMATION_SCHEME = "cfn:"
CORE_GROUP = "core"
CLUSTER_SCOPE = "_"  # the namespace of a cluster-scoped Kubernetes object

_NAME = r"[A-Za-z_][\w-]*"
_KEY = r'\[(?:-?\d+|"(?:[^"\\]|\\.)*")\]'
_MODULE_STEP = re.compile(rf"module\.{_NAME}(?:{_KEY})?")
_TERRAFORM = re.compile(
    rf"(?P<module>(?:module\.{_NAME}(?:{_KEY})?\.)*)(?P<type>{_NAME})\.(?P<name>{_NAME})"
    rf"(?:\[(?P<key>-?\d+|\"(?:[^\"\\]|\\.)*\")\])?")
_NOT_TYPES = frozenset({"module", "data"})  # `module.a`, `data.x.y`: no managed resource


class _Id(BaseModel):
    model_config = ConfigDict(frozen=True)


class TerraformId(_Id):
    """A managed resource instance of a Terraform configuration."""

    format: Literal["terraform"] = "terraform"
    root: str = ""  # the root module's folder; "" when the repository has only one root
    folder: str = ""  # the root module's folder always (the address shows it only as `root`)
    module: tuple[str, ...] = ()  # the calls that lead to it: ('module.app["a"]', "module.net")
    type: str
    name: str
    key: int | str | None = None  # count index or for_each key

    @cached_property  # kept with a remembered evaluation, handed out again on a re-check
    def address(self) -> str:
        local = ".".join((*self.module, f"{self.type}.{self.name}"))
        if self.key is not None:
            local += f"[{key_text(self.key)}]"
        return f"{self.root}{ROOT_SEPARATOR}{local}" if self.root else local

    @property
    def caller(self) -> str:
        """`apps/a → module.lambda`: how a resource declared in a module was reached."""
        if not self.module:
            return ""
        return " → ".join((self.root, *self.module) if self.root else self.module)


class KubernetesId(_Id):
    format: Literal["kubernetes"] = "kubernetes"
    group: str  # `core` for the core group
    kind: str
    namespace: str  # `_` for cluster-scoped kinds
    name: str

    @cached_property
    def address(self) -> str:
        return f"{KUBERNETES_SCHEME}{self.group}/{self.kind}/{self.namespace}/{self.name}"

    @property
    def caller(self) -> str:
        return ""


class CloudFormationId(_Id):
    format: Literal["cloudformation"] = "cloudformation"
    stack: str
    logical_id: str

    @cached_property
    def address(self) -> str:
        return f"{CLOUDFORMATION_SCHEME}{self.stack}#{self.logical_id}"

    @property
    def caller(self) -> str:
        return ""


ResourceId = Annotated[TerraformId | KubernetesId | CloudFormationId,
                       Field(discriminator="format")]


def key_text(key: int | str) -> str:
    """An instance key as Terraform writes it between brackets: `0` or `"a"`."""
    if isinstance(key, int):
        return str(key)
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def kubernetes_group(api_version: str) -> str:
    """`apps/v1` → `apps`; `v1` (the core group) → `core`."""
    return api_version.split("/", 1)[0] if "/" in api_version else CORE_GROUP


def module_steps(module_address: str) -> tuple[str, ...]:
    """Terraform's `module.a["x"].module.b` → ('module.a["x"]', "module.b")."""
    return tuple(match.group(0) for match in _MODULE_STEP.finditer(module_address))


@lru_cache(maxsize=65_536)  # reports ask it of every finding; ids are frozen, safe to share
def parse_address(address: str) -> TerraformId | KubernetesId | CloudFormationId | None:
    """The id an address was derived from; None for text that is no address."""
    if address.startswith(KUBERNETES_SCHEME):
        parts = address.removeprefix(KUBERNETES_SCHEME).split("/", 3)
        if len(parts) == 4 and all(parts):
            return KubernetesId(group=parts[0], kind=parts[1], namespace=parts[2],
                                name=parts[3])
        return None
    if address.startswith(CLOUDFORMATION_SCHEME):
        stack, hash_, logical_id = address.removeprefix(CLOUDFORMATION_SCHEME).rpartition("#")
        return CloudFormationId(stack=stack, logical_id=logical_id) if stack and hash_ \
            and logical_id else None
    return _parse_terraform(address)


def _parse_terraform(address: str) -> TerraformId | None:
    root, separator, local = address.partition(ROOT_SEPARATOR)
    if not separator or '"' in root:  # a `//` inside a quoted key is no root separator
        root, separator, local = "", "", address
    match = _TERRAFORM.fullmatch(local)
    if match is None or (separator and not root) or match.group("type") in _NOT_TYPES:
        return None
    key_written = match.group("key")
    return TerraformId(root=root, module=module_steps(match.group("module")),
                       type=match.group("type"), name=match.group("name"),
                       key=None if key_written is None else _key_value(key_written))


def _key_value(written: str) -> int | str:
    if not written.startswith('"'):
        return int(written)
    return re.sub(r"\\(.)", r"\1", written[1:-1])
