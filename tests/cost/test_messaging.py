import pytest

from purser.model import Ref

from .conftest import make_resource

# Catalog prices (us-east-1 unless said): SQS $0.40 (standard) and $0.50 (FIFO) per 1M
# requests; SNS $0.50 per 1M publishes; SNS deliveries per 1M: HTTP/S $0.60, email $20.00,
# Firehose $0.19, mobile push $0.50, macOS $0.50; SNS FIFO $0.30 per 1M publishes
# ($0.33 in eu-west-1), $0.017 per GB published ($0.0187 in eu-west-1), $0.01 per 1M
# deliveries and $0.001 per GB delivered; EventBridge per 1M events: custom $1.00,
# third-party $1.00, schema discovery $0.10; archive $0.10 per GB processed and $0.023 per
# GB-month stored.


def test_standard_queue_costs_per_million_requests(resource, priced):
    queue = resource("aws_sqs_queue.events", "aws_sqs_queue")
    cost = priced(queue, {"monthly_requests": 5_000_000, "request_size_kb": 4})
    assert cost.monthly_cost == pytest.approx(5_000_000 / 1e6 * 0.40)


def test_fifo_queue_bills_each_64_kb_chunk_as_a_request(resource, priced, lines):
    queue = resource("aws_sqs_queue.orders", "aws_sqs_queue", {"fifo_queue": True})
    cost = priced(queue, {"monthly_requests": 1_000_000, "request_size_kb": 128})
    assert cost.monthly_cost == pytest.approx(2 * 1_000_000 / 1e6 * 0.50)
    assert lines(cost)["Requests (FIFO)"].price.sku == "aws.sqs.us-east-1.requests.fifo"


def test_cloudformation_queue_is_priced(resource, priced):
    queue = resource("cfn:sam/template.yaml#OrdersQueue", "AWS::SQS::Queue", {})
    assert priced(queue, {"monthly_requests": 2_400_000}).monthly_cost == pytest.approx(
        2.4 * 0.40)


# -- SNS standard topics ------------------------------------------------------------------

def test_sns_topic_deducts_the_first_million_publishes_counting_64_kb_chunks(
        resource, priced, lines):
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic")
    cost = priced(topic, {"monthly_requests": 3_000_000, "request_size_kb": 128})
    # 3M publishes of 128 KB are 6M billed requests; the first 1M are free: 5M × $0.50.
    publishes = lines(cost)["Publish requests (after 1M free)"]
    assert publishes.monthly_quantity == pytest.approx(5)
    assert cost.monthly_cost == pytest.approx(5 * 0.50)


def test_sns_topic_within_the_free_publishes_costs_nothing(resource, priced):
    topic = resource("aws_sns_topic.quiet", "aws_sns_topic")
    assert priced(topic, {"monthly_requests": 800_000}).monthly_cost == 0


def test_sns_deliveries_by_protocol_after_the_free_tiers_infracost_deducts(
        resource, priced, lines):
    """Infracost's sns_topic_withChargedSubscribers, without its SMS subscriber: $12.30."""
    topic = resource("aws_sns_topic.fanout", "aws_sns_topic")
    cost = priced(topic, {"monthly_requests": 1000, "http_subscriptions": 200,
                          "email_subscriptions": 300, "kinesis_subscriptions": 4000,
                          "mobile_push_subscriptions": 5000, "macos_subscriptions": 6000})
    found = lines(cost)
    # HTTP/S: 200 × 1,000 = 200,000 deliveries, 100,000 free: 0.1M × $0.60 = $0.06.
    assert found["HTTP/S deliveries (after 100,000 free)"].monthly_cost == pytest.approx(0.06)
    # Email: 300,000 deliveries, 1,000 free: 0.299M × $20.00 = $5.98.
    assert found["Email deliveries (after 1,000 free)"].monthly_cost == pytest.approx(5.98)
    assert found["Firehose deliveries"].monthly_cost == pytest.approx(4 * 0.19)
    assert found["Mobile push deliveries"].monthly_cost == pytest.approx(5 * 0.50)
    assert found["macOS deliveries"].monthly_cost == pytest.approx(6 * 0.50)
    # 1,000 publishes are within the free million.
    assert cost.monthly_cost == pytest.approx(0.06 + 5.98 + 0.76 + 2.50 + 3.00)


def test_sns_sms_deliveries_are_priced_at_the_usage_files_price_per_message(
        resource, priced, lines):
    """Infracost's sns_topic_customSmsPrice: $8.88."""
    topic = resource("aws_sns_topic.texts", "aws_sns_topic")
    cost = priced(topic, {"monthly_requests": 10, "sms_subscriptions": 100,
                          "sms_notification_price": 0.00987})
    sms = lines(cost)["SMS deliveries (after 100 free)"]
    # 100 × 10 = 1,000 messages, 100 free: 900 × $0.00987 = $8.883.
    assert sms.monthly_quantity == 900 and sms.unit_price == 0.00987
    assert sms.price.source == "sms_notification_price in the usage file"
    assert cost.monthly_cost == pytest.approx(900 * 0.00987)


def test_sns_sms_deliveries_without_a_price_leave_the_topic_unpriced(resource, estimate_of):
    topic = resource("aws_sns_topic.texts", "aws_sns_topic")
    result = estimate_of([topic], {topic.address: {"monthly_requests": 1000,
                                                   "sms_subscriptions": 1}})
    assert not result.resources
    assert "900 SMS deliveries" in result.unpriced[0].reason
    assert "sms_notification_price" in result.unpriced[0].reason


def test_sns_deliveries_are_shown_for_the_protocols_the_usage_mentions(
        resource, priced, lines):
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic")
    quiet = priced(topic, {"monthly_requests": 2_000_000})
    assert list(lines(quiet)) == ["Publish requests (after 1M free)"]
    cost = priced(topic, {"http_subscriptions": 3})  # publishes not known
    http = lines(cost)["HTTP/S deliveries (after 100,000 free)"]
    assert http.monthly_cost is None and http.unit_price == 0.60
    assert cost.usage_unknown


def test_sns_deliveries_to_zero_subscriptions_cost_nothing(resource, priced, lines):
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic")
    cost = priced(topic, {"monthly_requests": 2_000_000, "http_subscriptions": 0})
    assert lines(cost)["HTTP/S deliveries (after 100,000 free)"].monthly_cost == 0


# -- SNS FIFO topics and subscriptions ----------------------------------------------------

def _subscription(name, topic, protocol="sqs"):
    return make_resource(f"aws_sns_topic_subscription.{name}", "aws_sns_topic_subscription",
                         {"topic_arn": Ref(address=topic.address, attribute="arn"),
                          "protocol": protocol, "endpoint": "x"})


def test_sns_fifo_topic_prices_publishes_payload_and_deliveries_to_its_subscriptions(
        resource, priced, lines):
    """Infracost's sns_fifo_topic_withUsageAndSubscriptions: $3.22."""
    topic = resource("aws_sns_topic.orders", "aws_sns_topic", {"fifo_topic": True})
    subscriptions = [_subscription(f"s{i}", topic) for i in range(3)]
    cost = priced(topic, {"monthly_requests": 2_000_000, "request_size_kb": 64},
                  others=subscriptions)
    found = lines(cost)
    # 2M × 64 KB = 128 GB published (decimal GB: 1,000,000 KB); 3 subscriptions receive
    # 6M deliveries and 384 GB.
    assert found["FIFO publish requests"].monthly_cost == pytest.approx(2 * 0.30)
    assert found["FIFO publish payload"].monthly_quantity == pytest.approx(128)
    assert found["FIFO deliveries (3 subscriptions)"].monthly_cost == pytest.approx(6 * 0.01)
    assert found["FIFO delivery payload"].monthly_quantity == pytest.approx(384)
    assert cost.monthly_cost == pytest.approx(0.60 + 128 * 0.017 + 0.06 + 384 * 0.001)


def test_sns_fifo_topic_without_subscriptions_prices_its_publishes_only(
        resource, priced, lines):
    topic = resource("aws_sns_topic.orders", "aws_sns_topic", {"fifo_topic": "true"})
    cost = priced(topic, {"monthly_requests": 1_000_000, "request_size_kb": 128})
    assert list(lines(cost)) == ["FIFO publish requests", "FIFO publish payload"]
    assert cost.monthly_cost == pytest.approx(1 * 0.30 + 128 * 0.017)


def test_sns_fifo_topic_finds_subscriptions_that_name_it_by_arn(resource, priced, lines):
    topic = resource("aws_sns_topic.orders", "aws_sns_topic",
                     {"fifo_topic": True, "name": "orders.fifo"})
    by_arn = resource("aws_sns_topic_subscription.q", "aws_sns_topic_subscription",
                      {"topic_arn": "arn:aws:sns:us-east-1:123456789012:orders.fifo",
                       "protocol": "sqs"})
    cost = priced(topic, {"monthly_requests": 1_000_000}, others=[by_arn])
    assert lines(cost)["FIFO deliveries (1 subscriptions)"].monthly_cost == pytest.approx(0.01)


def test_sns_fifo_topic_uses_its_regions_prices(resource, priced, lines):
    topic = resource("aws_sns_topic.eu", "aws_sns_topic", {"fifo_topic": True},
                     region="eu-west-1")
    cost = priced(topic, {"monthly_requests": 1_000_000, "request_size_kb": 1000})
    assert lines(cost)["FIFO publish requests"].unit_price == 0.33
    assert cost.monthly_cost == pytest.approx(0.33 + 1000 * 0.0187)


def test_http_subscription_is_priced_per_delivery_without_a_free_tier(resource, priced):
    """Infracost's sns_topic_subscription_withUsage: 1M × 128 KB = 2M deliveries, $1.20."""
    topic = resource("aws_sns_topic.t", "aws_sns_topic")
    hook = _subscription("hook", topic, protocol="https")
    cost = priced(hook, {"monthly_requests": 1_000_000, "request_size_kb": 128})
    assert cost.monthly_cost == pytest.approx(2 * 0.60)


def test_sqs_and_lambda_subscriptions_are_free(resource, estimate_of):
    topic = resource("aws_sns_topic.t", "aws_sns_topic")
    queue, function = _subscription("q", topic, "sqs"), _subscription("f", topic, "lambda")
    result = estimate_of([queue, function], {queue.address: {"monthly_requests": 10**9}})
    assert set(result.free) == {queue.address, function.address}


def test_subscription_with_an_unknown_protocol_is_unpriced(resource, estimate_of):
    hook = resource("aws_sns_topic_subscription.h", "aws_sns_topic_subscription",
                    {"protocol": Ref(address="var.protocol")})
    result = estimate_of([hook])
    assert "protocol is not known" in result.unpriced[0].reason


def test_cloudformation_email_subscription_is_priced_as_email(resource, priced):
    mail = resource("cfn:t.yaml#Mail", "AWS::SNS::Subscription", {"Protocol": "email"})
    assert priced(mail, {"monthly_requests": 50_000}).monthly_cost == pytest.approx(
        0.05 * 20.00)


# -- EventBridge --------------------------------------------------------------------------

def test_event_bus_prices_every_kind_of_event_archive_and_schema_discovery(resource, priced):
    """Infracost's cloudwatch_event_bus my_events_withUsage: $17.70."""
    bus = resource("aws_cloudwatch_event_bus.orders", "aws_cloudwatch_event_bus")
    cost = priced(bus, {"monthly_custom_events": 1_000_000,
                        "monthly_third_party_events": 2_000_000,
                        "monthly_archive_processing_gb": 100, "archive_storage_gb": 200,
                        "monthly_schema_discovery_events": 1_000_000})
    expected = 1 * 1.00 + 2 * 1.00 + 100 * 0.10 + 200 * 0.023 + 1 * 0.10
    assert expected == pytest.approx(17.70)
    assert cost.monthly_cost == pytest.approx(expected)


def test_event_bus_replayed_events_are_priced_as_custom_events(resource, priced, lines):
    bus = resource("aws_cloudwatch_event_bus.orders", "aws_cloudwatch_event_bus")
    cost = priced(bus, {"monthly_replayed_events": 3_000_000})
    assert lines(cost)["Replayed events"].monthly_cost == pytest.approx(3 * 1.00)
