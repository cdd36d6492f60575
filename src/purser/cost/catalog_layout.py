"""Where each entry of a catalog file lies, read from the file's text without parsing it.

The built-in catalog files keep one layout: YAML entries open with `  - key: …` and give
`provider`, `service` and `region` on lines of their own, and JSON files (written by
`purser catalog update --json` and scripts/pricewatcher_regions.py) hold one entry a line.
Finding those few fields, and where each entry's text begins and ends, takes milliseconds
where parsing and validating every entry takes seconds, so the built-in catalog parses and
validates only the entries a lookup asks for, each alone (`purser.cost.catalog`). A file
in any other layout scans to None and is read whole; reading checks every entry against
its scan, so a scan that went wrong is an error, never a price silently missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: An entry as a scan reads it: key, provider, service and region.
Scanned = tuple[str, str, str, str]

_WORD = r'("[A-Za-z0-9_.:/+-]+"|[A-Za-z0-9_.:/+-]+)'  # plain or double-quoted
_YAML_ENTRY = re.compile(rf"^  - key: {_WORD}\n    provider: {_WORD}\n    service: {_WORD}\n"
                         rf"    region: {_WORD}$", re.MULTILINE)
_JSON_TEXT = r'"([^"\\]*)"'
_JSON_ENTRY = re.compile(rf'^{{"key": {_JSON_TEXT}, "provider": {_JSON_TEXT}, '
                         rf'"service": {_JSON_TEXT}, "region": {_JSON_TEXT}, .*}},?$',
                         re.MULTILINE)
_YAML_PRICES = "\nprices:\n"
_YAML_TOP_LEVEL = re.compile(r"^[^ #\n]", re.MULTILINE)  # a key or text at the margin
_JSON_PRICES_OPEN = '"prices": ['
_JSON_PRICES_CLOSE = "]}"


@dataclass(frozen=True)
class ScannedFile:
    """A catalog file's entries, found in its text."""

    text: str
    header: str  # the file without its entries: version, currency, about (lines kept)
    entries: list[Scanned]  # in file order
    chunks: list[str]  # each entry's own text (a JSON line, comma and all; a YAML block)
    lines: list[int]  # the line each entry starts on, from 1
    is_json: bool

    def line_of(self, index: int) -> int:
        return self.lines[index]


def scan(name: str, text: str) -> ScannedFile | None:
    """The entries of a catalog file in the built-in layout; None for any other layout."""
    return _scan_json(text) if name.endswith(".json") else _scan_yaml(text)


def _scan_yaml(text: str) -> ScannedFile | None:
    start = text.find(_YAML_PRICES)
    if start < 0:
        return None
    body = text[start + len(_YAML_PRICES):]
    found = list(_YAML_ENTRY.finditer(text, start))
    # Every entry must have been found: an entry written otherwise makes the file read whole.
    if len(found) != body.count("\n  -") + body.startswith("  -") \
            or _YAML_TOP_LEVEL.search(body):
        return None
    offsets = [match.start() for match in found] + [len(text)]
    lines, line, previous = [], 1, 0
    for offset in offsets[:-1]:
        line += text.count("\n", previous, offset)
        lines.append(line)
        previous = offset
    return ScannedFile(text, text[:start] + "\nprices: []\n",
                       [_unquoted(match.groups()) for match in found],
                       [text[offsets[i]:offsets[i + 1]] for i in range(len(found))], lines,
                       is_json=False)


def _scan_json(text: str) -> ScannedFile | None:
    lines = text.rstrip("\n").split("\n")
    if len(lines) < 2 or not lines[0].endswith(_JSON_PRICES_OPEN) \
            or lines[-1] != _JSON_PRICES_CLOSE:
        return None
    body = [] if lines[1:-1] == [""] else lines[1:-1]
    entries: list[Scanned] = _JSON_ENTRY.findall(text)
    # Every line but the last ends with a comma (no JSON string holds a line break).
    if len(entries) != len(body) or text.count(",\n") != max(len(body) - 1, 0) \
            or (body and body[-1].endswith(",")):
        return None
    return ScannedFile(text, lines[0] + _JSON_PRICES_CLOSE, entries, body,
                       list(range(2, len(body) + 2)), is_json=True)  # one entry a line


def _unquoted(words: tuple[str | Any, ...]) -> Scanned:
    key, provider, service, region = words
    return key.strip('"'), provider.strip('"'), service.strip('"'), region.strip('"')
