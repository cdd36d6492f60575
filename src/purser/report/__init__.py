"""Renderers for a check: text (rich), JSON, SARIF 2.1.0, Markdown, JUnit XML.

Each reads only the `CheckReport` (model layer: `purser.checkreport`)."""

from purser.checkreport import Checked, CheckReport

__all__ = ["CheckReport", "Checked"]
