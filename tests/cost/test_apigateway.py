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


def test_websocket_api_prices_messages_per_32_kb_and_connection_minutes(resource, priced):
    api = resource("aws_apigatewayv2_api.ws", "aws_apigatewayv2_api",
                   {"protocol_type": "WEBSOCKET"})
    cost = priced(api, {"monthly_messages": 2_000_000, "message_size_kb": 40,
                        "monthly_connection_mins": 10_000_000})
    assert cost.monthly_cost == pytest.approx(2 * 2_000_000 / 1e6 * 1.00 + 10 * 0.25)


def test_sam_http_api_is_an_http_api(resource, priced):
    api = resource("cfn:t.yaml#Api", "AWS::Serverless::HttpApi", {})
    assert priced(api, {"monthly_requests": 3_200_000}).monthly_cost == pytest.approx(3.2 * 1.00)
