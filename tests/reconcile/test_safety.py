"""What a sync must never do: touch what it does not own, apply a refused or unreviewed
revision, create twice after a crash, or lose track of a fight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from sqlalchemy import func, select

from purser import ledger
from purser.git import commit_work_tree
from purser.reconcile import drift
from purser.reconcile.sync import Reconciler, sync
from purser.store import open_database
from purser.store.schema import JournalStep, Sync, SyncPhase
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

OPEN_POLICY = ('  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", '
               'Principal = "*", Action = "sqs:*", Resource = "*"}]})\n')


def config(prune: bool = False, self_heal: bool = False, fight_after: int = 3,
           fail_on: str = "critical") -> str:
    return (f"applications:\n  - name: shop\n    path: infra\n"
            f"    sync: {{prune: {str(prune).lower()}, self_heal: {str(self_heal).lower()}, "
            f"fight_after: {fight_after}}}\npolicies: {{fail_on: {fail_on}}}\n")


def queues(*names: str, timeout: int = 30, extra: str = "") -> str:
    return "".join(f'resource "aws_sqs_queue" "{n}" {{\n  name = "{n}"\n'
                   f"  visibility_timeout_seconds = {timeout}\n{extra}}}\n" for n in names)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return tmp_path / "repo"


@pytest.fixture
def state(tmp_path: Path):
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        yield db


def commit(repo: Path, files: dict[str, str], message: str = "change") -> str:
    write(repo, files)
    return commit_work_tree(repo, message)


def queue_names() -> list[str]:
    urls = boto3.client("sqs").list_queues().get("QueueUrls", [])
    return sorted(url.rsplit("/", 1)[-1] for url in urls)


def timeout_of(name: str) -> int:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
               ["Attributes"]["VisibilityTimeout"])


def set_timeout(name: str, seconds: int) -> None:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": str(seconds)})


def test_a_resource_purser_does_not_own_is_never_modified_nor_pruned(aws, repo, state):
    sqs = boto3.client("sqs")
    sqs.create_queue(QueueName="orders", Attributes={"VisibilityTimeout": "7"})
    sqs.create_queue(QueueName="stray")
    commit(repo, {"purser.yaml": config(prune=True), "infra/main.tf": queues("orders", "new")})

    result = sync(Reconciler(repo, state, actor="test"), "shop")

    assert result.phase is SyncPhase.failed
    assert "orders already exists and is owned by nobody" in result.message
    assert timeout_of("orders") == 7
    assert sqs.list_queue_tags(QueueUrl=sqs.get_queue_url(QueueName="orders")["QueueUrl"]
                               ).get("Tags", {}) == {}
    assert queue_names() == ["new", "orders", "stray"]  # the rest applied; nothing pruned


def test_a_revision_the_gate_refuses_is_not_applied_and_the_refusal_is_recorded(aws, repo,
                                                                                  state):
    commit(repo, {"purser.yaml": config(fail_on="low"),
                  "infra/main.tf": queues("orders", extra=OPEN_POLICY)})
    reconciler = Reconciler(repo, state, actor="test")

    with write_calls(aws) as calls:
        result = sync(reconciler, "shop")

    assert result.phase is SyncPhase.refused and calls == []
    assert queue_names() == []
    gate_entry = ledger.entries(state, application="shop")[0]
    assert (gate_entry.action, gate_entry.outcome) == ("gate", "refused")
    assert "blocking:" in gate_entry.explanation


def test_the_reviewed_commit_is_applied_even_after_the_branch_moved_on(aws, repo, state):
    reviewed = commit(repo, {"purser.yaml": config(), "infra/main.tf": queues("orders")})
    commit(repo, {"infra/main.tf": queues("orders", timeout=300)}, "pushed after review")

    result = sync(Reconciler(repo, state, actor="test"), "shop", reviewed)

    assert result.revision == reviewed and result.phase is SyncPhase.succeeded
    assert timeout_of("orders") == 30


def test_a_sync_killed_midway_is_resumed_with_nothing_created_twice(aws, repo, state,
                                                                     tmp_path):
    names = [f"q{i:02}" for i in range(60)]
    commit(repo, {"purser.yaml": config(), "infra/main.tf": queues(*names)})
    url = f"sqlite:///{tmp_path / 'state.db'}"
    child = subprocess.Popen(
        [sys.executable, "-m", "purser", "sync", "shop", "--repo", str(repo), "--db", url,
         "--parallel", "1"], env={**os.environ}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        while _done_steps(state) < 5 and child.poll() is None:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    created_before = len(queue_names())
    assert 5 <= created_before < 60, "the sync finished before it could be killed"

    with write_calls(aws) as calls:
        result = sync(Reconciler(repo, state, actor="test"), "shop")

    assert result.phase is SyncPhase.succeeded, result.message
    assert queue_names() == names
    assert calls.count("CreateQueue") <= 60 - created_before + 1  # at most the one cut off
    with state.session() as session:
        phases = session.scalars(select(Sync.phase).order_by(Sync.id)).all()
    assert phases == [SyncPhase.failed, SyncPhase.succeeded]  # the killed one: interrupted


def _done_steps(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(JournalStep)
                              .where(JournalStep.state == "done")) or 0


def test_a_field_another_writer_keeps_changing_is_reported_as_a_fight(aws, repo, state):
    commit(repo, {"purser.yaml": config(self_heal=True, fight_after=2),
                  "infra/main.tf": queues("orders")})
    reconciler = Reconciler(repo, state, actor="controller-1")
    sync(reconciler, "shop")

    for _ in range(2):
        set_timeout("orders", 99)
        healed = drift.heal(reconciler, "shop")
        assert healed is not None and healed.phase is SyncPhase.succeeded
        assert timeout_of("orders") == 30
    set_timeout("orders", 99)
    assert drift.heal(reconciler, "shop") is None

    assert timeout_of("orders") == 99  # no longer healed
    [fight] = drift.fights(reconciler, "shop")
    assert (fight.address, fight.field, fight.writer) == (
        "aws_sqs_queue.orders", "visibility_timeout_seconds", "unknown writer")
    entry = next(e for e in ledger.entries(state) if e.action == "fight")
    assert "controller-1" in entry.explanation and "unknown writer" in entry.explanation

    assert drift.resolve_fight(reconciler, "shop", fight.address, fight.field, "console user told")
    healed = drift.heal(reconciler, "shop")
    assert healed is not None and timeout_of("orders") == 30


def test_a_declared_resource_purser_cannot_apply_is_never_pruned(aws, repo, state):
    commit(repo, {"purser.yaml": config(prune=True), "infra/main.tf": queues("orders")})
    reconciler = Reconciler(repo, state, actor="test")
    sync(reconciler, "shop")
    # The queue's name now comes from another resource: purser cannot apply it any more,
    # but it is still declared, so prune must leave the live queue alone.
    commit(repo, {"infra/main.tf": 'resource "random_id" "x" { byte_length = 4 }\n'
                  'resource "aws_sqs_queue" "orders" {\n'
                  '  name = "orders-${random_id.x.hex}"\n}\n'})

    result = sync(reconciler, "shop")

    actions = {s.address: s.action.value for s in result.plan.steps}
    assert actions == {"aws_sqs_queue.orders": "unsupported", "random_id.x": "unsupported"}
    assert queue_names() == ["orders"]


def test_a_reference_to_a_resource_purser_cannot_apply_waits_and_is_never_written_as_text(
        aws, repo, state):
    commit(repo, {"purser.yaml": config(), "infra/main.tf": (
        'resource "aws_kinesis_stream" "s" {\n  name = "s"\n  shard_count = 1\n}\n'
        'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n'
        '  policy = jsonencode({Statement = [{Effect = "Allow", Principal = "*", '
        'Action = "sqs:SendMessage", Resource = "*", '
        'Condition = {ArnEquals = {"aws:SourceArn" = aws_kinesis_stream.s.arn}}}]})\n}\n')})

    result = sync(Reconciler(repo, state, actor="test"), "shop")

    [queue] = [s for s in result.plan.steps if s.address == "aws_sqs_queue.orders"]
    assert queue.action.value == "unsupported"
    assert queue.reason == "waits on aws_kinesis_stream.s, which purser cannot apply"
    assert queue_names() == []


def test_purser_sync_exits_1_when_declared_resources_were_left_out(aws, repo, tmp_path):
    from typer.testing import CliRunner

    from purser.cli import app

    commit(repo, {"purser.yaml": config(), "infra/main.tf": queues("orders") +
                  'resource "aws_kinesis_stream" "s" {\n  name = "s"\n  shard_count = 1\n}\n'})
    arguments = ["sync", "shop", "--repo", str(repo), "--db", f"sqlite:///{tmp_path}/s.db"]

    strict = CliRunner().invoke(app, arguments)
    allowed = CliRunner().invoke(app, [*arguments, "--allow-unsupported"])

    assert strict.exit_code == 1 and "1 declared resource(s) not applied" in strict.output
    assert allowed.exit_code == 0, allowed.output
    assert queue_names() == ["orders"]


def test_a_permanent_error_stops_its_branch_and_the_rest_is_applied(aws, repo, state):
    commit(repo, {"purser.yaml": config(), "infra/main.tf": (
        queues("fine") +
        'resource "aws_sqs_queue" "broken" {\n  name = "broken!"\n}\n'
        'resource "aws_sqs_queue" "behind" {\n  name = "behind"\n'
        '  redrive_policy = jsonencode({deadLetterTargetArn = aws_sqs_queue.broken.arn,'
        ' maxReceiveCount = 3})\n}\n')})

    result = sync(Reconciler(repo, state, actor="test"), "shop")

    assert result.phase is SyncPhase.failed
    assert result.outcome is not None
    assert list(result.outcome.failed) == ["aws_sqs_queue.broken"]
    assert "creating queue broken!" in result.outcome.failed["aws_sqs_queue.broken"]
    assert result.outcome.blocked == {
        "aws_sqs_queue.behind": "not attempted: aws_sqs_queue.broken did not apply"}
    assert queue_names() == ["fine"]
