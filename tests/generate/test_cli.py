"""`purser generate` on the command line: JSON shape, exit codes, one clear line for an
intent it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app
from purser.git import commit_work_tree

RUNNER = CliRunner()


def _repo(tmp_path: Path) -> Path:
    commit_work_tree(tmp_path, "empty")
    return tmp_path


def test_dry_run_json_has_the_issue_shape_and_writes_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = RUNNER.invoke(app, ["generate", "scheduled job every hour, $10 a month",
                                 "--repo", str(repo), "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spec"]["pattern"] == "scheduled-job"
    assert {"choice", "reason", "source"} <= set(data["decisions"][0])
    assert any(path.endswith("main.tf") for path in data["files"])
    assert isinstance(data["estimate"]["total_monthly_cost"], float)
    assert isinstance(data["findings"], list) and data["branch"] is None
    assert not (repo / ".purser").exists() and not (repo / "apps").exists()


def test_text_output_commits_and_names_the_branch(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = RUNNER.invoke(app, ["generate", "static website for docs in Ireland, $30/month",
                                 "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    assert "purser/gen-docs" in result.output and "Decisions" in result.output


def test_an_unreadable_intent_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["generate", "blockchain mainframe", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert '"blockchain"' in result.output and "Traceback" not in result.output


def test_a_refusal_by_the_gate_exits_1(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = RUNNER.invoke(app, ["generate", "public api for status in Ohio", "--repo",
                                 str(repo), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["branch"] is None
