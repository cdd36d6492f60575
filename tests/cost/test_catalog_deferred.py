"""The built-in catalog is read on lookup: each entry parsed and validated when a lookup may
need it, with the same prices, versions and errors as a catalog read whole."""

from pathlib import Path

import pytest

from purser.cost.catalog import (
    CatalogError,
    PriceNotFound,
    _builtin_paths,
    _load,
    _load_deferred,
)
from purser.cost.catalog_layout import scan

ENTRY = """\
  - key: {key}
    provider: aws
    service: widget
    region: {region}
    attributes: {{meter: hours}}
    unit: hours
    usd: {usd}
    source: https://aws.amazon.com/widget/pricing/
    date: "2026-11-24"
"""

JSON_ENTRY = ('{{"key": "{key}", "provider": "aws", "service": "widget", "region": "{region}", '
              '"attributes": {{"meter": "hours"}}, "unit": "hours", "usd": {usd}, '
              '"source": "https://aws.amazon.com/widget/pricing/", "date": "2026-11-24"}}')


def yaml_file(path: Path, *entries: str) -> Path:
    path.write_text('# widgets\nversion: "1"\ncurrency: USD\nprices:\n' + "".join(entries))
    return path


def json_file(path: Path, *entries: str) -> Path:
    path.write_text('{"about": "widgets", "version": "2", "currency": "USD", "prices": [\n'
                    + ",\n".join(entries) + "\n]}\n")
    return path


def test_the_builtin_catalog_read_on_lookup_equals_the_catalog_read_whole():
    paths = _builtin_paths()
    deferred, whole = _load_deferred(paths), _load(paths)
    assert len(deferred) == len(whole) and deferred.versions == whole.versions
    assert deferred.price("aws", "lambda", "us-east-1", meter="requests") == whole.price(
        "aws", "lambda", "us-east-1", meter="requests")
    assert list(deferred) == list(whole)  # every entry, in the files' order


def test_every_builtin_file_is_in_the_layout_a_scan_reads():
    # A file in another layout still works (read whole), but costs every estimate its parse.
    assert [path.name for path in _builtin_paths()
            if scan(path.name, path.read_text()) is None] == []


def test_an_entry_is_validated_when_a_lookup_first_needs_it(tmp_path):
    # 0.5 + 1 = two widget prices in two regions; the one in eu-west-1 is negative.
    good = yaml_file(tmp_path / "widgets.yaml", ENTRY.format(key="w.use1", region="us-east-1",
                                                             usd=0.5))
    bad = json_file(tmp_path / "widgets.regions.json",
                    JSON_ENTRY.format(key="w.euw1", region="eu-west-1", usd=-1),
                    JSON_ENTRY.format(key="w.euc1", region="eu-central-1", usd=1))
    catalog = _load_deferred([good, bad])
    assert catalog.versions == {"widgets.yaml": "1", "widgets.regions.json": "2"}
    assert len(catalog) == 3 and catalog.has_region("aws", "eu-west-1")
    assert catalog.price("aws", "widget", "us-east-1", meter="hours").usd == 0.5
    assert catalog.price("aws", "widget", "eu-central-1", meter="hours").usd == 1
    with pytest.raises(CatalogError) as caught:
        catalog.price("aws", "widget", "eu-west-1", meter="hours")
    assert (caught.value.file, caught.value.entry, caught.value.line) == (
        "widgets.regions.json", "w.euw1", 2)
    assert "greater than or equal to 0" in caught.value.message
    with pytest.raises(CatalogError, match=r"w\.euw1"):  # every time it is asked for
        catalog.price("aws", "widget", "eu-west-1", meter="hours")
    with pytest.raises(PriceNotFound):
        catalog.price("aws", "widget", "ap-south-1", meter="hours")


def test_a_key_in_two_files_is_refused_before_any_lookup(tmp_path):
    first = yaml_file(tmp_path / "a.yaml", ENTRY.format(key="w.hours", region="us-east-1",
                                                        usd=1))
    second = json_file(tmp_path / "b.regions.json",
                       JSON_ENTRY.format(key="w.other", region="eu-west-1", usd=1),
                       JSON_ENTRY.format(key="w.hours", region="eu-west-2", usd=2))
    with pytest.raises(CatalogError) as caught:
        _load_deferred([first, second])
    assert (caught.value.file, caught.value.entry, caught.value.line) == (
        "b.regions.json", "w.hours", 3)
    assert "duplicate key (first defined in a.yaml)" in caught.value.message


def test_a_file_in_another_layout_is_read_and_validated_at_once(tmp_path):
    flat = tmp_path / "flat.yaml"
    flat.write_text('version: "1"\ncurrency: USD\nprices:\n' + ENTRY.format(
        key="w.flat", region="us-east-1", usd=1).replace("    provider: aws\n", "")
        .replace("    date:", "    provider: aws\n    date:"))
    assert scan(flat.name, flat.read_text()) is None  # provider after the region
    catalog = _load_deferred([flat, yaml_file(tmp_path / "w.yaml", ENTRY.format(
        key="w.hours", region="eu-west-1", usd=2))])
    assert len(catalog) == 2 and [p.key for p in catalog] == ["w.flat", "w.hours"]
    flow = tmp_path / "flow.yaml"
    flow.write_text('version: "1"\ncurrency: USD\nprices:\n'
                    "  - {key: w.hours, provider: aws, service: widget, region: us-east-1,\n"
                    "     attributes: {meter: hours}, unit: hours, usd: -2,\n"
                    "     source: 'https://aws.amazon.com/widget/pricing/', date: '2026-11-24'}\n")
    assert scan(flow.name, flow.read_text()) is None
    with pytest.raises(CatalogError, match=r"w\.hours"):
        _load_deferred([flow])


def test_a_header_in_another_currency_is_refused_before_any_lookup(tmp_path):
    path = tmp_path / "eur.yaml"
    path.write_text('version: "1"\ncurrency: EUR\nprices:\n'
                    + ENTRY.format(key="w.hours", region="us-east-1", usd=1))
    with pytest.raises(CatalogError, match="only USD"):
        _load_deferred([path])


def test_a_yaml_entry_is_validated_alone_and_named_with_its_line(tmp_path):
    path = yaml_file(tmp_path / "widgets.yaml",
                     ENTRY.format(key="w.use1", region="us-east-1", usd=0.5),
                     ENTRY.format(key="w.euw1", region="eu-west-1", usd=-1))
    catalog = _load_deferred([path])
    assert catalog.price("aws", "widget", "us-east-1", meter="hours").usd == 0.5
    with pytest.raises(CatalogError) as caught:
        catalog.price("aws", "widget", "eu-west-1", meter="hours")
    # Four header lines and nine lines an entry: the second entry opens on line 14.
    assert (caught.value.entry, caught.value.line) == ("w.euw1", 14)


def test_a_yaml_entry_that_needs_the_rest_of_its_file_is_read_from_the_whole_file(tmp_path):
    first = ENTRY.format(key="w.use1", region="us-east-1", usd=0.5).replace(
        "    source: https", "    source: &page https")
    second = ENTRY.format(key="w.euw1", region="eu-west-1", usd=0.75).replace(
        "    source: https://aws.amazon.com/widget/pricing/", "    source: *page")
    catalog = _load_deferred([yaml_file(tmp_path / "widgets.yaml", first, second)])
    price = catalog.price("aws", "widget", "eu-west-1", meter="hours")
    assert (price.usd, price.source) == (0.75, "https://aws.amazon.com/widget/pricing/")
