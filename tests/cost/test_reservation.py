"""Reserved EC2 instances and hosts, RDS and Aurora instances and ElastiCache nodes.

Catalog prices used (us-east-1; reservations.yaml, compute.yaml, rds.yaml, aurora.yaml,
elasticache.yaml), per hour: reserved recurring fees t3.medium standard 1-year partial
upfront $0.0124, c5 host 3-year partial upfront $1.01 (1-year) and $0.653 (3-year),
db.t3.large MySQL 1-year no upfront $0.0957 (Single-AZ), db.r4.large Aurora MySQL 1-year no
upfront $0.19, cache.m6g.12xlarge Redis 1-year no upfront $2.428 and partial upfront
$1.156; every all-upfront recurring fee $0. On-demand t3.medium $0.0416, db.t3.large MySQL
Single-AZ $0.136, cache.m6g.12xlarge Redis $3.557.

The catalog records no upfront fee (no public source was reachable): the tests of the
amortised line add one to a copy of the catalog, a made-up figure named as such.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from purser.config import Config
from purser.cost import estimate
from purser.cost.catalog import Catalog, Price, load_catalog
from purser.model import Resource

from .conftest import TextUsage

MADE_UP_UPFRONT_FEE = 120.0  # not a price: a round figure to check the amortisation


def _terms(term: str, payment: str, offering: str | None = None) -> dict[str, str]:
    values = {"reserved_instance_term": term, "reserved_instance_payment_option": payment}
    if offering:
        values["reserved_instance_type"] = offering
    return values


def _with_upfront_fee(service: str, recurring_key: str) -> Catalog:
    """The catalog plus an upfront fee beside the recurring fee `recurring_key`."""
    prices = list(load_catalog())
    recurring = next(p for p in prices if p.key == recurring_key)
    fee = Price(key=recurring_key + ".upfront", provider="aws", service=service,
                region=recurring.region, attributes={**recurring.attributes, "fee": "upfront"},
                unit="reservation", usd=MADE_UP_UPFRONT_FEE, source="test", date="2026-12-02")
    return Catalog([*prices, fee])


def _cost(target: Resource, values: dict[str, Any], catalog: Catalog | None = None):
    result = estimate([target], Config(), usage=TextUsage(target.address, values),
                      catalog=catalog)
    assert not result.unpriced, result.unpriced
    return result.resources[0]


def _t3_medium(resource):
    return resource("aws_instance.web", "aws_instance",
                    {"instance_type": "t3.medium",
                     "credit_specification": [{"cpu_credits": "standard"}]})


def test_partial_upfront_instance_pays_its_recurring_fee_and_its_amortised_upfront_fee(
        resource, lines):
    catalog = _with_upfront_fee(
        "ec2", "aws.ec2.us-east-1.instance.t3.medium.linux.reserved.standard.1_year."
        "partial_upfront")
    cost = _cost(_t3_medium(resource), _terms("1_year", "partial_upfront", "standard"), catalog)
    found = lines(cost)
    recurring = found["Instance usage (Linux, t3.medium) (reserved standard 1_year "
                      "partial_upfront): recurring fee"]
    assert recurring.monthly_cost == pytest.approx(730 * 0.0124)  # $9.05
    upfront = found["Reservation upfront fee, amortised over 12 months"]
    assert upfront.monthly_quantity == pytest.approx(1 / 12)
    assert upfront.monthly_cost == pytest.approx(MADE_UP_UPFRONT_FEE / 12)  # $10.00
    # with the assumed 8 GB gp2 root volume at $0.10 per GB-month: $0.80
    assert cost.monthly_cost == pytest.approx(730 * 0.0124 + 120 / 12 + 8 * 0.10)


def test_all_upfront_without_its_upfront_fee_is_on_demand_never_zero(resource, lines):
    cost = _cost(_t3_medium(resource), _terms("3_year", "all_upfront", "convertible"))
    hours = cost.components[0]
    assert hours.component == ("Instance usage (Linux, on-demand, t3.medium; reservation "
                               "convertible 3_year all_upfront: upfront fee not in the "
                               "catalog: on-demand, an upper bound)")
    assert hours.monthly_cost == pytest.approx(730 * 0.0416)  # $30.37


def test_a_reservation_bills_every_hour_of_the_month_whatever_the_instance_runs(
        resource, lines):
    values = {**_terms("1_year", "no_upfront", "standard"), "monthly_hrs": 100}
    cost = _cost(_t3_medium(resource), values)
    recurring = lines(cost)["Instance usage (Linux, t3.medium) (reserved standard 1_year "
                            "no_upfront): recurring fee"]
    assert recurring.monthly_quantity == 730
    assert recurring.monthly_cost == pytest.approx(730 * 0.0261)  # $19.05


def test_an_unknown_term_word_is_reported_and_the_instance_stays_on_demand(resource):
    target = _t3_medium(resource)
    result = estimate([target], Config(), usage=TextUsage(
        target.address, _terms("2_year", "no_upfront", "standard")))
    hours = result.resources[0].components[0]
    assert "reservation standard no_upfront incomplete or not priced" in hours.component
    assert hours.monthly_cost == pytest.approx(730 * 0.0416)


def test_partial_upfront_host_amortises_its_upfront_fee_over_36_months(resource, lines):
    host = resource("aws_ec2_host.h", "aws_ec2_host", {"instance_family": "c5"})
    catalog = _with_upfront_fee("ec2", "aws.ec2.us-east-1.host.c5.reserved.3_year."
                                "partial_upfront")
    cost = _cost(host, _terms("3_year", "partial_upfront"), catalog)
    found = lines(cost)
    recurring = found["Dedicated host (c5) (reserved 3_year partial_upfront): recurring fee"]
    assert recurring.monthly_cost == pytest.approx(730 * 0.653)  # $476.69
    upfront = found["Reservation upfront fee, amortised over 36 months"]
    assert upfront.monthly_cost == pytest.approx(MADE_UP_UPFRONT_FEE / 36)  # $3.33


def test_no_upfront_mysql_instance_pays_its_recurring_fee(resource, lines):
    db = resource("aws_db_instance.db", "aws_db_instance",
                  {"engine": "mysql", "instance_class": "db.t3.large", "allocated_storage": 10})
    cost = _cost(db, _terms("1_year", "no_upfront"))
    recurring = lines(cost)["Database instance (Single-AZ, db.t3.large, MySQL) (reserved "
                            "1_year no_upfront): recurring fee"]
    assert recurring.monthly_cost == pytest.approx(730 * 0.0957)  # $69.86


def test_all_upfront_mysql_instance_without_its_fee_is_on_demand(resource, lines):
    db = resource("aws_db_instance.db", "aws_db_instance",
                  {"engine": "mysql", "instance_class": "db.t3.large", "allocated_storage": 10})
    hours = _cost(db, _terms("1_year", "all_upfront")).components[0]
    assert hours.component.endswith("; reservation 1_year all_upfront: upfront fee not in "
                                     "the catalog: on-demand, an upper bound)")
    assert hours.monthly_cost == pytest.approx(730 * 0.136)  # $99.28


def test_no_upfront_aurora_instance_pays_its_recurring_fee(resource, lines):
    cluster = resource("aws_rds_cluster.c", "aws_rds_cluster", {"engine": "aurora-mysql"})
    member = resource("aws_rds_cluster_instance.i", "aws_rds_cluster_instance",
                      {"engine": "aurora-mysql", "instance_class": "db.r4.large"})
    result = estimate([member, cluster], Config(), usage=TextUsage(
        member.address, _terms("1_year", "no_upfront")))
    cost = next(r for r in result.resources if r.address == member.address)
    recurring = lines(cost)["Database instance (db.r4.large, Aurora MySQL) (reserved 1_year "
                            "no_upfront): recurring fee"]
    assert recurring.monthly_cost == pytest.approx(730 * 0.19)  # $138.70


def test_reserved_cache_nodes_pay_recurring_and_amortised_fees_per_node(resource, lines):
    group = resource("aws_elasticache_replication_group.g",
                     "aws_elasticache_replication_group",
                     {"engine": "redis", "node_type": "cache.m6g.12xlarge",
                      "num_cache_clusters": 3})
    catalog = _with_upfront_fee("elasticache", "aws.elasticache.us-east-1.node.redis."
                                "cache_m6g_12xlarge.reserved.1_year.partial_upfront")
    cost = _cost(group, _terms("1_year", "partial_upfront"), catalog)
    found = lines(cost)
    recurring = found["Nodes (3 × cache.m6g.12xlarge, Redis OSS) (reserved 1_year "
                      "partial_upfront): recurring fee"]
    assert recurring.monthly_cost == pytest.approx(3 * 730 * 1.156)  # $2,531.64
    upfront = found["Reservation upfront fee, amortised over 12 months, 3 reservations"]
    assert upfront.monthly_cost == pytest.approx(3 * MADE_UP_UPFRONT_FEE / 12)  # $30.00


def test_no_upfront_cache_cluster_pays_its_recurring_fee(resource, lines):
    cluster = resource("aws_elasticache_cluster.c", "aws_elasticache_cluster",
                       {"engine": "redis", "node_type": "cache.m6g.12xlarge",
                        "num_cache_nodes": 1})
    cost = _cost(cluster, _terms("1_year", "no_upfront"))
    assert cost.monthly_cost == pytest.approx(730 * 2.428)  # $1,772.44


def test_heavy_utilization_cache_reservation_stays_on_demand(resource):
    cluster = resource("aws_elasticache_cluster.c", "aws_elasticache_cluster",
                       {"engine": "redis", "node_type": "cache.m6g.12xlarge",
                        "num_cache_nodes": 1})
    hours = _cost(cluster, _terms("1_year", "heavy_utilization")).components[0]
    assert "reservation 1_year heavy_utilization incomplete or not priced" in hours.component
    assert hours.monthly_cost == pytest.approx(730 * 3.557)  # $2,596.61


def _accuracy_benchmark():
    """benchmarks/cost_accuracy.py, loaded once (it is a script, not a package module)."""
    if "cost_accuracy" in sys.modules:
        return sys.modules["cost_accuracy"]
    path = Path(__file__).parents[2] / "benchmarks" / "cost_accuracy.py"
    spec = importlib.util.spec_from_file_location("cost_accuracy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _golden(bench, address: str, cost: float):
    return bench.GoldenResource(address, [bench.GoldenComponent("Instance usage", 730, "hours",
                                                                cost)])


def test_accuracy_benchmark_counts_the_amortised_upfront_fee_apart(resource):
    bench = _accuracy_benchmark()
    catalog = _with_upfront_fee(
        "ec2", "aws.ec2.us-east-1.instance.t3.medium.linux.reserved.standard.1_year."
        "partial_upfront")
    target = _t3_medium(resource)
    priced = bench.Priced(estimate([target], Config(), catalog=catalog, usage=TextUsage(
        target.address, _terms("1_year", "partial_upfront", "standard"))), None, [])
    # Infracost's line: the recurring fee only, 730 × $0.0124 = $9.05, with the root volume
    golden = _golden(bench, target.address, 9.05 + 0.80)
    outcome = bench._compare_one("instance_test", golden, priced)
    assert outcome.category == bench.UPFRONT_LEFT_OUT and not outcome.matched
    assert outcome.purser == pytest.approx(730 * 0.0124 + 120 / 12 + 0.80)  # $19.85


def test_accuracy_benchmark_counts_a_reservation_priced_on_demand_apart(resource):
    bench = _accuracy_benchmark()
    target = _t3_medium(resource)
    priced = bench.Priced(estimate([target], Config(), usage=TextUsage(
        target.address, _terms("1_year", "all_upfront", "standard"))), None, [])
    outcome = bench._compare_one("instance_test", _golden(bench, target.address, 0.80),
                                 priced)
    assert outcome.category == bench.RESERVATION_ON_DEMAND and not outcome.matched
    assert outcome.purser == pytest.approx(730 * 0.0416 + 0.80)  # $31.17
