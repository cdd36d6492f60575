"""Findings remembered between checks: reused only while nothing the rule read has changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from purser.config import Config
from purser.model import Resource, SourceRef
from purser.policy import engine, recall
from purser.policy.rule import Rule, RuleContext, rules
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
POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: {image}
"""


@pytest.fixture(autouse=True)
def fresh_memory() -> None:
    recall.forget()


def rules_on(root: Path) -> engine.PolicyResult:
    return engine.run_rules(load_repository(root, Config()).resources, Config())


def counting(monkeypatch: pytest.MonkeyPatch, rule_id: str) -> list[str]:
    """The addresses `rule_id` is run on from now on (patched before the first check, so
    that every check below runs the same rule)."""
    runs: list[str] = []
    counted = rules.get(rule_id)
    original = counted.check
    monkeypatch.setattr(counted, "check",
                        lambda self, r, c: runs.append(r.address) or original(self, r, c))
    return runs


def public_access_flags(root: Path) -> set[str]:
    return {flag for f in rules_on(root).findings if f.rule_id == "PUR-SEC-014"
            for flag in f.evidence["flags_off"]}


def test_a_rule_reading_only_its_resource_is_not_run_again_on_an_unchanged_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runs = counting(monkeypatch, "PUR-FIN-003")
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    first = rules_on(tmp_path)
    assert len(runs) == 3
    runs.clear()
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


def test_a_bucket_is_judged_again_when_only_its_public_access_block_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runs = counting(monkeypatch, "PUR-SEC-014")
    (tmp_path / "main.tf").write_text(BUCKET)
    (tmp_path / "block.tf").write_text(BLOCK)
    assert public_access_flags(tmp_path) == set()
    runs.clear()
    (tmp_path / "block.tf").write_text(BLOCK.replace("ignore_public_acls      = true",
                                                     "ignore_public_acls      = false"))
    assert public_access_flags(tmp_path) == {"ignore_public_acls"}
    assert runs == ["aws_s3_bucket.site"]  # the bucket itself is as it was
    runs.clear()
    assert public_access_flags(tmp_path) == {"ignore_public_acls"}
    assert runs == []  # and now nothing it read has changed


def test_a_rule_replaced_in_process_is_not_answered_from_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    assert "PUR-FIN-003" in {f.rule_id for f in rules_on(tmp_path).findings}
    monkeypatch.setattr(rules.get("PUR-FIN-003"), "check", lambda self, r, c: iter(()))
    assert "PUR-FIN-003" not in {f.rule_id for f in rules_on(tmp_path).findings}


def test_a_resource_a_rule_raised_on_is_judged_again_and_raises_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def explode(self: Rule, resource: Resource, context: RuleContext) -> Iterator[str]:
        raise KeyError("nowhere")
        yield ""

    monkeypatch.setattr(rules.get("PUR-FIN-003"), "check", explode)
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    first = rules_on(tmp_path)
    second = rules_on(tmp_path)
    assert len(first.errors) == len(second.errors) == 3
    assert first.findings == second.findings and first.checked == second.checked


def test_copies_of_one_address_keep_their_own_findings(tmp_path: Path):
    for folder, image in (("dev", "web:latest"), ("prod", "web:1.2.3")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pod.yaml").write_text(POD.format(image=image))
    first = {(f.rule_id, f.source.file) for f in rules_on(tmp_path).findings}
    again = {(f.rule_id, f.source.file) for f in rules_on(tmp_path).findings}
    assert {file for _, file in first} == {"dev/pod.yaml", "prod/pod.yaml"}
    assert ("PUR-SEC-038", "dev/pod.yaml") in first
    assert ("PUR-SEC-038", "prod/pod.yaml") not in first
    assert again == first


def test_a_new_configuration_is_a_new_memory(tmp_path: Path):
    (tmp_path / "main.tf").write_text(LOG_GROUPS)
    resources = load_repository(tmp_path, Config()).resources
    tagged = {f.rule_id for f in engine.run_rules(resources, Config()).findings}
    untagged = Config.model_validate({"defaults": {"required_tags": []}})
    assert tagged - {f.rule_id for f in engine.run_rules(resources, untagged).findings} == {
        "PUR-FIN-001"}


def test_a_value_nested_too_deep_to_write_down_is_judged_afresh_not_a_crash():
    deep: list[object] = []
    for _ in range(5_000):
        deep = [deep]
    fn = Resource(address="aws_lambda_function.fn", type="aws_lambda_function",
                  provider="aws", name="fn", attrs={"layers": deep},
                  source=SourceRef(file="main.tf", line=1))
    first = engine.run_rules([fn], Config())
    assert engine.run_rules([fn], Config()).findings == first.findings
