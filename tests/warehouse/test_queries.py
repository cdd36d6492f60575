"""Allocation and daily series over ingested billing, joined on the ownership tags."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from purser.reconcile.ownership import ownership_tags
from purser.warehouse import Warehouse, WarehouseError, ingest_focus, ingest_metrics
from purser.warehouse.queries import CostColumn, allocation, daily_spend, daily_usage
from tests.warehouse.conftest import write_focus

ADDRESS = "apps/payments#aws_lambda_function.resize"
ARN = "arn:aws:lambda:us-east-1:1:function:resize"


@pytest.fixture
def billed(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    owned = json.dumps({**ownership_tags("payments-api", ADDRESS), "team": "payments",
                        "env": "prod"})
    rows = [
        {"ResourceId": ARN, "Tags": owned, "EffectiveCost": "3", "BilledCost": "4",
         "ChargePeriodStart": "2026-05-01 00:00:00"},
        {"ResourceId": ARN, "Tags": owned, "EffectiveCost": "5", "BilledCost": "5",
         "ChargePeriodStart": "2026-05-03 00:00:00"},
        {"ResourceId": "arn:aws:s3:::logs", "Tags": '{"env": "prod"}', "EffectiveCost": "2",
         "ServiceName": "Amazon S3", "ChargePeriodStart": "2026-05-02 00:00:00"},
        {"ResourceId": "", "Tags": "", "EffectiveCost": "1", "ServiceName": "Tax",
         "ChargeCategory": "Tax", "ChargePeriodStart": "2026-05-02 00:00:00"},
    ]
    ingest_focus(warehouse, [write_focus(tmp_path / "bill.csv", rows)])
    return warehouse


def _groups(result: object) -> dict[str, float]:
    return {row.group: row.cost for row in result.rows}  # type: ignore[attr-defined]


def test_ownership_tags_give_application_and_address(billed: Warehouse) -> None:
    assert _groups(allocation(billed, "app")) == {"payments-api": 8.0, "untagged": 2.0,
                                                  "unallocated": 1.0}
    assert _groups(allocation(billed, "resource")) == {ADDRESS: 8.0, "untagged": 2.0,
                                                       "unallocated": 1.0}


def test_allocation_keeps_untagged_and_unallocated_rows(billed: Warehouse) -> None:
    result = allocation(billed, "team")
    assert _groups(result) == {"payments": 8.0, "untagged": 2.0, "unallocated": 1.0}
    assert result.totals() == {"USD": 11.0}
    assert _groups(allocation(billed, "tag:env")) == {"prod": 10.0, "unallocated": 1.0}
    assert _groups(allocation(billed, "service")) == {"AWS Lambda": 8.0, "Amazon S3": 2.0,
                                                      "Tax": 1.0}


def test_allocation_sums_the_named_cost_column_over_the_period(billed: Warehouse) -> None:
    result = allocation(billed, "team", since=datetime.date(2026, 5, 1),
                        until=datetime.date(2026, 5, 1), cost=CostColumn.BilledCost)
    assert (_groups(result), result.cost_column) == ({"payments": 4.0}, CostColumn.BilledCost)


def test_daily_spend_is_statsforecast_long_format_with_gaps_filled(billed: Warehouse) -> None:
    frame = daily_spend(billed, "app")
    assert list(frame.columns) == ["unique_id", "ds", "y"]
    payments = frame[frame.unique_id == "payments-api"]
    assert payments.y.tolist() == [3.0, 0.0, 5.0]
    assert [d.day for d in payments.ds] == [1, 2, 3]
    total = daily_spend(billed)
    assert total.y.sum() == 11.0 and set(total.unique_id) == {"total"}


def test_unknown_groupings_and_hostile_tag_keys_are_refused(billed: Warehouse) -> None:
    for by in ("colour", "tag:a'); DROP TABLE billing; --", "tag:"):
        with pytest.raises(WarehouseError):
            allocation(billed, by)


def test_queries_on_an_empty_warehouse_return_nothing(warehouse: Warehouse) -> None:
    assert allocation(warehouse, "team").rows == []
    assert daily_spend(warehouse, "service").empty


def test_metrics_ingest_and_daily_usage_joined_to_addresses(billed: Warehouse,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    path.write_text("timestamp,resource_id,metric,value,unit\n"
                    f"2026-05-01T10:00:00Z,{ARN},invocations,10,Count\n"
                    f"2026-05-01T11:00:00Z,{ARN},invocations,5,Count\n"
                    f"2026-05-01T11:00:00Z,{ARN},bogus,5,Count\n"
                    f"2026-05-01T11:00:00Z,{ARN},cpu,not-a-number,%\n"
                    f"2026-05-02T10:00:00Z,{ARN},duration,100,Milliseconds\n"
                    f"2026-05-02T11:00:00Z,{ARN},duration,300,Milliseconds\n")
    [result] = ingest_metrics(billed, [path]).files
    assert (result.rows, result.rejected, result.months) == (4, 2, ["2026-05"])
    assert [(e.line, e.column) for e in result.errors] == [(4, "metric"), (5, "value")]
    assert "one of invocations" in result.errors[0].message
    usage = daily_usage(billed, "invocations", by="address")
    assert usage[["unique_id", "y"]].values.tolist() == [[ADDRESS, 15.0]]
    assert daily_usage(billed, "duration").y.tolist() == [200.0]
