import pytest


def test_lambda_x86_costs_requests_plus_gb_seconds(resource, priced, lines):
    fn = resource("aws_lambda_function.api", "aws_lambda_function",
                  {"memory_size": 1024, "architectures": ["x86_64"]})
    cost = priced(fn, {"monthly_requests": 2_000_000, "request_duration_ms": 300})
    expected = 2_000_000 * 0.20 / 1e6 + 2_000_000 * 0.3 * (1024 / 1024) * 0.0000166667
    assert cost.monthly_cost == pytest.approx(expected)
    duration = lines(cost)["Duration (x86_64, 1024 MB; first 6B GB-seconds)"]
    assert duration.monthly_quantity == pytest.approx(600_000)
    assert duration.price.sku == "aws.lambda.us-east-1.duration.x86_64.tier1"
    assert duration.price.source == "https://aws.amazon.com/lambda/pricing/"
    assert duration.usage_origin == "usage file" and not cost.usage_unknown


def test_lambda_arm64_uses_the_arm_gb_second_price(resource, priced):
    fn = resource("aws_lambda_function.worker", "aws_lambda_function",
                  {"memory_size": 512, "architectures": ["arm64"]})
    cost = priced(fn, {"monthly_requests": 1_000_000, "request_duration_ms": 100})
    expected = 1_000_000 * 0.20 / 1e6 + 1_000_000 * 0.1 * (512 / 1024) * 0.0000133334
    assert cost.monthly_cost == pytest.approx(expected)


def test_lambda_ephemeral_storage_above_512_mb_is_priced(resource, priced, lines):
    fn = resource("aws_lambda_function.etl", "aws_lambda_function",
                  {"memory_size": 2048, "ephemeral_storage": [{"size": 2048}]})
    cost = priced(fn, {"monthly_requests": 100_000, "request_duration_ms": 2000})
    storage = lines(cost)["Ephemeral storage (2048 MB, 512 MB included)"]
    assert storage.monthly_cost == pytest.approx(100_000 * 2.0 * (2048 - 512) / 1024 * 0.0000000309)
    expected = (100_000 * 0.20 / 1e6 + 100_000 * 2.0 * (2048 / 1024) * 0.0000166667
                + 100_000 * 2.0 * 1.5 * 0.0000000309)
    assert cost.monthly_cost == pytest.approx(expected)


def test_lambda_memory_defaults_to_128_mb(resource, priced):
    fn = resource("aws_lambda_function.tiny", "aws_lambda_function", {})
    cost = priced(fn, {"monthly_requests": 1_000_000, "request_duration_ms": 1000})
    assert cost.monthly_cost == pytest.approx(
        1_000_000 * 0.20 / 1e6 + 1_000_000 * 1.0 * (128 / 1024) * 0.0000166667)


def test_sam_function_is_priced_like_the_terraform_one(resource, priced):
    fn = resource("cfn:sam/template.yaml#OrdersFunction", "AWS::Serverless::Function",
                  {"MemorySize": 256, "Architectures": ["arm64"]})
    cost = priced(fn, {"monthly_requests": 1_200_000, "request_duration_ms": 120})
    expected = 1_200_000 * 0.20 / 1e6 + 1_200_000 * 0.12 * (256 / 1024) * 0.0000133334
    assert cost.monthly_cost == pytest.approx(expected)


def test_provisioned_concurrency_costs_concurrency_times_memory_all_month(resource, priced,
                                                                         lines):
    from purser.model import Ref

    fn = resource("aws_lambda_function.api", "aws_lambda_function",
                  {"function_name": "api", "memory_size": 1024})
    config = resource("aws_lambda_provisioned_concurrency_config.api",
                      "aws_lambda_provisioned_concurrency_config",
                      {"function_name": Ref(address="aws_lambda_function.api",
                                            attribute="function_name"),
                       "provisioned_concurrent_executions": 5, "qualifier": "live"})
    cost = priced(config, others=[fn])
    fixed = lines(cost)["Provisioned concurrency (5 × 1024 MB, x86_64)"]
    assert fixed.monthly_cost == pytest.approx(5 * (1024 / 1024) * 730 * 3600 * 0.0000041667)
    assert fixed.usage_origin == "fixed"
    served = lines(cost)["Duration on provisioned concurrency"]
    assert served.monthly_cost is None and served.unit_price == 0.0000097222
    assert cost.usage_unknown


def test_lambda_gb_seconds_are_the_same_price_in_us_east_1_and_eu_central_1(resource, priced):
    usage = {"monthly_requests": 1_000_000, "request_duration_ms": 200}
    east = priced(resource("aws_lambda_function.a", "aws_lambda_function",
                           {"memory_size": 512}, region="us-east-1"), usage)
    frankfurt = priced(resource("aws_lambda_function.a", "aws_lambda_function",
                                {"memory_size": 512}, region="eu-central-1"), usage)
    assert east.monthly_cost == pytest.approx(frankfurt.monthly_cost)
    assert frankfurt.components[0].price.region == "eu-central-1"
