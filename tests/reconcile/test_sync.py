"""Sync against a real moto server: gate, apply exactly the commit, no-op, ownership."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from purser import ledger
from purser.git import commit_work_tree
from purser.reconcile.plan import Action
from purser.reconcile.sync import Reconciler, plan_for, sync
from purser.store import open_database
from purser.store.schema import SyncPhase
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

CONFIG = """
applications:
  - name: shop
    path: infra
    sync: {prune: true}
policies: {fail_on: critical}
"""


def queue(name: str, timeout: int = 30) -> str:
    return (f'resource "aws_sqs_queue" "{name}" {{\n  name = "{name}"\n'
            f'  visibility_timeout_seconds = {timeout}\n  tags = {{team = "core"}}\n}}\n')


@pytest.fixture
def reconciler(tmp_path: Path, aws):
    repo = tmp_path / "repo"
    write(repo, {"purser.yaml": CONFIG, "infra/main.tf": queue("orders") + queue("billing")})
    commit_work_tree(repo, "two queues")
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        yield Reconciler(root=repo, db=db, actor="test")


def sqs():
    return boto3.client("sqs")


def test_a_sync_creates_owned_resources_and_a_second_sync_writes_nothing(reconciler, aws):
    with write_calls(aws) as created:
        first = sync(reconciler, "shop")
    assert first.phase is SyncPhase.succeeded, first.message
    assert sorted(created) == ["CreateQueue", "CreateQueue"]
    urls = sqs().list_queues()["QueueUrls"]
    assert sorted(u.rsplit("/", 1)[-1] for u in urls) == ["billing", "orders"]
    tags = sqs().list_queue_tags(QueueUrl=urls[0])["Tags"]
    assert tags["purser:application"] == "shop" and tags["team"] == "core"
    with write_calls(aws) as calls:
        second = sync(reconciler, "shop")
    assert second.phase is SyncPhase.succeeded
    assert [s.action for s in second.plan.steps] == [Action.noop, Action.noop]
    assert calls == []
    assert ledger.verify(reconciler.db).intact


def test_a_changed_field_is_the_only_update(reconciler):
    sync(reconciler, "shop")
    write(reconciler.root, {"infra/main.tf": queue("orders", 90) + queue("billing")})
    commit_work_tree(reconciler.root, "longer timeout")
    plan = plan_for(reconciler, "shop", "HEAD")
    changed = [(s.address, s.action, s.changes) for s in plan.steps if s.action is not Action.noop]
    assert changed == [("aws_sqs_queue.orders", Action.update,
                        {"visibility_timeout_seconds": (30, 90)})]


def test_a_shared_module_belongs_to_the_application_whose_root_calls_it(tmp_path):
    from purser.config import load_config
    from purser.cost import estimate
    from purser.reconcile.sync import declared
    from purser.sources import load_repository
    from purser.sources.worktree import WorkTree

    write(tmp_path, {
        "purser.yaml": "applications:\n  - name: a\n    path: apps/a\n"
                       "  - name: b\n    path: apps/b\n",
        "modules/queue/main.tf": 'variable "name" {}\n'
                                 'resource "aws_sqs_queue" "this" { name = var.name }\n',
        "apps/a/main.tf": 'module "q" {\n  source = "../../modules/queue"\n  name = "a-q"\n}\n',
        "apps/b/main.tf": 'resource "aws_sqs_queue" "b" { name = "b-q" }\n'})
    config = load_config(tmp_path)
    loaded = load_repository(WorkTree(tmp_path), config)
    report = type("Report", (), {"resources": loaded.resources})

    mine = declared(report, config, config.application("a"))  # type: ignore[arg-type]

    assert [r.address for r in mine] == ["apps/a//module.q.aws_sqs_queue.this"]
    costs = {c.address: c.application for c in estimate(loaded.resources, config).resources}
    assert costs["apps/a//module.q.aws_sqs_queue.this"] == "a"


def test_a_module_in_an_application_nested_in_the_callers_is_that_application(tmp_path):
    """A root at infra/ (application `shop`) calls infra/modules/refunds, which purser.yaml
    names an application of its own: its resources are refunds', in sync and in cost, and the
    root's module in no application of its own (infra/modules/net) stays the root's."""
    from purser.config import load_config
    from purser.cost import estimate
    from purser.reconcile.sync import declared
    from purser.sources import load_repository
    from purser.sources.worktree import WorkTree

    write(tmp_path, {
        "purser.yaml": "applications:\n  - name: shop\n    path: infra\n"
                       "  - name: refunds\n    path: infra/modules/refunds\n",
        "infra/modules/refunds/main.tf": 'resource "aws_sqs_queue" "q" { name = "refunds" }\n',
        "infra/modules/net/main.tf": 'resource "aws_sqs_queue" "n" { name = "net" }\n',
        "infra/main.tf": 'module "refunds" { source = "./modules/refunds" }\n'
                         'module "net" { source = "./modules/net" }\n'})
    config = load_config(tmp_path)
    loaded = load_repository(WorkTree(tmp_path), config)
    report = type("Report", (), {"resources": loaded.resources})

    def names(application: str) -> list[str]:
        return [r.address for r in declared(report, config,  # type: ignore[arg-type]
                                            config.application(application))]

    assert names("refunds") == ["module.refunds.aws_sqs_queue.q"]
    assert names("shop") == ["module.net.aws_sqs_queue.n"]
    costs = {c.address: c.application for c in estimate(loaded.resources, config).resources}
    assert costs == {"module.refunds.aws_sqs_queue.q": "refunds",
                     "module.net.aws_sqs_queue.n": "shop"}


def test_an_application_whose_target_has_no_applier_is_refused_before_the_gate(tmp_path):
    from purser.reconcile.appliers import ApplyError

    repo = tmp_path / "repo"
    write(repo, {"purser.yaml": "applications:\n  - name: web\n    path: k8s\n"
                                "    target: {kind: kubernetes}\n",
                 "k8s/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n"})
    commit_work_tree(repo, "web")
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        with pytest.raises(ApplyError, match="no applier for target 'kubernetes' yet"):
            sync(Reconciler(root=repo, db=db, actor="test"), "web")
        assert ledger.entries(db) == []  # not even gated
