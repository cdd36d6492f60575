"""Budgets: over the monthly budget (PUR-BUD-001), increases above the maximum (PUR-BUD-002)."""

from __future__ import annotations

import pytest

from purser.config import Config
from purser.cost.budget import check_budgets
from purser.cost.diff import diff
from purser.cost.estimate import Estimate, ResourceCost
from purser.model import Category, CostLine, PriceRef, Severity

PRICE = PriceRef(sku="sku", region="us-east-1", source="catalog", date="2025-01-01")


def cost(address: str, monthly: float | None, *, application: str | None = "payments",
         team: str | None = None, environment: str | None = None) -> ResourceCost:
    line = CostLine(resource=address, component="hours", unit="hours",
                    monthly_quantity=None if monthly is None else 1.0, unit_price=monthly or 1.0,
                    monthly_cost=monthly, price=PRICE,
                    usage_origin="unknown" if monthly is None else "fixed")
    return ResourceCost(address=address, type=address.split(".")[0], monthly_cost=monthly or 0.0,
                        components=[line], application=application, team=team,
                        environment=environment, usage_unknown=monthly is None)


def est(*costs: ResourceCost) -> Estimate:
    totals: dict[str, dict[str, float]] = {"application": {}, "environment": {}, "team": {}}
    for c in costs:
        for group, key in (("application", c.application), ("environment", c.environment),
                           ("team", c.team)):
            name = key or "(unassigned)"
            totals[group][name] = totals[group].get(name, 0.0) + c.monthly_cost
    return Estimate(total_monthly_cost=sum(c.monthly_cost for c in costs),
                    resources=list(costs), totals=totals)


def config(budget: dict | None = None, budgets: list[dict] | None = None) -> Config:
    return Config.model_validate({
        "applications": [{"name": "payments", "path": "apps/payments",
                          **({"budget": budget} if budget else {})},
                         {"name": "search", "path": "apps/search"}],
        "budgets": budgets or []})


BIG = est(cost("aws_nat_gateway.main", 300.0), cost("aws_lambda_function.api", 150.0),
          cost("aws_dynamodb_table.orders", 80.0), cost("aws_sqs_queue.jobs", 5.0),
          cost("aws_instance.search", 900.0, application="search"))


def test_application_over_its_budget_names_budget_estimate_and_three_biggest_contributors():
    [finding] = check_budgets(BIG, config({"monthly_usd": 500}))
    assert finding.rule_id == "PUR-BUD-001"
    assert finding.category is Category.finops
    assert finding.resource == "application:payments"
    assert (finding.source.file, finding.source.line) == ("purser.yaml", 0)
    assert "$535.00/month" in finding.message and "$500.00" in finding.message
    assert "aws_nat_gateway.main ($300.00)" in finding.message
    assert "aws_lambda_function.api ($150.00)" in finding.message
    assert "aws_dynamodb_table.orders ($80.00)" in finding.message
    assert "aws_sqs_queue.jobs" not in finding.message
    assert finding.evidence["estimate_usd"] == pytest.approx(535)
    assert finding.evidence["over_by_usd"] == pytest.approx(35)
    assert [c["address"] for c in finding.evidence["contributors"]] == [
        "aws_nat_gateway.main", "aws_lambda_function.api", "aws_dynamodb_table.orders"]


def test_within_budget_is_silent():
    assert check_budgets(BIG, config({"monthly_usd": 535})) == []


def test_severity_comes_from_the_budget():
    [finding] = check_budgets(BIG, config({"monthly_usd": 1, "severity": "medium"}))
    assert finding.severity is Severity.medium


def test_unknown_usage_is_called_out_not_counted_as_zero():
    estimate = est(cost("aws_nat_gateway.main", 600.0), cost("aws_lambda_function.api", None))
    [finding] = check_budgets(estimate, config({"monthly_usd": 500}))
    assert "1 resource(s) have usage-based components without usage" in finding.message
    assert finding.evidence["resources_with_unknown_usage"] == 1


def test_tag_budget_on_team_sums_every_application_of_that_team():
    estimate = est(cost("a.one", 70.0, team="core"), cost("b.two", 50.0, application="search",
                                                           team="core"),
                   cost("c.three", 500.0, team="data"))
    [finding] = check_budgets(estimate, config(budgets=[
        {"tag": "team", "value": "core", "monthly_usd": 100}]))
    assert finding.resource == "tag:team=core"
    assert "$120.00/month" in finding.message
    assert "c.three" not in finding.message


def test_tag_budget_on_env_uses_the_environment_allocation():
    estimate = est(cost("a.prod", 70.0, environment="prod"), cost("a.dev", 500.0,
                                                                  environment="dev"))
    findings = check_budgets(estimate, config(budgets=[
        {"tag": "env", "value": "prod", "monthly_usd": 50, "severity": "low"}]))
    assert [(f.resource, f.severity) for f in findings] == [("tag:env=prod", Severity.low)]


def test_increase_above_max_usd_names_base_head_delta_and_biggest_increases():
    base = est(cost("aws_lambda_function.api", 100.0), cost("aws_sqs_queue.jobs", 10.0),
               cost("aws_instance.search", 50.0, application="search"))
    head = est(cost("aws_lambda_function.api", 160.0), cost("aws_sqs_queue.jobs", 12.0),
               cost("aws_nat_gateway.new", 33.0),
               cost("aws_instance.search", 500.0, application="search"))
    findings = check_budgets(head, config({"max_increase_usd": 50}), diff(base, head))
    [finding] = findings
    assert finding.rule_id == "PUR-BUD-002"
    assert finding.resource == "application:payments"
    assert "from $110.00 to $205.00 (+$95.00, +86.4%)" in finding.message
    assert "$50.00 (max_increase_usd)" in finding.message
    assert finding.message.index("aws_lambda_function.api (+$60.00)") < finding.message.index(
        "aws_nat_gateway.new (+$33.00)")
    assert "aws_instance.search" not in finding.message
    assert finding.evidence["delta_usd"] == pytest.approx(95)
    assert finding.evidence["base_usd"] == pytest.approx(110)


def test_increase_above_max_pct_only():
    base = est(cost("a.one", 100.0))
    head = est(cost("a.one", 111.0))
    budget = {"max_increase_pct": 10}
    [finding] = check_budgets(head, config(budget), diff(base, head))
    assert "10% (max_increase_pct)" in finding.message
    assert finding.evidence["delta_pct"] == pytest.approx(11.0)
    assert check_budgets(head, config({"max_increase_pct": 11.5}), diff(base, head)) == []


def test_percentage_limit_does_not_apply_to_a_scope_that_cost_nothing_before():
    head = est(cost("a.one", 40.0))
    assert check_budgets(head, config({"max_increase_pct": 10}), diff(est(), head)) == []
    [finding] = check_budgets(head, config({"max_increase_usd": 10}), diff(est(), head))
    assert "from $0.00 to $40.00 (+$40.00)" in finding.message


def test_a_decrease_never_fires_the_increase_rule():
    base, head = est(cost("a.one", 500.0)), est(cost("a.one", 100.0))
    assert check_budgets(head, config({"max_increase_usd": 0, "max_increase_pct": 0}),
                         diff(base, head)) == []


def test_without_a_diff_only_the_monthly_budget_is_judged():
    assert [f.rule_id for f in check_budgets(BIG, config(
        {"monthly_usd": 10, "max_increase_usd": 0}))] == ["PUR-BUD-001"]


def test_over_budget_and_increase_both_fire_for_one_scope():
    base, head = est(cost("a.one", 100.0)), est(cost("a.one", 700.0))
    findings = check_budgets(head, config({"monthly_usd": 500, "max_increase_usd": 100}),
                             diff(base, head))
    assert [f.rule_id for f in findings] == ["PUR-BUD-001", "PUR-BUD-002"]
