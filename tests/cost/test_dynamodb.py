import pytest

ORDERS_USAGE = {"monthly_write_request_units": 2_500_000, "monthly_read_request_units": 9_000_000,
                "storage_gb": 20, "pitr_backup_storage_gb": 20}


def orders(resource, region="us-east-1"):
    return resource("aws_dynamodb_table.orders", "aws_dynamodb_table",
                    {"billing_mode": "PAY_PER_REQUEST",
                     "point_in_time_recovery": [{"enabled": True}]}, region=region)


def test_on_demand_table_costs_request_units_storage_and_pitr(resource, priced):
    cost = priced(orders(resource), ORDERS_USAGE)
    expected = 2.5 * 0.625 + 9 * 0.125 + 20 * 0.25 + 20 * 0.20
    assert cost.monthly_cost == pytest.approx(expected)


def test_on_demand_table_costs_more_in_eu_central_1(resource, priced):
    cost = priced(orders(resource, "eu-central-1"), ORDERS_USAGE)
    expected = 2.5 * 0.7625 + 9 * 0.1525 + 20 * 0.306 + 20 * 0.2448  # $14.29
    assert cost.monthly_cost == pytest.approx(expected)
    assert {line.price.region for line in cost.components} == {"eu-central-1"}


def test_provisioned_table_pays_capacity_hours_without_usage(resource, priced, lines):
    table = resource("aws_dynamodb_table.p", "aws_dynamodb_table",
                     {"read_capacity": 10, "write_capacity": 5})
    cost = priced(table)
    assert cost.monthly_cost == pytest.approx(5 * 730 * 0.00065 + 10 * 730 * 0.00013)
    storage = lines(cost)["Storage"]
    assert storage.monthly_cost is None and storage.unit_price == 0.25
    assert cost.usage_unknown


def test_table_without_pitr_has_no_backup_line(resource, priced, lines):
    table = resource("aws_dynamodb_table.t", "aws_dynamodb_table",
                     {"billing_mode": "PAY_PER_REQUEST"})
    assert "Point-in-time recovery backups" not in lines(priced(table, ORDERS_USAGE))


def test_stream_reads_are_priced_when_the_stream_is_enabled(resource, priced, lines):
    table = resource("aws_dynamodb_table.s", "aws_dynamodb_table",
                     {"billing_mode": "PAY_PER_REQUEST", "stream_enabled": True})
    cost = priced(table, {"monthly_streams_read_request_units": 4_000_000})
    assert lines(cost)["Streams read request units"].monthly_cost == pytest.approx(4 * 0.20)


def test_cloudformation_table_is_priced(resource, priced):
    table = resource("cfn:t.yaml#Table", "AWS::DynamoDB::Table",
                     {"BillingMode": "PAY_PER_REQUEST"})
    cost = priced(table, {"monthly_write_request_units": 1_000_000,
                          "monthly_read_request_units": 2_000_000, "storage_gb": 1})
    assert cost.monthly_cost == pytest.approx(1 * 0.625 + 2 * 0.125 + 1 * 0.25)


# Global tables, backups, restores and Auto Scaling (dynamodb.yaml, from AWS's pricing-page
# data): replicated write request units per 1M $0.625 in us-east-2, $0.695 in us-west-1;
# replicated write capacity per rWCU-hour $0.00065 in us-east-2, $0.000725 in us-west-1;
# on-demand backup storage $0.10 per GB-month and restores $0.15 per GB in us-east-2.

def _global_table(resource, **attrs):
    return resource("aws_dynamodb_table.g", "aws_dynamodb_table",
                    {"replica": [{"region_name": "us-east-2"}, {"region_name": "us-west-1"}],
                     **attrs}, region="us-east-2")


def test_on_demand_global_table_pays_replicated_writes_in_each_replica_region(
        resource, priced, lines):
    cost = priced(_global_table(resource, billing_mode="PAY_PER_REQUEST"),
                  {"monthly_write_request_units": 3_000_000})
    found = lines(cost)
    east = found["Global table replica (us-east-2): replicated write request units"]
    west = found["Global table replica (us-west-1): replicated write request units"]
    assert east.monthly_cost == pytest.approx(3 * 0.625)  # $1.88
    assert west.monthly_cost == pytest.approx(3 * 0.695)  # $2.09
    assert west.price.region == "us-west-1"


def test_provisioned_global_table_pays_replicated_write_capacity(resource, priced, lines):
    cost = priced(_global_table(resource, read_capacity=30, write_capacity=20))
    found = lines(cost)
    assert found["Global table replica (us-east-2): replicated write capacity units"] \
        .monthly_cost == pytest.approx(20 * 730 * 0.00065)  # $9.49
    assert found["Global table replica (us-west-1): replicated write capacity units"] \
        .monthly_cost == pytest.approx(20 * 730 * 0.000725)  # $10.59
    # with the table's own 20 WCU and 30 RCU in us-east-2: $9.49 + $2.85
    assert cost.monthly_cost == pytest.approx(
        20 * 730 * (0.00065 + 0.00065 + 0.000725) + 30 * 730 * 0.00013)


def test_replica_in_a_region_without_prices_makes_the_table_unpriced(resource, estimate_of):
    table = resource("aws_dynamodb_table.g", "aws_dynamodb_table",
                     {"billing_mode": "PAY_PER_REQUEST", "replica": [{"region_name": "mars-1"}]})
    result = estimate_of([table])
    assert "replica region 'mars-1'" in result.unpriced[0].reason


def test_on_demand_backups_and_restores_are_priced_from_usage(resource, priced, lines):
    table = resource("aws_dynamodb_table.t", "aws_dynamodb_table",
                     {"billing_mode": "PAY_PER_REQUEST"}, region="us-east-2")
    found = lines(priced(table, {"on_demand_backup_storage_gb": 460,
                                 "monthly_data_restored_gb": 230}))
    assert found["On-demand backup storage"].monthly_cost == pytest.approx(460 * 0.10)  # $46
    assert found["Table data restored"].monthly_cost == pytest.approx(230 * 0.15)  # $34.50


def test_stream_reads_given_in_usage_are_priced_without_stream_enabled(resource, priced, lines):
    table = resource("aws_dynamodb_table.t", "aws_dynamodb_table",
                     {"billing_mode": "PAY_PER_REQUEST"})
    cost = priced(table, {"monthly_streams_read_request_units": 2_000_000})
    assert lines(cost)["Streams read request units"].monthly_cost == pytest.approx(2 * 0.20)


def test_auto_scaled_capacity_is_billed_at_the_targets_minimum(resource, priced, lines):
    table = resource("aws_dynamodb_table.t", "aws_dynamodb_table",
                     {"name": "Scores", "read_capacity": 30, "write_capacity": 20})
    target = resource("aws_appautoscaling_target.w", "aws_appautoscaling_target",
                      {"resource_id": "table/Scores", "min_capacity": 6,
                       "scalable_dimension": "dynamodb:table:WriteCapacityUnits"})
    found = lines(priced(table, others=[target]))
    writes = found["Write capacity (6 WCU, Auto Scaling minimum, a lower bound)"]
    assert writes.monthly_cost == pytest.approx(6 * 730 * 0.00065)  # $2.85
    assert writes.usage_origin == "default"
    assert found["Read capacity (30 RCU)"].monthly_cost == pytest.approx(30 * 730 * 0.00013)
