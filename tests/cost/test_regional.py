"""A component whose price the catalog lacks in the resource's region: left out without
usage, unpriced with it, never a silent zero. Each test removes one price from the
built-in catalog rather than relying on a region the catalog happens not to price."""

import pytest

from purser.config import Config
from purser.cost import estimate
from purser.cost.catalog import Catalog, load_catalog

from .conftest import DictUsage


def _without(region: str, service: str, meter: str) -> Catalog:
    return Catalog(p for p in load_catalog() if not (
        p.region == region and p.service == service and p.attributes.get("meter") == meter))


def _estimate(resource, catalog, usage=None):
    source = DictUsage({resource.address: usage}) if usage is not None else None
    return estimate([resource], Config(), usage=source, catalog=catalog)


def _names(result):
    return [line.component for line in result.resources[0].components]


def test_sns_deliveries_without_a_regional_price_are_left_out_then_unpriced_with_usage(
        resource):
    catalog = _without("us-west-2", "sns", "deliveries")
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic", region="us-west-2")
    quiet = _estimate(topic, catalog, {"monthly_requests": 3_000_000})
    assert _names(quiet) == ["Publish requests (after 1M free)"]
    used = _estimate(topic, catalog, {"monthly_requests": 3_000_000, "http_subscriptions": 2})
    assert not used.resources
    assert used.unpriced[0].reason == ("HTTP/S deliveries (after 100,000 free): no aws sns "
                                       "price in us-west-2 for meter=deliveries, "
                                       "protocol=http in the catalog")


def test_a_zero_quantity_needs_no_price(resource):
    catalog = _without("us-west-2", "sns", "deliveries")
    topic = resource("aws_sns_topic.alerts", "aws_sns_topic", region="us-west-2")
    result = _estimate(topic, catalog, {"monthly_requests": 3_000_000, "email_subscriptions": 0})
    assert result.resources[0].monthly_cost == pytest.approx(2 * 0.50)


def test_sns_fifo_topic_without_its_publish_price_is_unpriced_never_free(resource):
    catalog = _without("us-west-2", "sns", "fifo_publishes")
    topic = resource("aws_sns_topic.west", "aws_sns_topic", {"fifo_topic": True},
                     region="us-west-2")
    result = _estimate(topic, catalog)
    assert not result.free and "fifo_publishes" in result.unpriced[0].reason


def test_event_bus_archive_without_a_regional_price_is_unpriced_when_used(resource):
    catalog = _without("eu-central-1", "eventbridge", "archive_storage")
    bus = resource("aws_cloudwatch_event_bus.eu", "aws_cloudwatch_event_bus",
                   region="eu-central-1")
    assert _names(_estimate(bus, catalog, {"monthly_custom_events": 1})) == ["Custom events"]
    used = _estimate(bus, catalog, {"archive_storage_gb": 10})
    assert used.unpriced[0].reason.startswith("Archive storage: no aws eventbridge price")


def test_s3_retrievals_without_a_regional_price_are_unpriced_when_used(resource):
    catalog = _without("eu-west-1", "s3", "retrieval")
    bucket = resource("aws_s3_bucket.eu", "aws_s3_bucket", region="eu-west-1")
    stored = _estimate(bucket, catalog, {"standard_infrequent_access.storage_gb": 100})
    assert stored.resources[0].monthly_cost == pytest.approx(100 * 0.0125)
    used = _estimate(bucket, catalog,
                     {"standard_infrequent_access.monthly_data_retrieval_gb": 10})
    assert used.unpriced[0].reason.startswith("Standard-IA retrievals: no aws s3 price in "
                                              "eu-west-1")


def test_api_cache_without_a_regional_price_is_unpriced(resource):
    catalog = _without("eu-west-1", "apigateway", "cache")
    stage = resource("aws_api_gateway_stage.s", "aws_api_gateway_stage",
                     {"cache_cluster_enabled": True}, region="eu-west-1")
    result = _estimate(stage, catalog)
    assert "no aws apigateway price in eu-west-1" in result.unpriced[0].reason
