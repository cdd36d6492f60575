"""The address contract: structured ids → addresses, pinned as a table, and back."""

import pytest

from purser.identity import (
    CloudFormationId,
    KubernetesId,
    TerraformId,
    kubernetes_group,
    module_steps,
    parse_address,
)
from purser.model import Finding, Resource, Severity, SourceRef

CONTRACT = [
    (TerraformId(type="aws_lambda_function", name="api"), "aws_lambda_function.api"),
    (TerraformId(root="apps/a", type="aws_lambda_function", name="api"),
     "apps/a//aws_lambda_function.api"),
    (TerraformId(type="aws_sqs_queue", name="q", key=0), "aws_sqs_queue.q[0]"),
    (TerraformId(type="aws_sqs_queue", name="q", key="jobs"), 'aws_sqs_queue.q["jobs"]'),
    (TerraformId(type="aws_sqs_queue", name="q", key='a"b\\c'), r'aws_sqs_queue.q["a\"b\\c"]'),
    (TerraformId(type="aws_sqs_queue", name="q", key="x//y"), 'aws_sqs_queue.q["x//y"]'),
    (TerraformId(module=("module.lambda",), type="aws_iam_role", name="this", key=0),
     "module.lambda.aws_iam_role.this[0]"),
    (TerraformId(root="envs/prod", module=('module.app["a"]', "module.net"), type="aws_vpc",
                 name="main"), 'envs/prod//module.app["a"].module.net.aws_vpc.main'),
    (KubernetesId(group="apps", kind="Deployment", namespace="shop", name="web"),
     "k8s:apps/Deployment/shop/web"),
    (KubernetesId(group="core", kind="Service", namespace="default", name="web"),
     "k8s:core/Service/default/web"),
    (KubernetesId(group="core", kind="Namespace", namespace="_", name="shop"),
     "k8s:core/Namespace/_/shop"),
    (KubernetesId(group="serving.knative.dev", kind="Service", namespace="ml", name="rank"),
     "k8s:serving.knative.dev/Service/ml/rank"),
    (CloudFormationId(stack="orders", logical_id="Table"), "cfn:orders#Table"),
    (CloudFormationId(stack="sam/template.yaml", logical_id="OrdersFunction"),
     "cfn:sam/template.yaml#OrdersFunction"),
]


@pytest.mark.parametrize(("identity", "address"), CONTRACT, ids=[a for _, a in CONTRACT])
def test_each_id_has_its_documented_address_and_is_read_back_from_it(identity, address):
    assert identity.address == address
    assert parse_address(address) == identity


@pytest.mark.parametrize("text", [
    "", "*", "aws_x", "k8s:apps/Deployment/web", "cfn:#Table", "cfn:stack", "//aws_x.y",
    "module.a", "aws_x.y[", "PUR-SEC-001"])
def test_text_that_is_no_address_has_no_id(text):
    assert parse_address(text) is None


def test_the_core_group_is_spelled_core_and_versions_are_dropped():
    assert kubernetes_group("v1") == "core"
    assert kubernetes_group("apps/v1beta2") == kubernetes_group("apps/v1") == "apps"


def test_module_steps_keep_keys_that_hold_dots():
    assert module_steps('module.a["x.module.y"].module.b[0]') == (
        'module.a["x.module.y"]', "module.b[0]")


def test_the_caller_names_the_root_and_the_module_calls():
    nested = TerraformId(root="apps/a", module=("module.lambda", 'module.role["x"]'),
                         type="aws_iam_role", name="this")
    assert nested.caller == 'apps/a → module.lambda → module.role["x"]'
    assert TerraformId(module=("module.net",), type="aws_vpc", name="v").caller == "module.net"
    assert TerraformId(root="apps/a", type="aws_vpc", name="v").caller == ""


def _resource(**identity) -> Resource:
    return Resource(type="aws_vpc", provider="aws", name="v", source=SourceRef(file="a.tf"),
                    **identity)


def test_a_resource_derives_its_address_from_its_id_and_its_id_from_a_written_address():
    identity = TerraformId(root="apps/a", module=("module.net",), type="aws_vpc", name="v")
    assert _resource(id=identity).address == "apps/a//module.net.aws_vpc.v"
    assert _resource(address="apps/a//module.net.aws_vpc.v").id == identity
    assert _resource(address="apps/a//module.net.aws_vpc.v").caller == "apps/a → module.net"


def test_a_resource_whose_address_contradicts_its_id_is_refused():
    with pytest.raises(ValueError, match="is not the id's"):
        _resource(id=TerraformId(type="aws_vpc", name="v"), address="aws_vpc.w")
    with pytest.raises(ValueError, match="needs an id or an address"):
        _resource()


def test_a_finding_names_the_caller_of_its_resource():
    finding = Finding(rule_id="PUR-SEC-001", severity=Severity.high, category="security",
                      resource="apps/a//module.lambda.aws_lambda_function.this[0]",
                      message="m", source=SourceRef(file="modules/lambda/main.tf", line=3))
    assert finding.caller == "apps/a → module.lambda"
    assert finding.model_copy(update={"resource": "aws_x.y"}).caller == ""
