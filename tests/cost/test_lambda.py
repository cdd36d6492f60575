import pytest

from purser.config import Config
from purser.cost import estimate, load_usage_file
from purser.cost.usage import UsageFile
from purser.gate import CheckOptions, run_check
from purser.model import CostLine


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


def test_lambda_arm64_duration_tiers_end_at_7_5_and_18_75_billion_gb_seconds(resource, priced,
                                                                             lines):
    # Infracost's lambda_duration_11B_arm fixture: 11.25 B requests × 1.024 s × 1 GB =
    # 11.52 B GB-s: 7.5 B × $0.0000133334 = $100,000.50 and 4.02 B × $0.0000120001
    # = $48,240.40 (AWS's Arm tiers: the same dollar thresholds as x86's 6 B and 15 B).
    fn = resource("aws_lambda_function.arm", "aws_lambda_function",
                  {"memory_size": 1024, "architectures": ["arm64"]})
    cost = priced(fn, {"monthly_requests": 11_250_000_000, "request_duration_ms": 1024})
    first = lines(cost)["Duration (arm64, 1024 MB; first 7.5B GB-seconds)"]
    second = lines(cost)["Duration (arm64, 1024 MB; next 11.25B GB-seconds)"]
    assert (first.monthly_quantity, second.monthly_quantity) == pytest.approx((7.5e9, 4.02e9))
    assert round(first.monthly_cost, 2) == 100_000.50
    assert round(second.monthly_cost, 2) == 48_240.40


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


def test_provisioned_concurrency_costs_more_in_singapore(resource, priced, lines):
    from purser.model import Ref

    fn = resource("aws_lambda_function.api", "aws_lambda_function",
                  {"function_name": "api", "memory_size": 1024}, region="ap-southeast-1")
    config = resource("aws_lambda_provisioned_concurrency_config.api",
                      "aws_lambda_provisioned_concurrency_config",
                      {"function_name": Ref(address="aws_lambda_function.api",
                                            attribute="function_name"),
                       "provisioned_concurrent_executions": 5, "qualifier": "live"},
                      region="ap-southeast-1")
    cost = priced(config, others=[fn])
    # ap-southeast-1: $0.0000051991 per GB-second provisioned, $0.0000121313 served.
    fixed = lines(cost)["Provisioned concurrency (5 × 1024 MB, x86_64)"]
    assert fixed.monthly_cost == pytest.approx(5 * 1 * 730 * 3600 * 0.0000051991)  # $68.32
    assert lines(cost)["Duration on provisioned concurrency"].unit_price == 0.0000121313


def test_lambda_gb_seconds_are_the_same_price_in_us_east_1_and_eu_central_1(resource, priced):
    usage = {"monthly_requests": 1_000_000, "request_duration_ms": 200}
    east = priced(resource("aws_lambda_function.a", "aws_lambda_function",
                           {"memory_size": 512}, region="us-east-1"), usage)
    frankfurt = priced(resource("aws_lambda_function.a", "aws_lambda_function",
                                {"memory_size": 512}, region="eu-central-1"), usage)
    assert east.monthly_cost == pytest.approx(frankfurt.monthly_cost)
    assert frankfurt.components[0].price.region == "eu-central-1"


def usage_file(tmp_path, entries: str) -> UsageFile:
    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n" + entries)
    return load_usage_file(path)


def lines_of(result) -> dict[str, CostLine]:
    [cost] = result.resources
    return {line.component: line for line in cost.components}


def test_provisioned_concurrency_of_a_function_elsewhere_reads_infracost_usage_keys(
        tmp_path, resource):
    """Infracost's lambda_provisioned_concurrency_config fixture: $45.61."""
    config = resource("aws_lambda_provisioned_concurrency_config.with_usage",
                      "aws_lambda_provisioned_concurrency_config",
                      {"function_name": "lambda_function_name",
                       "provisioned_concurrent_executions": 50, "qualifier": "1"})
    usage = usage_file(tmp_path, "  aws_lambda_provisioned_concurrency_config.with_usage:\n"
                                 "    monthly_duration_hrs: 100\n"
                                 "    request_duration_ms: 350\n"
                                 "    monthly_requests: 10000000\n"
                                 "    architecture: arm64\n"
                                 "    memory_mb: 512\n")
    result = estimate([config], Config(), usage=usage)
    assert result.errors == []
    by = lines_of(result)
    # 10M requests × $0.20 per 1M
    assert by["Requests"].monthly_cost == pytest.approx(2.00)
    # 50 × 512/1024 GB × 100 h × 3600 s = 9,000,000 GB-s × $0.0000033334 (arm64)
    provisioned = by["Provisioned concurrency (50 × 512 MB, arm64)"]
    assert provisioned.monthly_quantity == pytest.approx(9_000_000)
    assert provisioned.monthly_cost == pytest.approx(30.0006)
    # 10M × 0.35 s × 0.5 GB = 1,750,000 GB-s × $0.0000077778 (arm64, provisioned)
    served = by["Duration on provisioned concurrency"]
    assert served.monthly_quantity == pytest.approx(1_750_000)
    assert served.monthly_cost == pytest.approx(13.61115)
    assert result.total_monthly_cost == pytest.approx(2.00 + 30.0006 + 13.61115)


def test_provisioned_concurrency_without_a_known_memory_stays_unknown(resource, priced, lines):
    config = resource("aws_lambda_provisioned_concurrency_config.c",
                      "aws_lambda_provisioned_concurrency_config",
                      {"function_name": "not-in-this-repository",
                       "provisioned_concurrent_executions": 5})
    cost = priced(config)
    provisioned = lines(cost)["Provisioned concurrency (5 × memory unknown, x86_64)"]
    assert (provisioned.monthly_quantity, provisioned.monthly_cost) == (None, None)
    assert provisioned.unit_price == 0.0000041667 and provisioned.usage_origin == "unknown"
    assert cost.monthly_cost == 0.0 and cost.usage_unknown


def test_provisioned_concurrency_takes_the_functions_memory_over_the_usage_guess(
        tmp_path, resource):
    fn = resource("aws_lambda_function.api", "aws_lambda_function",
                  {"function_name": "api", "memory_size": 1024})
    config = resource("aws_lambda_provisioned_concurrency_config.api",
                      "aws_lambda_provisioned_concurrency_config",
                      {"function_name": "api", "provisioned_concurrent_executions": 2})
    usage = usage_file(tmp_path, "  aws_lambda_provisioned_concurrency_config.api:\n"
                                 "    memory_mb: 128\n    monthly_duration_hrs: 10\n")
    result = estimate([fn, config], Config(), usage=usage)
    costs = {r.address: r for r in result.resources}
    by = {line.component: line for line in
          costs["aws_lambda_provisioned_concurrency_config.api"].components}
    # 2 × 1024/1024 GB × 10 h × 3600 s = 72,000 GB-s × $0.0000041667 (x86_64)
    line = by["Provisioned concurrency (2 × 1024 MB, x86_64)"]
    assert line.monthly_quantity == pytest.approx(72_000)
    assert line.monthly_cost == pytest.approx(72_000 * 0.0000041667)


def test_an_unresolved_memory_size_keeps_the_duration_unknown_with_its_unit_price(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "memory" {}\n'
        'resource "aws_lambda_function" "fn" {\n'
        '  function_name = "fn"\n  role = "r"\n  handler = "h"\n  runtime = "python3.12"\n'
        '  filename = "f.zip"\n  memory_size = var.memory\n}\n')
    (tmp_path / "usage.yml").write_text(
        "version: 0.1\nresource_usage:\n  aws_lambda_function.fn:\n"
        "    monthly_requests: 1000000\n    request_duration_ms: 100\n")
    report = run_check(tmp_path, options=CheckOptions(
        policies=False, usage=load_usage_file(tmp_path / "usage.yml")))
    assert report.cost is not None
    by = lines_of(report.cost)
    # 1M requests × $0.20 per 1M are known; the GB-seconds need the memory
    assert by["Requests"].monthly_cost == pytest.approx(0.20)
    duration = by["Duration (x86_64, memory unknown; first 6B GB-seconds)"]
    assert (duration.monthly_quantity, duration.monthly_cost) == (None, None)
    assert duration.unit_price == 0.0000166667


def test_a_function_without_architectures_takes_the_usage_files_architecture(
        tmp_path, resource):
    fn = resource("aws_lambda_function.worker", "aws_lambda_function", {"memory_size": 512})
    usage = usage_file(tmp_path, "  aws_lambda_function.worker:\n    architecture: ARM64\n"
                                 "    monthly_requests: 1000000\n    request_duration_ms: 100\n")
    by = lines_of(estimate([fn], Config(), usage=usage))
    # 1M × 0.1 s × 512/1024 GB = 50,000 GB-s × $0.0000133334 (arm64)
    duration = by["Duration (arm64, 512 MB; first 7.5B GB-seconds)"]
    assert duration.monthly_cost == pytest.approx(50_000 * 0.0000133334)


def test_the_functions_own_architecture_wins_over_the_usage_file(tmp_path, resource):
    fn = resource("aws_lambda_function.worker", "aws_lambda_function",
                  {"memory_size": 512, "architectures": ["arm64"]})
    usage = usage_file(tmp_path, "  aws_lambda_function.worker:\n    architecture: x86_64\n")
    assert "Duration (arm64, 512 MB; first 7.5B GB-seconds)" in lines_of(
        estimate([fn], Config(), usage=usage))


def test_an_architecture_that_does_not_exist_is_an_error_at_its_line(tmp_path, resource):
    fn = resource("aws_lambda_function.worker", "aws_lambda_function", {"memory_size": 512})
    usage = usage_file(tmp_path, "  aws_lambda_function.worker:\n    architecture: sparc\n")
    result = estimate([fn], Config(), usage=usage)
    assert [str(e) for e in result.errors] == [
        f"{tmp_path / 'usage.yml'}:4: architecture: expected x86_64 or arm64, got 'sparc'; "
        "aws_lambda_function.worker is priced without it"]
    assert "Duration (x86_64, 512 MB; first 6B GB-seconds)" in lines_of(result)
