import pytest


def test_http_api_above_300_million_requests_uses_the_second_tier(resource, priced, lines):
    api = resource("aws_apigatewayv2_api.http", "aws_apigatewayv2_api", {"protocol_type": "HTTP"})
    cost = priced(api, {"monthly_requests": 400_000_000})
    expected = 300 * 1.00 + 100 * 0.90
    assert cost.monthly_cost == pytest.approx(expected)
    by = lines(cost)
    assert by["Requests (first 300M requests)"].monthly_quantity == pytest.approx(300)
    assert by["Requests (over 300M requests)"].monthly_quantity == pytest.approx(100)


def test_http_api_requests_are_metered_per_512_kb(resource, priced):
    api = resource("aws_apigatewayv2_api.http", "aws_apigatewayv2_api", {"protocol_type": "HTTP"})
    cost = priced(api, {"monthly_requests": 1_000_000, "request_size_kb": 600})
    assert cost.monthly_cost == pytest.approx(2 * 1_000_000 / 1e6 * 1.00)


def test_http_api_costs_more_in_eu_central_1_than_in_us_east_1(resource, priced):
    usage = {"monthly_requests": 10_000_000}
    east = priced(resource("aws_apigatewayv2_api.h", "aws_apigatewayv2_api",
                           {"protocol_type": "HTTP"}, region="us-east-1"), usage)
    frankfurt = priced(resource("aws_apigatewayv2_api.h", "aws_apigatewayv2_api",
                                {"protocol_type": "HTTP"}, region="eu-central-1"), usage)
    assert east.monthly_cost == pytest.approx(10 * 1.00)
    assert frankfurt.monthly_cost == pytest.approx(10 * 1.20)


def test_rest_api_crosses_its_333_million_tier(resource, priced):
    api = resource("aws_api_gateway_rest_api.r", "aws_api_gateway_rest_api")
    cost = priced(api, {"monthly_requests": 500_000_000})
    assert cost.monthly_cost == pytest.approx(333 * 3.50 + 167 * 2.80)


def test_rest_api_tiers_in_singapore(resource, priced):
    api = resource("aws_api_gateway_rest_api.r", "aws_api_gateway_rest_api",
                   region="ap-southeast-1")
    cost = priced(api, {"monthly_requests": 500_000_000})
    # ap-southeast-1: $4.25 per 1M for the first 333M, $3.53 for the next 667M.
    assert cost.monthly_cost == pytest.approx(333 * 4.25 + 167 * 3.53)  # $2,004.76


def test_websocket_api_prices_messages_per_32_kb_and_connection_minutes(resource, priced):
    api = resource("aws_apigatewayv2_api.ws", "aws_apigatewayv2_api",
                   {"protocol_type": "WEBSOCKET"})
    cost = priced(api, {"monthly_messages": 2_000_000, "message_size_kb": 40,
                        "monthly_connection_mins": 10_000_000})
    assert cost.monthly_cost == pytest.approx(2 * 2_000_000 / 1e6 * 1.00 + 10 * 0.25)


def test_sam_http_api_is_an_http_api(resource, priced):
    api = resource("cfn:t.yaml#Api", "AWS::Serverless::HttpApi", {})
    assert priced(api, {"monthly_requests": 3_200_000}).monthly_cost == pytest.approx(3.2 * 1.00)


def test_rest_api_spreads_requests_over_all_four_volume_tiers(resource, priced, lines):
    """Infracost's api_gateway_rest_api my_rest_api: 21B requests, $49,763.10."""
    api = resource("aws_api_gateway_rest_api.big", "aws_api_gateway_rest_api")
    cost = priced(api, {"monthly_requests": 21_000_000_000})
    found = lines(cost)
    assert found["Requests (next 19B requests)"].monthly_quantity == pytest.approx(19_000)
    assert found["Requests (over 20B requests)"].monthly_quantity == pytest.approx(1_000)
    expected = 333 * 3.50 + 667 * 2.80 + 19_000 * 2.38 + 1_000 * 1.51
    assert expected == pytest.approx(49_763.10)
    assert cost.monthly_cost == pytest.approx(expected)


def test_websocket_messages_cross_their_billion_message_tier(resource, priced):
    """Infracost's apigatewayv2_api websocket_usage: $1,402.50."""
    api = resource("aws_apigatewayv2_api.ws", "aws_apigatewayv2_api",
                   {"protocol_type": "WEBSOCKET"})
    cost = priced(api, {"monthly_messages": 1_500_000_000, "message_size_kb": 32,
                        "monthly_connection_mins": 10_000_000})
    assert cost.monthly_cost == pytest.approx(1000 * 1.00 + 500 * 0.80 + 10 * 0.25)


# -- REST API caches: catalog (us-east-1) per hour: 0.5 GB $0.020, 1.6 GB $0.038,
#    6.1 GB $0.200, 13.5 GB $0.250, 28.4 GB $0.500, 58.2 GB $1.000, 118 GB $1.900,
#    237 GB $3.800.

def test_stage_cache_costs_its_size_by_the_hour_all_month(resource, priced, lines):
    """Infracost's api_gateway_stage cache_2 and cache_1: $2,774.00 and $14.60."""
    large = resource("aws_api_gateway_stage.large", "aws_api_gateway_stage",
                     {"cache_cluster_enabled": True, "cache_cluster_size": 237})
    small = resource("aws_api_gateway_stage.small", "aws_api_gateway_stage",
                     {"cache_cluster_enabled": True, "cache_cluster_size": "0.5"})
    line = lines(priced(large))["Cache memory (237 GB)"]
    assert line.monthly_quantity == 730 and line.usage_origin == "fixed"
    assert line.monthly_cost == pytest.approx(730 * 3.80)
    assert priced(small).monthly_cost == pytest.approx(730 * 0.02)


def test_stage_cache_without_a_size_is_awss_default_half_gigabyte(resource, priced, lines):
    stage = resource("aws_api_gateway_stage.s", "aws_api_gateway_stage",
                     {"cache_cluster_enabled": "true"})
    line = lines(priced(stage))["Cache memory (0.5 GB) (the default size)"]
    assert line.monthly_cost == pytest.approx(730 * 0.02)


def test_stage_without_a_cache_is_free(resource, estimate_of):
    plain = resource("aws_api_gateway_stage.a", "aws_api_gateway_stage")
    disabled = resource("aws_api_gateway_stage.b", "aws_api_gateway_stage",
                        {"cache_cluster_enabled": False, "cache_cluster_size": 237})
    assert set(estimate_of([plain, disabled]).free) == {plain.address, disabled.address}


def test_stage_cache_of_a_size_aws_does_not_offer_is_unpriced(resource, estimate_of):
    stage = resource("aws_api_gateway_stage.s", "aws_api_gateway_stage",
                     {"cache_cluster_enabled": True, "cache_cluster_size": 3})
    assert "not a cache size" in estimate_of([stage]).unpriced[0].reason


def test_cloudformation_stage_and_sam_api_caches_are_priced(resource, priced, lines):
    stage = resource("cfn:t.yaml#Prod", "AWS::ApiGateway::Stage",
                     {"CacheClusterEnabled": True, "CacheClusterSize": "6.1"})
    assert priced(stage).monthly_cost == pytest.approx(730 * 0.20)
    api = resource("cfn:t.yaml#Api", "AWS::Serverless::Api",
                   {"CacheClusterEnabled": "true", "CacheClusterSize": "1.6"})
    cost = priced(api, {"monthly_requests": 1_000_000})
    assert cost.monthly_cost == pytest.approx(3.50 + 730 * 0.038)
