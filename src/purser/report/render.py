"""One entry point for every report format: `render(report, "sarif", None)`.

The text format prints to the given console (or records into a string when none is given);
the others return their document.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console

from purser.report import CheckReport
from purser.report.json import render_json
from purser.report.junit import render_junit
from purser.report.markdown import render_markdown
from purser.report.sarif import render_sarif
from purser.report.text import render_text

DOCUMENT_FORMATS: dict[str, Callable[[CheckReport], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "markdown": render_markdown,
    "junit": render_junit,
}
FORMATS = ("text", *DOCUMENT_FORMATS)


def render(report: CheckReport, fmt: str, console: Console | None = None) -> str:
    """The report in format `fmt`; text goes to `console` when one is given (and "" is
    returned), otherwise it is returned plain, without colour."""
    if fmt == "text":
        if console is not None:
            render_text(report, console)
            return ""
        buffer = io.StringIO()
        render_text(report, Console(file=buffer, width=120, color_system=None,
                                    force_terminal=False, highlight=False))
        return buffer.getvalue()
    try:
        renderer = DOCUMENT_FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; expected one of "
                         f"{', '.join(FORMATS)}") from None
    return renderer(report)
