import pytest

from purser.config import Config
from purser.cost import estimate
from purser.cost.usage import load_usage_file

PARAMETER = "aws_ssm_parameter"


def usage_file(tmp_path, entries: str):
    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n" + entries)
    return load_usage_file(path)


def test_advanced_parameter_pays_storage_and_api_interactions(resource, priced, lines):
    advanced = resource("aws_ssm_parameter.config", PARAMETER, {"tier": "Advanced"})
    cost = priced(advanced, {"monthly_api_interactions": 100_000})
    storage = lines(cost)["Parameter storage (advanced)"]
    assert (storage.monthly_quantity, storage.usage_origin) == (1, "fixed")
    assert cost.monthly_cost == pytest.approx(1 * 0.05 + 10 * 0.05)  # month + 10 × 10k calls


def test_storage_hours_from_the_usage_file_prorate_the_month(resource, priced):
    advanced = resource("aws_ssm_parameter.config", PARAMETER, {"tier": "Advanced"})
    cost = priced(advanced, {"parameter_storage_hrs": 600})
    assert cost.monthly_cost == pytest.approx(600 / 730 * 0.05)


def test_standard_parameter_is_free_at_standard_throughput(resource, estimate_of):
    standard = resource("aws_ssm_parameter.flag", PARAMETER, {"value": "on"})
    assert estimate_of([standard]).free == ["aws_ssm_parameter.flag"]


def test_higher_throughput_bills_a_standard_parameters_api_interactions(tmp_path, resource):
    standard = resource("aws_ssm_parameter.flag", PARAMETER, {"value": "on"})
    usage = usage_file(tmp_path, "  aws_ssm_parameter.flag:\n"
                                 "    api_throughput_limit: Higher\n"
                                 "    monthly_api_interactions: 50000\n")
    result = estimate([standard], Config(), usage=usage)
    [cost] = result.resources
    assert [line.component for line in cost.components] == ["API interactions"]
    assert cost.monthly_cost == pytest.approx(5 * 0.05)  # 50k interactions, 5 × 10k


def test_a_large_intelligent_tiering_value_is_advanced(resource, priced, lines):
    big = resource("aws_ssm_parameter.cert", PARAMETER,
                   {"tier": "Intelligent-Tiering", "value": "x" * 5000})
    assert priced(big).monthly_cost == pytest.approx(0.05)
    unknown = resource("aws_ssm_parameter.secret", PARAMETER,
                       {"tier": "Intelligent-Tiering", "value": "${var.secret}"})
    line = lines(priced(unknown))["Parameter storage (advanced)"]
    assert (line.unit_price, line.monthly_cost) == (0.05, None)


def test_cloudformation_parameter_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:app.yaml#Config", "AWS::SSM::Parameter",
                        {"Type": "String", "Tier": "Advanced", "Value": "v"})
    assert priced(template, {"monthly_api_interactions": 20_000}).monthly_cost == \
        pytest.approx(0.05 + 2 * 0.05)
    with_policy = resource("cfn:app.yaml#Expiring", "AWS::SSM::Parameter",
                           {"Tier": "Intelligent-Tiering", "Value": "v",
                            "Policies": '[{"Type":"Expiration"}]'})
    assert priced(with_policy).monthly_cost == pytest.approx(0.05)
