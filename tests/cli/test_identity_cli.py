"""Resource identity through the CLI: two roots declaring the same resource stay two resources
in `check`, `cost` and `cost diff`; a module shared by two roots is checked, reported and
waived per caller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
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
  apps/a//aws_lambda_function.api:
    monthly_requests: 1000000
    request_duration_ms: 100
  apps/b//aws_lambda_function.api:
    monthly_requests: 2000000
    request_duration_ms: 100
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def two_roots(tmp_path: Path) -> Path:
    """apps/a and apps/b both declare aws_lambda_function.api; two commits, the second
    doubles the memory of apps/b's only."""
    root = write(tmp_path / "infra", {
        "purser.yaml": "project: t\ncost:\n  usage: usage.yml\n", "usage.yml": USAGE,
        "apps/a/main.tf": LAMBDA.format(memory=512), "apps/b/main.tf": LAMBDA.format(memory=512)})
    commit_work_tree(root, "two lambdas")
    write(root, {"apps/b/main.tf": LAMBDA.format(memory=1024)})
    commit_work_tree(root, "more memory for b")
    return root


def run(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_check_keeps_the_two_roots_resources_and_findings_apart(two_roots: Path):
    report = run("check", str(two_roots), "--no-cost")
    by_root = {root: sorted(f["rule_id"] for f in report["findings"]
                            if f["resource"] == f"{root}//aws_lambda_function.api")
               for root in ("apps/a", "apps/b")}
    assert by_root["apps/a"] and by_root["apps/a"] == by_root["apps/b"]
    assert report["summary"]["resources"] == 2


def test_cost_prices_each_root_with_its_own_usage(two_roots: Path):
    estimate = run("cost", str(two_roots))
    costs = {r["address"]: r["monthly_cost"] for r in estimate["resources"]}
    assert sorted(costs) == ["apps/a//aws_lambda_function.api",
                             "apps/b//aws_lambda_function.api"]
    assert costs["apps/b//aws_lambda_function.api"] > costs["apps/a//aws_lambda_function.api"]


def test_cost_diff_changes_only_the_root_that_changed(two_roots: Path):
    diff = run("cost", "diff", str(two_roots), "--base", "HEAD~1", "--head", "HEAD")
    assert [c["address"] for c in diff["changed"]] == ["apps/b//aws_lambda_function.api"]
    assert (diff["added"], diff["removed"], diff["unchanged"]) == ([], [], 1)


SHARED_CALL = 'module "lambda" {{\n  source = "../../modules/lambda"\n  memory = {memory}\n}}\n'
SHARED = """variable "memory" {}
resource "aws_lambda_function" "this" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
  memory_size   = var.memory
}
"""
VIA_A, VIA_B = "apps/a//module.lambda.aws_lambda_function.this", \
    "apps/b//module.lambda.aws_lambda_function.this"


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return write(tmp_path / "infra", {
        "apps/a/main.tf": SHARED_CALL.format(memory=512),
        "apps/b/main.tf": SHARED_CALL.format(memory=512),
        "modules/lambda/main.tf": SHARED})


def test_a_shared_module_gives_one_finding_per_caller_at_the_modules_line(shared: Path):
    findings = run("check", str(shared), "--no-cost")["findings"]
    on_function = [f for f in findings if f["resource"] in (VIA_A, VIA_B)]
    assert on_function
    assert {(f["file"], f["line"]) for f in on_function} == {("modules/lambda/main.tf", 2)}
    callers = {f["caller"] for f in on_function}
    assert callers == {"apps/a → module.lambda", "apps/b → module.lambda"}
    keys = [(f["rule_id"], f["resource"]) for f in findings]
    assert len(keys) == len(set(keys))  # no two findings anyone could mistake for one


def test_text_markdown_and_sarif_name_the_caller(shared: Path):
    text = runner.invoke(app, ["check", str(shared), "--no-cost"], env={"COLUMNS": "200"})
    assert "modules/lambda/main.tf:2 via apps/a → module.lambda" in text.stdout
    markdown = runner.invoke(app, ["check", str(shared), "--no-cost", "-f", "markdown"])
    assert "via apps/b → module.lambda" in markdown.stdout
    sarif = json.loads(runner.invoke(app, ["check", str(shared), "--no-cost", "-f",
                                           "sarif"]).stdout)
    results = sarif["runs"][0]["results"]
    assert {r["properties"].get("caller") for r in results} >= {
        "apps/a → module.lambda", "apps/b → module.lambda"}


def _rules_on(report: dict, address: str) -> set[str]:
    return {f["rule_id"] for f in report["findings"] if f["resource"] == address}


def test_a_waiver_in_purser_yaml_can_set_aside_one_caller_only(shared: Path):
    rule = min(_rules_on(run("check", str(shared), "--no-cost"), VIA_A))
    (shared / "purser.yaml").write_text(
        f"policies:\n  waivers:\n    - rule: {rule}\n      resource: apps/a//module.lambda.*\n"
        "      reason: apps/a accepts it\n")
    report = run("check", str(shared), "--no-cost")
    assert rule not in _rules_on(report, VIA_A) and rule in _rules_on(report, VIA_B)
    assert [f["resource"] for f in report["waived"] if f["rule_id"] == rule] == [VIA_A]


def test_an_inline_ignore_can_name_the_caller_it_waives(shared: Path):
    rule = min(_rules_on(run("check", str(shared), "--no-cost"), VIA_B))
    module = shared / "modules/lambda/main.tf"
    module.write_text(SHARED.replace(
        'resource "aws_lambda_function"',
        f'# purser:ignore {rule}@apps/b//* b runs it on purpose\nresource "aws_lambda_function"'))
    report = run("check", str(shared), "--no-cost")
    assert rule in _rules_on(report, VIA_A) and rule not in _rules_on(report, VIA_B)
