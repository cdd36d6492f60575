import pytest


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


def test_sns_topic_costs_per_million_publishes(resource, priced):
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic")
    assert priced(topic, {"monthly_requests": 3_000_000}).monthly_cost == pytest.approx(
        3 * 0.50)


def test_event_bus_costs_per_million_custom_events(resource, priced):
    bus = resource("aws_cloudwatch_event_bus.orders", "aws_cloudwatch_event_bus")
    assert priced(bus, {"monthly_custom_events": 4_000_000}).monthly_cost == pytest.approx(
        4 * 1.00)
