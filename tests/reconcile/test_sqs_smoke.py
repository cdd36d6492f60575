from pathlib import Path

from purser.config import Application, Config
from purser.reconcile.appliers import applier_for
from purser.reconcile.ownership import ownership_tags
from purser.reconcile.plan import Action, make_plan
from purser.sources import load_repository
from purser.sources.worktree import WorkTree
from tests.sources.tree import write

HCL = '''
resource "aws_sqs_queue" "dlq" { name = "dlq" }
resource "aws_sqs_queue" "q" {
  name = "q"
  visibility_timeout_seconds = 45
  redrive_policy = jsonencode({deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 3})
  tags = {team = "core"}
}
'''


def test_queue_roundtrip(aws, tmp_path: Path):
    write(tmp_path, {"main.tf": HCL})
    app = Application(name="shop")
    applier = applier_for(app, Config())
    resources = load_repository(WorkTree(tmp_path), Config()).resources
    plan = make_plan(applier, "shop", "x", resources, applier.discover("shop"), prune=False)
    assert [s.action for s in plan.steps] == [Action.create, Action.create]
    dlq = applier.create(plan.steps[0].desired, ownership_tags("shop", plan.steps[0].address))
    live = applier.discover("shop")
    assert [x.address for x in live] == ["aws_sqs_queue.dlq"]
    plan = make_plan(applier, "shop", "x", resources, live, prune=False)
    from purser.reconcile.plan import resolved
    q = resolved(applier, plan.steps[1].desired, {dlq.address: dlq.outputs}, frozenset({"aws_sqs_queue.q", "aws_sqs_queue.dlq"}))
    applier.create(q, ownership_tags("shop", q.address))
    plan = make_plan(applier, "shop", "x", resources, applier.discover("shop"), prune=False)
    assert [s.action for s in plan.steps] == [Action.noop, Action.noop], plan.as_json()
