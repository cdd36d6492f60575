"""The whole loop on a real git repository and a real moto server: commit, sync, change,
drift healed, prune, rollback, ledger intact."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import boto3

from purser import ledger
from purser.config import load_config
from purser.git import commit_work_tree
from purser.reconcile import drift
from purser.reconcile.rollback import rollback
from purser.reconcile.status import history, status
from purser.reconcile.sync import Reconciler, sync
from purser.store import open_database
from purser.store.schema import SyncPhase
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

CONFIG = """
applications:
  - name: notify
    path: app
    sync: {auto: true, self_heal: true, prune: true}
policies: {fail_on: critical}
"""
ROLE = '''
resource "aws_iam_role" "fn" {
  name               = "notify-fn"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {Service = "lambda.amazonaws.com"}}]})
}
resource "aws_cloudwatch_log_group" "fn" {
  name              = "/aws/lambda/notify"
  retention_in_days = 14
}
'''
FUNCTION = '''
resource "aws_lambda_function" "fn" {
  function_name = "notify"
  filename      = "build/notify.zip"
  role          = aws_iam_role.fn.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = %d
  timeout       = 10
  environment {
    variables = {QUEUE_URL = aws_sqs_queue.jobs.url}
  }
  tags = {team = "core"}
}
'''
QUEUE = '''
resource "aws_sqs_queue" "jobs" {
  name = "notify-jobs"
  visibility_timeout_seconds = 60
}
'''


def code() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 'ok'\n")
    return out.getvalue()


def commit(repo: Path, main_tf: str, message: str) -> str:
    write(repo, {"app/main.tf": main_tf})
    return commit_work_tree(repo, message)


def memory() -> int:
    return int(boto3.client("lambda").get_function_configuration(
        FunctionName="notify")["MemorySize"])


def test_commit_sync_change_drift_prune_rollback_and_a_verified_ledger(aws, tmp_path):
    repo = tmp_path / "repo"
    write(repo, {"purser.yaml": CONFIG})
    (repo / "app" / "build").mkdir(parents=True)
    (repo / "app" / "build" / "notify.zip").write_bytes(code())
    first = commit(repo, ROLE + FUNCTION % 256 + QUEUE, "notify: function, role, queue, logs")
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        reconciler = Reconciler(repo, db, actor="e2e")

        # commit → sync → resources exist with ownership tags
        result = sync(reconciler, "notify")
        assert result.phase is SyncPhase.succeeded, result.message
        function = boto3.client("lambda").get_function(FunctionName="notify")
        assert function["Tags"]["purser:application"] == "notify"
        assert function["Tags"]["purser:address"] == "aws_lambda_function.fn"
        assert function["Configuration"]["Environment"]["Variables"]["QUEUE_URL"].endswith(
            "/notify-jobs")

        # change memory in a commit → the sync updates only that field
        commit(repo, ROLE + FUNCTION % 512 + QUEUE, "notify: more memory")
        with write_calls(aws) as calls:
            result = sync(reconciler, "notify")
        changed = [(s.address, list(s.changes)) for s in result.plan.steps if s.changes]
        assert changed == [("aws_lambda_function.fn", ["memory_size"])]
        assert calls == ["PUT /2015-03-31/functions/notify/configuration"], calls
        assert memory() == 512

        # an out-of-band change is drift, healed by self_heal
        boto3.client("lambda").update_function_configuration(FunctionName="notify",
                                                              MemorySize=1024)
        found = drift.check(reconciler, "notify")
        assert [(d.address, d.field, d.live, d.desired) for d in found.drifted] == [
            ("aws_lambda_function.fn", "memory_size", 1024, 512)]
        healed = drift.heal(reconciler, "notify")
        assert healed is not None and healed.phase is SyncPhase.succeeded
        assert memory() == 512 and drift.check(reconciler, "notify").drifted == []

        # delete the queue from git (and its reference) with prune → deleted
        without_queue = (ROLE + FUNCTION % 512).replace(
            "QUEUE_URL = aws_sqs_queue.jobs.url", 'QUEUE_URL = "none"')
        commit(repo, without_queue, "notify: drop the jobs queue")
        result = sync(reconciler, "notify")
        assert result.outcome is not None and result.outcome.deleted == ["aws_sqs_queue.jobs"]
        assert boto3.client("sqs").list_queues().get("QueueUrls", []) == []

        # rollback restores it, as a revert commit in git
        done = rollback(reconciler, "notify")
        assert done.result.phase is SyncPhase.succeeded, done.result.message
        assert [u.rsplit("/", 1)[-1] for u in boto3.client("sqs").list_queues()["QueueUrls"]
                ] == ["notify-jobs"]
        assert (repo / "app" / "main.tf").read_text() == ROLE + FUNCTION % 512 + QUEUE

        records = history(db, "notify")
        assert [r.trigger for r in records] == ["rollback", "manual", "heal", "manual", "manual"]
        [state] = status(db, load_config(repo))
        assert state.health == "healthy" and state.synced_revision == done.commit
        assert first != done.commit
        actions = [e.action for e in ledger.entries(db)]
        for action in ("gate", "sync", "heal", "prune", "rollback"):
            assert action in actions
        assert ledger.verify(db).intact
