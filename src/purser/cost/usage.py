"""Usage profiles: how much a resource is expected to be used in a month.

A usage source answers, for one resource, quantities under Infracost's usage-key names
(`monthly_requests`, `request_duration_ms`, `storage_gb`, ...). Nested Infracost keys such
as S3's per-storage-class blocks are flattened with dots (`standard.storage_gb`).

The usage file is Infracost's format::

    version: 0.1
    resource_type_default_usage:      # applies to every resource of a type
      aws_lambda_function: {monthly_requests: 100000, request_duration_ms: 250}
    resource_usage:                   # per address; `[*]` matches every count/for_each key
      aws_lambda_function.api: {monthly_requests: 2500000}
      'aws_lambda_function.fn[*]': {request_duration_ms: 180}

Per resource the most specific entry wins key by key: address, then wildcard, then type
default. `LayeredUsage` stacks sources (telemetry first, then the usage file).

A source that observed its quantities vary (telemetry) also gives their `Spread`: a low and
a high monthly quantity per key, which the estimate prices into a cost range.

A usage file named in purser.yaml is a repository file (`read_usage_file`: confined to
the repository); only `--usage FILE` names one outside it (`load_usage_file`). Either is
read regular-only and bounded, and every quantity must be a finite number no larger than
`MAX_QUANTITY`: an infinite or absurd quantity would make an infinite or absurd price.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from purser import safefile
from purser.model import Resource
from purser.safeyaml import Document, YamlError, load_documents

SUPPORTED_VERSIONS = ("0.1", "v0.1")

#: Largest monthly quantity of any usage key: a thousand trillion requests, GB or hours a
#: month is beyond any real workload, and larger numbers are typos or attacks.
MAX_QUANTITY = 1e15
_SHOWN_CHARS = 60  # of a wrong value quoted in an error
_SECTIONS = frozenset({"version", "resource_type_default_usage", "resource_usage"})

# Infracost keys whose values are words, not quantities; purser reads none of them yet.
TEXT_KEYS = frozenset({
    "region", "operating_system", "reserved_instance_type", "reserved_instance_term",
    "reserved_instance_payment_option", "billing_mode", "replica_regions", "instance_type",
})

_WILDCARD = re.compile(r"\[\*\]")


class UsageError(ValueError):
    """A usage file that cannot be used: names the file, the line and the key."""

    def __init__(self, file: str, line: int, key: str, message: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
        self.file, self.line, self.key, self.message = file, line, key, message


class UsageSource(Protocol):
    origin: str  # "usage file", "telemetry": shown as the usage origin of every cost line

    def quantities(self, resource: Resource) -> dict[str, float]:
        """Known monthly quantities for `resource`, keyed by Infracost usage-key names."""
        ...


@dataclass(frozen=True)
class Quantity:
    value: float
    origin: str


@dataclass(frozen=True)
class Spread:
    """How far a source's observed quantities vary for one resource, per usage key."""

    origin: str  # the source's: only the keys that source gave are spread
    low: dict[str, float]
    high: dict[str, float]
    label: str  # what low and high are, e.g. "p10–p90"
    window: str  # what they were observed over, e.g. "30 days to 2025-06-30"


def spread(source: UsageSource | None, resource: Resource) -> Spread | None:
    """The spread of the first source (of a layered one) that knows one for `resource`."""
    if isinstance(source, LayeredUsage):
        return next(filter(None, (spread(s, resource) for s in source.sources)), None)
    ask = getattr(source, "spread", None)  # optional: a usage file's quantities do not vary
    return ask(resource) if callable(ask) else None


def resolve(source: UsageSource | None, resource: Resource) -> dict[str, Quantity]:
    """Quantities for one resource, each with the origin of the source that gave it."""
    if source is None:
        return {}
    if isinstance(source, LayeredUsage):
        return source.resolve(resource)
    origin = source.origin
    return {key: Quantity(value, origin) for key, value in source.quantities(resource).items()}


class LayeredUsage:
    """Several sources; for each key the first source that knows it wins."""

    def __init__(self, *sources: UsageSource) -> None:
        self.sources = sources
        self.origin = " + ".join(dict.fromkeys(s.origin for s in sources)) or "none"

    def resolve(self, resource: Resource) -> dict[str, Quantity]:
        merged: dict[str, Quantity] = {}
        for source in reversed(self.sources):
            merged.update(resolve(source, resource))
        return merged

    def quantities(self, resource: Resource) -> dict[str, float]:
        return {key: q.value for key, q in self.resolve(resource).items()}


class UsageFile:
    """An Infracost-format usage file, already validated."""

    origin = "usage file"

    def __init__(self, path: str, type_defaults: dict[str, dict[str, float]],
                 by_address: dict[str, dict[str, float]]) -> None:
        self.path = path
        self.type_defaults = type_defaults
        self.by_address = {a: q for a, q in by_address.items() if "[*]" not in a}
        self.wildcards = [(_wildcard_pattern(a), q) for a, q in by_address.items() if "[*]" in a]

    def quantities(self, resource: Resource) -> dict[str, float]:
        found: dict[str, float] = dict(self.type_defaults.get(resource.type, {}))
        for pattern, values in self.wildcards:
            if pattern.fullmatch(resource.address):
                found.update(values)
        found.update(self.by_address.get(resource.address, {}))
        return found


def _wildcard_pattern(address: str) -> re.Pattern[str]:
    parts = _WILDCARD.split(address)
    return re.compile(r"\[[^\]]+\]".join(re.escape(part) for part in parts))


def load_usage_file(path: Path) -> UsageFile:
    """Read and validate the usage file given on the command line (it may lie anywhere);
    raise `UsageError` with file, line and key."""
    name = str(path)
    try:
        data = safefile.read_path(path)
    except safefile.Refused as refused:
        raise UsageError(name, refused.line, "", refused.reason) from None
    return parse_usage(name, data)


def read_usage_file(root: Path, file: str) -> UsageFile:
    """Read and validate the usage file `file` (repository-relative) confined to `root`."""
    try:
        data = safefile.read(root, file)
    except safefile.Refused as refused:
        raise UsageError(file, refused.line, "", refused.reason) from None
    return parse_usage(file, data)


def parse_usage(name: str, content: bytes) -> UsageFile:
    """Validate the usage file `name` whose bytes are `content`."""
    try:
        documents = load_documents(safefile.decode(content))
    except safefile.Refused as refused:
        raise UsageError(name, refused.line, "", refused.reason) from None
    except YamlError as exc:
        raise UsageError(name, exc.line, "", exc.message) from None
    if not documents or documents[0].data is None:
        raise UsageError(name, 0, "version", "empty usage file: expected `version: 0.1`")
    document = documents[0]
    data = document.data
    if not isinstance(data, dict):
        raise UsageError(name, document.line, "", "expected a mapping at the top level")
    _check_version(name, document, data.get("version"))
    unknown = sorted(str(key) for key in data if key not in _SECTIONS)
    if unknown:
        raise UsageError(name, document.line_of([unknown[0]]), unknown[0],
                         "unknown section (expected resource_type_default_usage or "
                         "resource_usage)")
    reader = _SectionReader(name, document)
    return UsageFile(name, reader.section("resource_type_default_usage"),
                     reader.section("resource_usage"))


def _check_version(name: str, document: Document, version: Any) -> None:
    line = document.line_of(["version"])
    if version is None:
        raise UsageError(name, document.line, "version", "missing; expected `version: 0.1`")
    if str(version) not in SUPPORTED_VERSIONS:
        raise UsageError(name, line, "version", f"unsupported version {_shown(version)}; "
                         "expected 0.1 (Infracost's format)")


@dataclass
class _SectionReader:
    file: str
    document: Document

    def section(self, section: str) -> dict[str, dict[str, float]]:
        raw = self.document.data.get(section)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self._error([section], section, "expected a mapping of names to usage")
        entries: dict[str, dict[str, float]] = {}
        for name, values in raw.items():
            path: list[str | int] = [section, str(name)]
            if values is None:
                entries[str(name)] = {}
                continue
            if not isinstance(values, dict):
                raise self._error(path, str(name), "expected a mapping of usage keys to numbers")
            entries[str(name)] = self._quantities(path, values, prefix="")
        return entries

    def _quantities(self, path: list[str | int], values: dict[Any, Any],
                    prefix: str) -> dict[str, float]:
        found: dict[str, float] = {}
        for key, value in values.items():
            dotted = f"{prefix}{key}"
            here = [*path, str(key)]
            if isinstance(value, dict):
                found.update(self._quantities(here, value, prefix=f"{dotted}."))
            elif str(key) in TEXT_KEYS or value is None:
                continue
            else:
                found[dotted] = self._quantity(here, dotted, value)
        return found

    def _quantity(self, path: list[str | int], key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._error(path, key, f"expected a number, got {_shown(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self._error(path, key, f"expected a finite number, got {value!r}")
        if value < 0:
            raise self._error(path, key, f"must not be negative, got {value!r}")
        if value > MAX_QUANTITY:
            raise self._error(path, key, f"{float(value):.3g} is above {MAX_QUANTITY:.0e}, "
                              "more than any month's usage; check the number and its unit")
        return float(value)

    def _error(self, path: list[str | int], key: str, message: str) -> UsageError:
        return UsageError(self.file, self.document.line_of(path), key, message)


def _shown(value: Any) -> str:
    """A wrong value as an error quotes it: never more than a line of it."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
