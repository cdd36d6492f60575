"""AWS Price List bulk offer files read into on-demand rates.

Three file shapes, all as AWS publishes them: `region_index.json` (which file holds each
region's prices), a regional offer in JSON (`products` by SKU, `terms.OnDemand` with
`priceDimensions`) and the same offer in CSV (five metadata lines, then a header and one
row per price dimension). The files are untrusted: a file that is not of its shape is an
`OfferError` naming it and what is wrong; a single bad price is skipped and reported as a
problem, so one odd SKU never hides a region's other prices.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from purser.safejson import JsonError, loads

#: The term AWS gives on-demand prices; reserved and savings terms are not list prices.
ON_DEMAND = "OnDemand"
_REGION_CODE = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}")
_CSV_METADATA = ("FormatVersion", "Disclaimer", "Publication Date", "Version", "OfferCode")
_MAX_PROBLEMS = 50  # per file: enough to see what is wrong without flooding the report


class OfferError(ValueError):
    """A file that is not a Price List file of the expected shape."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file, self.message = file, message


def attribute_name(name: str) -> str:
    """One spelling for an attribute whichever file it came from: JSON writes `usagetype`
    and `instanceType`, CSV writes `usageType` and `Instance Type`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Rate:
    """One on-demand price dimension of one product."""

    sku: str
    attributes: Mapping[str, str]  # names as `attribute_name` spells them
    unit: str
    usd: float
    begin: float
    end: float | None  # None: no upper bound ("Inf")
    description: str


@dataclass
class Offer:
    """The rates of one offer file, its publication date and what was skipped in it."""

    file: str
    offer_code: str
    published: str  # YYYY-MM-DD
    rates: list[Rate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def skip(self, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"{self.file}: {message}")


def read_region_index(data: bytes, file: str) -> dict[str, str]:
    """Region code → path of that region's offer file, from a `region_index.json`."""
    document = _json(data, file)
    regions = document.get("regions")
    if not isinstance(regions, dict):
        raise OfferError(file, "no 'regions' mapping")
    found: dict[str, str] = {}
    for code, entry in regions.items():
        path = entry.get("currentVersionUrl") if isinstance(entry, dict) else None
        if not _REGION_CODE.fullmatch(str(code)) or not isinstance(path, str):
            raise OfferError(file, f"region {str(code)[:60]!r}: expected a region code "
                                   "with a currentVersionUrl")
        found[str(code)] = path
    return found


def read_offer(data: bytes, file: str) -> Offer:
    """The on-demand rates of an offer file, JSON or CSV by its first byte."""
    if data.lstrip()[:1] in (b"{", b"["):
        return _read_json(data, file)
    return _read_csv(data, file)


def _json(data: bytes, file: str) -> dict[str, Any]:
    try:
        document = loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise OfferError(file, "not UTF-8 text") from None
    except JsonError as exc:
        raise OfferError(file, f"line {exc.line}: {exc.message}" if exc.line
                         else exc.message) from None
    if not isinstance(document, dict):
        raise OfferError(file, "expected a JSON object")
    return document


def _read_json(data: bytes, file: str) -> Offer:
    document = _json(data, file)
    products, terms = document.get("products"), document.get("terms")
    if not isinstance(products, dict) or not isinstance(terms, dict):
        raise OfferError(file, "expected 'products' and 'terms' mappings")
    offer = Offer(file, str(document.get("offerCode", "")),
                  _date(document.get("publicationDate"), file))
    on_demand = terms.get(ON_DEMAND, {})
    if not isinstance(on_demand, dict):
        raise OfferError(file, "terms.OnDemand is not a mapping")
    for sku, sku_terms in on_demand.items():
        product = products.get(sku)
        if not isinstance(product, dict) or not isinstance(sku_terms, dict):
            offer.skip(f"SKU {str(sku)[:40]}: on-demand term without its product; skipped")
            continue
        attributes = _attributes(product)
        for term in sku_terms.values():
            dimensions = term.get("priceDimensions") if isinstance(term, dict) else None
            if not isinstance(dimensions, dict):
                offer.skip(f"SKU {sku[:40]}: a term without priceDimensions; skipped")
                continue
            for dimension in dimensions.values():
                _add_rate(offer, str(sku), attributes, dimension)
    return offer


def _attributes(product: dict[str, Any]) -> dict[str, str]:
    raw = product.get("attributes")
    found = {attribute_name(str(k)): str(v) for k, v in raw.items()} \
        if isinstance(raw, dict) else {}
    if "productFamily" in product:
        found["productfamily"] = str(product["productFamily"])
    return found


def _add_rate(offer: Offer, sku: str, attributes: Mapping[str, str], dimension: Any) -> None:
    if not isinstance(dimension, dict):
        offer.skip(f"SKU {sku[:40]}: a price dimension that is not a mapping; skipped")
        return
    price = dimension.get("pricePerUnit")
    usd = price.get("USD") if isinstance(price, dict) else None
    rate = _rate(sku, attributes, dimension.get("unit"), usd, dimension.get("beginRange", "0"),
                 dimension.get("endRange", "Inf"), dimension.get("description", ""))
    if isinstance(rate, str):
        offer.skip(f"SKU {sku[:40]}: {rate}; skipped")
    else:
        offer.rates.append(rate)


def _rate(sku: str, attributes: Mapping[str, str], unit: Any, usd: Any, begin: Any, end: Any,
          description: Any) -> Rate | str:
    """A Rate, or what is wrong with the dimension."""
    if not isinstance(unit, str) or not unit.strip() or len(unit) > 64:
        return "no unit"
    amount = _number(usd)
    if amount is None:
        return f"price {str(usd)[:40]!r} is not a USD amount"
    start = _number(begin)
    stop = None if str(end).strip() == "Inf" else _number(end)
    if start is None or (stop is None and str(end).strip() != "Inf"):
        return f"range {str(begin)[:20]!r}–{str(end)[:20]!r} is not numeric"
    if stop is not None and stop <= start:
        return f"range {start:g}–{stop:g} ends where it starts"
    return Rate(sku, attributes, unit.strip(), amount, start, stop, str(description)[:300])


def _number(value: Any) -> float | None:
    """A finite, non-negative amount written as text (AWS writes "0.0000166667")."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _date(value: Any, file: str) -> str:
    text = str(value or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?", text):
        raise OfferError(file, f"publication date {text[:40]!r} is not an ISO date")
    return text[:10]


def _read_csv(data: bytes, file: str) -> Offer:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OfferError(file, "not UTF-8 text") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        metadata = {row[0]: row[1] for row in _take(rows, len(_CSV_METADATA), file)}
        header = next(rows, None)
        if header is None or metadata.keys() != set(_CSV_METADATA):
            raise OfferError(file, "expected AWS's five metadata lines (FormatVersion, "
                                   "Disclaimer, Publication Date, Version, OfferCode) "
                                   "and a header")
        offer = Offer(file, metadata["OfferCode"], _date(metadata["Publication Date"], file))
        columns = [attribute_name(name) for name in header]
        for line, row in enumerate(rows, start=len(_CSV_METADATA) + 2):
            _add_csv_row(offer, line, dict(zip(columns, row, strict=False)))
    except csv.Error as exc:
        raise OfferError(file, f"not CSV: {exc}") from None
    return offer


def _take(rows: Iterator[list[str]], count: int, file: str) -> Iterator[list[str]]:
    for _ in range(count):
        row = next(rows, None)
        if row is None or len(row) != 2:
            raise OfferError(file, "expected AWS's five metadata lines (a name and a value "
                                   "each) before the header")
        yield row


_CSV_PRICE_COLUMNS = {"sku", "offertermcode", "ratecode", "termtype", "pricedescription",
                      "effectivedate", "startingrange", "endingrange", "unit",
                      "priceperunit", "currency"}


def _add_csv_row(offer: Offer, line: int, row: dict[str, str]) -> None:
    if row.get("termtype") != ON_DEMAND:
        return
    if row.get("currency", "USD") != "USD":
        offer.skip(f"line {line}: currency {row.get('currency', '')[:10]!r} is not USD; skipped")
        return
    sku = row.get("sku", "")
    attributes = {k: v for k, v in row.items() if k not in _CSV_PRICE_COLUMNS}
    rate = _rate(sku, attributes, row.get("unit"), row.get("priceperunit"),
                 row.get("startingrange") or "0", row.get("endingrange") or "Inf",
                 row.get("pricedescription", ""))
    if isinstance(rate, str):
        offer.skip(f"line {line} (SKU {sku[:40]}): {rate}; skipped")
    else:
        offer.rates.append(rate)
