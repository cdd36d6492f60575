"""Findings remembered between checks: reused only while nothing the rule read has changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from purser.config import Config
from purser.policy import engine, recall
from purser.policy.rule import rules
from purser.sources import load_repository

LOG_GROUPS = "".join(
    f'resource "aws_cloudwatch_log_group" "g{i}" {{\n  name = "g{i}"\n}}\n' for i in range(3))
BUCKET = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n}\n'
BLOCK = """resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""


@pytest.fixture(autouse=True)
def fresh_memory() -> None:
    recall.forget()


def rules_on(root: Path) -> engine.PolicyResult:
    return engine.run_rules(load_repository(root, Config()).resources, Config())


def test_a_rule_reading_only_its_resource_is_not_run_again_on_an_unchanged_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    first = rules_on(tmp_path)
    runs: list[str] = []
    never_expires = rules.get("PUR-FIN-003")
    original = never_expires.check
    monkeypatch.setattr(never_expires, "check",
                        lambda self, r, c: runs.append(r.address) or original(self, r, c))
    (tmp_path / "main.tf").write_text(LOG_GROUPS.replace('"g1"\n', '"g1-renamed"\n'))
    second = rules_on(tmp_path)
    assert runs == ["aws_cloudwatch_log_group.g1"]
    assert len(second.findings) == len(first.findings)
    assert len(second.checked) == len(first.checked)


def test_a_rule_that_read_other_resources_sees_them_change(tmp_path: Path):
    (tmp_path / "main.tf").write_text(BUCKET)
    assert "PUR-SEC-014" in {f.rule_id for f in rules_on(tmp_path).findings}
    (tmp_path / "block.tf").write_text(BLOCK)
    assert "PUR-SEC-014" not in {f.rule_id for f in rules_on(tmp_path).findings}


def test_a_new_configuration_is_a_new_memory(tmp_path: Path):
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    resources = load_repository(tmp_path, Config()).resources
    tagged = {f.rule_id for f in engine.run_rules(resources, Config()).findings}
    untagged = Config.model_validate({"defaults": {"required_tags": []}})
    assert tagged - {f.rule_id for f in engine.run_rules(resources, untagged).findings} == {
        "PUR-FIN-001"}
