"""Where each entry of a catalog file lies, read from the file's text without parsing it.

The built-in catalog files keep one layout: YAML entries open with `  - key: …` and give
`provider`, `service` and `region` on lines of their own, and JSON files (written by
`purser catalog update --json` and scripts/pricewatcher_regions.py) hold one entry a line.
Finding those few fields line by line takes milliseconds where parsing and validating every
entry takes half a second, so the built-in catalog parses and validates only what a lookup
asks for (`purser.cost.catalog`). A file in any other layout scans to None and is read
whole; reading checks every entry against its scan, so a scan that went wrong is an error,
never a price silently missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_JSON_PRICES_OPEN = '"prices": ['
_JSON_PRICES_CLOSE = "]}"


@dataclass(frozen=True)
class ScannedFile:
    """A catalog file's entries, found in its text; what a scan cannot vouch for is None."""

    text: str
    header: str  # the file without its entries: version, currency, about (lines kept)
    entries: list[Scanned]  # in file order
    entry_lines: list[str]  # JSON: each entry's own line, parsed alone; YAML: none

    def line_of(self, index: int) -> int:
        """The line the `index`th entry starts on, from 1."""
        if self.entry_lines:
            return index + 2  # one entry a line after the opening line
        found = list(_YAML_ENTRY.finditer(self.text))
        return self.text.count("\n", 0, found[index].start()) + 1


def scan(name: str, text: str) -> ScannedFile | None:
    """The entries of a catalog file in the built-in layout; None for any other layout."""
    return _scan_json(text) if name.endswith(".json") else _scan_yaml(text)


def _scan_yaml(text: str) -> ScannedFile | None:
    start = text.find(_YAML_PRICES)
    if start < 0:
        return None
    body = text[start + len(_YAML_PRICES):]
    entries = [_unquoted(found) for found in _YAML_ENTRY.findall(text, start)]
    # Every entry must have been found: an entry written otherwise makes the file read whole.
    if len(entries) != body.count("\n  -") + body.startswith("  -") \
            or any(line and line[0] not in " #" for line in body.split("\n")):
        return None
    return ScannedFile(text, text[:start] + "\nprices: []\n", entries, [])


def _scan_json(text: str) -> ScannedFile | None:
    lines = text.rstrip("\n").split("\n")
    if len(lines) < 2 or not lines[0].endswith(_JSON_PRICES_OPEN) \
            or lines[-1] != _JSON_PRICES_CLOSE:
        return None
    body = [] if lines[1:-1] == [""] else lines[1:-1]
    entries: list[Scanned] = _JSON_ENTRY.findall(text)
    if len(entries) != len(body) or any(not line.endswith(",") for line in body[:-1]) \
            or (body and body[-1].endswith(",")):
        return None
    return ScannedFile(text, lines[0] + _JSON_PRICES_CLOSE, entries,
                       [line.removesuffix(",") for line in body])


def _unquoted(words: tuple[str, ...]) -> Scanned:
    key, provider, service, region = (word.strip('"') for word in words)
    return key, provider, service, region
