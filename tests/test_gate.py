"""The gate's one entry point: any tree (work tree or git revision), read from that tree only."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from purser.config import Config
from purser.gate import DEFAULTS_NOTICE, CheckOptions, diff_trees, run_check
from purser.git import GitTree, commit_work_tree
from purser.sources.worktree import WorkTree

LOG_GROUP = """resource "aws_cloudwatch_log_group" "audit" {{
  name = "audit"{ignore}
}}
"""
WAIVED = """policies:
  fail_on: critical
  waivers:
    - {rule: PUR-FIN-003, resource: aws_cloudwatch_log_group.audit, reason: kept forever}
"""
STRICT = "policies:\n  fail_on: low\n"
INLINE = "\n  # purser:ignore PUR-SEC-024 audit logs are encrypted by the account default"


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


@pytest.fixture
def changed_repo(tmp_path: Path) -> Path:
    """A commit with a waiver and an inline ignore; a work tree that dropped both."""
    write(tmp_path, "purser.yaml", WAIVED)
    write(tmp_path, "main.tf", LOG_GROUP.format(ignore=INLINE))
    commit_work_tree(tmp_path, "waived")
    write(tmp_path, "purser.yaml", STRICT)
    write(tmp_path, "main.tf", LOG_GROUP.format(ignore=""))
    return tmp_path


def rules_of(findings: list) -> set[str]:
    return {f.rule_id for f in findings}


def test_a_revision_is_gated_with_its_own_config_waivers_and_inline_ignores(changed_repo: Path):
    old = run_check(GitTree.at(changed_repo, "HEAD"), options=CheckOptions(cost=False))
    assert old.revision is not None and old.fail_on.value == "critical"
    assert rules_of(old.waived) == {"PUR-FIN-003", "PUR-SEC-024"}
    assert not rules_of(old.findings) & {"PUR-FIN-003", "PUR-SEC-024"}
    now = run_check(changed_repo, options=CheckOptions(cost=False))
    assert now.revision is None and now.fail_on.value == "low"
    assert now.waived == [] and {"PUR-FIN-003", "PUR-SEC-024"} <= rules_of(now.findings)


def test_a_revision_never_reads_the_work_tree(changed_repo: Path):
    (changed_repo / "main.tf").unlink()
    (changed_repo / "purser.yaml").write_text("policies: [not, a, mapping]\n")
    report = run_check(GitTree.at(changed_repo, "HEAD"), options=CheckOptions(cost=False))
    assert [r.address for r in report.resources] == ["aws_cloudwatch_log_group.audit"]
    assert report.errors == []


def test_the_cost_diff_runs_the_gate_on_both_trees(changed_repo: Path):
    write(changed_repo, "queue.tf", 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n')
    result = diff_trees(GitTree.at(changed_repo, "HEAD"), WorkTree(changed_repo), Config(),
                        CheckOptions())
    assert [added.address for added in result.added] == ["aws_sqs_queue.jobs"]
    assert result.base_revision is not None and result.head_revision is None


def test_the_library_leaves_the_garbage_collector_alone(changed_repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    def refuse() -> None:
        raise AssertionError("the library paused the garbage collector")

    monkeypatch.setattr(gc, "disable", refuse)
    run_check(changed_repo, options=CheckOptions(base="HEAD"))
    assert gc.isenabled()


def test_without_purser_yaml_the_defaults_are_noticed_and_no_cost_tags_required(
        tmp_path: Path):
    write(tmp_path, "main.tf", LOG_GROUP.format(ignore=""))
    report = run_check(tmp_path, options=CheckOptions(cost=False))
    assert report.notices == [DEFAULTS_NOTICE]
    assert report.summary()["notices"] == [DEFAULTS_NOTICE]
    assert not [f for f in report.findings if "tag" in f.title.lower()]


def test_a_purser_yaml_silences_the_defaults_notice(changed_repo: Path):
    assert run_check(changed_repo, options=CheckOptions(cost=False)).notices == []


MODULE_CALL = 'module "fn" {\n  source = "../../modules/fn"\n}\n'
MODULE = 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'


def test_a_folder_is_reported_with_the_modules_its_root_calls_from_elsewhere(tmp_path: Path):
    write(tmp_path, "envs/prod/main.tf", MODULE_CALL + LOG_GROUP.format(ignore=""))
    write(tmp_path, "modules/fn/main.tf", MODULE)
    report = run_check(tmp_path, options=CheckOptions(cost=False, only="envs/prod"))
    assert {r.address for r in report.resources} == {
        "module.fn.aws_sqs_queue.q", "aws_cloudwatch_log_group.audit"}
    assert report.path == "envs/prod" and report.exit_code != 2


def test_each_root_of_a_folder_keeps_its_own_callers_of_a_shared_module(tmp_path: Path):
    write(tmp_path, "envs/prod/main.tf", MODULE_CALL)
    write(tmp_path, "envs/dev/main.tf", MODULE_CALL)
    write(tmp_path, "modules/fn/main.tf", MODULE)
    report = run_check(tmp_path, options=CheckOptions(cost=False, only="envs/dev"))
    assert [r.address for r in report.resources] == ["envs/dev//module.fn.aws_sqs_queue.q"]


def test_nothing_to_check_under_the_folder_is_an_incomplete_check(tmp_path: Path):
    write(tmp_path, "envs/prod/main.tf", MODULE_CALL)
    write(tmp_path, "modules/fn/main.tf", MODULE)
    write(tmp_path, "docs/README.md", "# nothing here\n")
    report = run_check(tmp_path, options=CheckOptions(cost=False, only="docs"))
    assert report.resources == [] and report.exit_code == 2


def test_notices_about_files_outside_the_folder_are_left_out(tmp_path: Path):
    remote = 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    write(tmp_path, "envs/prod/main.tf", remote + LOG_GROUP.format(ignore=""))
    write(tmp_path, "envs/dev/main.tf", remote + LOG_GROUP.format(ignore=""))
    report = run_check(tmp_path, options=CheckOptions(cost=False, only="envs/prod"))
    about_files = [n for n in report.notices if n != DEFAULTS_NOTICE]
    assert about_files and all(n.startswith("envs/prod/") for n in about_files)


@dataclass(frozen=True)
class CountingTree(WorkTree):
    """The work tree, remembering each file read outside the listing."""

    reads: list[str] = field(default_factory=list)

    def read(self, rel: str) -> bytes:
        self.reads.append(rel)
        return super().read(rel)


def test_inline_ignores_are_found_in_the_bytes_the_sources_were_read_from(tmp_path: Path):
    write(tmp_path, "main.tf", LOG_GROUP.format(ignore=INLINE))
    tree = CountingTree(tmp_path)
    report = run_check(tree, options=CheckOptions(cost=False))
    assert "PUR-SEC-024" in rules_of(report.waived)
    assert "main.tf" not in tree.reads  # read once, by the listing
