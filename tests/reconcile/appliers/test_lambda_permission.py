"""Statements of a function's resource policy, against moto: owned through the function,
matched by identity, replaced on any change, pruned or orphaned."""

import json
from pathlib import Path

import boto3
import pytest

from purser.reconcile.appliers.aws.handler import _data_source
from purser.reconcile.plan import Action
from purser.store.schema import SyncPhase
from tests.reconcile.appliers.gitsync import actions, synced
from tests.reconcile.appliers.lifecycle import APP, CFN_LAMBDA_ROLE, applier, apply, changes, plan
from tests.reconcile.appliers.test_lambda import ROLE, zipped
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

FUNCTION = ROLE + '''
resource "aws_lambda_function" "api" {
  function_name = "shop-api"
  filename      = "${path.module}/api.zip"
  role          = aws_iam_role.fn.arn
  handler       = "app.handler"
  runtime       = "python3.12"
}
'''
PERMISSION = '''
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.%s
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:us-east-1:123456789012:%s/*"
}
'''
ADDRESS = "aws_lambda_permission.api"
IDENTITY = "permission shop-api AllowApiGateway"


def files(api: str = "abc123", by: str = "function_name", permission: bool = True
          ) -> dict[str, str]:
    return {"main.tf": FUNCTION + (PERMISSION % (by, api) if permission else ""),
            "api.zip": ""}


def written(root: Path, declared: dict[str, str]) -> Path:
    write(root, {name: text for name, text in declared.items() if name != "api.zip"})
    if not (root / "api.zip").exists():  # a zip written again differs (its timestamps)
        (root / "api.zip").write_bytes(zipped("def handler(e, c): return 1\n"))
    return root


def statements(function: str = "shop-api") -> list[dict]:
    policy = boto3.client("lambda").get_policy(FunctionName=function)["Policy"]
    return list(json.loads(policy)["Statement"])


def test_permission_is_created_owned_through_its_function_and_then_in_sync(aws, tmp_path):
    target = applier(written(tmp_path, files()))
    first = plan(target, tmp_path)
    assert {s.action for s in first.steps} == {Action.create}
    apply(target, first)
    child = next(live for live in target.discover(APP) if live.identity)
    assert child.identity == IDENTITY and child.tags == {"purser:application": APP}
    assert child.fields == {"function_name": "shop-api", "action": "lambda:InvokeFunction",
                            "principal": "apigateway.amazonaws.com",
                            "source_arn": "arn:aws:execute-api:us-east-1:123456789012:abc123/*"}
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    written(tmp_path, files(by="arn"))  # the function by ARN: the same statement
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}


def test_a_new_source_arn_is_planned_as_a_replace_of_that_field(aws, tmp_path: Path):
    # Lambda cannot change a statement: the sync test below carries the replace out.
    target = applier(written(tmp_path, files()))
    apply(target, plan(target, tmp_path))
    written(tmp_path, files(api="xyz789"))
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {ADDRESS: {"source_arn"}}
    assert {s.address: s.action for s in second.steps}[ADDRESS] is Action.replace


def test_a_condition_purser_does_not_apply_is_unsupported(aws, tmp_path: Path):
    declared = files()
    declared["main.tf"] = declared["main.tf"].replace(
        'principal     = "apigateway', 'principal_org_id = "o-123"\n  principal = "apigateway')
    steps = {s.address: s for s in plan(applier(written(tmp_path, declared)), tmp_path).steps}
    assert steps[ADDRESS].action is Action.unsupported
    assert "principal_org_id" in steps[ADDRESS].reason


def test_permissions_of_an_unowned_function_are_never_discovered(aws, tmp_path: Path):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")
    client = boto3.client("lambda")
    for name, tags in (("theirs", {"team": "core"}), ("billing", {"purser:application": "b"})):
        client.create_function(FunctionName=name, Role=role["Role"]["Arn"], Handler="a.h",
                               Runtime="python3.12", Code={"ZipFile": zipped("x = 1\n")},
                               Tags=tags)
        client.add_permission(FunctionName=name, StatementId="AllowApiGateway",
                              Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
    assert applier(tmp_path).discover(APP) == []


def repo_files(declared: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in declared.items() if name != "api.zip"}


def test_sync_replaces_writes_nothing_the_second_time_orphans_and_prunes(aws, tmp_path):
    (tmp_path / "repo" / "infra").mkdir(parents=True)
    (tmp_path / "repo" / "infra" / "api.zip").write_bytes(zipped("def handler(e, c): pass\n"))
    first = synced(tmp_path, repo_files(files()), "function and permission")
    assert first.phase is SyncPhase.succeeded, first.message
    replaced = synced(tmp_path, repo_files(files(api="xyz789")), "another API")
    assert replaced.phase is SyncPhase.succeeded, replaced.message
    assert actions(replaced)[ADDRESS] == "replace"
    assert [s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in statements()] == [
        "arn:aws:execute-api:us-east-1:123456789012:xyz789/*"]
    with write_calls(aws) as calls:
        again = synced(tmp_path, {}, "again")
    assert set(actions(again).values()) == {"no-op"} and calls == []
    orphaned = synced(tmp_path, repo_files(files(permission=False)), "no permission",
                      prune=False)
    assert actions(orphaned)[IDENTITY] == "orphan" and len(statements()) == 1
    pruned = synced(tmp_path, {}, "prune")
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert actions(pruned)[IDENTITY] == "delete"
    assert boto3.client("lambda").get_function(FunctionName="shop-api")  # still there
    with write_calls(aws) as calls:
        synced(tmp_path, {}, "after the prune")
    assert calls == []


SAM = '''
Transform: AWS::Serverless-2016-10-31
Resources:
''' + CFN_LAMBDA_ROLE + '''  Worker:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12,
                 Role: !GetAtt Role.Arn}
  FromS3:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Worker.Arn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceAccount: "123456789012"
      SourceArn: arn:aws:s3:::%s
'''


def test_cloudformation_permission_gets_a_statement_id_of_its_own(aws, tmp_path: Path):
    write(tmp_path, {"template.yaml": SAM % "uploads", "src/app.py": "def handler(e, c): pass\n"})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    [function] = boto3.client("lambda").list_functions()["Functions"]
    [statement] = statements(function["FunctionName"])
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == "arn:aws:s3:::uploads"
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    write(tmp_path, {"template.yaml": SAM % "images"})
    assert changes(plan(target, tmp_path)) == {"cfn:template.yaml#FromS3": {"source_arn"}}


def test_a_source_arn_naming_a_data_source_is_unsupported_not_written_as_text(aws, tmp_path):
    declared = files(api="abc")
    declared["main.tf"] = declared["main.tf"].replace(
        "123456789012", "${data.aws_caller_identity.current.account_id}") + (
        'data "aws_caller_identity" "current" {}\n')
    steps = {s.address: s for s in plan(applier(written(tmp_path, declared)), tmp_path).steps}
    assert steps[ADDRESS].action is Action.unsupported
    assert "data.aws_caller_identity.current.account_id" in steps[ADDRESS].reason


@pytest.mark.parametrize(("text", "source"), [
    ("${data.aws_region.current.name}", "data.aws_region.current.name"),
    ('arn:${app//module.f["dev"].data.aws_log.l[0].arn}:*',
     'app//module.f["dev"].data.aws_log.l[0].arn'),
    ("${aws_s3_bucket.data.arn}", ""),  # a resource named `data`
    ("${aws:username}", ""),  # an IAM policy variable
])
def test_data_source_placeholders_are_told_from_references(text: str, source: str):
    assert _data_source({"Resource": [text]}) == source
