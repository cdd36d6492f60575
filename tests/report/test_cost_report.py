"""Cost renderers: JSON shape, Markdown PR section, rich tables; unknown usage is never 0."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from purser.cost.diff import diff
from purser.cost.estimate import Estimate, ResourceCost, Unpriced
from purser.model import CostLine, PriceRef
from purser.report import CheckReport
from purser.report.cost import (
    cost_json,
    cost_markdown,
    cost_table,
    diff_json,
    diff_markdown,
    diff_table,
    estimate_json,
    estimate_markdown,
    unit_price,
)

LAMBDA_PRICE = PriceRef(sku="lambda.duration", region="us-east-1",
                        source="https://aws.amazon.com/lambda/pricing/", date="2025-06-01")


def line(address: str, component: str, quantity: float | None, price: float,
         unit: str) -> CostLine:
    return CostLine(resource=address, component=component, unit=unit,
                    monthly_quantity=quantity, unit_price=price,
                    monthly_cost=None if quantity is None else quantity * price,
                    price=LAMBDA_PRICE,
                    usage_origin="unknown" if quantity is None else "usage file")


def lambda_cost(address: str, gb_seconds: float | None,
                application: str = "payments") -> ResourceCost:
    lines = [line(address, "Requests", 2.5, 0.2, "1M requests"),
             line(address, "Duration", gb_seconds, 0.0000166667, "GB-seconds")]
    return ResourceCost(address=address, type="aws_lambda_function",
                        monthly_cost=sum(c.monthly_cost or 0.0 for c in lines),
                        components=lines, application=application, environment="prod",
                        team="payments", usage_unknown=gb_seconds is None)


def est(*costs: ResourceCost) -> Estimate:
    total = sum(c.monthly_cost for c in costs)
    return Estimate(total_monthly_cost=total, resources=list(costs),
                    unpriced=[Unpriced(address="aws_mq_broker.b", type="aws_mq_broker",
                                       reason="no price model for aws_mq_broker")],
                    totals={"application": {"payments": total}},
                    notes=["Free tiers are not deducted."])


HEAD = est(lambda_cost("aws_lambda_function.api", 300_000),
           lambda_cost("aws_lambda_function.worker", None))
BASE = est(lambda_cost("aws_lambda_function.api", 150_000),
           lambda_cost("aws_lambda_function.old", 1000))


def rendered(draw, value) -> str:
    console = Console(record=True, width=220, color_system=None)
    draw(value, console)
    return console.export_text()


def test_estimate_json_has_the_documented_shape():
    data = json.loads(json.dumps(estimate_json(HEAD)))
    assert set(data) >= {"currency", "total_monthly_cost", "resources", "unpriced", "totals",
                         "notes"}
    assert data["currency"] == "USD"
    resource = data["resources"][0]
    assert set(resource) >= {"address", "type", "monthly_cost", "components"}
    component = resource["components"][1]
    assert set(component) >= {"name", "unit", "monthly_quantity", "unit_price", "monthly_cost",
                              "price_source", "price_date", "usage_origin"}
    assert component["price_source"] == "https://aws.amazon.com/lambda/pricing/"
    assert component["price_date"] == "2025-06-01"
    assert data["unpriced"] == [{"address": "aws_mq_broker.b", "type": "aws_mq_broker",
                                 "reason": "no price model for aws_mq_broker"}]


def test_estimate_json_keeps_unknown_usage_as_null_not_zero():
    worker = estimate_json(HEAD)["resources"][1]
    assert worker["usage_unknown"] is True
    assert worker["components"][1]["monthly_quantity"] is None
    assert worker["components"][1]["monthly_cost"] is None


def test_cost_table_shows_components_prices_sources_and_usage_unknown():
    text = rendered(cost_table, HEAD)
    assert "aws_lambda_function.api" in text
    assert "300,000 GB-seconds" in text
    assert "$0.0000166667" in text
    assert "https://aws.amazon.com/lambda/pricing/ (2025-06-01)" in text
    assert "usage unknown" in text
    assert "aws_mq_broker.b: no price model" in text
    assert "Free tiers are not deducted." in text
    assert "By application" in text


def test_cost_table_never_prints_zero_for_an_unknown_quantity():
    text = rendered(cost_table, HEAD)
    durations = [row.strip() for row in text.splitlines() if "Duration" in row]
    assert durations == [
        "└ Duration: 300,000 GB-seconds × $0.0000166667 = $5.00  (usage file) [1]",
        "└ Duration: usage unknown × $0.0000166667 = usage unknown  (unknown) [1]"]


def test_cost_lines_fit_an_80_column_log():
    console = Console(record=True, width=80, color_system=None)
    cost_table(HEAD, console)
    rows = console.export_text().splitlines()
    assert all(len(row) <= 80 for row in rows)
    assert "      └ Requests: 2.5 1M requests × $0.20 = $0.50  (usage file) [1]" in rows


def test_diff_json_carries_totals_and_each_list():
    data = json.loads(json.dumps(diff_json(diff(BASE, HEAD))))
    assert set(data) >= {"currency", "base_total", "head_total", "delta", "delta_pct", "added",
                         "removed", "changed", "unchanged"}
    assert [d["address"] for d in data["changed"]] == ["aws_lambda_function.api"]
    assert data["changed"][0]["components"][0]["name"] == "Duration"


def test_diff_markdown_has_the_headline_table_and_collapsible_details():
    result = diff(BASE, HEAD)
    text = diff_markdown(result)
    expected_delta = 150_000 * 0.0000166667 + 0.5 - (0.5 + 1000 * 0.0000166667)
    assert f"+${expected_delta:,.2f}" in text
    assert f"**${BASE.total_monthly_cost:,.2f} → ${HEAD.total_monthly_cost:,.2f}**" in text
    assert "| changed | `aws_lambda_function.api` |" in text
    assert "| added | `aws_lambda_function.worker` (usage unknown) |" in text
    assert "| removed | `aws_lambda_function.old` |" in text
    assert "<details>" in text and "<summary>Component changes</summary>" in text
    assert "150,000 GB-seconds: $2.50" in text and "300,000 GB-seconds: $5.00" in text


def test_diff_markdown_of_no_change_says_so():
    text = diff_markdown(diff(HEAD, HEAD))
    assert "±$0.00" in text
    assert "0 added, 0 removed, 0 changed, 2 unchanged." in text
    assert "<details>" not in text


def test_diff_table_prints_headline_and_resource_rows():
    text = rendered(diff_table, diff(BASE, HEAD))
    assert "Monthly cost: $" in text
    assert "aws_lambda_function.api" in text and "+$2.50" in text
    assert "1 added, 1 removed, 1 changed, 0 unchanged." in text


def test_estimate_markdown_lists_resources_totals_unpriced_and_notes():
    text = estimate_markdown(HEAD)
    assert text.startswith(f"### Monthly cost estimate: ${HEAD.total_monthly_cost:,.2f} USD")
    assert "`aws_lambda_function.worker` | aws_lambda_function | $0.50 + usage unknown |" in text
    assert "**By application:** payments" in text
    assert "<summary>Not priced (1)</summary>" in text
    assert "> Free tiers are not deducted." in text


def test_markdown_escapes_table_separators_in_names():
    cost = lambda_cost('aws_lambda_function.fn["a|b"]', 10)
    assert '| `aws_lambda_function.fn["a\\|b"]` | aws_lambda_function |' in estimate_markdown(
        est(cost))


def report(cost=None, cost_diff=None) -> CheckReport:
    return CheckReport(root=".", resources=[], findings=[], errors=[], cost=cost,
                       cost_diff=cost_diff)


def test_cost_json_hook_emits_the_keys_the_report_has():
    assert cost_json(report()) == {}
    assert set(cost_json(report(HEAD))) == {"cost"}
    assert set(cost_json(report(HEAD, diff(BASE, HEAD)))) == {"cost", "cost_diff"}


def test_cost_markdown_hook_leads_with_the_diff_and_folds_the_estimate():
    text = cost_markdown(report(HEAD, diff(BASE, HEAD)))
    assert text.startswith("### Cost impact")
    assert "<summary>Full estimate</summary>" in text
    assert cost_markdown(report(HEAD)).startswith("### Monthly cost estimate")
    assert cost_markdown(report()) == ""


@pytest.mark.parametrize(("price", "shown"), [
    (0.0000166667, "$0.0000166667"), (0.04048, "$0.04048"), (0.2, "$0.20"), (1234.5, "$1,234.50")])
def test_unit_prices_keep_every_catalog_digit(price: float, shown: str):
    assert unit_price(price) == shown


def test_cost_table_top_itemises_the_most_expensive_and_sums_the_rest():
    from rich.console import Console

    from purser.cost.estimate import Estimate, ResourceCost
    from purser.report.cost import cost_table

    costs = [ResourceCost(address=f"aws_sqs_queue.q{i}", type="aws_sqs_queue",
                          monthly_cost=float(i), components=[], application=None,
                          environment=None, team=None, usage_unknown=False)
             for i in range(1, 5)]
    estimate = Estimate(total_monthly_cost=10.0, resources=costs, unpriced=[], totals={},
                        notes=[])
    console = Console(record=True, width=200)
    cost_table(estimate, console, top=2)
    text = console.export_text()
    assert "aws_sqs_queue.q4" in text and "aws_sqs_queue.q3" in text
    assert "aws_sqs_queue.q1" not in text
    assert "2 more priced resource(s) costing $3.00" in text
