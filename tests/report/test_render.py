"""Report formats are registered once; `render` and `purser check --format` read the registry."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.report import CheckReport
from purser.report.render import format_names, render, renderers


def test_every_built_in_format_is_registered_text_first():
    assert format_names() == ["text", "json", "junit", "markdown", "sarif"]
    assert set(renderers) == set(format_names())


def test_an_unknown_format_is_refused_naming_the_known_ones(report: CheckReport):
    with pytest.raises(ValueError, match="expected one of text, json, junit"):
        render(report, "xml")


def test_text_without_a_console_is_a_plain_document(report: CheckReport):
    text = render(report, "text")
    assert "PUR-SEC-001" in text and "\x1b[" not in text


def test_check_offers_exactly_the_registered_formats(tmp_path: Path):
    runner = CliRunner()
    refused = runner.invoke(app, ["check", str(tmp_path), "--format", "xml"],
                            env={"COLUMNS": "200"})
    assert refused.exit_code == 2
    assert "'xml' is not one of text, json, junit, markdown, sarif" in refused.output


def test_the_text_summary_counts_the_files_skipped_as_not_infrastructure(report: CheckReport):
    report.skipped = ["mkdocs.yml", ".github/workflows/ci.yml"]
    assert "2 file(s) skipped as not infrastructure." in render(report, "text")
    assert render(report, "json").count('"skipped": 2') == 1
