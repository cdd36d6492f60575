"""The terminal report (rich): input errors first, then findings grouped by severity, then
a one-line summary. On a terminal the findings are tables; piped, they are plain
`file:line  RULE  resource: message` lines without colour, easy to grep."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from purser.gate import DEFAULTS_NOTICE
from purser.model import Finding, Severity
from purser.report import CheckReport
from purser.report.cost import cost_table, diff_table
from purser.report.json import ordered, ordered_errors
from purser.report.render import renderers

TOP_COSTS = 10  # resources itemised after the findings; `purser cost` lists all
STYLES = {Severity.critical: "bold white on red", Severity.high: "bold red",
          Severity.medium: "yellow", Severity.low: "cyan", Severity.info: "dim"}


def render_text(report: CheckReport, console: Console) -> None:
    if report.errors:
        _print_errors(report, console)
    _print_notices(report, console)
    findings = ordered(report.findings)
    for severity in reversed(Severity):
        of_severity = [f for f in findings if f.severity is severity]
        if of_severity and console.is_terminal:
            console.print(_findings_table(severity, of_severity))
        elif of_severity:
            _print_plain(severity, of_severity, console)
    if report.waived:
        console.print(f"[dim]{len(report.waived)} finding(s) waived:[/dim]")
        for finding in ordered(report.waived):
            reason = finding.evidence.get("waiver_reason", "")
            console.print(Text(f"  {finding.rule_id} {finding.resource}: {reason}",
                               style="dim"), soft_wrap=True)
    _print_cost(report, console)
    console.print(summary_line(report), soft_wrap=True)


def summary_line(report: CheckReport) -> Text:
    summary = report.summary()
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items() if n)
    line = Text()
    if report.incomplete:
        line.append("INCOMPLETE", style="bold red")
        line.append(" (input errors)" if report.errors else " (nothing found to check)")
    elif report.failed:
        line.append("FAILED", style="bold red")
        line.append(f" (findings at or above {report.fail_on.value})")
    else:
        line.append("PASSED", style="bold green")
    line.append(f": {summary['findings']} finding(s)" + (f" ({counts})" if counts else ""))
    line.append(f", {summary['errors']} input error(s), {summary['waived']} waived, "
                f"{summary['resources']} resource(s) checked")
    skipped = summary.get("skipped", 0)
    line.append(f", {skipped} file(s) skipped as not infrastructure." if skipped else ".")
    return line


def _print_errors(report: CheckReport, console: Console) -> None:
    console.print(Text(f"{len(report.errors)} file(s) could not be checked:", style="bold red"))
    for error in ordered_errors(report.errors):
        where = f"{error.file}:{error.line}" if error.line else error.file
        console.print(Text.assemble("  ", (where, "bold"), f": {error.message}"),
                      soft_wrap=True)
    console.print()


MAX_NOTICES = 10  # the verdict and findings matter more; the JSON report keeps them all


def _print_notices(report: CheckReport, console: Console) -> None:
    """What was seen and deliberately not checked (a remote module without `terraform
    init`, a chart not rendered) or is ambiguous (one address on several resources): not
    input errors, but never silent. The CLI says on its own that defaults are in use."""
    notices = [notice for notice in report.notices if notice != DEFAULTS_NOTICE]
    for notice in notices[:MAX_NOTICES]:
        console.print(Text(f"notice: {notice}", style="yellow"), soft_wrap=True)
    if len(notices) > MAX_NOTICES:
        console.print(Text(f"… and {len(notices) - MAX_NOTICES:,} more notices "
                           "(`--format json` lists them all)", style="yellow"))
    if notices:
        console.print()


def _print_plain(severity: Severity, findings: list[Finding], console: Console) -> None:
    console.print(Text(f"{severity.value.upper()} ({len(findings)})", style=STYLES[severity]))
    for finding in findings:
        console.print(Text(f"  {finding.where}  {finding.rule_id}  {finding.resource}: "
                           f"{finding.message}"), soft_wrap=True)
    console.print()


def _findings_table(severity: Severity, findings: list[Finding]) -> Table:
    table = Table(title=Text(f"{severity.value.upper()} ({len(findings)})",
                             style=STYLES[severity]),
                  title_justify="left", show_lines=False, expand=False)
    table.add_column("Location", no_wrap=True)
    table.add_column("Rule", overflow="fold", max_width=28)
    table.add_column("Resource", overflow="fold", ratio=2)
    table.add_column("Message", ratio=3)
    for finding in findings:
        table.add_row(finding.where, Text(finding.rule_id, style=STYLES[severity]),
                      Text(finding.resource), Text(finding.message))
    return table


def _print_cost(report: CheckReport, console: Console) -> None:
    """The cost diff of a change, else the estimate's most expensive resources."""
    if report.cost_diff is not None:
        diff_table(report.cost_diff, console)
    elif report.cost is not None:
        cost_table(report.cost, console, top=TOP_COSTS, components=False)


@renderers.register("text")
def render_plain_text(report: CheckReport) -> str:
    """The text report without colour, as a document (`--output FILE`, a PR comment)."""
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=120, color_system=None,
                                force_terminal=False, highlight=False))
    return buffer.getvalue()
