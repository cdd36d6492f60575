"""The JUnit XML report, for CI systems that show test results.

One test suite per finding category with one test case per rule × resource: failing when
the rule found something, skipped when the finding was waived, passing for every built-in
rule that checked the resource and found nothing. When the report carries no record of the
checked pairs (a report built by hand), a `resources` suite has a passing case per resource
that drew no finding, so the report is never empty. Input errors are `<error>` cases named
after their file in a `sources` suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from purser.model import Category, Finding, SourceError, SourceRef
from purser.policy.engine import Checked
from purser.report import CheckReport
from purser.report.json import ordered, ordered_errors
from purser.report.render import renderers


@renderers.register("junit")
def render_junit(report: CheckReport) -> str:
    root = ET.Element("testsuites", name="purser check")
    flagged = {f.key for f in report.findings} | {f.key for f in report.waived}
    for category in Category:
        failing = [f for f in ordered(report.findings) if f.category is category]
        waived = [f for f in ordered(report.waived) if f.category is category]
        passing = [c for c in report.checked
                   if c.category is category and (c.rule_id, c.resource) not in flagged]
        if failing or waived or passing:
            root.append(_category_suite(category.value, failing, waived, passing))
    if not report.checked:
        flagged_resources = {resource for _, resource in flagged}
        clean = sorted(r.address for r in report.resources if r.address not in flagged_resources)
        root.append(_clean_suite(clean, report))
    if report.errors:
        root.append(_error_suite(ordered_errors(report.errors)))
    _add_counts(root, root.findall("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _category_suite(name: str, failing: list[Finding], waived: list[Finding],
                    passing: list[Checked]) -> ET.Element:
    suite = ET.Element("testsuite", name=name)
    for (rule_id, resource), findings in _by_rule_and_resource(failing).items():
        case = _case(suite, name, rule_id, resource, findings[0].source)
        worst = findings[0]  # ordered: most severe first
        failure = ET.SubElement(case, "failure", message=worst.message, type=worst.severity.value)
        failure.text = "\n".join(_failure_text(f) for f in findings)
    for (rule_id, resource), findings in _by_rule_and_resource(waived).items():
        case = _case(suite, name, rule_id, resource, findings[0].source)
        reason = str(findings[0].evidence.get("waiver_reason", ""))
        ET.SubElement(case, "skipped", message=f"waived: {reason}")
    for checked in sorted(passing, key=lambda c: (c.rule_id, c.resource)):
        _case(suite, name, checked.rule_id, checked.resource, checked.source)
    _add_counts(suite, suite.findall("testcase"))
    return suite


def _by_rule_and_resource(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[(finding.rule_id, finding.resource)].append(finding)
    return grouped


def _case(suite: ET.Element, category: str, rule_id: str, resource: str,
          source: SourceRef) -> ET.Element:
    attributes = {"classname": f"{category}.{rule_id}", "name": f"{rule_id} {resource}",
                  "file": source.file}
    if source.line:
        attributes["line"] = str(source.line)
    return ET.SubElement(suite, "testcase", attributes)


def _failure_text(finding: Finding) -> str:
    lines = [f"{finding.source}: [{finding.severity.value}] {finding.rule_id} "
             f"{finding.title}".rstrip(), f"  {finding.resource}: {finding.message}"]
    if finding.remediation:
        lines.append(f"  fix: {finding.remediation}")
    return "\n".join(lines)


def _clean_suite(addresses: list[str], report: CheckReport) -> ET.Element:
    suite = ET.Element("testsuite", name="resources")
    sources = {r.address: r.source for r in report.resources}
    for address in addresses:
        ET.SubElement(suite, "testcase", classname="resources", name=address,
                      file=sources[address].file)
    if not addresses:  # keep the suite, and the report, non-empty
        ET.SubElement(suite, "testcase", classname="resources",
                      name=f"{len(report.resources)} resources checked")
    _add_counts(suite, suite.findall("testcase"))
    return suite


def _error_suite(errors: list[SourceError]) -> ET.Element:
    suite = ET.Element("testsuite", name="sources")
    for error in errors:
        case = ET.SubElement(suite, "testcase", classname="sources", name=error.file,
                             file=error.file)
        if error.line:
            case.set("line", str(error.line))
        failure = ET.SubElement(case, "error", message=error.message, type="input error")
        failure.text = str(error)
    _add_counts(suite, suite.findall("testcase"))
    return suite


def _add_counts(element: ET.Element, children: list[ET.Element]) -> None:
    """tests/failures/errors/skipped of a suite (from its cases) or of all suites."""
    if element.tag == "testsuites":
        totals = {key: sum(int(child.get(key, "0")) for child in children)
                  for key in ("tests", "failures", "errors", "skipped")}
    else:
        totals = {"tests": len(children),
                  "failures": sum(1 for c in children if c.find("failure") is not None),
                  "errors": sum(1 for c in children if c.find("error") is not None),
                  "skipped": sum(1 for c in children if c.find("skipped") is not None)}
    for key, value in totals.items():
        element.set(key, str(value))
