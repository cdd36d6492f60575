import json
from pathlib import Path
from typing import Any

import pytest

from purser import kinds
from purser.config import Config
from purser.model import Resource
from purser.policy.packs.finops import TAGGABLE_CLOUDFORMATION
from purser.sources import load_repository

TAGS = {"team": "payments", "env": "prod"}


def load(root: Path) -> list[Resource]:
    loaded = load_repository(root, Config())
    assert loaded.errors == []
    return loaded.resources


def values(kind: kinds.Kind) -> dict[str, str]:
    """A distinct text value for every canonical attribute of `kind`."""
    return {name: f"value-{index}" for index, name in enumerate(kind.attributes)}


def nested(paths: dict[str, str]) -> dict[str, Any]:
    """Dotted paths → nested mappings; a `*` step is a list of one mapping."""
    tree: dict[str, Any] = {}
    for path, value in paths.items():
        steps = [s for s in path.split(".") if s != kinds.EACH]
        node = tree
        for step in steps[:-1]:
            node = node.setdefault(step, {})
        node[steps[-1]] = value
    return _lists(tree, paths)


def _lists(tree: dict[str, Any], paths: dict[str, str]) -> dict[str, Any]:
    listed = {p.split(f".{kinds.EACH}", 1)[0] for p in paths if kinds.EACH in p}
    for prefix in listed:
        steps = prefix.split(".")
        node = tree
        for step in steps[:-1]:
            node = node[step]
        node[steps[-1]] = [node[steps[-1]]]
    return tree


def hcl(body: dict[str, Any], indent: str = "  ") -> str:
    """Mappings as nested blocks (a list as one block), text as attributes."""
    lines = []
    for key, value in body.items():
        if isinstance(value, list):
            value = value[0]
        if isinstance(value, dict):
            lines += [f"{indent}{key} {{", hcl(value, indent + "  "), f"{indent}}}"]
        else:
            lines.append(f"{indent}{key} = {json.dumps(value)}")
    return "\n".join(lines)


def terraform(kind: kinds.Kind, attributes: dict[str, str]) -> str:
    tags = f"\n  tags = {json.dumps(TAGS).replace(':', ' =')}" if kind.tag_attribute else ""
    return (f'resource "{kind.terraform[0]}" "it" {{\n{hcl(nested(attributes))}{tags}\n}}\n')


def cloudformation(kind: kinds.Kind, attributes: dict[str, str]) -> str:
    aliases = kind.aliases("cloudformation")
    properties: dict[str, Any] = nested({aliases[name][0]: value
                                         for name, value in attributes.items()})
    if kind.tag_attribute:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in TAGS.items()]
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"It": {"Type": kind.cloudformation[0], "Properties": properties}}}
    return json.dumps(template, indent=2)


def read_path(name: str) -> str:
    return name.replace(f".{kinds.EACH}.", ".0.")


BOTH_FORMATS = [kind for kind in kinds.KINDS if kind.terraform and kind.cloudformation]


@pytest.mark.parametrize("kind", BOTH_FORMATS, ids=lambda kind: kind.name)
def test_each_kind_reads_the_same_values_from_terraform_and_cloudformation(
        tmp_path: Path, kind: kinds.Kind) -> None:
    attributes = values(kind)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(terraform(kind, attributes))
    (tmp_path / "cfn").mkdir()
    (tmp_path / "cfn" / "template.json").write_text(cloudformation(kind, attributes))
    declared = {r.format: r for r in load(tmp_path)}
    tf, cfn = declared["terraform"], declared["cloudformation"]
    assert tf.kind == cfn.kind == kind.name
    for name, value in attributes.items():
        assert tf.get(read_path(name)) == cfn.get(read_path(name)) == value, name
    if kind.tag_attribute:
        assert tf.get(kind.tag_attribute) == cfn.get(kind.tag_attribute) == TAGS


def test_the_original_cloudformation_properties_stay_beside_the_canonical_ones(
        tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
""")
    [table] = load(tmp_path)
    assert table.get("point_in_time_recovery.enabled") is True
    assert table.get("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled") is True


def test_sam_spellings_resolve_to_the_same_canonical_names(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Tracing: Active, MemorySize: 512}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:1:dlq}
      Tags: {team: payments}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties: {Type: EXPRESS}
""")
    found = {r.name: r for r in load(tmp_path)}
    function, flow = found["Fn"], found["Flow"]
    assert function.get("tracing_config.mode") == "Active"
    assert function.get("memory_size") == 512
    assert function.get("dead_letter_config.target_arn") == "arn:aws:sqs:us-east-1:1:dlq"
    assert function.get("tags") == {"team": "payments"}
    assert flow.get("type") == "EXPRESS"


def test_a_value_only_a_deployment_knows_is_unknown_under_its_canonical_name(
        tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
Parameters:
  Days: {Type: Number}
  Port: {Type: Number}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: !Ref Days, Tags: [{Key: team, Value: !Ref Days}]}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: 443, CidrIp: 0.0.0.0/0}
""")
    found = {r.name: r for r in load(tmp_path)}
    logs, group = found["Logs"], found["Group"]
    assert logs.is_unknown("retention_in_days") and not logs.missing("retention_in_days")
    assert logs.is_unknown("tags")
    assert group.get("ingress.0.from_port") == 22
    assert group.is_unknown("ingress.1.from_port") and not group.is_unknown("ingress.0")


def test_terraform_resources_keep_their_attributes_untouched(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" { name = "q" }\n')
    [queue] = load(tmp_path)
    assert (queue.kind, queue.attrs) == ("aws.sqs.queue", {"name": "q"})


def test_a_type_outside_the_table_has_no_kind(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "random_pet" "p" {}\n')
    [pet] = load(tmp_path)
    assert pet.kind == ""


def test_every_type_belongs_to_one_kind_and_every_kind_is_complete() -> None:
    types = [t for kind in kinds.KINDS for t in kind.types]
    assert len(types) == len(set(types))
    assert len({kind.name for kind in kinds.KINDS}) == len(kinds.KINDS)
    for kind in kinds.KINDS:
        assert kind.id_attribute
        assert kind.plan == kind.terraform
        if kind.cloudformation:
            assert kind.cloud_control_type.startswith("AWS::")
        for name in kind.attributes:
            assert name == name.lower(), f"{kind.name}: canonical names are snake_case"


def test_every_cloudformation_type_that_takes_cost_tags_has_a_kind_with_tags() -> None:
    for resource_type in TAGGABLE_CLOUDFORMATION:
        kind = kinds.of_type(resource_type)
        assert kind is not None and kind.tag_attribute, resource_type


def test_types_lists_every_format_of_the_named_kinds() -> None:
    assert kinds.types("aws.lambda.function") == (
        "aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function")
    assert kinds.named("aws.lambda.function").cloud_control_type == "AWS::Lambda::Function"
