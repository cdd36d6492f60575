"""A role's inline policies declared as resources of their own, against moto: owned
through the role, matched by identity, updated in place, pruned or orphaned."""

from pathlib import Path

import boto3

from purser.reconcile.plan import Action
from purser.reconcile.sync import SyncResult
from purser.store.schema import SyncPhase
from tests.reconcile.appliers.gitsync import actions, synced
from tests.reconcile.appliers.lifecycle import APP, CFN_LAMBDA_ROLE, applier, apply, changes, plan
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

ROLE = '''
resource "aws_iam_role" "fn" {
  name               = "shop-fn"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {Service = "lambda.amazonaws.com"}}]})
}
'''
POLICY = '''
resource "aws_iam_role_policy" "queue" {
  name   = "queue"
  role   = aws_iam_role.fn.%s
  policy = jsonencode({Version = "2012-10-17", Statement = [
    {Effect = "Allow", Action = "sqs:%s", Resource = "*"}]})
}
'''
POLICY_ADDRESS = "aws_iam_role_policy.queue"
DOCUMENT = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", ' \
    '"Resource": "*"}]}'


LOGS = 'resource "aws_cloudwatch_log_group" "app" {\n  name = "shop"\n}\n'


def hcl(action: str = "SendMessage", by: str = "id") -> str:
    return ROLE + POLICY % (by, action)


def iam():
    return boto3.client("iam")


def test_inline_policy_is_created_owned_through_its_role_and_then_in_sync(aws, tmp_path):
    write(tmp_path, {"main.tf": hcl()})
    target = applier(tmp_path)
    first = plan(target, tmp_path)
    assert {s.action for s in first.steps} == {Action.create}
    apply(target, first)
    child = next(live for live in target.discover(APP) if live.identity)
    assert child.identity == "role-policy shop-fn queue"
    assert child.address == "" and child.tags == {"purser:application": APP}
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    document = iam().get_role_policy(RoleName="shop-fn", PolicyName="queue")["PolicyDocument"]
    assert document["Statement"][0]["Action"] == "sqs:SendMessage"


def test_a_new_document_is_the_only_update_and_a_role_arn_names_the_same_role(aws, tmp_path):
    write(tmp_path, {"main.tf": hcl()})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    write(tmp_path, {"main.tf": hcl(by="arn")})  # the role by ARN: the same policy
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    write(tmp_path, {"main.tf": hcl(action="ReceiveMessage")})
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {POLICY_ADDRESS: {"policy"}}
    assert {s.address: s.action for s in second.steps}[POLICY_ADDRESS] is Action.update
    apply(target, second)
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    document = iam().get_role_policy(RoleName="shop-fn", PolicyName="queue")["PolicyDocument"]
    assert document["Statement"][0]["Action"] == "sqs:ReceiveMessage"


def test_policies_of_an_unowned_role_are_never_discovered(aws, tmp_path: Path):
    marked = {"Key": "purser:children", "Value": "separate"}
    for name, tags in (("theirs", [{"Key": "team", "Value": "core"}, marked]),
                       ("billing", [{"Key": "purser:application", "Value": "billing"}, marked])):
        iam().create_role(RoleName=name, AssumeRolePolicyDocument="{}", Tags=tags)
        iam().put_role_policy(RoleName=name, PolicyName="queue", PolicyDocument=DOCUMENT)
    assert applier(tmp_path).discover(APP) == []


CFN = '''
Resources:
''' + CFN_LAMBDA_ROLE + '''  Logs:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: logs
      Roles: [!Ref Role]
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "logs:%s", Resource: "*"}]
  Shared:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: shared
      Roles: [!Ref Role, other-role]
      PolicyDocument: {Version: "2012-10-17", Statement: []}
'''


def test_cloudformation_policy_of_one_role_applies_and_of_two_is_unsupported(aws, tmp_path):
    write(tmp_path, {"template.yaml": CFN % "PutLogEvents"})
    target = applier(tmp_path)
    first = plan(target, tmp_path)
    steps = {s.address: s for s in first.steps}
    assert steps["cfn:template.yaml#Shared"].action is Action.unsupported
    assert "2 roles" in steps["cfn:template.yaml#Shared"].reason
    apply(target, first)
    assert {s.action for s in plan(target, tmp_path).steps} == {Action.noop, Action.unsupported}
    write(tmp_path, {"template.yaml": CFN % "*"})
    assert changes(plan(target, tmp_path)) == {"cfn:template.yaml#Logs": {"policy"}}


def sync_twice(tmp_path: Path, aws, files: dict[str, str]) -> SyncResult:
    first = synced(tmp_path, files, "role and policy")
    assert first.phase is SyncPhase.succeeded, first.message
    with write_calls(aws) as calls:
        second = synced(tmp_path, {}, "again")
    assert set(actions(second).values()) == {"no-op"}, second.plan
    assert calls == []
    return second


def test_sync_writes_nothing_the_second_time_then_orphans_and_prunes(aws, tmp_path: Path):
    sync_twice(tmp_path, aws, {"main.tf": hcl()})
    orphaned = synced(tmp_path, {"main.tf": ROLE}, "no policy", prune=False)
    assert actions(orphaned)["role-policy shop-fn queue"] == "orphan"
    assert iam().list_role_policies(RoleName="shop-fn")["PolicyNames"] == ["queue"]
    pruned = synced(tmp_path, {}, "prune", prune=True)
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert actions(pruned)["role-policy shop-fn queue"] == "delete"
    assert iam().list_role_policies(RoleName="shop-fn")["PolicyNames"] == []
    with write_calls(aws) as calls:
        synced(tmp_path, {}, "after the prune")
    assert calls == []


def test_pruning_the_role_deletes_its_policy_first(aws, tmp_path: Path):
    synced(tmp_path, {"main.tf": hcl()}, "role and policy")
    pruned = synced(tmp_path, {"main.tf": LOGS}, "only a log group")  # an empty app is refused
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert iam().list_roles()["Roles"] == []


TRUST = '''
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {Service = "lambda.amazonaws.com"}}]})
'''
OWN = '''
resource "aws_iam_role" "fn" {
  name = "shop-fn"''' + TRUST + '''
  inline_policy {
    name   = "own"
    policy = jsonencode({Version = "2012-10-17", Statement = [
      {Effect = "Allow", Action = "s3:GetObject", Resource = "*"}]})
  }
}
'''
TAGGED = '''
resource "aws_iam_role" "fn" {
  name = "shop-fn"''' + TRUST + '''
  tags = {team = "core"}
}
'''


def test_policies_a_role_declares_itself_are_never_taken_for_separate_ones(aws, tmp_path):
    sync_twice(tmp_path, aws, {"main.tf": OWN})
    assert iam().list_role_policies(RoleName="shop-fn")["PolicyNames"] == ["own"]
    assert [live.address for live in applier(tmp_path).discover(APP)] == ["aws_iam_role.fn"]


def test_the_mark_of_separate_policies_survives_a_change_of_the_role_tags(aws, tmp_path):
    synced(tmp_path, {"main.tf": hcl()}, "role and policy")
    retagged = synced(tmp_path, {"main.tf": TAGGED + POLICY % ("id", "SendMessage")}, "tags")
    assert retagged.phase is SyncPhase.succeeded, retagged.message
    assert actions(retagged)["aws_iam_role.fn"] == "update"
    sync_twice(tmp_path, aws, {})
    assert iam().list_role_policies(RoleName="shop-fn")["PolicyNames"] == ["queue"]
