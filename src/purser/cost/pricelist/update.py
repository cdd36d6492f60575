"""`purser catalog update`: catalog entries rebuilt from AWS's Price List bulk offer files.

For each offer the mapping table names, the offer's `region_index.json` says which file
holds each region's prices; each regional file is read, its on-demand price dimensions are
matched against the table, and every match becomes a catalog `Price` citing the file it
came from and the offer's publication date. What cannot be used (a file that does not
parse, a unit other than the table expects, two different prices for one entry) is
reported, never guessed: such an entry is left out and stays unpriced.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from purser.cost.catalog import Price
from purser.cost.pricelist.mapping import Rule
from purser.cost.pricelist.offer import Offer, OfferError, Rate, read_offer, read_region_index
from purser.cost.pricelist.source import PriceListSource, SourceError
from purser.cost.regions import COMMERCIAL_REGIONS, REGION_BY_LOCATION


@dataclass
class UpdateResult:
    prices: list[Price] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows and entries left out
    errors: list[str] = field(default_factory=list)  # files that could not be read
    regions_read: dict[str, list[str]] = field(default_factory=dict)  # offer → regions
    families: dict[str, str] = field(default_factory=dict)  # price key → catalog family


def region_index_path(offer_code: str) -> str:
    return f"/offers/v1.0/aws/{offer_code}/current/region_index.json"


def update_catalog(source: PriceListSource, rules: Sequence[Rule], *,
                   services: Iterable[str] = (), regions: Iterable[str] = (),
                   csv: bool = False) -> UpdateResult:
    """Read every offer the rules name (only `services` and `regions` when given)."""
    wanted_services, wanted_regions = set(services), set(regions)
    chosen = [rule for rule in rules if not wanted_services
              or rule.service in wanted_services or rule.offer in wanted_services]
    result = UpdateResult()
    for offer_code in sorted({rule.offer for rule in chosen}):
        offer_rules = [rule for rule in chosen if rule.offer == offer_code]
        index_path = region_index_path(offer_code)
        try:
            index = read_region_index(source.read(index_path), index_path)
        except (SourceError, OfferError) as exc:
            result.errors.append(str(exc))
            continue
        for region, path in sorted(index.items()):
            if region not in COMMERCIAL_REGIONS or (wanted_regions and region
                                                    not in wanted_regions):
                continue
            if csv:
                path = path.removesuffix(".json") + ".csv"
            try:
                offer = read_offer(source.read(path), path)
                if offer.offer_code != offer_code:
                    raise OfferError(path, f"offer code {offer.offer_code[:40]!r}, "
                                           f"expected {offer_code}")
            except (SourceError, OfferError) as exc:
                result.errors.append(str(exc))
                continue
            result.problems.extend(offer.problems)
            result.regions_read.setdefault(offer_code, []).append(region)
            for rule in offer_rules:
                for price in _prices(offer, region, rule, source.cite(path), result.problems):
                    if price.key in result.families:
                        result.problems.append(f"{path}: {price.key}: read twice; the "
                                               "second is left out")
                        continue
                    result.families[price.key] = rule.family
                    result.prices.append(price)
    return result


def _region_of(rate: Rate) -> str | None:
    code = rate.attributes.get("regioncode")
    return code or REGION_BY_LOCATION.get(rate.attributes.get("location", ""))


def _prices(offer: Offer, region: str, rule: Rule, cite: str, problems: list[str]) -> list[Price]:
    by_key: dict[tuple[str, tuple[tuple[str, str], ...]], list[Rate]] = defaultdict(list)
    for rate in offer.rates:
        if _region_of(rate) != region or not rule.matches(rate.attributes):
            continue
        key = rule.fill(rule.key, rate.attributes)
        filled = [(name, rule.fill(value, rate.attributes))
                  for name, value in rule.attributes.items()]
        attributes = tuple((name, value) for name, value in filled if value is not None)
        if key is None or len(attributes) != len(filled):
            problems.append(f"{offer.file}: SKU {rate.sku[:40]}: matches {rule.key} but an "
                            "attribute it names is missing or not a plain name; skipped")
            continue
        by_key[(key, attributes)].append(rate)
    prices: list[Price] = []
    for (key, attributes), rates in sorted(by_key.items()):
        tiers = _tiers(offer.file, key, rule, rates, problems)
        for number, rate in enumerate(tiers, start=1):
            suffix = f".tier{number}" if len(tiers) > 1 else ""
            prices.append(Price(
                key=f"aws.{rule.service}.{region}.{key}{suffix}", provider="aws",
                service=rule.service, region=region, attributes=dict(attributes),
                unit=rule.unit, usd=_scaled(rate.usd * rule.per),
                tier_start=_scaled(rate.begin / rule.per),
                tier_end=None if rate.end is None else _scaled(rate.end / rule.per),
                source=cite, date=offer.published))
    return prices


def _tiers(file: str, key: str, rule: Rule, rates: list[Rate], problems: list[str]) -> list[Rate]:
    """The price dimensions of one entry in tier order, or [] (with a problem) when they
    cannot be one price: a unit other than expected, or two prices for one tier."""
    expected = {unit.lower() for unit in rule.aws_unit.split("|")}
    wrong_units = {rate.unit for rate in rates if rate.unit.lower() not in expected}
    if wrong_units:
        problems.append(f"{file}: {key}: unit {sorted(wrong_units)[0]!r}, expected "
                        f"{rule.aws_unit!r}; left unpriced")
        return []
    by_start: dict[float, Rate] = {}
    for rate in sorted(rates, key=lambda r: (r.begin, r.sku)):
        first = by_start.setdefault(rate.begin, rate)
        if first.usd != rate.usd or first.end != rate.end:
            problems.append(f"{file}: {key}: SKUs {first.sku[:40]} and {rate.sku[:40]} give "
                            f"different prices for one tier; left unpriced")
            return []
    tiers = list(by_start.values())
    if rule.drop_free_tier and len(tiers) > 1:
        tiers = [rate for rate in tiers if rate.usd > 0] or tiers[:1]
        first = tiers[0]
        tiers[0] = Rate(first.sku, first.attributes, first.unit, first.usd, 0.0, first.end,
                        first.description)
    bounds = [0.0] + [rate.end for rate in tiers]
    if [rate.begin for rate in tiers] != bounds[:-1] or bounds[-1] is not None:
        # A skipped or missing tier would price the units it held at nothing.
        problems.append(f"{file}: {key}: its tiers do not run from 0 without a gap; "
                        "left unpriced")
        return []
    return tiers


def _scaled(value: float) -> float:
    """Rounded to 10 significant digits: 0.0000002 × 1,000,000 is 0.2, not 0.19999999999."""
    return float(f"{value:.10g}")


def write_catalog_files(prices: Sequence[Price], families: dict[str, str], out: Path, *,
                        version: str, header: str = "", as_json: bool = False) -> list[Path]:
    """One catalog file per family (`<family>.yaml`, or `.json`) in `out`; returns the
    files written."""
    grouped: dict[str, list[Price]] = defaultdict(list)
    for price in prices:
        grouped[families[price.key]].append(price)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    render = render_catalog_json if as_json else render_catalog
    for family, entries in sorted(grouped.items()):
        path = out / f"{family}.{'json' if as_json else 'yaml'}"
        path.write_text(render(entries, version=version, header=header), encoding="utf-8")
        written.append(path)
    return written


def render_catalog_json(prices: Iterable[Price], *, version: str, header: str = "") -> str:
    """A catalog file as JSON, one entry a line (diffs stay readable); `about` holds what a
    YAML file says in its header comment."""
    entries = [json.dumps(_fields(price), ensure_ascii=False) for price in prices]
    head = json.dumps({"about": " ".join(header.split()), "version": version,
                       "currency": "USD"}, ensure_ascii=False)[:-1]
    return head + ', "prices": [\n' + ",\n".join(entries) + "\n]}\n"


def render_catalog(prices: Iterable[Price], *, version: str, header: str = "") -> str:
    """A catalog file in the built-in files' layout."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"version: {_scalar(version)}", "currency: USD", "prices:"]
    for price in prices:
        attributes = ", ".join(f"{_scalar(k)}: {_scalar(v)}"
                               for k, v in price.attributes.items())
        lines += [f"  - key: {_scalar(price.key)}", "    provider: aws",
                  f"    service: {_scalar(price.service)}",
                  f"    region: {_scalar(price.region)}",
                  f"    attributes: {{{attributes}}}",
                  f"    unit: {_scalar(price.unit)}",
                  f"    usd: {_decimal(price.usd)}"]
        if price.tier_start or price.tier_end is not None:
            lines.append(f"    tier_start: {_decimal(price.tier_start)}")
            if price.tier_end is not None:
                lines.append(f"    tier_end: {_decimal(price.tier_end)}")
        lines += [f"    source: {_scalar(price.source)}", f"    date: {_scalar(price.date)}"]
    return "\n".join(lines) + "\n"


def _fields(price: Price) -> dict[str, object]:
    fields: dict[str, object] = {
        "key": price.key, "provider": price.provider, "service": price.service,
        "region": price.region, "attributes": price.attributes, "unit": price.unit,
        "usd": price.usd}
    if price.tier_start or price.tier_end is not None:
        fields["tier_start"] = price.tier_start
        if price.tier_end is not None:
            fields["tier_end"] = price.tier_end
    return fields | {"source": price.source, "date": price.date}


def _decimal(value: float) -> str:
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scalar(value: str) -> str:
    """Plain when YAML reads it back as the same text, double-quoted otherwise."""
    plain = value and value[0] not in "-?:,[]{}#&*!|>'\"%@`" and ": " not in value \
        and " #" not in value and value == value.strip()
    if plain:
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value)
