"""`purser anomalies` on the demo shop's bill: the four injected anomalies found on the right
series, with the right resources, causes and commits, and the false alarms counted."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from purser import ledger
from purser.cli import app
from purser.config import Config, load_config
from purser.insight.anomaly import ACTION, ACTOR, Anomaly, detect
from purser.insight.attribution import describe
from purser.insight.rootcause import Breakdown, _cause
from purser.model import Resource, SourceRef
from purser.store import database_url, open_database
from purser.warehouse import Warehouse, ingest_focus, ingest_metrics
from purser.warehouse.demodata import generate
from tests.warehouse.conftest import write_focus

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"
END = date(2025, 6, 30)
# Injected anomaly -> the series it is reported on: the resource when one resource carries
# it, the application when a sale spreads it over the application's resources.
SERIES = {
    "carts-write-capacity": "resource:aws_dynamodb_table.carts",
    "orders-spring-sale": "application:orders",
    "notify-provisioned-concurrency": "resource:cfn:shop-notifications#NotifyFunction",
    "checkout-memory": 'resource:aws_lambda_function.fn["checkout"]',
}
# Seed 7, 90 days: one false alarm, the EKS `web` deployment on Saturday 2025-05-03
# ($0.37 over its expected $1.84, a 20% day; nothing declared in git changed).
FALSE_ALARMS = ["resource:arn:aws:eks:us-east-1:111122223333:cluster/shop-prod/shop/"
                "deployment/web"]


@dataclass
class Shop:
    repo: Path
    warehouse: Warehouse
    truth: dict[str, dict[str, Any]]
    found: list[Anomaly]

    def on(self, name: str) -> Anomaly:
        day = date.fromisoformat(self.truth[name]["date"])
        return next(a for a in self.found if a.date == day)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    folder = tmp_path_factory.mktemp("anomalies")
    repo = folder / "shop"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    summary = generate(repo, folder / "out", seed=7, days=90, end=END)
    warehouse = Warehouse.of_repository(repo)
    ingest_focus(warehouse, [summary.billing])
    ingest_metrics(warehouse, [summary.metrics])
    truth = json.loads(summary.anomalies.read_text(encoding="utf-8"))
    found = detect(warehouse, root=repo, config=load_config(repo))
    return Shop(repo, warehouse, {a["name"]: a for a in truth["anomalies"]}, found)


def test_each_injected_anomaly_is_found_on_its_day_and_series(shop: Shop):
    for name, series in SERIES.items():
        assert shop.on(name).series == series, name


def test_no_more_than_one_false_alarm(shop: Shop):
    injected = {shop.truth[name]["date"] for name in SERIES}
    false = [a.series for a in shop.found if a.date.isoformat() not in injected]
    assert false == FALSE_ALARMS
    assert len(shop.found) == len(SERIES) + len(FALSE_ALARMS) == 5


def test_root_causes_go_down_to_the_declared_resource(shop: Shop):
    for name in SERIES:
        anomaly = shop.on(name)
        assert anomaly.resources()[0] == shop.truth[name]["resource"], name
        assert anomaly.root_causes == sorted(anomaly.root_causes,
                                             key=lambda c: -c.contribution_usd)


def test_the_impact_is_the_injected_one_within_a_few_cents(shop: Shop):
    for name in SERIES:
        assert shop.on(name).impact_usd == pytest.approx(shop.truth[name]["daily_impact_usd"],
                                                        abs=0.05), name


def test_the_episode_total_is_the_injected_excess_over_its_days(shop: Shop):
    for name in SERIES:
        truth, anomaly = shop.truth[name], shop.on(name)
        days = (date.fromisoformat(truth["end"]) - date.fromisoformat(truth["date"])).days + 1
        assert (anomaly.days, anomaly.direction) == (days, "rise"), name
        assert anomaly.total_impact_usd == pytest.approx(truth["impact_usd"], rel=0.02), name
    assert f"over {shop.on('checkout-memory').days} days" in shop.on("checkout-memory").explanation


def test_a_fall_in_spend_is_reported_with_what_fell(tmp_path: Path):
    """A queue worker that stopped being called: its spend falls to nothing and stays there."""
    repo = tmp_path / "repo"
    repo.mkdir()
    rows = []
    for n in range(70):
        day = date(2026, 3, 1) + timedelta(days=n)
        busy = n < 60
        for name, cost in (("worker", 4.0 + (n % 7 == 5) * 0.8 if busy else 0.0),
                           ("api", 3.0 + (n % 7 == 6) * 0.5)):
            rows.append({"ChargePeriodStart": f"{day} 00:00:00",
                         "ChargePeriodEnd": f"{day + timedelta(days=1)} 00:00:00",
                         "BilledCost": str(cost), "EffectiveCost": str(cost),
                         "ResourceId": f"arn:aws:lambda:us-east-1:1:function:{name}"})
    warehouse = Warehouse.of_repository(repo)
    ingest_focus(warehouse, [write_focus(tmp_path / "bill.csv", rows)])
    found = detect(warehouse)
    assert [(a.date, a.direction) for a in found] == [(date(2026, 4, 30), "fall")]
    fall = found[0]
    assert fall.impact_usd == pytest.approx(-4.0, abs=0.01)
    # ten days of $4.00 lost, two of them the weekly $4.80 day: -(10 × 4.00 + 2 × 0.80)
    assert fall.days == 10 and fall.total_impact_usd == pytest.approx(-41.6, abs=0.01)
    assert fall.root_causes[0].value.endswith("function:worker")
    assert fall.root_causes[0].contribution_usd == pytest.approx(-4.0, abs=0.01)
    assert "below the expected" in fall.explanation


def test_each_anomaly_names_the_commit_that_caused_it(shop: Shop):
    for name in SERIES:
        commits = shop.on(name).commits
        assert [c.sha for c in commits] == [shop.truth[name]["commit"]], name
        assert commits[0].resource == shop.truth[name]["resource"]


def test_the_memory_raise_is_configuration_named_by_its_attribute(shop: Shop):
    memory = shop.on("checkout-memory")
    assert memory.usage is not None
    assert (memory.cause, memory.usage.metric) == ("configuration", "invocations")
    assert memory.usage.usage_ratio == pytest.approx(1.0, abs=0.1)  # a day's noise
    assert memory.usage.cost_ratio > 4  # 512 -> 3008 MB: compute ×5.9, requests unchanged
    assert memory.commits[0].changes == ["raised memory_size from 512 to 3008"]
    assert "raised memory_size from 512 to 3008" in memory.explanation
    assert "not traffic" in memory.explanation


def test_the_sale_is_traffic_and_the_capacity_changes_are_configuration(shop: Shop):
    assert shop.on("orders-spring-sale").cause == "traffic"
    assert shop.on("carts-write-capacity").cause == "configuration"
    assert shop.on("notify-provisioned-concurrency").cause == "configuration"
    assert shop.on("carts-write-capacity").commits[0].changes == \
        ["raised write_capacity from 20 to 400"]


def test_an_episode_begun_before_since_is_not_reported(shop: Shop):
    carts = date.fromisoformat(shop.truth["carts-write-capacity"]["date"])
    later = detect(shop.warehouse, since=carts + timedelta(days=2))
    assert [(a.date, a.series) for a in later] == \
        [(a.date, a.series) for a in shop.found if a.date > carts]


def test_month_long_fees_are_spread_over_their_days(shop: Shop):
    breakdown = Breakdown.load(shop.warehouse)
    bill = shop.warehouse.frame("SELECT SUM(EffectiveCost) AS c FROM billing")["c"][0]
    assert breakdown.frame["cost"].sum() == pytest.approx(bill)
    support = breakdown.series()["service:AWS Support (Business)"]
    assert len(support) == 90 and support.min() > 0
    assert support["2025-05-01"] == pytest.approx(support["2025-05-02"])


def test_the_cli_prints_the_json_and_records_each_verdict_in_the_ledger(shop: Shop):
    result = CliRunner().invoke(app, ["anomalies", str(shop.repo), "--since", "2025-06-01",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert [a["series"] for a in printed] == [SERIES["checkout-memory"]]
    assert set(printed[0]) == {"date", "series", "direction", "impact_usd", "total_impact_usd",
                               "days", "score", "root_causes", "commits", "explanation"}
    assert set(printed[0]["root_causes"][0]) == {"dimension", "value", "contribution_usd"}
    with open_database(database_url(shop.repo, create=False)) as db:
        entries = ledger.entries(db)
    assert [(e.actor, e.action, e.outcome, e.revision) for e in entries] == \
        [(ACTOR, ACTION, "configuration", shop.truth["checkout-memory"]["commit"])]
    assert entries[0].explanation == printed[0]["explanation"]


def test_minimum_impact_is_a_strict_setting_of_purser_yaml():
    assert Config().insight.anomaly_min_impact_usd == 0.25
    assert Config.model_validate(
        {"insight": {"anomaly_min_impact_usd": 10}}).insight.anomaly_min_impact_usd == 10
    with pytest.raises(ValueError, match="anomaly_min_impact"):
        Config.model_validate({"insight": {"anomaly_min_impact": 10}})


def test_attribute_changes_are_named_by_path_once_per_spelling():
    def resource(attrs: dict[str, Any]) -> Resource:
        return Resource(address="x", type="t", provider="aws", name="x", attrs=attrs,
                        source=SourceRef(file="main.tf"))

    before = resource({"MemorySize": 512, "memory_size": 512, "tags": {"a": "1"}})
    after = resource({"MemorySize": 1024, "memory_size": 1024, "tags": {"a": "2", "b": "3"}})
    assert describe(before, after) == ["raised MemorySize from 512 to 1024",
                                       "changed tags.a from '1' to '2'", "set tags.b to '3'"]
    assert describe(None, after) == ["added"]


@pytest.mark.parametrize(("cost", "usage", "cause"), [
    (5.0, 1.0, "configuration"),  # memory ×5.9, invocations flat
    (3.6, 3.6, "traffic"),  # a sale: cost follows usage
    (260.0, 1.3, "configuration"),  # provisioned concurrency on a quiet Saturday
    (3.0, 1.8, "mixed"),
])
def test_cost_against_usage(cost: float, usage: float, cause: str):
    assert _cause(cost, usage) == cause
