"""What each source gives as a resource's identity: unique in the repository, stable when
files are reformatted, manifests move or an apiVersion is bumped."""

import json
from pathlib import Path

from purser.config import Application, Config
from purser.identity import TerraformId
from purser.model import Ref, Resource
from purser.sources import Loaded, load_repository

from .tree import write

LAMBDA = ('resource "aws_iam_role" "r" {\n  name = "r"\n}\n'
          'resource "aws_lambda_function" "api" {\n  function_name = "api"\n'
          '  role = aws_iam_role.r.arn\n}\n')
SHARED = ('variable "env" {}\n'
          'resource "aws_lambda_function" "this" {\n  function_name = "fn-${var.env}"\n}\n')




def load(root: Path, config: Config | None = None) -> Loaded:
    return load_repository(root, config or Config())


def by_address(loaded: Loaded) -> dict[str, Resource]:
    addresses = [r.address for r in loaded.resources]
    assert len(addresses) == len(set(addresses)), addresses
    return {r.address: r for r in loaded.resources}


# Terraform -----------------------------------------------------------------------------


def test_two_roots_declaring_the_same_resource_are_qualified_by_their_folder(tmp_path: Path):
    found = by_address(load(write(tmp_path, {"apps/a/main.tf": LAMBDA,
                                             "apps/b/main.tf": LAMBDA})))
    assert sorted(found) == ["apps/a//aws_iam_role.r", "apps/a//aws_lambda_function.api",
                             "apps/b//aws_iam_role.r", "apps/b//aws_lambda_function.api"]
    assert found["apps/b//aws_lambda_function.api"].id == TerraformId(
        root="apps/b", folder="apps/b", type="aws_lambda_function", name="api")


def test_references_and_dependencies_use_the_qualified_address_of_their_own_root(
        tmp_path: Path):
    found = by_address(load(write(tmp_path, {"apps/a/main.tf": LAMBDA,
                                             "apps/b/main.tf": LAMBDA})))
    function = found["apps/a//aws_lambda_function.api"]
    assert function.attrs["role"] == Ref(address="apps/a//aws_iam_role.r", attribute="arn")
    assert function.depends_on == ["apps/a//aws_iam_role.r"]
    assert all(d in found for r in found.values() for d in r.depends_on)


def test_a_single_root_keeps_terraforms_own_addresses_wherever_it_lies(tmp_path: Path):
    found = by_address(load(write(tmp_path, {"infra/main.tf": LAMBDA})))
    assert sorted(found) == ["aws_iam_role.r", "aws_lambda_function.api"]


def test_the_root_at_the_top_needs_no_qualifier_beside_others(tmp_path: Path):
    found = by_address(load(write(tmp_path, {"main.tf": LAMBDA, "apps/b/main.tf": LAMBDA})))
    assert "aws_lambda_function.api" in found and "apps/b//aws_lambda_function.api" in found


def test_a_module_called_from_two_roots_gives_one_resource_per_caller(tmp_path: Path):
    call = 'module "lambda" {\n  source = "../../modules/lambda"\n  env = "%s"\n}\n'
    found = by_address(load(write(tmp_path, {
        "apps/a/main.tf": call % "a", "apps/b/main.tf": call % "b",
        "modules/lambda/main.tf": SHARED})))
    a = found["apps/a//module.lambda.aws_lambda_function.this"]
    b = found["apps/b//module.lambda.aws_lambda_function.this"]
    assert (a.attrs["function_name"], b.attrs["function_name"]) == ("fn-a", "fn-b")
    assert a.source == b.source and a.source.file == "modules/lambda/main.tf"
    assert (a.caller, b.caller) == ("apps/a → module.lambda", "apps/b → module.lambda")


def test_reformatting_a_file_keeps_every_address(tmp_path: Path):
    before = set(by_address(load(write(tmp_path / "one", {"main.tf": LAMBDA}))))
    reformatted = "# the api\n\n" + LAMBDA.replace("  ", "    ").replace(" = ", "   =   ")
    after = set(by_address(load(write(tmp_path / "two", {"main.tf": reformatted}))))
    assert before == after == {"aws_iam_role.r", "aws_lambda_function.api"}


# Kubernetes ------------------------------------------------------------------------------

DEPLOYMENT = """apiVersion: {api}
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers: [{{name: web, image: "web:1.0"}}]
"""


def test_an_api_version_bump_keeps_the_address(tmp_path: Path):
    old = load(write(tmp_path / "old", {"k8s/web.yaml": DEPLOYMENT.format(api="apps/v1beta2")}))
    new = load(write(tmp_path / "new", {"k8s/web.yaml": DEPLOYMENT.format(api="apps/v1")}))
    assert [r.address for r in old.resources] == [r.address for r in new.resources] == [
        "k8s:apps/Deployment/shop/web"]


def test_moving_a_manifest_keeps_the_address(tmp_path: Path):
    here = load(write(tmp_path / "a", {"k8s/web.yaml": DEPLOYMENT.format(api="apps/v1")}))
    moved = load(write(tmp_path / "b", {"deploy/prod/app.yml": DEPLOYMENT.format(
        api="apps/v1")}))
    assert [r.address for r in here.resources] == [r.address for r in moved.resources]


def test_core_and_cluster_scoped_objects_are_spelled_consistently(tmp_path: Path):
    found = by_address(load(write(tmp_path, {"k8s/ns.yaml": (
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n")})))
    assert sorted(found) == ["k8s:core/Namespace/_/shop", "k8s:core/Service/default/web"]


# CloudFormation --------------------------------------------------------------------------

TEMPLATE = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "Queue": {"Type": "AWS::SQS::Queue"},
    "Alarm": {"Type": "AWS::CloudWatch::Alarm",
              "Properties": {"Dimensions": [{"Value": {"Fn::GetAtt": ["Queue", "QueueName"]}}]}}}})


def test_a_template_is_its_own_stack_unless_its_application_names_one(tmp_path: Path):
    write(tmp_path, {"orders/template.json": TEMPLATE, "misc/template.json": TEMPLATE})
    config = Config(applications=[Application(name="orders", path="orders", stack="orders")])
    found = by_address(load(tmp_path, config))
    assert sorted(found) == ["cfn:misc/template.json#Alarm", "cfn:misc/template.json#Queue",
                             "cfn:orders#Alarm", "cfn:orders#Queue"]
    assert found["cfn:orders#Alarm"].depends_on == ["cfn:orders#Queue"]


def test_a_named_stack_keeps_its_addresses_when_the_template_moves(tmp_path: Path):
    config = Config(applications=[Application(name="orders", path="orders", stack="orders")])
    here = load(write(tmp_path / "a", {"orders/template.json": TEMPLATE}), config)
    moved = load(write(tmp_path / "b", {"orders/cfn/stack.json": TEMPLATE}), config)
    assert sorted(r.address for r in here.resources) == sorted(
        r.address for r in moved.resources)


def test_two_templates_claiming_one_stack_are_an_error_not_one_resource(tmp_path: Path):
    write(tmp_path, {"orders/a.json": TEMPLATE, "orders/b.json": TEMPLATE})
    config = Config(applications=[Application(name="orders", path="orders", stack="orders")])
    loaded = load(tmp_path, config)
    assert sorted(r.address for r in loaded.resources) == ["cfn:orders#Alarm",
                                                           "cfn:orders#Queue"]
    assert [(e.file, "already orders/a.json" in e.message) for e in loaded.errors] == [
        ("orders/b.json", True)]


def test_copies_of_one_object_are_each_checked_and_their_shared_address_is_noticed(
        tmp_path: Path):
    manifest = DEPLOYMENT.format(api="apps/v1")
    loaded = load(write(tmp_path, {"k8s/web.yaml": manifest, "release/all.yaml": manifest}))
    assert [r.source.file for r in loaded.resources] == ["k8s/web.yaml", "release/all.yaml"]
    assert loaded.notices == [
        "k8s:apps/Deployment/shop/web is declared 2 times (k8s/web.yaml:1, release/all.yaml:1):"
        " one address should name one resource; give each copy its own name or namespace, or"
        " exclude the copies"]
