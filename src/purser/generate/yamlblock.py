"""Adding entries to a top-level block of a YAML file by editing its text, so that every
other byte (the team's comments, order, quoting, blank lines) stays as it was.

Only a block written in block style can be appended to (`applications:` followed by
indented `- ...` items, `resource_usage:` followed by indented keys); an empty flow value
(`[]`, `{}`) or an absent key is written anew. Anything else (a flow list with items, an
alias, a multi-document file) is refused with the file and line: the caller checks the
result by parsing it, so an edit that would not read back as meant is never written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

INDENT = "  "


class NotAppendable(ValueError):
    """The block cannot be appended to without rewriting the user's text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


def append(text: str, key: str, entries: Sequence[object] | Mapping[str, object],
           comment: str = "", *, flow_leaves: bool = False) -> str:
    """`text` with `entries` (a list for a sequence, a dict for a mapping) added at the end
    of the top-level block `key`, written as YAML in block style after an optional comment
    (`flow_leaves`: a mapping of plain values on one line, `{kind: aws, region: …}`)."""
    style = None if flow_leaves else False
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    head = re.compile(rf"^{re.escape(key)}\s*:(?P<value>[^#]*)(?P<comment>#.*)?$")
    index = next((i for i, line in enumerate(lines) if head.match(line.rstrip("\r\n"))), None)
    if index is None:
        spacer = ["\n"] if lines and lines[-1].strip() else []
        return "".join([*lines, *spacer, f"{key}:\n", *_entries(entries, INDENT, comment, style)])
    match = head.match(lines[index].rstrip("\r\n"))
    assert match is not None
    value = match.group("value").strip()
    if value in ("[]", "{}", "~", "null"):
        lines[index] = f"{key}:\n"
        return "".join([*lines[:index + 1], *_entries(entries, INDENT, comment, style),
                        *lines[index + 1:]])
    if value:
        raise NotAppendable(index + 1, f"{key} is written on one line ({value[:40]}); write it "
                                       "as a block to let purser add to it")
    end, indent = _block(lines, index, sequence=not isinstance(entries, Mapping))
    return "".join([*lines[:end], *_entries(entries, indent, comment, style), *lines[end:]])


def _block(lines: list[str], index: int, *, sequence: bool) -> tuple[int, str]:
    """Where the block under `lines[index]` ends (after its last content line) and the
    indentation of its entries."""
    last, indent = index + 1, None
    for i in range(index + 1, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            continue
        top = not line[0].isspace()
        if top and stripped.startswith("#"):
            continue  # a comment at the margin may belong to what follows: not the end yet
        if top and not (sequence and stripped.startswith("-")):
            break
        if stripped.startswith("#"):
            continue
        if indent is None:
            indent = line[:len(line) - len(line.lstrip())]
        last = i + 1
    return last, INDENT if indent is None else indent


def _entries(entries: Sequence[object] | Mapping[str, object], indent: str,
             comment: str, style: bool | None) -> list[str]:
    plain = dict(entries) if isinstance(entries, Mapping) else list(entries)
    body = yaml.safe_dump(plain, sort_keys=False, default_flow_style=style,
                          allow_unicode=True, width=100)
    out = [f"{indent}# {line}\n" for line in comment.splitlines()]
    return out + [f"{indent}{line}\n" for line in body.splitlines()]
