"""CloudFormation and SAM templates → Resources: intrinsics, SAM Globals, tags, lines."""

from pathlib import Path

import pytest

from purser.config import Config, Defaults
from purser.model import Ref, Resource
from purser.sources import LoadContext, Loaded, RepoFile, cloudformation, load_files
from purser.sources.cloudformation import MAX_RESOLVED, CloudFormationFormat
from purser.sources.walk import walk

FIXTURES = Path(__file__).parent / "fixtures" / "cloudformation"
YAML = "cfn:template.yaml#"
JSON = "cfn:template.json#"
SAM = "cfn:sam.yaml#"


def load(root: Path, config: Config | None = None) -> Loaded:
    return load_files(walk(root).files, LoadContext(root=root, config=config or Config()))


def by_address(loaded: Loaded) -> dict[str, Resource]:
    return {r.address: r for r in loaded.resources}


@pytest.fixture(scope="module")
def fixtures() -> dict[str, Resource]:
    loaded = load(FIXTURES, Config(defaults=Defaults(region="eu-west-1")))
    assert loaded.errors == []
    return by_address(loaded)


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_resources_carry_the_ir_conventions(fixtures: dict[str, Resource]) -> None:
    bucket = fixtures[YAML + "DataBucket"]
    assert (bucket.type, bucket.provider, bucket.format, bucket.name) == (
        "AWS::S3::Bucket", "aws", "cloudformation", "DataBucket")
    assert bucket.region == "eu-west-1"
    assert (bucket.source.file, bucket.source.line, bucket.source.end_line) == (
        "template.yaml", 25, 39)


def test_short_form_tags_resolve_from_parameter_defaults_and_pseudo_parameters(
        fixtures: dict[str, Resource]) -> None:
    bucket = fixtures[YAML + "DataBucket"]
    assert bucket.get("BucketName") == "shop-prod-data-eu-west-1"
    assert bucket.get("VersioningConfiguration.Status") == "Enabled"  # IsProd from defaults
    env = fixtures[YAML + "Processor"].get("Environment.Variables")
    assert env["STAGE"] == "shop-prod"
    assert env["FIRST_SUBNET"] == "subnet-a"  # CommaDelimitedList default, then Select
    assert env["AMI"] == "ami-0west"  # FindInMap keyed by AWS::Region


def test_references_to_resources_become_refs_and_dependencies(
        fixtures: dict[str, Resource]) -> None:
    processor = fixtures[YAML + "Processor"]
    assert processor.get("Role") == Ref(address=YAML + "ProcessorRole", attribute="Arn")
    assert processor.get("Environment.Variables.BUCKET") == Ref(address=YAML + "DataBucket")
    assert processor.depends_on == [YAML + "ProcessorRole", YAML + "DataBucket",
                                    YAML + "DataBucketPolicy"]
    policy = fixtures[YAML + "DataBucketPolicy"]
    assert policy.get("Bucket") == Ref(address=YAML + "DataBucket")
    assert policy.depends_on == [YAML + "DataBucket"]


def test_sub_keeps_runtime_values_as_reference_text(fixtures: dict[str, Resource]) -> None:
    statement = fixtures[YAML + "DataBucketPolicy"].get("PolicyDocument.Statement.0")
    assert statement["Resource"] == "${" + YAML + "DataBucket.Arn}/*"
    assert statement["Principal"]["AWS"] == "arn:aws:iam::${AWS::AccountId}:root"


def test_values_only_a_deployment_knows_are_listed_as_unknown(
        fixtures: dict[str, Resource]) -> None:
    logs = fixtures[YAML + "LogsBucket"]
    # a parameter without a default, unknown under its canonical name too (purser.kinds)
    assert logs.unknown == ["BucketName", "bucket"]
    assert "BucketName" not in logs.attrs and not logs.missing("BucketName")
    assert logs.get("OwnershipControls.Rules.0.ObjectOwnership") == "BucketOwnerEnforced"
    processor = fixtures[YAML + "Processor"]
    assert processor.unknown == ["Environment.Variables.VPC", "Environment.Variables.ACCOUNT",
                                 "environment.variables.VPC", "environment.variables.ACCOUNT"]
    bucket = fixtures[YAML + "DataBucket"]
    assert bucket.unknown == ["AccelerateConfiguration"]  # If on an undecidable condition


def test_no_value_removes_a_property_and_false_conditions_drop_resources(tmp_path: Path,
                                                                         ) -> None:
    write(tmp_path, "t.yaml", """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition IsDev]
  Either: !Or [!Condition IsProd, !Condition IsDev]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      TracingConfig: {Mode: !If [IsProd, Active, !Ref AWS::NoValue]}
      Description: !If [Either, "on", "off"]
      Handler: !If [Both, a, b]
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
""")
    [function] = load(tmp_path).resources
    # The type table's canonical copies (`handler`, `description`) sit beside these.
    properties = {k: v for k, v in function.attrs.items() if k[0].isupper()}
    assert properties == {"TracingConfig": {}, "Description": "on", "Handler": "b"}
    assert function.unknown == []


def test_false_condition_leaves_out_the_fixture_dev_queue(fixtures: dict[str, Resource]) -> None:
    assert YAML + "DevQueue" not in fixtures
    assert fixtures[YAML + "Processor"].get("TracingConfig.Mode") == "Active"


def test_tags_from_key_value_lists_and_sam_mappings_are_strings(
        fixtures: dict[str, Resource]) -> None:
    assert fixtures[YAML + "DataBucket"].tags == {"team": "data", "env": "prod"}
    assert fixtures[SAM + "Checkout"].tags == {"team": "payments", "stage": "prod"}
    assert fixtures[JSON + "Topic"].tags == {"env": "staging"}


def test_json_templates_resolve_the_long_forms(fixtures: dict[str, Resource]) -> None:
    queue = fixtures[JSON + "Queue"]
    assert queue.get("QueueName") == "orders-staging"
    assert queue.get("RedrivePolicy.deadLetterTargetArn") == Ref(
        address=JSON + "DeadLetters", attribute="Arn")
    assert queue.depends_on == [JSON + "DeadLetters"]
    assert fixtures[JSON + "DeadLetters"].depends_on == [JSON + "Topic"]
    assert fixtures[JSON + "Topic"].get("TopicName") == "orders-staging"


def test_json_lines_point_at_the_logical_ids_not_at_properties_named_alike(
        fixtures: dict[str, Resource]) -> None:
    assert fixtures[JSON + "Topic"].source.line == 7
    assert fixtures[JSON + "Queue"].source.line == 15
    assert fixtures[JSON + "DeadLetters"].source.line == 25


def test_sam_globals_merge_under_each_functions_own_properties(
        fixtures: dict[str, Resource]) -> None:
    checkout = fixtures[SAM + "Checkout"]
    assert checkout.type == "AWS::Serverless::Function"
    assert checkout.get("Runtime") == "python3.12" and checkout.get("Timeout") == 10
    assert checkout.get("MemorySize") == 1024  # the function's own value wins
    assert checkout.get("Environment.Variables") == {
        "LOG_LEVEL": "debug", "STAGE": "prod", "TABLE": Ref(address=SAM + "Orders")}
    assert checkout.get("Layers") == [  # lists add up, globals first
        "arn:aws:lambda:us-east-1:111122223333:layer:common:4",
        Ref(address=SAM + "PaymentsLayer")]
    refunds = fixtures[SAM + "Refunds"]
    assert refunds.get("MemorySize") == 512
    assert refunds.get("Environment.Variables") == {"LOG_LEVEL": "info", "STAGE": "prod"}


def test_sam_resources_keep_their_sam_types_without_expansion(
        fixtures: dict[str, Resource]) -> None:
    sam = {address: r.type for address, r in fixtures.items() if address.startswith(SAM)}
    assert sam == {
        SAM + "Checkout": "AWS::Serverless::Function",
        SAM + "Refunds": "AWS::Serverless::Function",
        SAM + "Api": "AWS::Serverless::HttpApi",
        SAM + "Orders": "AWS::Serverless::SimpleTable",
        SAM + "PaymentsLayer": "AWS::Serverless::LayerVersion",
        SAM + "Fulfilment": "AWS::Serverless::StateMachine",
    }
    assert fixtures[SAM + "Api"].get("CorsConfiguration.AllowOrigins") == [
        "https://shop.example.com"]


def test_globals_are_ignored_without_the_serverless_transform(tmp_path: Path) -> None:
    write(tmp_path, "t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n"
                              "Globals: {Function: {Runtime: python3.12}}\n"
                              "Resources:\n  Fn: {Type: AWS::Serverless::Function}\n")
    [function] = load(tmp_path).resources
    assert function.attrs == {}


def test_application_target_region_wins_over_the_default(tmp_path: Path) -> None:
    write(tmp_path, "apps/eu/t.yaml", "Resources:\n  Q: {Type: AWS::SQS::Queue, Properties:"
                                      " {QueueName: !Sub 'q-${AWS::Region}'}}\n")
    config = Config.model_validate({"applications": [
        {"name": "eu", "path": "apps/eu", "target": {"kind": "aws", "region": "eu-central-1"}}]})
    [queue] = load(tmp_path, config).resources
    assert queue.region == "eu-central-1" and queue.get("QueueName") == "q-eu-central-1"


def test_a_resource_without_type_is_one_error_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
                              "  Good: {Type: AWS::SQS::Queue}\n"
                              "  Broken:\n    Properties: {QueueName: q}\n"
                              "  AlsoGood:\n    Type: AWS::SNS::Topic\n")
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == ["t.yaml:4: resource Broken has no Type"]
    assert [r.name for r in loaded.resources] == ["Good", "AlsoGood"]


def test_malformed_json_template_is_one_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "t.json", '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n'
                              '  "Resources": {\n    "Q": {"Type": "AWS::SQS::Queue",}\n}\n')
    [error] = load(tmp_path).errors
    assert (error.file, error.line) == ("t.json", 4)
    assert error.message.startswith("invalid JSON")


def test_unresolvable_intrinsics_never_raise(tmp_path: Path) -> None:
    write(tmp_path, "t.yaml", """\
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      A: !Select [5, [a, b]]
      B: !FindInMap [NoSuchMap, x, y]
      C: !GetAtt [NotAResource, Arn]
      D: !Join [",", !GetAZs ""]
      E: !Sub ["${X}-${Y}", {X: one}]
      F: !If [NoSuchCondition, a, b]
      G: !Base64 text
      H: !Ref NotDeclared
      I: !Sub ["${X}", {X: !Ref Q}]
""")
    loaded = load(tmp_path)
    [queue] = loaded.resources
    assert loaded.errors == []
    assert queue.unknown == list("ABCDEFH")
    assert queue.get("G") == "dGV4dA=="  # Fn::Base64 of a known text is known
    assert queue.get("I") == "${cfn:t.yaml#Q}"


def test_claims_templates_by_content_not_by_extension(tmp_path: Path) -> None:
    reader = CloudFormationFormat()

    def claims(name: str, text: str) -> bool:
        return reader.claims(RepoFile(path=tmp_path / name, rel=name, data=text.encode()))

    assert claims("stack.template", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    assert claims("sam.yml", "Transform: AWS::Serverless-2016-10-31\n")
    assert claims("t.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assert not claims("deploy.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n")
    assert not claims("cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n"
                                 "    AWSTemplateFormatVersion: '2010-09-09'\n")
    assert not claims("main.tf", 'resource "x" "y" { type = "AWS::SQS::Queue" }')


def test_values_nested_too_deeply_are_the_files_error_with_its_line(tmp_path: Path) -> None:
    depth = 990
    write(tmp_path, "t.yaml", "Resources:\n  Deep:\n    Type: AWS::SQS::Queue\n"
                              "    Properties: {P: " + "[" * depth + "]" * depth + "}\n"
                              "  Fine: {Type: AWS::SNS::Topic}\n")
    write(tmp_path, "t.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": '
                              + "[" * 100_000 + "]" * 100_000 + "}")
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == [
        "t.json:2: values nested more than 100 levels deep",
        "t.yaml:4: values nested more than 100 levels deep"]
    assert loaded.resources == []


# -- hostile templates ----------------------------------------------------------------------

def queue_with(value: str) -> str:
    return ("Parameters:\n  Subnets: {Type: CommaDelimitedList, Default: 'a,b'}\n"
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
            f"      X: {value}\n")


@pytest.mark.parametrize("index", [".inf", "-.inf", ".nan", "-1", "2", "1.5", "'x'", "true"])
def test_select_with_an_index_out_of_range_or_not_whole_is_unknown(tmp_path: Path,
                                                                    index: str) -> None:
    write(tmp_path, "t.yaml", queue_with(f"!Select [{index}, !Ref Subnets]"))
    loaded = load(tmp_path)
    assert loaded.errors == []
    assert loaded.resources[0].unknown == ["X"]


@pytest.mark.parametrize(("index", "expected"), [("1", "b"), ("'0'", "a")])
def test_select_takes_a_whole_number_or_its_text(tmp_path: Path, index: str,
                                                 expected: str) -> None:
    write(tmp_path, "t.yaml", queue_with(f"!Select [{index}, !Ref Subnets]"))
    assert load(tmp_path).resources[0].attrs["X"] == expected


def test_lookups_that_multiply_at_each_step_stop_at_the_bound(tmp_path: Path) -> None:
    chain = "".join(f"    k{i}: {{v: [{', '.join([f'!FindInMap [M, k{i + 1}, v]'] * 10)}]}}\n"
                    for i in range(30))
    write(tmp_path, "t.yaml", "Mappings:\n  M:\n" + chain + "    k30: {v: x}\n"
                              "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                              "    Properties: {X: !FindInMap [M, k0, v]}\n")
    write(tmp_path, "ok.yaml", "Resources:\n  Fine: {Type: AWS::SNS::Topic}\n")
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == [
        f"t.yaml:35: resolving the template builds more than {MAX_RESOLVED:,} values "
        "(repeated lookups?)"]
    assert [r.name for r in loaded.resources] == ["Fine"]


def test_a_template_past_the_resource_bound_is_one_error_at_the_first_extra(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloudformation, "MAX_RESOURCES", 2)
    write(tmp_path, "t.yaml", "Resources:\n" + "".join(
        f"  Q{i}: {{Type: AWS::SQS::Queue}}\n" for i in range(4)))
    loaded = load(tmp_path)
    assert [str(e) for e in loaded.errors] == ["t.yaml:4: more than 2 resources in one template"]
    assert loaded.resources == []


@pytest.mark.parametrize(("name", "text", "line", "start"), [
    ("t.yaml", "Resources:\n  Q: {Type: AWS::SQS::Queue}\n  Q: {Type: AWS::SNS::Topic}\n",
     3, "duplicate key 'Q'"),
    ("t.json", '{"Resources": {\n"Q": {"Type": "AWS::SQS::Queue"},\n'
               '"Q": {"Type": "AWS::SNS::Topic"}}}', 3, "duplicate key 'Q'"),
    ("t.json", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue",\n"Properties": {"X": '
               + "9" * 5000 + "}}}}", 2, "number too long"),
    ("t.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {X: "
               + "9" * 5000 + "}\n", 4, "number too long"),
])
def test_hostile_values_are_the_templates_error_with_a_line(
        tmp_path: Path, name: str, text: str, line: int, start: str) -> None:
    write(tmp_path, name, text)
    [error] = load(tmp_path).errors
    assert (error.file, error.line) == (name, line) and error.message.startswith(start)


def test_lone_surrogates_in_json_templates_become_the_replacement_character(
        tmp_path: Path) -> None:
    write(tmp_path, "t.json", '{"Resources": {"Q\\udfff": {"Type": "AWS::SQS::Queue",'
                              ' "Properties": {"QueueName": "q\\ud800"}}}}')
    [resource] = load(tmp_path).resources
    assert (resource.name, resource.attrs["QueueName"]) == ("Q\ufffd", "q\ufffd")
    assert resource.source.line == 1
