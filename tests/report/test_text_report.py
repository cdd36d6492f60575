"""The terminal report: errors first, findings by severity, a summary line; plain when piped."""

import io

import pytest
from rich.console import Console

from purser.report import CheckReport
from purser.report.render import render


def test_piped_text_has_no_colour_codes_and_lists_errors_first(report: CheckReport):
    text = render(report, "text")
    assert "\x1b[" not in text
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "1 file(s) could not be checked:"
    assert lines[1].strip() == "terraform/broken.tf:3: unexpected end of file"
    assert text.index("CRITICAL (1)") < text.index("HIGH (1)") < text.index("LOW (1)")


def test_plain_lines_carry_location_rule_resource_and_message(report: CheckReport):
    assert ("terraform/iam.tf:36  PUR-SEC-001  aws_iam_role_policy.reports: "
            'IAM policy allows Action "*" on Resource "*"') in render(report, "text")


def test_summary_line_ends_the_report(report: CheckReport):
    last = render(report, "text").strip().splitlines()[-1]
    assert last.startswith("INCOMPLETE (input errors): 5 finding(s)")
    assert "1 input error(s), 1 waived, 4 resource(s) checked." in last
    assert report.exit_code == 2


def test_summary_line_says_failed_when_input_errors_only_warn(report: CheckReport):
    report.fail_on_input_error = False
    last = render(report, "text").strip().splitlines()[-1]
    assert last.startswith("FAILED (findings at or above high): 5 finding(s)")
    assert report.exit_code == 1


def test_nothing_to_check_is_incomplete(report: CheckReport):
    report.resources, report.findings, report.errors = [], [], []
    last = render(report, "text").strip().splitlines()[-1]
    assert last.startswith("INCOMPLETE (nothing found to check)")
    assert report.exit_code == 2


def test_terminal_gets_tables(report: CheckReport):
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=140, color_system=None)
    assert render(report, "text", console) == ""
    output = buffer.getvalue()
    assert "┃ Location" in output and "PUR-SEC-001" in output


def test_unknown_format_is_a_clear_error(report: CheckReport):
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(report, "pdf")


def test_many_notices_are_capped_and_counted(report: CheckReport):
    report.notices = [f"k8s:core/Pod/default/p{i} is declared 2 times" for i in range(25)]
    text = render(report, "text")
    assert text.count("notice: k8s:core/Pod") == 10
    assert "… and 15 more notices (`--format json` lists them all)" in text
