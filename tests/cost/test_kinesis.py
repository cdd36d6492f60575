import pytest

STREAM = "aws_kinesis_stream"
FIREHOSE = "aws_kinesis_firehose_delivery_stream"


def provisioned(resource, shards=4, **attrs):
    return resource("aws_kinesis_stream.clicks", STREAM,
                    {"stream_mode_details": [{"stream_mode": "PROVISIONED"}],
                     "shard_count": shards, **attrs})


def test_provisioned_stream_pays_shard_hours_and_put_payload_units(resource, priced, lines):
    cost = priced(provisioned(resource), {"monthly_provisioned_put_units": 6_500_000,
                                          "monthly_provisioned_efo_data_out_gb": 100,
                                          "monthly_provisioned_efo_consumer_hours": 100})
    shards = lines(cost)["Shard hours"]
    assert (shards.monthly_quantity, shards.usage_origin) == (4 * 730, "fixed")
    expected = (4 * 730 * 0.015  # shard-hours
                + 6.5 * 0.014  # 6.5 M PUT payload units at $0.014 per million
                + 100 * 0.013  # enhanced fan-out GB
                + 100 * 0.015)  # enhanced fan-out consumer-shard hours
    assert cost.monthly_cost == pytest.approx(expected)
    assert "Extended retention (24 hours to 7 days)" not in lines(cost)  # 24 h by default


def test_retention_past_a_day_costs_per_shard_hour_and_past_a_week_per_gb(resource, priced,
                                                                         lines):
    week = provisioned(resource, retention_period=168)
    by = lines(priced(week))
    assert by["Extended retention (24 hours to 7 days)"].monthly_cost == \
        pytest.approx(4 * 730 * 0.02)
    assert "Long-term retention (over 7 days)" not in by
    year = provisioned(resource, shards=2, retention_period=8760)
    cost = priced(year, {"monthly_provisioned_long_term_retention_gb": 100,
                         "monthly_provisioned_long_term_retrieval_gb": 10})
    expected = (2 * 730 * 0.015 + 2 * 730 * 0.02  # shards, extended retention
                + 100 * 0.023 + 10 * 0.021)  # long-term GB kept, GB read back
    assert cost.monthly_cost == pytest.approx(expected)


def test_an_unknown_shard_count_stays_unknown(resource, priced, lines):
    stream = resource("aws_kinesis_stream.s", STREAM, {"shard_count": "${var.shards}"})
    cost = priced(stream)
    shards = lines(cost)["Shard hours"]
    assert (shards.unit_price, shards.monthly_cost) == (0.015, None) and cost.monthly_cost == 0


def test_on_demand_stream_pays_stream_hours_and_each_gb(resource, priced):
    stream = resource("aws_kinesis_stream.events", STREAM,
                      {"stream_mode_details": [{"stream_mode": "ON_DEMAND"}]})
    cost = priced(stream, {"monthly_on_demand_data_in_gb": 200,
                           "monthly_on_demand_data_out_gb": 400,
                           "monthly_on_demand_efo_data_out_gb": 50,
                           "monthly_on_demand_extended_retention_gb": 10,
                           "monthly_on_demand_long_term_retention_gb": 30})
    expected = (730 * 0.04 + 200 * 0.08 + 400 * 0.04 + 50 * 0.05
                + 10 * 0.10 + 30 * 0.023)
    assert cost.monthly_cost == pytest.approx(expected)


def test_cloudformation_stream_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:data.yaml#Clicks", "AWS::Kinesis::Stream",
                        {"ShardCount": 3, "RetentionPeriodHours": 48}, region="us-east-2")
    assert priced(template).monthly_cost == pytest.approx(3 * 730 * 0.015 + 3 * 730 * 0.02)
    on_demand = resource("cfn:data.yaml#Events", "AWS::Kinesis::Stream",
                         {"StreamModeDetails": {"StreamMode": "ON_DEMAND"}})
    assert priced(on_demand).monthly_cost == pytest.approx(730 * 0.04)


def test_a_stream_mode_purser_does_not_know_is_unpriced(resource, estimate_of):
    odd = resource("aws_kinesis_stream.s", STREAM,
                   {"stream_mode_details": [{"stream_mode": "SERVERLESS"}]})
    assert "unknown stream mode" in estimate_of([odd]).unpriced[0].reason


def test_firehose_ingestion_is_tiered(resource, priced, lines):
    stream = resource("aws_kinesis_firehose_delivery_stream.logs", FIREHOSE,
                      {"destination": "extended_s3"})
    cost = priced(stream, {"monthly_data_ingested_gb": 3_000_000})
    # first 500 TB at $0.029, next 1.5 PB at $0.025, the rest at $0.020
    expected = 512_000 * 0.029 + 1_536_000 * 0.025 + 952_000 * 0.020
    assert cost.monthly_cost == pytest.approx(expected)
    assert set(lines(cost)) == {"Data ingested (first 500 TB)", "Data ingested (next 1500 TB)",
                                "Data ingested (over 2000 TB)"}


def test_firehose_format_conversion_and_vpc_delivery(resource, priced, lines):
    stream = resource("aws_kinesis_firehose_delivery_stream.search", FIREHOSE, {
        "extended_s3_configuration": [{"data_format_conversion_configuration": [
            {"output_format_configuration": [{"serializer": [{}]}]}]}],
        "opensearch_configuration": [{"vpc_config": [{"subnet_ids": ["a", "b"]}]}]},
        region="eu-west-2")
    cost = priced(stream, {"monthly_data_ingested_gb": 1_000})
    by = lines(cost)
    assert by["VPC delivery (2 AZs)"].monthly_quantity == 2 * 730
    expected = (1_000 * 0.035  # ingested (London)
                + 1_000 * 0.021  # converted to Parquet/ORC
                + 1_000 * 0.01  # delivered into the VPC
                + 2 * 730 * 0.011)  # two zones' delivery hours
    assert cost.monthly_cost == pytest.approx(expected)


def test_firehose_conversion_switched_off_costs_nothing(resource, priced, lines):
    stream = resource("aws_kinesis_firehose_delivery_stream.s", FIREHOSE, {
        "extended_s3_configuration": [{"data_format_conversion_configuration": [
            {"enabled": False, "output_format_configuration": [{"serializer": [{}]}]}]}]})
    assert set(lines(priced(stream))) == {"Data ingested (first 500 TB)"}


def test_cloudformation_firehose_is_priced_through_its_kind(resource, priced, lines):
    template = resource("cfn:logs.yaml#Delivery", "AWS::KinesisFirehose::DeliveryStream", {
        "ExtendedS3DestinationConfiguration": {
            "DataFormatConversionConfiguration": {
                "OutputFormatConfiguration": {"Serializer": {"ParquetSerDe": {}}}}},
        "ElasticsearchDestinationConfiguration": {
            "VpcConfiguration": {"SubnetIds": ["a", "b", "c"]}}})
    cost = priced(template, {"monthly_data_ingested_gb": 100})
    expected = 100 * 0.029 + 100 * 0.018 + 100 * 0.01 + 3 * 730 * 0.01
    assert cost.monthly_cost == pytest.approx(expected)
    assert "VPC delivery (3 AZs)" in lines(cost)
