"""Usage from telemetry: the demo shop's metrics priced as monthly quantities with a p10–p90
range, the usage file answering what telemetry does not observe."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.config import load_config
from purser.cost.estimate import estimate
from purser.cost.usage import LayeredUsage, resolve
from purser.estimates import ResourceCost
from purser.gate import usage_for
from purser.sources import load_repository
from purser.sources.worktree import WorkTree
from purser.warehouse import Warehouse, ingest_focus, ingest_metrics
from purser.warehouse.demodata import generate
from purser.warehouse.telemetry import observed_usage

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
END = date(2025, 6, 30)
CHECKOUT = 'aws_lambda_function.fn["checkout"]'
CHECKOUT_REQUESTS = 2_500_000  # the example's usage file: the generator's base traffic


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Warehouse]:
    folder = tmp_path_factory.mktemp("telemetry")
    repo = folder / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    summary = generate(repo, folder / "out", seed=7, days=90, end=END)
    warehouse = Warehouse(folder / "warehouse")
    warehouse.folder.mkdir()
    ingest_focus(warehouse, [summary.billing])
    ingest_metrics(warehouse, [summary.metrics])
    return repo, warehouse


@pytest.fixture(scope="module")
def priced(shop: tuple[Path, Warehouse]) -> dict[str, ResourceCost]:
    repo, warehouse = shop
    config = load_config(repo)
    usage_file = usage_for(repo, config, None)
    assert usage_file is not None
    resources = load_repository(WorkTree(repo), config).resources
    usage = LayeredUsage(observed_usage(warehouse, days=14), usage_file)
    return {c.address: c for c in estimate(resources, config, usage=usage).resources}


def test_observed_requests_follow_the_generated_traffic(shop: tuple[Path, Warehouse]) -> None:
    repo, warehouse = shop
    observed = observed_usage(warehouse, days=14)
    checkout = next(r for r in load_repository(WorkTree(repo), load_config(repo)).resources
                    if r.address == CHECKOUT)
    requests = resolve(observed, checkout)["monthly_requests"]
    spread = observed.spread(checkout)
    assert requests.origin == "telemetry"
    assert 0.8 * CHECKOUT_REQUESTS < requests.value < 1.25 * CHECKOUT_REQUESTS
    assert spread is not None and spread.label == "p10–p90"
    assert spread.low["monthly_requests"] <= requests.value <= spread.high["monthly_requests"]
    assert spread.window == "14 days to 2025-06-30"
    assert observed.quantities(checkout)["request_duration_ms"] == pytest.approx(180, rel=0.1)


def test_telemetry_prices_a_range_around_the_observed_cost(
        priced: dict[str, ResourceCost]) -> None:
    checkout = priced[CHECKOUT]
    assert {line.usage_origin for line in checkout.components} == {"telemetry"}
    assert checkout.range_label == "p10–p90"
    assert checkout.usage_note == "usage from telemetry, 14 days to 2025-06-30"
    assert checkout.monthly_cost_min is not None and checkout.monthly_cost_max is not None
    assert checkout.monthly_cost_min <= checkout.monthly_cost <= checkout.monthly_cost_max


def test_resources_without_telemetry_keep_the_usage_file(
        priced: dict[str, ResourceCost]) -> None:
    # A queue has no metrics; a table's request_count mixes reads and writes.
    for address in ("aws_sqs_queue.events", "aws_dynamodb_table.orders"):
        cost = priced[address]
        assert "usage file" in {line.usage_origin for line in cost.components}
        assert "telemetry" not in {line.usage_origin for line in cost.components}
        assert cost.range_label is None and cost.usage_note is None


def test_purser_cost_telemetry_prints_the_interval(shop: tuple[Path, Warehouse]) -> None:
    repo, warehouse = shop
    result = CliRunner().invoke(app, ["cost", "--repo", str(repo), "--telemetry", "--days",
                                      "14", "--warehouse", str(warehouse.folder)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert re.search(r'aws_lambda_function\.fn\["checkout"\] \(p10–p90 \$[\d.,]+–\$[\d.,]+\), '
                     r"usage from telemetry, 14 days to 2025-06-30", text), text
    assert "(telemetry)" in text and "(usage file)" in text
