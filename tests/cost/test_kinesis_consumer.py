import pytest

from purser.model import Ref

# Catalog prices (us-east-1): provisioned enhanced fan-out $0.015 per consumer-shard-hour
# and $0.013 per GB retrieved; on-demand enhanced fan-out $0.05 per GB retrieved.


def test_consumer_of_a_provisioned_stream_pays_per_shard_hour(resource, priced):
    stream = resource("aws_kinesis_stream.s", "aws_kinesis_stream", {"shard_count": 4})
    consumer = resource("aws_kinesis_stream_consumer.c", "aws_kinesis_stream_consumer",
                        {"stream_arn": Ref(address="aws_kinesis_stream.s", attribute="arn")})
    cost = priced(consumer, {"monthly_data_retrieved_gb": 100}, others=[stream])
    # 4 shards × 730 hours = 2,920 consumer-shard-hours.
    assert cost.monthly_cost == pytest.approx(4 * 730 * 0.015 + 100 * 0.013)


def test_consumer_of_an_on_demand_stream_pays_per_gb_only(resource, priced):
    stream = resource("cfn:t.yaml#Stream", "AWS::Kinesis::Stream",
                      {"StreamModeDetails": {"StreamMode": "ON_DEMAND"}})
    consumer = resource("cfn:t.yaml#Fan", "AWS::Kinesis::StreamConsumer",
                        {"StreamARN": Ref(address="cfn:t.yaml#Stream", attribute="Arn")})
    cost = priced(consumer, {"monthly_data_retrieved_gb": 100}, others=[stream])
    assert cost.monthly_cost == pytest.approx(100 * 0.05)


def test_consumer_whose_stream_is_elsewhere_is_unpriced(resource, estimate_of):
    consumer = resource("aws_kinesis_stream_consumer.c", "aws_kinesis_stream_consumer",
                        {"stream_arn": "arn:aws:kinesis:us-east-1:1:stream/x"})
    assert "not known" in estimate_of([consumer]).unpriced[0].reason
