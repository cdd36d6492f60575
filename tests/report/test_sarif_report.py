"""The SARIF report: valid against the official SARIF 2.1.0 schema, shaped for GitHub."""

import json
from pathlib import Path

import jsonschema
import pytest

from purser.report import CheckReport
from purser.report.render import render

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def sarif(report: CheckReport) -> dict:
    return json.loads(render(report, "sarif"))


def test_report_is_valid_sarif_2_1_0(sarif):
    jsonschema.validate(sarif, SCHEMA)
    assert sarif["version"] == "2.1.0"


def test_empty_report_is_valid_sarif_too(report: CheckReport):
    report.findings, report.waived, report.errors = [], [], []
    document = json.loads(render(report, "sarif"))
    jsonschema.validate(document, SCHEMA)
    assert document["runs"][0]["results"] == []


def test_every_result_points_at_its_rule(sarif):
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_severity(sarif):
    levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
    assert levels["PUR-SEC-001"] == "error"
    assert levels["PUR-FIN-005"] == "warning"
    assert levels["PUR-SEC-018"] == "note"


def test_rules_carry_help_tags_and_security_severity(sarif):
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"]
                if r["id"] == "PUR-SEC-001")
    assert rule["help"]["text"].startswith("List the actions.")
    assert "CIS-AWS 1.16" in rule["help"]["markdown"]
    assert "security" in rule["properties"]["tags"]
    assert float(rule["properties"]["security-severity"]) >= 9.0
    assert rule["defaultConfiguration"]["level"] == "error"


def test_unknown_line_becomes_line_1_and_paths_stay_repo_relative(sarif):
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    location = results["PUR-WVR-001"]["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 1
    assert location["artifactLocation"]["uri"] == "purser.yaml"
    lambda_location = results["PUR-FIN-005"]["locations"][0]["physicalLocation"]
    assert lambda_location["artifactLocation"]["uri"] == "terraform/lambda.tf"
    assert lambda_location["region"]["startLine"] == 10


def test_waived_finding_is_a_suppressed_result(sarif):
    waived = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in waived] == ["PUR-SEC-014"]
    assert waived[0]["suppressions"][0]["justification"] == "public website"


def test_errors_are_tool_execution_notifications(sarif):
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["unexpected end of file"]
    region = notes[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 3


def test_fingerprints_are_stable_and_distinct(report: CheckReport, sarif):
    again = json.loads(render(report, "sarif"))
    prints = [r["partialFingerprints"]["purser/v1"] for r in sarif["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"]["purser/v1"] for r in again["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
