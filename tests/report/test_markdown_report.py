"""The Markdown report: a pull-request comment with escaped tables."""

from purser.model import Severity
from purser.report import CheckReport
from purser.report.markdown import cell, code
from purser.report.render import render


def test_headline_says_incomplete_when_input_could_not_be_checked(report: CheckReport):
    text = render(report, "markdown")
    first = text.splitlines()[0]
    assert first.startswith("## ❌ **purser check incomplete**")
    assert "some input could not be checked" in first


def test_headline_says_failed_with_counts(report: CheckReport):
    report.fail_on_input_error = False
    text = render(report, "markdown")
    first = text.splitlines()[0]
    assert first.startswith("## ❌") and "failed" in first
    assert "5 findings (1 critical, 1 high, 2 medium, 1 low)" in text
    assert "1 input error" in text and "1 waived" in text


def test_headline_says_passed_below_the_threshold(report: CheckReport):
    report.fail_on = Severity.critical
    report.errors = []
    report.findings = [f for f in report.findings if f.severity is not Severity.critical]
    assert render(report, "markdown").startswith("## ✅ **purser check passed**")


def test_summary_table_counts_severity_by_category(report: CheckReport):
    lines = render(report, "markdown").splitlines()
    header = next(line for line in lines if line.startswith("| Severity |"))
    assert header == "| Severity | security | finops | compliance | Total |"
    assert "| medium | 0 | 1 | 1 | **2** |" in lines


def test_each_severity_is_a_collapsible_section(report: CheckReport):
    text = render(report, "markdown")
    assert text.count("<details") == 5  # critical, high, medium, low, waived
    assert "<details open>\n<summary>🟥 Critical (1)</summary>" in text
    assert "<details>\n<summary>🟨 Medium (2)</summary>" in text


def test_pipes_and_newlines_in_cells_do_not_break_the_table(report: CheckReport):
    row = next(line for line in render(report, "markdown").splitlines()
               if "PUR-FIN-005" in line)
    assert r'`aws_lambda_function.fn["a\|b"]`' in row
    assert r"memory 3008 MB \| above 1024<br>second line &lt;b&gt;" in row
    unescaped_pipes = row.replace("\\|", "").count("|")
    assert unescaped_pipes == 6  # five cells


def test_cell_and_code_escaping():
    assert cell("a|b\nc") == "a\\|b<br>c"
    assert cell("back\\slash") == "back\\\\slash"
    assert code("x|y`z") == "`x\\|yʼz`"


def test_errors_section_lists_file_and_line(report: CheckReport):
    text = render(report, "markdown")
    assert "### ⚠️ Input errors (1)" in text
    assert "| `terraform/broken.tf:3` | unexpected end of file |" in text


def test_waived_section_gives_the_reason(report: CheckReport):
    assert "| `PUR-SEC-014` | `aws_s3_bucket.site` | `terraform/s3.tf:1` | public website |" in (
        render(report, "markdown"))


def test_clean_report_has_no_tables(report: CheckReport):
    report.findings, report.waived, report.errors = [], [], []
    text = render(report, "markdown")
    assert text.startswith("## ✅")
    assert "|" not in text


def test_a_huge_report_fits_in_one_github_comment_and_points_to_the_full_one(
        report: CheckReport):
    template = report.findings[0]
    report.findings = [template.model_copy(update={
        "resource": f"aws_s3_bucket.b{i}", "message": "word " * 400}) for i in range(5_000)]
    text = render(report, "markdown")
    assert len(text) <= 65_536
    assert "The full report: `purser check --format json`" in text
    assert "5000 findings" in text
