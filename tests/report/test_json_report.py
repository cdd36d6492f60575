"""The JSON report: the stable shape other tools read."""

import json

from purser.model import Severity
from purser.report import CheckReport
from purser.report.render import render

FINDING_KEYS = ["rule_id", "title", "severity", "category", "resource", "caller", "message",
                "file", "line", "remediation", "frameworks", "evidence", "origin"]


def test_top_level_and_finding_keys_are_exactly_the_documented_ones(report: CheckReport):
    document = json.loads(render(report, "json"))
    assert list(document) == ["findings", "waived", "errors", "summary"]
    assert all(list(f) == FINDING_KEYS for f in document["findings"])
    assert list(document["waived"][0]) == [*FINDING_KEYS, "waiver_reason"]
    assert document["errors"] == [
        {"file": "terraform/broken.tf", "line": 3, "message": "unexpected end of file"}]
    assert document["summary"] == report.summary()


def test_findings_are_sorted_most_severe_first(report: CheckReport):
    document = json.loads(render(report, "json"))
    severities = [f["severity"] for f in document["findings"]]
    assert severities == ["critical", "high", "medium", "medium", "low"]


def test_same_report_renders_identically_whatever_the_input_order(report: CheckReport):
    first = render(report, "json")
    report.findings.reverse()
    assert render(report, "json") == first


def test_waived_entry_carries_its_reason(report: CheckReport):
    waived = json.loads(render(report, "json"))["waived"][0]
    assert (waived["rule_id"], waived["waiver_reason"]) == ("PUR-SEC-014", "public website")


def test_no_cost_keys_without_a_cost(report: CheckReport):
    document = json.loads(render(report, "json"))
    assert "cost" not in document and "cost_diff" not in document


def test_summary_says_failed_at_the_threshold(report: CheckReport):
    assert json.loads(render(report, "json"))["summary"]["failed"] is True
    report.fail_on = Severity.critical
    report.findings = [f for f in report.findings if f.severity is not Severity.critical]
    assert json.loads(render(report, "json"))["summary"]["failed"] is False
