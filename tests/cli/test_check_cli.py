"""`purser check` end to end on the shipped example, through the real CLI."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
runner = CliRunner()


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".purser"))
    return target


def test_json_report_has_the_stable_shape_and_exit_1_on_high_findings(shop: Path):
    result = runner.invoke(app, ["check", str(shop), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"findings", "errors", "summary"}
    first = report["findings"][0]
    assert set(first) >= {"rule_id", "severity", "category", "resource", "message", "file",
                          "line", "remediation"}
    assert report["errors"] == []
    assert {f["category"] for f in report["findings"]} >= {
        "security", "finops", "compliance", "responsible-ai"}


def test_fail_on_critical_only_still_fails_when_a_critical_exists(shop: Path):
    result = runner.invoke(app, ["check", str(shop), "--format", "json", "--fail-on", "critical",
                                 "--no-cost"])
    severities = {f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert result.exit_code == (1 if "critical" in severities else 0)


def test_clean_repository_exits_0(tmp_path: Path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n'
        '  tags = { team = "a", env = "dev", "cost-center" = "c" }\n}\n')
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "json", "--no-cost",
                                 "--fail-on", "high"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "junit"])
def test_every_format_writes_a_report_file(shop: Path, tmp_path: Path, fmt: str):
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["check", str(shop), "--format", fmt, "--output", str(out)])
    assert result.exit_code == 1, result.output
    text = out.read_text()
    assert "PUR-SEC" in text


def test_bad_config_exits_2_with_file_and_line(tmp_path: Path):
    (tmp_path / "purser.yaml").write_text("project: x\npolicies:\n  fail_on: sometimes\n")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "purser.yaml:3" in result.stderr
    assert "Traceback" not in result.output


def test_bad_var_syntax_exits_2(tmp_path: Path):
    result = runner.invoke(app, ["check", str(tmp_path), "--var", "novalue"])
    assert result.exit_code == 2
    assert "NAME=VALUE" in result.stderr


def test_broken_file_is_reported_while_the_rest_is_checked(shop: Path):
    (shop / "terraform" / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = \n')
    result = runner.invoke(app, ["check", str(shop), "--format", "json", "--no-cost"])
    report = json.loads(result.stdout)
    assert [e["file"] for e in report["errors"]] == ["terraform/broken.tf"]
    assert report["summary"]["findings"] > 10


def test_rules_lists_at_least_sixty_rules():
    result = runner.invoke(app, ["rules", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) >= 60


def test_path_inside_the_repository_reports_only_that_folder(shop: Path):
    result = runner.invoke(app, ["check", str(shop / "k8s"), "--repo", str(shop),
                                 "--format", "json", "--no-cost"])
    files = {f["file"] for f in json.loads(result.stdout)["findings"] if f["origin"] != "waivers"}
    assert files and all(f.startswith("k8s/") for f in files)
