import pytest

# Catalog prices (us-east-1, MAUs a month): Lite $0 for the first 10,000 (its free tier as
# AWS states it), $0.0055 to 100,000, $0.0046 to 1M, $0.00325 to 10M, $0.0025 over;
# Essentials $0 for the first 10,000, $0.015 over; Plus $0.02 for every MAU.


def test_lite_pool_walks_the_free_tier_and_the_mau_tiers(resource, priced, lines):
    pool = resource("aws_cognito_user_pool.app", "aws_cognito_user_pool",
                    {"user_pool_tier": "LITE"})
    cost = priced(pool, {"monthly_active_users": 250_000})
    found = lines(cost)
    assert found["Monthly active users (Lite; first 10k MAUs)"].monthly_cost == 0
    # 90,000 at $0.0055 and the 150,000 past 100,000 at $0.0046.
    assert cost.monthly_cost == pytest.approx(90_000 * 0.0055 + 150_000 * 0.0046)


def test_pool_without_a_plan_is_essentials_marked_assumed(resource, priced, lines):
    pool = resource("cfn:t.yaml#Users", "AWS::Cognito::UserPool", {"UserPoolName": "u"})
    cost = priced(pool, {"monthly_active_users": 25_000})
    assert cost.monthly_cost == pytest.approx((25_000 - 10_000) * 0.015)
    assert "Monthly active users (Essentials, assumed; over 10k MAUs)" in lines(cost)


def test_plus_pool_pays_for_every_user(resource, priced):
    pool = resource("cfn:t.yaml#Users", "AWS::Cognito::UserPool", {"UserPoolTier": "PLUS"})
    assert priced(pool, {"monthly_active_users": 1_000}).monthly_cost == pytest.approx(
        1_000 * 0.02)


def test_unknown_users_show_the_first_paid_price(resource, priced, lines):
    pool = resource("aws_cognito_user_pool.app", "aws_cognito_user_pool")
    line = lines(priced(pool))["Monthly active users (Essentials, assumed; past the free tier)"]
    assert line.monthly_cost is None and line.unit_price == 0.015


def test_unknown_plan_is_unpriced(resource, estimate_of):
    pool = resource("aws_cognito_user_pool.app", "aws_cognito_user_pool",
                    {"user_pool_tier": "GOLD"})
    assert "GOLD" in estimate_of([pool]).unpriced[0].reason
