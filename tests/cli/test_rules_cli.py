"""`purser rules` lists the repository's own YAML rules beside the built-in ones."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app

runner = CliRunner()

RULES = """rules:
  - id: ACME-DB-001
    title: Databases keep two weeks of backups
    severity: high
    kinds: [aws.rds.instance]
    path: backup_retention_period
    expect: {at_least: 14}
    frameworks: [SOC 2 A1.2]
  - id: ACME-DB-002
    title: two conditions
    severity: low
    kinds: [aws.rds.instance]
    path: engine
    expect: {equals: postgres, present: true}
"""


def _repo(tmp_path: Path, folder: str = "policies") -> Path:
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "acme.yaml").write_text(RULES)
    return tmp_path


def test_rules_lists_yaml_rules_with_their_file_and_reports_a_bad_one_at_its_line(
        tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "--json", "--repo", str(_repo(tmp_path))])
    assert result.exit_code == 2  # the bad rule is an error, never silently left out
    assert "error: policies/acme.yaml:9: YAML rule:" in result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["ACME-DB-001"]["source"] == "policies/acme.yaml:2"
    assert rows["ACME-DB-001"]["pack"] == "repository"
    assert rows["ACME-DB-001"]["frameworks"] == ["SOC 2 A1.2"]
    assert "ACME-DB-002" not in rows
    assert rows["PUR-SEC-001"]["source"] == "built-in"


def test_rules_reads_the_policy_folder_purser_yaml_names(tmp_path: Path) -> None:
    root = _repo(tmp_path, "rules")
    (root / "rules" / "acme.yaml").write_text(RULES.split("  - id: ACME-DB-002")[0])
    (root / "purser.yaml").write_text("policies:\n  rego: rules\n")
    result = runner.invoke(app, ["rules", "--json", str(root)])
    assert result.exit_code == 0, result.output
    [row] = [row for row in json.loads(result.stdout) if row["source"] != "built-in"]
    assert (row["id"], row["source"]) == ("ACME-DB-001", "rules/acme.yaml:2")


def test_rules_without_a_policy_folder_lists_only_the_built_in_rules(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "--json", "--repo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {row["source"] for row in json.loads(result.stdout)} == {"built-in"}
