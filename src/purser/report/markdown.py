"""The Markdown report: a pull-request comment.

A headline (passed or failed, with counts), a table of findings by severity and category,
one folded section per severity, the input errors, the waived findings and, when the check
priced the change, the cost section.
"""

from __future__ import annotations

from collections import Counter

from purser.model import Category, Finding, Severity, SourceRef
from purser.report import CheckReport
from purser.report.cost import cost_markdown
from purser.report.json import ordered, ordered_errors
from purser.report.render import renderers

ROWS_PER_SECTION = 100  # the rest is counted, with a pointer to the full report
#: GitHub refuses a comment above 65,536 characters; leave room for a bot's own header.
MAX_CHARACTERS = 60_000
FULL_REPORT = ("The full report: `purser check --format json` (or `--format sarif`), "
               "or the report artifact of this CI run.")
ICONS = {Severity.critical: "🟥", Severity.high: "🟧", Severity.medium: "🟨",
         Severity.low: "🟦", Severity.info: "⬜"}


def cell(text: object) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks as <br>, no raw HTML."""
    value = str(text).replace("\\", "\\\\").replace("|", "\\|")
    value = value.replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(line.strip() for line in value.splitlines()) if "\n" in value else value


def code(text: str) -> str:
    """Text as a code span in a table cell: only the pipe needs escaping there."""
    value = " ".join(text.split("\n")).replace("|", "\\|").replace("`", "ʼ")
    return f"`{value}`" if text else ""


@renderers.register("markdown")
def render_markdown(report: CheckReport) -> str:
    """The comment, with fewer rows per table until it fits GitHub's size limit."""
    rows = ROWS_PER_SECTION
    text = _render(report, rows)
    while len(text) > MAX_CHARACTERS and rows > 5:
        rows //= 2
        text = _render(report, rows)
    if len(text) > MAX_CHARACTERS:  # long cells even at five rows: cut, and say so
        text = text[:MAX_CHARACTERS - 400].rsplit("\n", 1)[0]
        text += f"\n\n…the comment was cut to fit GitHub's limit. {FULL_REPORT}\n"
    return text


def _render(report: CheckReport, rows: int) -> str:
    parts = [_headline(report), _summary_table(report)]
    findings = ordered(report.findings)
    for severity in reversed(Severity):
        of_severity = [f for f in findings if f.severity is severity]
        if of_severity:
            parts.append(_section(f"{ICONS[severity]} {severity.value.capitalize()} "
                                  f"({len(of_severity)})", _findings_table(of_severity, rows),
                                  open_=severity.at_least(report.fail_on)))
    if report.errors:
        parts.append(_errors(report, rows))
    if report.waived:
        parts.append(_section(f"Waived ({len(report.waived)})",
                              _waived_table(ordered(report.waived), rows)))
    cost = _cost_section(report)
    if cost:
        parts.append(cost)
    return "\n\n".join(part.rstrip("\n") for part in parts if part) + "\n"


def _headline(report: CheckReport) -> str:
    summary = report.summary()
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items() if n)
    verdict = ("❌ **purser check incomplete**: "
               + ("some input could not be checked" if report.errors else "nothing to check")
               if report.incomplete else
               f"❌ **purser check failed**: findings at or above {report.fail_on.value}"
               if report.failed else "✅ **purser check passed**")
    details = [f"{summary['findings']} finding{'s' if summary['findings'] != 1 else ''}"
               + (f" ({counts})" if counts else ""),
               f"{summary['errors']} input error{'s' if summary['errors'] != 1 else ''}",
               f"{summary['waived']} waived", f"{summary['resources']} resources checked"]
    return f"## {verdict}\n\n" + " · ".join(details)


def _summary_table(report: CheckReport) -> str:
    if not report.findings:
        return ""
    counts = Counter((f.severity, f.category) for f in report.findings)
    categories = [c for c in Category if any(k[1] is c for k in counts)]
    lines = ["| Severity | " + " | ".join(c.value for c in categories) + " | Total |",
             "|---|" + "---:|" * (len(categories) + 1)]
    for severity in reversed(Severity):
        row = [counts.get((severity, c), 0) for c in categories]
        if sum(row):
            lines.append(f"| {severity.value} | " + " | ".join(str(n) for n in row)
                         + f" | **{sum(row)}** |")
    return "\n".join(lines)


def _location(source: SourceRef) -> str:
    return code(str(source)) if source.file else ""


def _via(finding: Finding) -> str:
    """The caller of a shared module's resource, under its location."""
    return f"<br>via {cell(finding.caller)}" if finding.caller else ""


def _findings_table(findings: list[Finding], rows: int) -> str:
    lines = ["| Rule | Resource | File | Message | Remediation |", "|---|---|---|---|---|"]
    for finding in findings[:rows]:
        lines.append(f"| {code(finding.rule_id)} | {code(finding.resource)} | "
                     f"{_location(finding.source)}{_via(finding)} | {cell(finding.message)} | "
                     f"{cell(finding.remediation)} |")
    return "\n".join(lines + _more(len(findings), rows))


def _waived_table(findings: list[Finding], rows: int) -> str:
    lines = ["| Rule | Resource | File | Reason |", "|---|---|---|---|"]
    for finding in findings[:rows]:
        lines.append(f"| {code(finding.rule_id)} | {code(finding.resource)} | "
                     f"{_location(finding.source)} | "
                     f"{cell(finding.evidence.get('waiver_reason', ''))} |")
    return "\n".join(lines + _more(len(findings), rows))


def _more(total: int, rows: int) -> list[str]:
    hidden = total - rows
    return [f"\n…and {hidden} more. {FULL_REPORT}"] if hidden > 0 else []


def _errors(report: CheckReport, rows: int) -> str:
    lines = [f"### ⚠️ Input errors ({len(report.errors)})", "",
             "These files could not be checked:", "", "| File | Message |", "|---|---|"]
    for error in ordered_errors(report.errors)[:rows]:
        where = f"{error.file}:{error.line}" if error.line else error.file
        lines.append(f"| {code(where)} | {cell(error.message)} |")
    return "\n".join(lines + _more(len(report.errors), rows))


def _section(summary: str, body: str, *, open_: bool = False) -> str:
    opening = "<details open>" if open_ else "<details>"
    return f"{opening}\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def _cost_section(report: CheckReport) -> str:
    """The cost renderer's section, when the check priced the change."""
    if report.cost is None and report.cost_diff is None:
        return ""
    return cost_markdown(report)
