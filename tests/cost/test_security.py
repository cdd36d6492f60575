import pytest

# Catalog prices (us-east-1): KMS $1.00 per key-month, requests per 10k: $0.03 (symmetric
# and RSA 2048 keys), $0.15 (other asymmetric keys); Secrets Manager $0.40 per
# secret-month, $0.05 per 10k API calls.


def test_kms_key_costs_a_key_month_plus_requests_per_ten_thousand(resource, priced):
    key = resource("aws_kms_key.data", "aws_kms_key")
    cost = priced(key, {"monthly_requests": 2_000_000})
    assert cost.monthly_cost == pytest.approx(1.00 + 2_000_000 / 10_000 * 0.03)


def test_kms_requests_are_priced_by_key_spec(resource, priced, lines):
    rsa2048 = resource("aws_kms_key.sign", "aws_kms_key",
                       {"customer_master_key_spec": "RSA_2048"})
    rsa3072 = resource("aws_kms_key.big", "aws_kms_key", {"key_spec": "RSA_3072"})
    usage = {"monthly_requests": 1_000_000}
    small = lines(priced(rsa2048, usage))["Requests (RSA 2048)"]
    assert small.monthly_cost == pytest.approx(100 * 0.03)
    big = priced(rsa3072, usage)
    assert lines(big)["Requests (asymmetric, RSA_3072)"].monthly_cost == pytest.approx(
        100 * 0.15)
    assert big.monthly_cost == pytest.approx(1.00 + 100 * 0.15)


def test_cloudformation_key_spec_is_read(resource, priced, lines):
    key = resource("cfn:t.yaml#Key", "AWS::KMS::Key", {"KeySpec": "ECC_NIST_P256"})
    assert "Requests (asymmetric, ECC_NIST_P256)" in lines(priced(key))


def test_kms_external_key_is_priced_as_a_key(resource, priced):
    """Infracost's kms_external_key: $1.00."""
    key = resource("aws_kms_external_key.imported", "aws_kms_external_key")
    cost = priced(key)
    assert cost.monthly_cost == pytest.approx(1.00) and cost.usage_unknown


def test_secret_costs_a_secret_month_plus_api_calls(resource, priced):
    secret = resource("aws_secretsmanager_secret.db", "aws_secretsmanager_secret")
    cost = priced(secret, {"monthly_requests": 100_000})
    assert cost.monthly_cost == pytest.approx(0.40 + 100_000 / 10_000 * 0.05)


def test_secret_without_usage_costs_its_month_and_shows_the_call_price(resource, priced, lines):
    cost = priced(resource("cfn:t.yaml#Secret", "AWS::SecretsManager::Secret", {}))
    assert cost.monthly_cost == pytest.approx(0.40)
    assert lines(cost)["API calls"].unit_price == 0.05 and cost.usage_unknown
