"""CheckReport: a typed model whose JSON form (`--format json`) is a contract."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from purser.checkreport import CheckReport
from purser.estimates import CostDiff, Estimate
from purser.gate import CheckOptions, run_check
from purser.git import commit_work_tree
from purser.report.render import render

SUMMARY_KEYS = ["resources", "findings", "errors", "waived", "by_severity", "by_category",
                "fail_on", "failed", "incomplete", "skipped", "notices"]
COST_KEYS = ["currency", "total_monthly_cost", "resources", "unpriced", "free", "totals",
             "notes", "catalog_versions"]
DIFF_KEYS = ["currency", "base_total", "head_total", "delta", "delta_pct", "added", "removed",
             "changed", "unchanged", "newly_unpriced", "no_longer_unpriced", "totals",
             "base_revision", "head_revision"]


def priced_report(root: Path) -> CheckReport:
    (root / "main.tf").write_text('resource "aws_sqs_queue" "a" {\n  name = "a"\n}\n')
    commit_work_tree(root, "one queue")
    (root / "more.tf").write_text('resource "aws_sqs_queue" "b" {\n  name = "b"\n}\n')
    return run_check(root, options=CheckOptions(base="HEAD"))


def test_no_field_of_the_report_is_untyped():
    hints = typing.get_type_hints(CheckReport)
    assert typing.Any not in hints.values()
    assert hints["cost"] == Estimate | None and hints["cost_diff"] == CostDiff | None


def test_json_keys_of_a_priced_report_are_pinned(tmp_path: Path):
    report = priced_report(tmp_path)
    document = json.loads(render(report, "json"))
    assert list(document) == ["findings", "waived", "errors", "summary", "cost", "cost_diff"]
    assert list(document["summary"]) == SUMMARY_KEYS
    assert [key for key in COST_KEYS if key not in document["cost"]] == []
    assert [key for key in DIFF_KEYS if key not in document["cost_diff"]] == []
    assert [added["address"] for added in document["cost_diff"]["added"]] == ["aws_sqs_queue.b"]


def test_a_report_survives_its_own_json_round_trip(tmp_path: Path):
    report = priced_report(tmp_path)
    again = CheckReport.model_validate_json(report.model_dump_json())
    assert again.summary() == report.summary()
    assert again.cost == report.cost and again.checked == report.checked
