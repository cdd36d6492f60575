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

Values are numbers (quantities) or, as Infracost's schema has them, words
(`architecture: arm64`, `endpoint_type: non_aws`, `region: us-east-2`): a pricer reads the
first with `used` and the second with `text`. An `aws_data_transfer.<name>` entry declares a
resource of its own (`declared_resources`), priced in the region its `region` key names.

A usage file named in purser.yaml is a repository file (`read_usage_file`: confined to
the repository); only `--usage FILE` names one outside it (`load_usage_file`). Either is
read regular-only and bounded. A file that cannot be read (YAML, version, sections) is a
`UsageError`; a value that cannot be used (a quantity that is negative, not finite or
above `MAX_QUANTITY`: an infinite or absurd quantity would make an infinite or absurd
price; a word longer than `MAX_TEXT_CHARS`) is a `UsageProblem` naming file, line and key:
the resources it applies to are priced without it, and the estimate reports it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from purser import safefile
from purser.model import Resource, SourceRef
from purser.safeyaml import Document, YamlError, load_documents

SUPPORTED_VERSIONS = ("0.1", "v0.1")

#: Largest monthly quantity of any usage key: a thousand trillion requests, GB or hours a
#: month is beyond any real workload, and larger numbers are typos or attacks.
MAX_QUANTITY = 1e15
_SHOWN_CHARS = 60  # of a wrong value quoted in an error
_SECTIONS = frozenset({"version", "resource_type_default_usage", "resource_usage"})

#: Longest word a usage key may hold (`architecture: arm64`, a region, a list of regions).
MAX_TEXT_CHARS = 200
#: Infracost's usage-only resource types: an address entry of one is a resource to price.
USAGE_ONLY_TYPES = frozenset({"aws_data_transfer"})
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]{1,100}")  # a name, no instance key or wildcard

_WILDCARD = re.compile(r"\[\*\]")


class UsageError(ValueError):
    """A usage file that cannot be read at all: names the file, the line and the key."""

    def __init__(self, file: str, line: int, key: str, message: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
        self.file, self.line, self.key, self.message = file, line, key, message


@dataclass(frozen=True)
class UsageProblem:
    """A value of a usage file that cannot be used: the rest of the file still is."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


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
    if isinstance(source, LayeredUsage | UsageFile):
        return source.resolve(resource)
    origin = source.origin
    return {key: Quantity(value, origin) for key, value in source.quantities(resource).items()}


def resolve_texts(source: UsageSource | None, resource: Resource) -> dict[str, str]:
    """Words for one resource (`architecture: arm64`); telemetry observes none."""
    ask = getattr(source, "texts", None)
    return ask(resource) if callable(ask) else {}


def problems_for(source: UsageSource | None, resource: Resource) -> list[UsageProblem]:
    """The refused values that would have applied to `resource` (so it goes without them)."""
    ask = getattr(source, "problems_for", None)
    return list(ask(resource)) if callable(ask) else []


def locate(source: UsageSource | None, resource: Resource, key: str) -> tuple[str, int] | None:
    """File and line of the value of `key` that applies to `resource`, if a file gave it."""
    if isinstance(source, LayeredUsage):
        return next(filter(None, (locate(s, resource, key) for s in source.sources)), None)
    if isinstance(source, UsageFile):
        merged = source.merged(resource)
        if key in merged.quantities or key in merged.texts:
            return source.where(resource, key)
    return None


def declared_resources(source: UsageSource | None) -> list[Resource]:
    """Usage-only resources (`aws_data_transfer.<name>`) the usage files declare."""
    if isinstance(source, LayeredUsage):
        found = {r.address: r for s in reversed(source.sources) for r in declared_resources(s)}
        return list(found.values())
    return source.declared() if isinstance(source, UsageFile) else []


def file_problems(source: UsageSource | None) -> list[UsageProblem]:
    """Every value the usage files refused, whether or not it applies to a resource."""
    if isinstance(source, LayeredUsage):
        return [p for s in source.sources for p in file_problems(s)]
    return source.problems if isinstance(source, UsageFile) else []


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

    def texts(self, resource: Resource) -> dict[str, str]:
        merged: dict[str, str] = {}
        for source in reversed(self.sources):
            merged.update(resolve_texts(source, resource))
        return merged

    def problems_for(self, resource: Resource) -> list[UsageProblem]:
        """A source's refused value counts unless an earlier source gives that key."""
        found, given = [], set()
        for source in self.sources:
            found += [p for p in problems_for(source, resource) if p.key not in given]
            given |= set(resolve(source, resource)) | set(resolve_texts(source, resource))
        return found


@dataclass
class UsageEntry:
    """One address's (or one type's) usage: numbers, words, and the values refused.

    Equal entries hold the same values; where they were written does not count."""

    quantities: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problems: dict[str, UsageProblem] = field(default_factory=dict, compare=False)
    line: int = field(default=0, compare=False)

    def apply(self, merged: Merged) -> None:
        """Lay this entry over less specific ones: each key it names, valid or not, wins."""
        for key in (*self.quantities, *self.texts, *self.problems):
            merged.quantities.pop(key, None)
            merged.texts.pop(key, None)
            merged.problems.pop(key, None)
        merged.quantities.update(self.quantities)
        merged.texts.update(self.texts)
        merged.problems.update(self.problems)


@dataclass
class Merged:
    """What applies to one resource once address, wildcard and type default are laid over
    one another; `problems` are the refused values that would have applied. Shared by every
    resource the same entries apply to: read it, never change it."""

    quantities: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    problems: dict[str, UsageProblem] = field(default_factory=dict)
    resolved: dict[str, Quantity] | None = None  # `quantities` with their origin, once asked


class UsageFile:
    """An Infracost-format usage file, already validated: every value it could not use is
    in `problems` (and left out of what it answers), never a reason to refuse the file."""

    origin = "usage file"

    def __init__(self, path: str, type_defaults: dict[str, UsageEntry],
                 by_address: dict[str, UsageEntry], document: Document | None = None) -> None:
        self.path = path
        self.type_defaults = type_defaults
        self.by_address = {a: e for a, e in by_address.items() if "[*]" not in a}
        self.wildcards = [(_wildcard_pattern(a), a, e) for a, e in by_address.items()
                          if "[*]" in a]
        self._document = document
        self._last: tuple[Resource, Merged] | None = None  # the pricer asks thrice in a row
        # Merged entries by the entries laid over one another (their ids: the file keeps
        # them): thousands of resources take the same type default and nothing else.
        self._merged: dict[tuple[int, ...], Merged] = {}

    @property
    def problems(self) -> list[UsageProblem]:
        """Every value refused, in the order written."""
        entries = [*self.type_defaults.values(), *self.by_address.values(),
                   *(e for _p, _a, e in self.wildcards)]
        found = [p for e in entries for p in e.problems.values()]
        return sorted(found, key=lambda p: (p.line, p.key))

    def merged(self, resource: Resource) -> Merged:
        if self._last is not None and self._last[0] is resource:
            return self._last[1]
        entries = [entry for _section, _name, entry in self._layers(resource)]
        laid = tuple(map(id, entries))
        merged = self._merged.get(laid)
        if merged is None:
            merged = self._merged[laid] = Merged()
            for entry in entries:
                entry.apply(merged)
        self._last = (resource, merged)
        return merged

    def resolve(self, resource: Resource) -> dict[str, Quantity]:
        """Quantities for one resource with this file as their origin."""
        merged = self.merged(resource)
        if merged.resolved is None:
            merged.resolved = {key: Quantity(value, self.origin)
                               for key, value in merged.quantities.items()}
        return dict(merged.resolved)

    def quantities(self, resource: Resource) -> dict[str, float]:
        return dict(self.merged(resource).quantities)

    def texts(self, resource: Resource) -> dict[str, str]:
        return dict(self.merged(resource).texts)

    def problems_for(self, resource: Resource) -> list[UsageProblem]:
        return list(self.merged(resource).problems.values())

    def where(self, resource: Resource, key: str) -> tuple[str, int]:
        """File and line of the value of `key` that applies to `resource`."""
        for section, name, entry in reversed(self._layers(resource)):
            if key in entry.quantities or key in entry.texts or key in entry.problems:
                path: list[str | int] = [section, name, *key.split(".")]
                line = self._document.line_of(path) if self._document else entry.line
                return self.path, line
        return self.path, 0

    def declared(self) -> list[Resource]:
        """The usage-only resources this file declares: an `aws_data_transfer.<name>` entry
        is a resource of its own (Infracost's), in the region its `region` key names."""
        found = []
        for address, entry in self.by_address.items():
            type_, _, name = address.partition(".")
            if type_ in USAGE_ONLY_TYPES and _PLAIN_NAME.fullmatch(name):
                found.append(Resource(
                    address=address, type=type_, provider="aws", name=name, format="usage",
                    region=entry.texts.get("region"),
                    source=SourceRef(file=self.path, line=entry.line)))
        return found

    def _layers(self, resource: Resource) -> list[tuple[str, str, UsageEntry]]:
        """The entries that apply to `resource`, least specific first."""
        layers = []
        default = self.type_defaults.get(resource.type)
        if default is not None:
            layers.append(("resource_type_default_usage", resource.type, default))
        for pattern, written, entry in self.wildcards:
            if pattern.fullmatch(resource.address):
                layers.append(("resource_usage", written, entry))
        own = self.by_address.get(resource.address)
        if own is not None:
            layers.append(("resource_usage", resource.address, own))
        return layers


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
                     reader.section("resource_usage"), document)


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

    def section(self, section: str) -> dict[str, UsageEntry]:
        raw = self.document.data.get(section)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise UsageError(self.file, self.document.line_of([section]), section,
                             "expected a mapping of names to usage")
        entries: dict[str, UsageEntry] = {}
        for name, values in raw.items():
            path: list[str | int] = [section, str(name)]
            entry = entries[str(name)] = UsageEntry(line=self.document.line_of(path))
            if values is None:
                continue
            if not isinstance(values, dict):
                entry.problems[""] = self._problem(path, str(name),
                                                   "expected a mapping of usage keys to values")
                continue
            self._values(entry, path, values, prefix="")
        return entries

    def _values(self, entry: UsageEntry, path: list[str | int], values: dict[Any, Any],
                prefix: str) -> None:
        for key, value in values.items():
            dotted = f"{prefix}{key}"
            here = [*path, str(key)]
            if isinstance(value, dict):
                self._values(entry, here, value, prefix=f"{dotted}.")
            elif value is None:
                continue
            elif isinstance(value, str | list):
                self._text(entry, here, dotted, value)
            else:
                self._quantity(entry, here, dotted, value)

    def _quantity(self, entry: UsageEntry, path: list[str | int], key: str, value: Any) -> None:
        problem = _quantity_problem(value)
        if problem:
            entry.problems[key] = self._problem(path, key, problem)
        else:
            entry.quantities[key] = float(value)

    def _text(self, entry: UsageEntry, path: list[str | int], key: str, value: Any) -> None:
        """A word (`architecture: arm64`) or a list of words (`replica_regions`), joined."""
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in items):
            entry.problems[key] = self._problem(path, key, f"expected a number or a word, got "
                                                           f"{_shown(value)}")
            return
        text = ",".join(str(i) for i in items)
        if len(text) > MAX_TEXT_CHARS:
            entry.problems[key] = self._problem(path, key, f"{len(text)} characters of text, "
                                                           f"more than {MAX_TEXT_CHARS}")
            return
        entry.texts[key] = text

    def _problem(self, path: list[str | int], key: str, message: str) -> UsageProblem:
        return UsageProblem(self.file, self.document.line_of(path), key, message)


def _quantity_problem(value: Any) -> str | None:
    """Why `value` cannot be a monthly quantity; None when it can."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {_shown(value)}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if value < 0:
        return f"must not be negative, got {value!r}"
    if value > MAX_QUANTITY:
        return (f"{float(value):.3g} is above {MAX_QUANTITY:.0e}, more than any month's "
                "usage; check the number and its unit")
    return None


def _shown(value: Any) -> str:
    """A wrong value as an error quotes it: never more than a line of it."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
