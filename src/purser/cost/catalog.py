"""The price catalog: versioned price data files, each price with its source page and date.

The data lives in `cost/catalog/*.yaml` (one file per service family), never in code, so a
price change is a reviewable data diff; generated files (`*.regions.json`, one entry a line)
are JSON, which parses many times faster. Every entry names the public pricing page it was
read from and the date it was recorded; a loaded catalog answers `price()` and `tiers()`
lookups in constant time. The package's own catalog is read on lookup: an estimate asks for
a few services in a few regions of tens of thousands of prices, so each entry is parsed and
validated when a lookup first may need it (`purser.cost.catalog_layout` finds the entries
in the files' text); a catalog given from outside is read and validated whole at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from purser.cost.catalog_layout import Scanned, ScannedFile, scan
from purser.model import PriceRef
from purser.safejson import JsonError, loads
from purser.safeyaml import YamlError, load_documents

CATALOG_PACKAGE_DIR = "catalog"


class CatalogError(ValueError):
    """A catalog file that cannot be used: names the file, the entry and what is wrong."""

    def __init__(self, file: str, entry: str, message: str, line: int = 0) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {entry}: {message}" if entry else f"{where}: {message}")
        self.file, self.entry, self.message, self.line = file, entry, message, line


class PriceNotFound(LookupError):
    """No catalog entry for a (provider, service, region, attributes) combination."""


class Price(BaseModel):
    """One unit price; a tiered price is several entries that differ only in their bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    service: str = Field(min_length=1)
    region: str = Field(min_length=1)
    attributes: dict[str, str] = Field(default_factory=dict)
    unit: str = Field(min_length=1)
    usd: float = Field(ge=0)
    tier_start: float = Field(default=0, ge=0)  # in `unit`s per month
    tier_end: float | None = None  # None: no upper bound
    source: str = Field(min_length=1)
    date: str = Field(min_length=1)

    @field_validator("attributes", mode="before")
    @classmethod
    def _attribute_values_are_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: Any) -> Any:
        return str(value) if value is not None else value

    @cached_property
    def ref(self) -> PriceRef:
        # One shared PriceRef per price: thousands of cost lines point at the same few prices.
        return PriceRef(sku=self.key, region=self.region, source=self.source, date=self.date)


class _CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str = Field(min_length=1)
    currency: str
    prices: list[dict[str, Any]]
    about: str = ""  # what a JSON file holds and where from (JSON has no comments)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if value is not None else value


_LookupKey = tuple[str, str, str, frozenset[tuple[str, str]]]


def _lookup_key(provider: str, service: str, region: str,
                attributes: dict[str, str]) -> _LookupKey:
    return provider, service, region, frozenset(attributes.items())


class Catalog:
    """Prices indexed by (provider, service, region, attributes), tiers in ascending order.

    The built-in catalog is given its files unread (`_Unread`): the entries a lookup may
    need are parsed and validated on that lookup, the rest when the catalog is listed."""

    def __init__(self, prices: Iterable[Price], versions: dict[str, str] | None = None,
                 unread: Sequence[_Unread] = (), order: Sequence[str] = ()) -> None:
        self.versions = dict(versions or {})  # file name → its `version`
        self._by_key: dict[str, Price] = {}
        self._index: dict[_LookupKey, list[Price]] = {}
        self._regions: set[tuple[str, str]] = set()
        self._calls: dict[tuple[Any, ...], list[Price]] = {}
        self._add(prices)
        self._unread = list(unread)
        self._waiting: dict[tuple[str, str, str], list[_Unread]] = {}
        for part in self._unread:
            if part.lookups is None:
                self._read(part)
                continue
            for lookup in part.lookups:
                self._waiting.setdefault(lookup, []).append(part)
                self._regions.add((lookup[0], lookup[2]))
        self._count = len(self._by_key) + sum(len(part.keys) for part in self._unread
                                              if not part.done)
        self._reading = threading.Lock()  # an API server prices in several threads
        self._order = order  # every key in the files' order: a listing follows it

    def _add(self, prices: Iterable[Price]) -> list[list[Price]]:
        """Index `prices`; returns the tiers they were added to."""
        touched: dict[int, list[Price]] = {}
        for price in prices:
            self._by_key[price.key] = price
            lookup = _lookup_key(price.provider, price.service, price.region, price.attributes)
            tiers = self._index.setdefault(lookup, [])
            tiers.append(price)
            touched[id(tiers)] = tiers
            self._regions.add((price.provider, price.region))
        for tiers in touched.values():
            tiers.sort(key=lambda p: p.tier_start)
        return list(touched.values())

    def _read_waiting(self, provider: str, service: str, region: str) -> None:
        """Read the unread entries that may hold prices of (provider, service, region)."""
        with self._reading:
            for part in self._waiting.get((provider, service, region), []):
                self._read(part)  # a bad entry raises again on the next lookup
            self._waiting.pop((provider, service, region), None)

    def _read_all(self) -> None:
        with self._reading:
            for part in self._unread:
                self._read(part)
            self._waiting.clear()
            order = {key: i for i, key in enumerate(self._order)}
            self._by_key = dict(sorted(self._by_key.items(),
                                       key=lambda item: order.get(item[0], -1)))
            self._unread = []

    def _read(self, part: _Unread) -> None:
        if part.done:
            return
        prices = part.read()
        part.done = True
        for tiers in self._add(prices):
            _check_unambiguous(tiers, {p.key: part.file for p in tiers})

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Any:
        if self._unread:
            self._read_all()
        return iter(self._by_key.values())

    def by_key(self, key: str) -> Price:
        if self._unread:
            self._read_all()
        return self._by_key[key]

    def has_region(self, provider: str, region: str) -> bool:
        return (provider, region) in self._regions

    def tiers(self, provider: str, service: str, region: str, **attributes: str) -> list[Price]:
        """All tiers of a price, lowest first (a flat price is a single tier)."""
        # Cached by the call's own argument order: pricers ask the same few questions
        # thousands of times, and building the order-free key costs more than the lookup.
        call = (provider, service, region, *attributes.items())
        found = self._calls.get(call)
        if found is None:
            if self._waiting:
                self._read_waiting(provider, service, region)
            found = self._index.get(_lookup_key(provider, service, region, attributes))
            if found:
                self._calls[call] = found
        if not found:
            described = ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
            raise PriceNotFound(f"no {provider} {service} price in {region}"
                                + (f" for {described}" if described else ""))
        return found

    def price(self, provider: str, service: str, region: str, **attributes: str) -> Price:
        """The price for these attributes; for a tiered price, its first tier."""
        return self.tiers(provider, service, region, **attributes)[0]


@dataclass(frozen=True)
class TierUse:
    """The part of a monthly quantity that falls into one tier."""

    price: Price
    quantity: float

    @property
    def cost(self) -> float:
        return self.quantity * self.price.usd


def split_into_tiers(quantity: float, tiers: Sequence[Price]) -> list[TierUse]:
    """Spread `quantity` over the tiers in order; the first tier always appears.

    Each tier holds the units between its `tier_start` and `tier_end`; the last tier (no
    end) takes the rest. 7 B GB-seconds over 0–6 B and 6 B–15 B give 6 B and 1 B.
    """
    uses: list[TierUse] = []
    for tier in tiers:
        if quantity <= tier.tier_start and uses:
            break
        upper = quantity if tier.tier_end is None else min(quantity, tier.tier_end)
        uses.append(TierUse(tier, max(0.0, upper - tier.tier_start)))
    return uses


class _JsonDocument:
    """A JSON catalog file, in the shape `load_documents` gives (JSON keeps no lines)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def line_of(self, path: Sequence[str | int]) -> int:
        return 0


def _read_file(path: Path, seen: dict[str, str]) -> tuple[str, list[Price]]:
    return _parse(path.name, _read_text(path), seen)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(path.name, "", f"cannot read: {exc}") from None


def _parse(name: str, text: str, seen: dict[str, str]) -> tuple[str, list[Price]]:
    """The version and the validated prices of the catalog file `name`."""
    document = _document(name, text)
    header = _header(name, document)
    prices = [_read_entry(name, document.line_of(["prices", i]), i, raw, seen)
              for i, raw in enumerate(header.prices)]
    return header.version, prices


def _document(name: str, text: str) -> Any:
    try:
        # Generated files are JSON: the same entries parse twenty times faster than YAML.
        documents: Sequence[Any] = [_JsonDocument(loads(text))] if name.endswith(".json") \
            else load_documents(text)
    except (YamlError, JsonError) as exc:
        raise CatalogError(name, "", exc.message, exc.line) from None
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise CatalogError(name, "", "expected one YAML mapping with version, currency, prices")
    return documents[0]


def _header(name: str, document: Any) -> _CatalogFile:
    try:
        header = _CatalogFile.model_validate(document.data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = [str(part) for part in error["loc"]]
        raise CatalogError(name, ".".join(location), error["msg"],
                           document.line_of(location)) from None
    if header.currency != "USD":
        raise CatalogError(name, "currency", f"only USD is supported, not {header.currency!r}",
                           document.line_of(["currency"]))
    return header


def _read_entry(name: str, line: int, index: int, raw: Any, seen: dict[str, str]) -> Price:
    has_key = isinstance(raw, dict) and raw.get("key")
    entry = str(raw["key"]) if has_key else f"entry {index + 1}"
    if not isinstance(raw, dict):
        raise CatalogError(name, entry, "expected a mapping", line)
    try:
        price = Price.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        message = "missing field" if error["type"] == "missing" else error["msg"]
        raise CatalogError(name, entry, f"{field}: {message}", line) from None
    if price.tier_end is not None and price.tier_end <= price.tier_start:
        raise CatalogError(name, entry, "tier_end must be above tier_start", line)
    _claim(price.key, name, line, seen)
    return price


def _claim(key: str, name: str, line: int, seen: dict[str, str]) -> None:
    """Record that file `name` defines `key`; a key in two entries is an error."""
    if key in seen:
        hint = "; run scripts/pricewatcher_regions.py again, it leaves out regions priced " \
            "by hand" if ".regions." in name + seen[key] else ""
        raise CatalogError(name, key, f"duplicate key (first defined in {seen[key]})" + hint,
                           line)
    seen[key] = name


def _check_unambiguous(prices: list[Price], files: dict[str, str]) -> None:
    """Two entries for the same lookup and tier start would make a price depend on file order."""
    owners: dict[tuple[_LookupKey, float], str] = {}
    for price in prices:
        slot = (_lookup_key(price.provider, price.service, price.region, price.attributes),
                price.tier_start)
        if slot in owners:
            raise CatalogError(files[price.key], price.key,
                               f"same price as {owners[slot]} (same service, region, "
                               "attributes and tier)")
        owners[slot] = price.key


def _builtin_paths() -> list[Path]:
    folder = resources.files("purser.cost").joinpath(CATALOG_PACKAGE_DIR)
    return sorted(Path(str(item)) for item in folder.iterdir()
                  if item.name.endswith((".yaml", ".json")))


def load_catalog(paths: Sequence[Path] | None = None) -> Catalog:
    """Read and validate catalog files (the built-in ones when `paths` is None).

    Raises `CatalogError` naming the file and the entry for a missing field, a duplicate
    key, a negative price or an ambiguous price.
    """
    if paths is None:
        return _builtin_catalog()
    return _load(list(paths))


def _load(paths: list[Path]) -> Catalog:
    seen: dict[str, str] = {}
    versions: dict[str, str] = {}
    prices: list[Price] = []
    for path in paths:
        version, file_prices = _read_file(path, seen)
        versions[path.name] = version
        prices.extend(file_prices)
    _check_unambiguous(prices, seen)
    return Catalog(prices, versions)


@lru_cache(maxsize=1)
def _builtin_catalog() -> Catalog:
    return _load_deferred(_builtin_paths())


@dataclass(eq=False)
class _Unread:
    """Entries of a built-in file not parsed yet, and the lookups a scan found them to hold
    (None: the scan could not tell, so they are read at once)."""

    file: str
    keys: list[str]
    lookups: frozenset[tuple[str, str, str]] | None
    read: Callable[[], list[Price]]
    done: bool = False


def _load_deferred(paths: list[Path]) -> Catalog:
    """The package's own files, as `_load` reads them but each entry parsed and validated on
    the first lookup that may need it: an estimate reads a few services in a few regions.
    Versions, currencies and duplicate keys are checked at once, from the files' text."""
    seen: dict[str, str] = {}
    versions: dict[str, str] = {}
    parts: list[_Unread] = []
    for path in paths:
        name, text = path.name, _read_text(path)
        scanned = scan(name, text)
        if scanned is None:
            versions[name], prices = _parse(name, text, seen)
            parts.append(_Unread(name, [p.key for p in prices], None, partial(list, prices)))
            continue
        versions[name] = _header(name, _document(name, scanned.header)).version
        keys = [entry[0] for entry in scanned.entries]
        if len(set(keys)) != len(keys) or not seen.keys().isdisjoint(keys):
            for index, key in enumerate(keys):  # raises, naming the first key seen before
                _claim(key, name, scanned.line_of(index), seen)
        seen.update(dict.fromkeys(keys, name))
        parts += _unread_parts(name, scanned)
    return Catalog((), versions, parts, order=list(seen))


def _unread_parts(name: str, scanned: ScannedFile) -> list[_Unread]:
    """The file's entries by lookup: each part is read when a lookup first asks for it."""
    entries = scanned.entries
    by_lookup: dict[tuple[str, str, str], list[int]] = {}
    for index, entry in enumerate(entries):
        by_lookup.setdefault(entry[1:], []).append(index)  # (provider, service, region)
    return [_Unread(name, [entries[i][0] for i in indexes], frozenset([lookup]),
                    partial(_read_entries, name, scanned, indexes))
            for lookup, indexes in by_lookup.items()]


def _read_entries(name: str, scanned: ScannedFile, indexes: list[int]) -> list[Price]:
    """Entries parsed one by one; a YAML entry that does not parse alone (an alias of an
    anchor elsewhere, say) is read from the whole file, which also names its line."""
    prices = []
    for index in indexes:
        raw, line = _raw_entry(name, scanned, index)
        if raw is None:
            whole = {p.key: p for p in _parse(name, scanned.text, {})[1]}
            prices = [whole[scanned.entries[i][0]] for i in indexes
                      if scanned.entries[i][0] in whole]
            break
        prices.append(_read_entry(name, line, index, raw, {}))
    return _verified(name, [scanned.entries[i] for i in indexes], prices)


def _raw_entry(name: str, scanned: ScannedFile, index: int) -> tuple[Any, int]:
    """The entry's parsed data and its line; None for a YAML entry that needs its file."""
    line = scanned.line_of(index)
    if scanned.is_json:
        try:
            return loads(scanned.chunks[index].removesuffix(",")), line
        except JsonError as exc:
            raise CatalogError(name, "", exc.message, line) from None
    try:
        documents = load_documents(scanned.chunks[index])
    except YamlError:
        return None, line
    data = documents[0].data if len(documents) == 1 else None
    if not isinstance(data, list) or len(data) != 1:
        return None, line
    return data[0], line + documents[0].line_of([0]) - 1


def _verified(name: str, scanned: list[Scanned], prices: list[Price]) -> list[Price]:
    """The prices read, once they hold what the scan of their file's text found."""
    read = [(p.key, p.provider, p.service, p.region) for p in prices]
    if read != scanned:
        wrong = next((r for r, s in zip(read, scanned, strict=False) if r != s), read[-1:])
        raise CatalogError(name, str(wrong[0]) if wrong else "", "the file's entries differ "
                           "from what a scan of its text found (key, provider, service, region)")
    return prices
