"""Managed policies attached to a role as resources of their own, against moto: owned
through the role, a new ARN a new attachment, and no fight with the role's own handler."""

from pathlib import Path

import boto3

from purser.reconcile.plan import Action
from purser.store.schema import SyncPhase
from tests.reconcile.appliers.gitsync import actions, synced
from tests.reconcile.appliers.lifecycle import APP, applier, apply, plan
from tests.reconcile.appliers.test_iam_role_policy import DOCUMENT, POLICY, ROLE
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

ATTACHMENT = '''
resource "aws_iam_role_policy_attachment" "%s" {
  role       = aws_iam_role.fn.name
  policy_arn = "%s"
}
'''


def iam():
    return boto3.client("iam")


def managed(*names: str) -> list[str]:
    """Customer managed policies (moto loads no AWS managed ones unless asked)."""
    return [iam().create_policy(PolicyName=name, PolicyDocument=DOCUMENT)["Policy"]["Arn"]
            for name in names]


def attached() -> list[str]:
    return sorted(p["PolicyArn"] for p in
                  iam().list_attached_role_policies(RoleName="shop-fn")["AttachedPolicies"])


def test_attachments_are_created_owned_through_their_role_and_then_in_sync(aws, tmp_path):
    logs, queue = managed("logs", "queue")
    write(tmp_path, {"main.tf": ROLE + ATTACHMENT % ("logs", logs) + ATTACHMENT % ("q", queue)})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    children = sorted(live.identity for live in target.discover(APP) if live.identity)
    assert children == [f"role-attachment shop-fn {logs}", f"role-attachment shop-fn {queue}"]
    assert attached() == sorted([logs, queue])
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}


def test_a_new_policy_arn_is_a_new_attachment_and_the_old_one_pruned(aws, tmp_path: Path):
    logs, queue = managed("logs", "queue")
    write(tmp_path, {"main.tf": ROLE + ATTACHMENT % ("a", logs)})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    write(tmp_path, {"main.tf": ROLE + ATTACHMENT % ("a", queue)})
    second = plan(target, tmp_path, prune=True)
    writes = {s.address: s.action.value for s in second.steps if s.action is not Action.noop}
    assert writes == {"aws_iam_role_policy_attachment.a": "create",
                      f"role-attachment shop-fn {logs}": "delete"}
    apply(target, second)
    assert attached() == [queue]
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}


def test_attachments_of_an_unowned_role_are_never_discovered(aws, tmp_path: Path):
    [logs] = managed("logs")
    marked = {"Key": "purser:children", "Value": "separate"}
    for name, tags in (("theirs", [{"Key": "team", "Value": "core"}, marked]),
                       ("billing", [{"Key": "purser:application", "Value": "billing"}, marked])):
        iam().create_role(RoleName=name, AssumeRolePolicyDocument="{}", Tags=tags)
        iam().attach_role_policy(RoleName=name, PolicyArn=logs)
    assert applier(tmp_path).discover(APP) == []


def test_role_without_policies_of_its_own_and_separate_ones_stay_in_sync(aws, tmp_path):
    """The role declares neither inline nor managed policies: its handler leaves them to
    the attachment and inline-policy resources, so the second sync writes nothing."""
    logs, queue = managed("logs", "queue")
    files = {"main.tf": ROLE + POLICY % ("id", "SendMessage") + ATTACHMENT % ("logs", logs)
             + ATTACHMENT % ("queue", queue)}
    first = synced(tmp_path, files, "role, policy and attachments")
    assert first.phase is SyncPhase.succeeded, first.message
    with write_calls(aws) as calls:
        second = synced(tmp_path, {}, "again")
    assert set(actions(second).values()) == {"no-op"}
    assert calls == []
    assert attached() == sorted([logs, queue])


def test_sync_orphans_then_prunes_an_attachment_no_longer_declared(aws, tmp_path: Path):
    [logs] = managed("logs")
    synced(tmp_path, {"main.tf": ROLE + ATTACHMENT % ("logs", logs)}, "attached")
    identity = f"role-attachment shop-fn {logs}"
    orphaned = synced(tmp_path, {"main.tf": ROLE}, "detached", prune=False)
    assert actions(orphaned)[identity] == "orphan" and attached() == [logs]
    pruned = synced(tmp_path, {}, "prune")
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert actions(pruned)[identity] == "delete" and attached() == []
    with write_calls(aws) as calls:
        synced(tmp_path, {}, "after the prune")
    assert calls == []
