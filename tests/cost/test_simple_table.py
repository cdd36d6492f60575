import pytest

# Catalog prices (us-east-1): on demand $0.625 per 1M write and $0.125 per 1M read request
# units; provisioned $0.00065 per WCU-hour and $0.00013 per RCU-hour.


def test_simple_table_without_throughput_is_on_demand(resource, priced):
    table = resource("cfn:t.yaml#Items", "AWS::Serverless::SimpleTable",
                     {"PrimaryKey": {"Name": "id", "Type": "String"}})
    assert table.get("hash_key") == "id"
    cost = priced(table, {"monthly_write_request_units": 2_000_000,
                          "monthly_read_request_units": 8_000_000})
    assert cost.monthly_cost == pytest.approx(2 * 0.625 + 8 * 0.125)


def test_simple_table_with_throughput_is_provisioned(resource, priced):
    table = resource("cfn:t.yaml#Items", "AWS::Serverless::SimpleTable",
                     {"ProvisionedThroughput": {"ReadCapacityUnits": 5,
                                                "WriteCapacityUnits": 2}})
    # 2 WCU and 5 RCU, all 730 hours.
    assert priced(table).monthly_cost == pytest.approx(730 * (2 * 0.00065 + 5 * 0.00013))
