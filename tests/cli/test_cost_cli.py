"""`purser cost` and `purser cost diff` on a real git repository with two commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from purser.cli.cost import app
from purser.cost import load_catalog
from purser.git import commit_work_tree

runner = CliRunner()

LAMBDA = """resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = {memory}
}}
"""
USAGE = """version: 0.1
resource_usage:
  aws_lambda_function.api:
    monthly_requests: 1000000
    request_duration_ms: 100
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: the second raises the Lambda's memory from 512 to 1024 MB."""
    root = tmp_path / "infra"
    root.mkdir()
    (root / "purser.yaml").write_text("project: t\ncost:\n  usage: usage.yml\n")
    (root / "usage.yml").write_text(USAGE)
    (root / "lambda.tf").write_text(LAMBDA.format(memory=512))
    commit_work_tree(root, "api at 512 MB")
    (root / "lambda.tf").write_text(LAMBDA.format(memory=1024))
    commit_work_tree(root, "api at 1024 MB")
    return root


def duration_price() -> float:
    return load_catalog().price("aws", "lambda", "us-east-1", meter="duration",
                                architecture="x86_64").usd


# 1M requests × 100 ms = 100,000 s; 512 more MB = 0.5 GB more → 50,000 more GB-seconds.
EXTRA_GB_SECONDS = 1_000_000 * 0.100 * (1024 - 512) / 1024


def test_diff_against_the_previous_commit_shows_the_lambda_changed_by_its_duration_price(
        repo: Path):
    result = runner.invoke(app, ["diff", str(repo), "--base", "HEAD~1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [changed] = data["changed"]
    assert changed["address"] == "aws_lambda_function.api"
    expected = EXTRA_GB_SECONDS * duration_price()
    assert changed["delta"] == pytest.approx(expected)
    assert data["delta"] == pytest.approx(expected)
    assert (data["added"], data["removed"], data["unchanged"]) == ([], [], 0)
    [duration] = changed["components"]
    assert (duration["base_quantity"], duration["head_quantity"]) == (50_000, 100_000)


def test_diff_table_and_markdown_show_the_positive_delta(repo: Path):
    delta = f"+${EXTRA_GB_SECONDS * duration_price():,.2f}"
    table = runner.invoke(app, ["diff", "--repo", str(repo), "--base", "HEAD~1"],
                          env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "aws_lambda_function.api" in table.stdout and delta in table.stdout
    markdown = runner.invoke(app, ["diff", str(repo), "--base", "HEAD~1", "-f", "markdown"])
    assert "### Cost impact" in markdown.stdout
    assert "| changed | `aws_lambda_function.api` |" in markdown.stdout
    assert delta in markdown.stdout


def test_diff_between_two_named_revisions_ignores_the_work_tree(repo: Path):
    (repo / "lambda.tf").write_text(LAMBDA.format(memory=4096))
    result = runner.invoke(app, ["diff", str(repo), "--base", "HEAD~1", "--head", "HEAD~1",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changed"] == []
    worktree = runner.invoke(app, ["diff", str(repo), "--base", "HEAD", "-f", "json"])
    assert json.loads(worktree.stdout)["changed"][0]["delta"] > 0


def test_estimate_prices_the_working_tree_with_the_configured_usage_file(repo: Path):
    result = runner.invoke(app, [str(repo), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [api] = data["resources"]
    duration = next(c for c in api["components"] if c["monthly_quantity"] == 100_000)
    assert duration["usage_origin"] == "usage file"
    assert duration["monthly_cost"] == pytest.approx(100_000 * duration_price())


def test_estimate_without_usage_says_usage_unknown_instead_of_zero(repo: Path):
    (repo / "purser.yaml").write_text("project: t\n")
    result = runner.invoke(app, [str(repo)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "usage unknown" in result.stdout


def test_usage_option_overrides_the_configured_file(repo: Path, tmp_path: Path):
    other = tmp_path / "heavy.yml"
    other.write_text(USAGE.replace("1000000", "2000000"))
    result = runner.invoke(app, [str(repo), "--usage", str(other), "-f", "json"])
    quantities = [c["monthly_quantity"] for c in json.loads(result.stdout)["resources"][0][
        "components"]]
    assert 200_000 in quantities


def test_unknown_revision_exits_2_with_one_line(repo: Path):
    result = runner.invoke(app, ["diff", str(repo), "--base", "release-9"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: unknown revision 'release-9'"
    assert "Traceback" not in result.output


def test_a_bad_usage_value_is_named_and_the_rest_is_priced(repo: Path):
    (repo / "usage.yml").write_text(USAGE.replace("100\n", "fast\n"))
    result = runner.invoke(app, [str(repo), "--format", "json"])
    # The estimate is made without that key (its duration line stays unknown) and says so;
    # the gate, which fails closed, exits 2 on the same file (tests/hostile/test_config.py).
    assert result.exit_code == 0, result.output
    assert "usage.yml:5" in result.stderr and "request_duration_ms" in result.stderr
    data = json.loads(result.stdout)
    [function] = [r for r in data["resources"] if r["address"] == "aws_lambda_function.api"]
    requests = next(c for c in function["components"] if c["name"].startswith("Requests"))
    assert requests["monthly_quantity"] == 1.0  # 1,000,000 requests, in millions
    assert function["usage_unknown"] is True
    assert "Traceback" not in result.output


def test_bad_purser_yaml_exits_2_with_file_and_line(repo: Path):
    (repo / "purser.yaml").write_text("project: t\ncost:\n  usage: [1, 2]\n")
    result = runner.invoke(app, ["diff", str(repo), "--base", "HEAD~1"])
    assert result.exit_code == 2
    assert "error: purser.yaml:3" in result.stderr


def test_a_broken_file_is_a_warning_and_the_estimate_still_runs(repo: Path):
    (repo / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = \n')
    result = runner.invoke(app, [str(repo), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "warning: broken.tf:" in result.stderr
    assert [r["address"] for r in json.loads(result.stdout)["resources"]] == [
        "aws_lambda_function.api"]


def test_path_inside_the_repository_prices_only_that_folder(repo: Path):
    (repo / "queues").mkdir()
    (repo / "queues" / "sqs.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    result = runner.invoke(app, [str(repo / "queues"), "--repo", str(repo), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [r["address"] for r in json.loads(result.stdout)["resources"]] == [
        "queues//aws_sqs_queue.q"]  # the repository has two roots: its top and queues/


def test_mounted_as_a_subcommand_group_the_diff_subcommand_is_not_taken_for_a_path(repo: Path):
    root = typer.Typer()
    root.add_typer(app, name="cost")

    @root.command()
    def version() -> None:
        """A second command, so the root is a group as in the real CLI."""

    result = runner.invoke(root, ["cost", "diff", str(repo), "--base", "HEAD~1", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changed"][0]["address"] == "aws_lambda_function.api"
    estimate = runner.invoke(root, ["cost", str(repo), "-f", "json"])
    assert json.loads(estimate.stdout)["currency"] == "USD"


def test_diff_outside_a_git_repository_exits_2(tmp_path: Path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "lambda.tf").write_text(LAMBDA.format(memory=128))
    result = runner.invoke(app, ["diff", str(plain), "--base", "HEAD"])
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_cost_diff_is_a_real_subcommand_of_the_top_level_cli(repo: Path):
    from purser.cli import app as purser

    result = runner.invoke(purser, ["cost", "diff", str(repo), "--base", "HEAD~1", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["changed"][0]["address"] == "aws_lambda_function.api"


@pytest.mark.parametrize("args", [["{repo}", "-f", "json"], ["-f", "json", "{repo}"],
                                  ["estimate", "{repo}", "-f", "json"],
                                  ["--repo", "{repo}", "--format", "json"]])
def test_cost_without_a_subcommand_estimates_whatever_the_order_of_path_and_options(
        repo: Path, args: list[str]):
    result = runner.invoke(app, [a.format(repo=repo) for a in args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["resources"][0]["address"] == "aws_lambda_function.api"


def test_cost_help_lists_estimate_and_diff(repo: Path):
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "estimate" in result.stdout and "diff" in result.stdout
    assert "purser cost diff [PATH] --base REF" in result.stdout
