"""The SARIF 2.1.0 report, in the shape GitHub code scanning accepts.

One run whose driver lists every rule that fired (with its remediation as help and a
`security-severity` score GitHub sorts by); each finding is a result at its file and line;
waived findings are results with an external suppression; source errors are tool
execution notifications.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from purser import __version__
from purser.model import Finding, Severity, SourceError, SourceRef
from purser.report import CheckReport
from purser.report.json import ordered, ordered_errors
from purser.report.render import renderers

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://github.com/purser/purser"
SOURCE_ROOT = "%SRCROOT%"

LEVELS = {Severity.critical: "error", Severity.high: "error", Severity.medium: "warning",
          Severity.low: "note", Severity.info: "note"}
# GitHub ranks code-scanning alerts by this CVSS-like score (critical > 9, high 7 to 8.9).
SECURITY_SEVERITY = {Severity.critical: "9.5", Severity.high: "8.0", Severity.medium: "5.5",
                     Severity.low: "3.0", Severity.info: "1.0"}


@renderers.register("sarif")
def render_sarif(report: CheckReport) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: CheckReport) -> dict[str, Any]:
    findings = ordered(report.findings)
    waived = ordered(report.waived)
    rules = _rules(findings + waived)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = [_result(f, index) for f in findings]
    results += [_result(f, index, waived=True) for f in waived]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "purser", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {SOURCE_ROOT: {
                "description": {"text": "The root of the checked repository."}}},
            "invocations": [_invocation(ordered_errors(report.errors))],
            "results": results,
        }],
    }


def _rules(findings: list[Finding]) -> list[dict[str, Any]]:
    """One descriptor per rule id, at the severity of its most severe finding."""
    first: dict[str, Finding] = {}
    for finding in findings:  # most severe first, so the first seen decides
        first.setdefault(finding.rule_id, finding)
    return [_rule(first[rule_id]) for rule_id in sorted(first)]


def _rule(finding: Finding) -> dict[str, Any]:
    title = finding.title or finding.rule_id
    frameworks = ", ".join(finding.frameworks)
    help_text = finding.remediation or title
    help_markdown = finding.remediation or title
    if frameworks:
        help_text += f"\n\nFrameworks: {frameworks}"
        help_markdown += f"\n\n**Frameworks:** {frameworks}"
    tags = [finding.category.value, finding.origin, *finding.frameworks]
    if finding.category.value == "security":
        tags.append("security")
    return {
        "id": finding.rule_id,
        "name": _rule_name(finding),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{title} ({finding.category.value})"},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {
            "tags": sorted(set(tags)),
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "category": finding.category.value,
        },
    }


def _rule_name(finding: Finding) -> str:
    """A PascalCase name from the title (SARIF names are identifiers, not sentences)."""
    words = "".join(c if c.isalnum() else " " for c in (finding.title or finding.rule_id))
    return "".join(word[:1].upper() + word[1:] for word in words.split()) or finding.rule_id


def _result(finding: Finding, index: dict[str, int], *, waived: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index[finding.rule_id],
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.resource}: {finding.message}"},
        "locations": [{
            "physicalLocation": _physical(finding.source),
            "logicalLocations": [{"fullyQualifiedName": finding.resource,
                                  "kind": "resource"}],
        }],
        "partialFingerprints": {"purser/v1": _fingerprint(finding)},
        "properties": {"severity": finding.severity.value,
                       "category": finding.category.value, "origin": finding.origin},
    }
    if finding.caller:  # one place in a shared module: say which caller this result is
        result["message"]["text"] += f" (via {finding.caller})"
        result["properties"]["caller"] = finding.caller
    if waived:
        reason = str(finding.evidence.get("waiver_reason", ""))
        result["suppressions"] = [{"kind": "external", "justification": reason}]
    return result


def _physical(source: SourceRef) -> dict[str, Any]:
    start = max(1, source.line)
    region: dict[str, Any] = {"startLine": start}
    if source.end_line >= start:
        region["endLine"] = source.end_line
    return {"artifactLocation": {"uri": quote(source.file or ".", safe="/"),
                                 "uriBaseId": SOURCE_ROOT},
            "region": region}


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the rule, the resource and the file."""
    identity = "\0".join((finding.rule_id, finding.resource, finding.source.file))
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _invocation(errors: list[SourceError]) -> dict[str, Any]:
    return {
        "executionSuccessful": True,  # a broken input file is reported, not a crash
        "toolExecutionNotifications": [{
            "level": "error",
            "message": {"text": error.message},
            "locations": [{"physicalLocation": _physical(
                SourceRef(file=error.file, line=error.line))}],
        } for error in errors],
    }
