import pytest


def test_kms_key_costs_a_key_month_plus_requests_per_ten_thousand(resource, priced):
    key = resource("aws_kms_key.data", "aws_kms_key")
    cost = priced(key, {"monthly_requests": 2_000_000})
    assert cost.monthly_cost == pytest.approx(1.00 + 2_000_000 / 10_000 * 0.03)


def test_secret_costs_a_secret_month_plus_api_calls(resource, priced):
    secret = resource("aws_secretsmanager_secret.db", "aws_secretsmanager_secret")
    cost = priced(secret, {"monthly_requests": 100_000})
    assert cost.monthly_cost == pytest.approx(0.40 + 100_000 / 10_000 * 0.05)


def test_secret_without_usage_costs_its_month_and_shows_the_call_price(resource, priced, lines):
    cost = priced(resource("cfn:t.yaml#Secret", "AWS::SecretsManager::Secret", {}))
    assert cost.monthly_cost == pytest.approx(0.40)
    assert lines(cost)["API calls"].unit_price == 0.05 and cost.usage_unknown
