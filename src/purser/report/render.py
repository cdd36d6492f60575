"""One entry point for every report format: `render(report, "sarif", None)`.

Each format registers its renderer (report → document text) in `renderers`, from its own
module in this package (every module here is imported) or from an installed package under
the `purser.reports` entry-point group; `purser check --format` offers exactly these. The
text format also prints to a console with colour when one is given.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console

from purser.registry import Registry
from purser.report import CheckReport

Renderer = Callable[[CheckReport], str]

renderers: Registry[Renderer] = Registry("report format", "purser.reports",
                                         package="purser.report")


def format_names() -> list[str]:
    """The registered report formats, text first (the default), then by name."""
    return sorted(renderers, key=lambda name: (name != "text", name))


def render(report: CheckReport, fmt: str, console: Console | None = None) -> str:
    """The report in format `fmt`; text goes to `console` when one is given (and "" is
    returned), otherwise it is returned plain, without colour."""
    if fmt == "text" and console is not None:
        from purser.report.text import render_text

        render_text(report, console)
        return ""
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; expected one of "
                         f"{', '.join(format_names())}")
    return renderers.get(fmt)(report)
