import pytest

# Catalog prices (us-east-1): $4.00 per 1M query and mutation operations, $2.00 per 1M
# real-time updates, $0.08 per 1M connection-minutes; cache per hour: SMALL $0.044,
# LARGE $0.298, LARGE_2X $1.189.


def test_graphql_api_operations_updates_and_connection_minutes(resource, priced):
    api = resource("aws_appsync_graphql_api.shop", "aws_appsync_graphql_api")
    cost = priced(api, {"monthly_operations": 3_000_000, "monthly_realtime_updates": 500_000,
                        "monthly_connection_minutes": 10_000_000})
    assert cost.monthly_cost == pytest.approx(3 * 4.00 + 0.5 * 2.00 + 10 * 0.08)


def test_unknown_usage_stays_unknown(resource, priced, lines):
    api = resource("cfn:t.yaml#Api", "AWS::AppSync::GraphQLApi")
    line = lines(priced(api))["Query and mutation operations"]
    assert line.monthly_cost is None and line.unit_price == 4.00


def test_api_cache_is_billed_every_hour_of_the_month(resource, priced):
    cache = resource("aws_appsync_api_cache.c", "aws_appsync_api_cache", {"type": "LARGE"})
    assert priced(cache).monthly_cost == pytest.approx(730 * 0.298)


def test_older_cache_type_names_are_the_renamed_sizes(resource, priced):
    cache = resource("cfn:t.yaml#Cache", "AWS::AppSync::ApiCache", {"Type": "R4_2XLARGE"})
    assert priced(cache).monthly_cost == pytest.approx(730 * 1.189)


def test_sam_api_with_a_cache_block_pays_for_it(resource, priced, lines):
    api = resource("cfn:t.yaml#Api", "AWS::Serverless::GraphQLApi",
                   {"Cache": {"Type": "SMALL"}})
    assert lines(priced(api))["Cache (SMALL)"].monthly_cost == pytest.approx(730 * 0.044)


def test_unknown_cache_type_is_unpriced(resource, estimate_of):
    cache = resource("aws_appsync_api_cache.c", "aws_appsync_api_cache", {"type": "HUGE"})
    assert "HUGE" in estimate_of([cache]).unpriced[0].reason
