"""The JUnit XML report: parses, and its counts match the findings."""

import xml.etree.ElementTree as ET

from purser.report import CheckReport
from purser.report.render import render


def parse(report: CheckReport) -> ET.Element:
    return ET.fromstring(render(report, "junit"))


def test_one_suite_per_category_plus_resources_and_sources(report: CheckReport):
    names = [s.get("name") for s in parse(report).findall("testsuite")]
    assert names == ["security", "finops", "compliance", "resources", "sources"]


def test_counts_match_the_findings(report: CheckReport):
    root = parse(report)
    cases = root.findall(".//testcase")
    assert root.get("tests") == str(len(cases))
    assert root.get("failures") == "5"
    assert root.get("errors") == "1"
    assert root.get("skipped") == "1"
    for suite in root.findall("testsuite"):
        assert suite.get("tests") == str(len(suite.findall("testcase")))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))


def test_failure_names_rule_resource_and_severity(report: CheckReport):
    security = parse(report).find("testsuite[@name='security']")
    case = security.find("testcase[@name='PUR-SEC-001 aws_iam_role_policy.reports']")
    failure = case.find("failure")
    assert failure.get("type") == "critical"
    assert failure.get("message") == 'IAM policy allows Action "*" on Resource "*"'
    assert "terraform/iam.tf:36" in failure.text
    assert case.get("file") == "terraform/iam.tf" and case.get("line") == "36"


def test_waived_finding_is_a_skipped_case(report: CheckReport):
    skipped = parse(report).findall(".//testcase/skipped")
    assert [s.get("message") for s in skipped] == ["waived: public website"]


def test_resource_without_findings_is_a_passing_case(report: CheckReport):
    resources = parse(report).find("testsuite[@name='resources']")
    assert [c.get("name") for c in resources.findall("testcase")] == ["aws_sqs_queue.clean"]
    assert resources.get("failures") == "0"


def test_input_error_is_an_error_case_named_after_its_file(report: CheckReport):
    case = parse(report).find("testsuite[@name='sources']/testcase")
    assert case.get("name") == "terraform/broken.tf"
    assert case.find("error").get("message") == "unexpected end of file"


def test_report_without_resources_or_findings_still_has_a_test(report: CheckReport):
    report.findings, report.waived, report.errors, report.resources = [], [], [], []
    root = parse(report)
    assert root.get("tests") == "1" and root.get("failures") == "0"



def test_a_real_check_has_one_case_per_rule_and_resource_passing_when_clean(tmp_path):
    from purser.config import Config
    from purser.gate import CheckOptions, run_check

    (tmp_path / "main.tf").write_text(
        'resource "aws_sqs_queue" "plain" {\n  name = "plain"\n}\n'
        'resource "aws_sqs_queue" "sealed" {\n  name = "sealed"\n'
        '  sqs_managed_sse_enabled = true\n}\n')
    report = run_check(tmp_path, Config(), CheckOptions(cost=False))
    cases = {case.get("name"): case
             for case in ET.fromstring(render(report, "junit")).iter("testcase")}
    assert report.checked
    for checked in report.checked:
        flagged = any(f.key == (checked.rule_id, checked.resource) for f in report.findings)
        case = cases[f"{checked.rule_id} {checked.resource}"]
        assert (case.find("failure") is not None) == flagged
    assert cases["PUR-SEC-022 aws_sqs_queue.plain"].find("failure") is not None
    assert cases["PUR-SEC-022 aws_sqs_queue.sealed"].find("failure") is None
