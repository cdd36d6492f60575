"""The JSON report: the stable, machine-read shape of a check (other tools parse it).

`{"findings": [...], "waived": [...], "errors": [...], "summary": {...}}`, plus `cost` and
`cost_diff` when the check priced the repository.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from purser.model import Finding, SourceError
from purser.report import CheckReport
from purser.report.cost import cost_json
from purser.report.render import renderers


def report_json(report: CheckReport) -> dict[str, Any]:
    document: dict[str, Any] = {
        "findings": [finding_record(f) for f in ordered(report.findings)],
        "waived": [waived_record(f) for f in ordered(report.waived)],
        "errors": [error_record(e) for e in ordered_errors(report.errors)],
        "summary": report.summary(),
    }
    document.update(_cost_keys(report))
    return document


# Above this many findings the report is written compact: CPython's C encoder only runs
# without indentation, and pretty-printing 20,000 findings costs half a second.
PRETTY_LIMIT = 2_000


@renderers.register("json")
def render_json(report: CheckReport) -> str:
    indent = 2 if len(report.findings) <= PRETTY_LIMIT else None
    return json.dumps(report_json(report), indent=indent, ensure_ascii=False,
                      default=_plain) + "\n"


def ordered(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by place, rule and resource: the same report every run."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.source.file, f.source.line,
                                           f.rule_id, f.resource, f.message))


def ordered_errors(errors: list[SourceError]) -> list[SourceError]:
    return sorted(errors, key=lambda e: (e.file, e.line, e.message))


def finding_record(finding: Finding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "category": finding.category.value,
        "resource": finding.resource,
        "caller": finding.caller,  # "apps/a → module.lambda" for a shared module; else ""
        "message": finding.message,
        "file": finding.source.file,
        "line": finding.source.line,
        "remediation": finding.remediation,
        "frameworks": list(finding.frameworks),
        "evidence": {key: finding.evidence[key] for key in sorted(finding.evidence)},
        "origin": finding.origin,
    }


def waived_record(finding: Finding) -> dict[str, Any]:
    record = finding_record(finding)
    record["waiver_reason"] = str(finding.evidence.get("waiver_reason", ""))
    return record


def error_record(error: SourceError) -> dict[str, Any]:
    return {"file": error.file, "line": error.line, "message": error.message}


def _cost_keys(report: CheckReport) -> dict[str, Any]:
    """`cost`/`cost_diff`, when the check priced anything."""
    return cost_json(report) if report.cost is not None or report.cost_diff is not None else {}


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)
