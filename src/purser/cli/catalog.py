"""`purser catalog`: rebuild price entries from AWS's Price List, and show what is priced where."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from purser.cli.options import fail
from purser.cost.catalog import Catalog, CatalogError, load_catalog
from purser.cost.regions import COMMERCIAL_REGIONS

app = typer.Typer(help="The price catalog: rebuild it from AWS's Price List, show its coverage.",
                  no_args_is_help=True)

_SHOWN_PROBLEMS = 20


@app.command("update")
def update(
    source: Annotated[str | None, typer.Option(
        "--from", metavar="DIR|URL",
        help="A local copy of AWS's Price List laid out as published (offers/v1.0/aws/...), "
             "or an https base address (default: AWS's public Price List).")] = None,
    services: Annotated[list[str] | None, typer.Option(
        "--service", help="Only this purser service or AWS offer code (repeatable).")] = None,
    regions: Annotated[list[str] | None, typer.Option(
        "--region", help="Only this region code (repeatable).")] = None,
    out: Annotated[Path, typer.Option(
        "--out", file_okay=False, help="Folder the catalog files are written to, one per "
                                       "family (lambda.yaml, dynamodb.yaml ...).")]
        = Path("purser-catalog"),
    csv: Annotated[bool, typer.Option(
        "--csv", help="Read the regional offers as CSV instead of JSON.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Write the catalog files as JSON, one entry a line (large files "
                       "load many times faster than YAML).")] = False,
    max_mb: Annotated[int, typer.Option(
        "--max-mb", min=1, max=4096, help="Largest file read, in MB.")] = 512,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=1, max=3600, help="Seconds allowed per downloaded file.")] = 120,
) -> None:
    """Rebuild catalog entries from AWS's Price List bulk offer files (no credentials).

    Each entry cites the offer file it was read from and the offer's publication date.
    Rows that cannot be used are reported and left out, never guessed; exit 1 when a file
    could not be read (the others are still written)."""
    from purser.cost.pricelist import (
        AWS_PRICE_LIST,
        PriceListSource,
        SourceError,
        builtin_rules,
        update_catalog,
        write_catalog_files,
    )

    try:
        reader = PriceListSource(source or AWS_PRICE_LIST, max_bytes=max_mb * 1024 * 1024,
                                 timeout=timeout)
    except SourceError as exc:
        fail(str(exc))
    rules = builtin_rules()
    known = {rule.service for rule in rules} | {rule.offer for rule in rules}
    unknown = sorted(set(services or ()) - known)
    if unknown:
        fail(f"no mapping for {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    result = update_catalog(reader, rules, services=services or (), regions=regions or (),
                            csv=csv)
    dates = sorted({price.date for price in result.prices})
    written = write_catalog_files(
        result.prices, result.families, out, version=dates[-1] if dates else "empty",
        header="Rebuilt by `purser catalog update` from AWS's Price List bulk offer files;\n"
               "each entry cites its offer file and that offer's publication date.",
        as_json=as_json)
    for problem in result.problems[:_SHOWN_PROBLEMS]:
        typer.echo(f"skipped: {problem}", err=True)
    if len(result.problems) > _SHOWN_PROBLEMS:
        typer.echo(f"skipped: ... and {len(result.problems) - _SHOWN_PROBLEMS} more", err=True)
    for error in result.errors:
        typer.echo(f"error: {error}", err=True)
    region_count = len({price.region for price in result.prices})
    typer.echo(f"{len(result.prices)} prices in {region_count} regions from "
               f"{len(result.regions_read)} offers → {', '.join(map(str, written)) or 'nothing'}")
    if result.errors:
        raise typer.Exit(1)


@app.command("show")
def show(
    service: Annotated[str | None, typer.Option("--service", help="Only this service.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Only this region.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Which regions each service is priced in and which commercial regions it is not;
    with --service and --region, that service's prices there with source and date."""
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        fail(str(exc))
    if service and region:
        _show_prices(catalog, service, region, as_json)
        return
    coverage: dict[str, set[str]] = defaultdict(set)
    for price in catalog:
        if (not service or price.service == service) and (not region or price.region == region):
            coverage[price.service].add(price.region)
    if service and not coverage:
        fail(f"no prices for service {service!r}")
    rows = {name: {"priced": sorted(found),
                   "unpriced": sorted(set(COMMERCIAL_REGIONS) - found) if not region else []}
            for name, found in sorted(coverage.items())}
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("service", "regions priced", "commercial regions not priced",
                  title=f"{len(catalog)} prices, {len(rows)} services")
    for name, row in rows.items():
        table.add_row(name, str(len(row["priced"])), ", ".join(row["unpriced"]) or "-")
    Console().print(table)


def _show_prices(catalog: Catalog, service: str, region: str, as_json: bool) -> None:
    prices = [p for p in catalog if p.service == service and p.region == region]
    if not prices:
        fail(f"no {service} prices in {region}")
    if as_json:
        typer.echo(json.dumps([p.model_dump() for p in prices], indent=2))
        return
    table = Table("key", "unit", "usd", "tier", "source", "date")
    for p in prices:
        tier = "" if not p.tier_start and p.tier_end is None else \
            f"{p.tier_start:g}–{'' if p.tier_end is None else f'{p.tier_end:g}'}"
        table.add_row(p.key, p.unit, f"{p.usd:g}", tier, p.source, p.date)
    Console().print(table)
