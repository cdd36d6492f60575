"""The budget gate through `purser check`: a real git repository, two commits, real prices."""

import json
from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app
from purser.git import commit_work_tree

LAMBDA = """\
resource "aws_lambda_function" "api" {{
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  architectures = ["arm64"]
  memory_size   = {memory}
  tags = {{ team = "payments", env = "prod", "cost-center" = "cc-1" }}
}}

resource "aws_dynamodb_table" "orders" {{
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = {rcu}
  write_capacity = 10
  hash_key       = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  tags = {{ team = "payments", env = "prod", "cost-center" = "cc-1" }}
}}
"""
CONFIG = """\
project: budget-test
applications:
  - name: payments
    path: infra
    environment: prod
    budget: {monthly_usd: 90, max_increase_usd: 20, severity: critical}
cost: {usage: usage.yml}
policies: {rego: null, fail_on: critical}
"""
USAGE = """\
version: 0.1
resource_usage:
  aws_lambda_function.api: {monthly_requests: 10000000, request_duration_ms: 100}
"""


def _repo(tmp_path: Path, memory: int, rcu: int) -> Path:
    (tmp_path / "infra").mkdir(exist_ok=True)
    (tmp_path / "infra" / "main.tf").write_text(LAMBDA.format(memory=memory, rcu=rcu))
    (tmp_path / "purser.yaml").write_text(CONFIG)
    (tmp_path / "usage.yml").write_text(USAGE)
    return tmp_path


def _budget_findings(result) -> list[dict]:
    report = json.loads(result.stdout)
    return [f for f in report["findings"] if f["rule_id"].startswith("PUR-BUD")]


def test_within_budget_passes_the_gate(tmp_path: Path):
    root = _repo(tmp_path, memory=512, rcu=10)
    result = CliRunner().invoke(app, ["check", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert _budget_findings(result) == []


def test_a_change_that_breaks_the_budget_fails_the_gate_naming_budget_and_contributors(
        tmp_path: Path):
    root = _repo(tmp_path, memory=512, rcu=10)
    commit_work_tree(root, "base")
    _repo(tmp_path, memory=4096, rcu=400)  # the pull request: more memory, more capacity
    commit_work_tree(root, "raise memory and read capacity")
    result = CliRunner().invoke(app, ["check", str(root), "--format", "json",
                                      "--base", "HEAD~1"])
    assert result.exit_code == 1, result.output
    findings = {f["rule_id"]: f for f in _budget_findings(result)}
    assert set(findings) == {"PUR-BUD-001", "PUR-BUD-002"}
    over = findings["PUR-BUD-001"]
    assert over["severity"] == "critical"
    assert over["resource"] == "application:payments"
    assert "$90" in over["message"]
    # 400 RCU x 730 h x $0.00013 = $37.96; 10 WCU x 730 h x $0.00065 = $4.745; Lambda arm64
    # 10M x 0.1 s x 4 GB = 4,000,000 GB-s x $0.0000133334 = $53.33 + 10M x $0.20/M = $2.00.
    expected = 400 * 730 * 0.00013 + 10 * 730 * 0.00065 + 4_000_000 * 0.0000133334 + 2.0
    assert f"${expected:,.2f}" in over["message"]
    assert "aws_lambda_function.api" in over["message"]
    assert "aws_dynamodb_table.orders" in over["message"]
    assert "PUR-BUD-002" in findings and "aws_lambda_function.api" in findings[
        "PUR-BUD-002"]["message"]
