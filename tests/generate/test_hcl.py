"""Untrusted text (an intent, an LLM's reply, a repository's tag) never becomes code:
every string is written escaped and reads back as the very same string."""

from __future__ import annotations

import pytest

from purser.generate.hcl import Block, Expr, Template, render
from purser.sources.hcl.parse import LIT, parse_hcl

HOSTILE = [
    '${file("/etc/passwd")}', "%{ for x in y }evil%{ endfor }", 'quote " and \\ backslash',
    'line\nresource "aws_iam_policy" "x" {', "tab\tcarriage\rreturn", "nul\x00bell\x07",
    "$${already} %%{escaped}", "unicode ü 🚀 \u2028",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_string_reads_back_as_itself_and_adds_no_code(text: str) -> None:
    written = render([Block("locals", (), [("value", text), ("mixed", Template(
        (text, Expr("var.env"), text)))])])
    body, error = parse_hcl(written.encode())
    assert error is None and body is not None
    (local,) = body[1]
    attrs = local[2][0]
    assert set(attrs) == {"value", "mixed"}
    assert attrs["value"][0] == (LIT, text)
    assert len(written.splitlines()) == 4  # nothing opened a line of its own
