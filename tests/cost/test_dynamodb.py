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
