"""`purser demo-data`: FOCUS billing and metrics for the example shop, with anomalies that
real commits in the demo repository cause."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pygit2
import pytest
from focus_data_toolkit.generators.versions.v1_2 import COLUMNS as TOOLKIT_1_2
from typer.testing import CliRunner

from purser.cli import app
from purser.config import load_config
from purser.git import load_revision
from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG, address_tag
from purser.warehouse import Warehouse, ingest_focus, ingest_metrics
from purser.warehouse.demodata import FOCUS_COLUMNS, Summary, generate
from purser.warehouse.metrics import NAMES as METRIC_NAMES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
END = date(2025, 6, 30)


@dataclass
class Demo:
    repo: Path
    summary: Summary
    billing: pd.DataFrame
    metrics: pd.DataFrame
    truth: dict[str, Any]

    def anomaly(self, name: str) -> dict[str, Any]:
        return next(a for a in self.truth["anomalies"] if a["name"] == name)


def _make(folder: Path, seed: int) -> tuple[Path, Summary]:
    repo = folder / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    return repo, generate(repo, folder / "out", seed=seed, end=END)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    repo, summary = _make(tmp_path_factory.mktemp("demo"), seed=7)
    billing = pd.read_csv(summary.billing, keep_default_na=False)
    billing["day"] = billing["ChargePeriodStart"].str[:10]
    billing["tags"] = billing["Tags"].map(json.loads)
    metrics = pd.read_csv(summary.metrics)
    metrics["day"] = metrics["timestamp"].str[:10]
    return Demo(repo, summary, billing, metrics,
                json.loads(summary.anomalies.read_text(encoding="utf-8")))


def _daily(frame: pd.DataFrame, column: str = "BilledCost") -> pd.Series:
    return frame.groupby("day")[column].sum()


def _mean(series: pd.Series, first: str, last: str) -> float:
    return float(series[first:last].mean())


def _days(day: str, offset: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=offset)).isoformat()


def test_the_same_seed_writes_the_same_bytes_and_commits(demo: Demo, tmp_path: Path):
    _, again = _make(tmp_path / "again", seed=7)
    assert again.billing.read_bytes() == demo.summary.billing.read_bytes()
    assert again.metrics.read_bytes() == demo.summary.metrics.read_bytes()
    assert again.anomalies.read_bytes() == demo.summary.anomalies.read_bytes()
    assert again.commits == demo.summary.commits


def test_billing_has_the_focus_1_2_columns_in_order(demo: Demo):
    with demo.summary.billing.open(encoding="utf-8") as stream:
        header = next(csv.reader(stream))
    assert header == list(FOCUS_COLUMNS) == sorted(TOOLKIT_1_2)


def test_the_warehouse_ingests_every_row(demo: Demo, tmp_path: Path):
    pygit2.init_repository(str(tmp_path))
    warehouse = Warehouse.of_repository(tmp_path)
    billing = ingest_focus(warehouse, [demo.summary.billing])
    metrics = ingest_metrics(warehouse, [demo.summary.metrics])
    assert (billing.rejected_rows, metrics.rejected_rows) == (0, 0)
    assert not billing.refused and not metrics.refused
    assert set(demo.metrics["metric"]) <= set(METRIC_NAMES)


def test_each_anomaly_is_a_commit_the_afternoon_before_that_changes_its_resource(demo: Demo):
    repository = pygit2.Repository(str(demo.repo))
    config = load_config(demo.repo)
    assert len(demo.truth["anomalies"]) == 4
    for anomaly in demo.truth["anomalies"]:
        commit = repository[anomaly["commit"]]
        when = datetime.fromtimestamp(commit.commit_time, UTC).date()
        assert when == date.fromisoformat(anomaly["date"]) - timedelta(days=1)
        assert commit.message.startswith(anomaly["commit_message"])
        patch = repository.diff(commit.parents[0], commit).patch or ""
        assert f"+++ b/{anomaly['change']['file']}" in patch
        assert anomaly["change"]["after"].splitlines()[-1].strip() in patch
        before, after = (
            {r.address: r for r in load_revision(demo.repo, str(rev), config).resources}
            [anomaly["resource"]] for rev in (commit.parents[0].id, commit.id))
        assert before.attrs != after.attrs, anomaly["name"]


def test_the_memory_raise_is_512_to_3008_mb_at_its_commit(demo: Demo):
    config = load_config(demo.repo)
    memory = demo.anomaly("checkout-memory")
    sizes = [
        next(r for r in load_revision(demo.repo, rev, config).resources
             if r.address == memory["resource"]).get("memory_size")
        for rev in (f"{memory['commit']}~1", memory["commit"])]
    assert sizes == [512, 3008]


def test_a_configuration_anomaly_moves_cost_while_invocations_stay_flat(demo: Demo):
    memory = demo.anomaly("checkout-memory")
    arn, start = memory["resource_id"], memory["date"]
    cost = _daily(demo.billing[demo.billing["ResourceId"] == arn])
    calls = _daily(demo.metrics[(demo.metrics["resource_id"] == arn)
                                & (demo.metrics["metric"] == "invocations")], "value")
    week_before, week_after = (_days(start, -7), _days(start, -1)), (start, _days(start, 6))
    assert _mean(cost, *week_after) / _mean(cost, *week_before) > 4
    assert 0.85 < _mean(calls, *week_after) / _mean(calls, *week_before) < 1.15
    assert memory["usage_moves"] is False and memory["daily_impact_usd"] > 0.3


def test_a_traffic_anomaly_moves_cost_and_usage_together(demo: Demo):
    sale = demo.anomaly("orders-spring-sale")
    arn, start, end = sale["resource_id"], sale["date"], sale["end"]
    cost = _daily(demo.billing[demo.billing["ResourceId"] == arn])
    calls = _daily(demo.metrics[(demo.metrics["resource_id"] == arn)
                                & (demo.metrics["metric"] == "invocations")], "value")
    before = (_days(start, -7), _days(start, -1))
    assert _mean(calls, start, end) / _mean(calls, *before) > 2.5
    assert _mean(cost, start, end) / _mean(cost, *before) > 2.5
    assert sale["usage_moves"] is True and sale["revert_commit"] is None


def test_a_reverted_anomaly_ends_the_day_after_its_revert(demo: Demo):
    carts = demo.anomaly("carts-write-capacity")
    cost = _daily(demo.billing[demo.billing["ResourceId"] == carts["resource_id"]])
    inside, after = cost[carts["end"]], cost[_days(carts["end"], 1)]
    assert inside > 5 * after
    assert abs(carts["daily_impact_usd"] - 380 * 24 * 0.00065) < 0.01  # 380 more WCU


def test_spend_has_weekly_seasonality_growth_several_services_and_teams(demo: Demo):
    usage = demo.billing[demo.billing["ChargeCategory"] == "Usage"]
    requests = _daily(usage[usage["ServiceName"] == "Amazon API Gateway"])
    weekday = pd.to_datetime(requests.index).dayofweek
    assert requests[weekday >= 5].mean() > 1.08 * requests[weekday <= 1].mean()
    assert requests.iloc[-28:].mean() > 1.08 * requests.iloc[:28].mean()
    assert usage["ServiceName"].nunique() >= 10
    teams = {tags.get("team") for tags in usage["tags"]}
    assert {"payments", "orders", "storefront", "ml-platform"} <= teams
    assert len(_daily(usage)) == 120 and (_daily(usage) > 0).all()


def test_untagged_and_unallocated_spend_are_rows_of_their_own(demo: Demo):
    usage = demo.billing[demo.billing["ChargeCategory"] == "Usage"]
    untagged = usage[usage["tags"].map(lambda tags: "team" not in tags)]
    assert untagged["BilledCost"].sum() > 50
    fees = demo.billing[demo.billing["ChargeCategory"] != "Usage"]
    assert set(fees["ChargeCategory"]) == {"Purchase", "Tax", "Credit"}
    assert (fees["ResourceId"] == "").all()
    assert (fees[fees["ChargeCategory"] == "Credit"]["BilledCost"] < 0).all()


def test_owned_resources_carry_the_ownership_tags_and_others_do_not(demo: Demo):
    checkout = demo.billing[demo.billing["ResourceId"] == demo.anomaly("checkout-memory")
                            ["resource_id"]].iloc[0]["tags"]
    assert checkout[APP_TAG] == "payments-api"
    assert checkout[ADDRESS_TAG] == address_tag('aws_lambda_function.fn["checkout"]')
    kubernetes = demo.billing[demo.billing["ServiceName"] == "Amazon Elastic Kubernetes Service"]
    assert not any(APP_TAG in tags for tags in kubernetes["tags"])


def test_dynamodb_request_prices_halve_on_the_price_change(demo: Demo):
    change = demo.truth["price_changes"][0]["date"]
    writes = demo.billing[demo.billing["PricingUnit"] == "Write Request Units"]
    price = pd.to_numeric(writes["ListUnitPrice"]).groupby(writes["day"]).max()
    assert price[_days(change, -1)] == pytest.approx(2 * price[change])


def test_too_few_days_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["demo-data", "--out", str(tmp_path), "--days", "30"])
    assert result.exit_code == 2
    assert "--days must be at least 90" in result.output
