"""`purser check --rev REF`, a folder inside the repository, and a first run without config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.git import commit_work_tree

runner = CliRunner()

LOG_GROUP = 'resource "aws_cloudwatch_log_group" "audit" {\n  name = "audit"\n}\n'
WAIVER = """policies:
  fail_on: critical
  waivers:
    - {rule: PUR-FIN-003, resource: aws_cloudwatch_log_group.audit, reason: kept forever}
"""


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


def check_json(*args: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, ["check", *args, "--format", "json", "--no-cost"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_rev_gates_an_older_commit_with_that_commits_config_and_waivers(tmp_path: Path):
    write(tmp_path, "purser.yaml", WAIVER)
    write(tmp_path, "main.tf", LOG_GROUP)
    commit_work_tree(tmp_path, "waived, lenient")
    write(tmp_path, "purser.yaml", "policies:\n  fail_on: low\n")
    commit_work_tree(tmp_path, "strict, no waiver")
    write(tmp_path, "purser.yaml", "policies:\n  fail_on: medium\n")
    (tmp_path / "main.tf").unlink()

    code, old, _ = check_json(str(tmp_path), "--rev", "HEAD~1")
    assert code == 0 and old["summary"]["fail_on"] == "critical"
    assert [w["rule_id"] for w in old["waived"]] == ["PUR-FIN-003"]
    code, last, _ = check_json(str(tmp_path), "--rev", "HEAD")
    assert code == 1 and last["summary"]["fail_on"] == "low" and last["waived"] == []
    code, work, _ = check_json(str(tmp_path))
    assert code == 2 and work["summary"]["resources"] == 0  # the work tree lost main.tf


def test_rev_that_does_not_exist_is_a_usage_error(tmp_path: Path):
    write(tmp_path, "main.tf", LOG_GROUP)
    commit_work_tree(tmp_path, "one")
    result = runner.invoke(app, ["check", str(tmp_path), "--rev", "release-9"])
    assert result.exit_code == 2 and "unknown revision 'release-9'" in result.stderr


def test_a_subfolder_without_repo_finds_the_root_and_follows_modules_outside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "purser.yaml", "project: x\n")
    write(tmp_path, "envs/prod/main.tf", 'module "q" {\n  source = "../../modules/q"\n}\n'
          + LOG_GROUP)
    write(tmp_path, "modules/q/main.tf", 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    monkeypatch.chdir(tmp_path / "envs" / "prod")
    _, from_cwd, _ = check_json()
    _, with_repo, _ = check_json(str(tmp_path / "envs" / "prod"), "--repo", str(tmp_path))
    for report in (from_cwd, with_repo):
        assert {f["resource"] for f in report["findings"]} >= {"module.q.aws_sqs_queue.q"}
        assert report["summary"]["resources"] == 2


def test_a_folder_with_nothing_to_check_fails_closed(tmp_path: Path):
    write(tmp_path, "purser.yaml", "project: x\n")
    write(tmp_path, "main.tf", LOG_GROUP)
    write(tmp_path, "docs/guide.md", "# guide\n")
    code, report, _ = check_json(str(tmp_path / "docs"))
    assert code == 2 and report["summary"]["incomplete"] is True


def test_a_first_run_without_purser_yaml_says_once_that_defaults_are_in_use(tmp_path: Path):
    write(tmp_path, "main.tf", LOG_GROUP)
    _, report, stderr = check_json(str(tmp_path))
    assert stderr.count("no purser.yaml") == 1
    assert "no purser.yaml" in report["summary"]["notices"][0]


def test_a_folder_holding_the_only_root_reports_the_modules_it_calls(tmp_path: Path):
    write(tmp_path, "envs/prod/main.tf", 'module "logs" {\n  source = "../../modules/logs"\n}\n')
    write(tmp_path, "modules/logs/main.tf", LOG_GROUP)
    code, report, _ = check_json(str(tmp_path / "envs/prod"), "--repo", str(tmp_path))
    assert [f["resource"] for f in report["findings"] if f["rule_id"] == "PUR-FIN-003"] == [
        "module.logs.aws_cloudwatch_log_group.audit"]
    assert report["summary"]["resources"] == 1
    assert code != 2
