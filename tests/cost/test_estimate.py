import importlib
import json
import math
from typing import Any

import pytest

from purser.config import Application, Config
from purser.cost import estimate
from purser.cost.estimate import FREE_TIER_NOTE
from purser.cost.usage import LayeredUsage

from .conftest import DictUsage


def test_resource_of_a_type_without_a_price_model_is_unpriced(resource, estimate_of):
    widget = resource("aws_kendra_index.search", "aws_kendra_index")
    result = estimate_of([widget])
    assert [(u.address, u.reason) for u in result.unpriced] == [
        ("aws_kendra_index.search", "no price model for aws_kendra_index")]
    assert result.total_monthly_cost == 0 and not result.resources


def test_free_resources_are_neither_priced_nor_unpriced(resource, estimate_of):
    role = resource("aws_iam_role.lambda", "aws_iam_role")
    sg = resource("aws_security_group.lambda", "aws_security_group")
    route = resource("aws_apigatewayv2_route.get", "aws_apigatewayv2_route")
    result = estimate_of([role, sg, route])
    assert result.free == [role.address, sg.address, route.address]
    assert not result.unpriced and not result.resources


def test_unknown_usage_shows_the_unit_price_never_a_zero_cost(resource, estimate_of):
    fn = resource("aws_lambda_function.api", "aws_lambda_function", {"memory_size": 512})
    result = estimate_of([fn])
    cost = result.resources[0]
    assert cost.usage_unknown and cost.monthly_cost == 0
    for line in cost.components:
        assert line.monthly_quantity is None and line.monthly_cost is None
        assert line.usage_origin == "unknown" and line.unit_price > 0
    assert any("without usage" in note for note in result.notes)


def test_notes_say_free_tiers_are_not_deducted(resource, estimate_of):
    result = estimate_of([resource("aws_nat_gateway.n", "aws_nat_gateway")])
    assert FREE_TIER_NOTE in result.notes
    assert "free tiers are not deducted" in FREE_TIER_NOTE.lower()


def test_resource_without_region_uses_the_configured_default_region(resource, priced):
    nat = resource("aws_nat_gateway.n", "aws_nat_gateway", region=None)
    config = Config.model_validate({"defaults": {"region": "eu-central-1"}})
    assert priced(nat, config=config).monthly_cost == pytest.approx(730 * 0.052)


def test_region_missing_from_the_catalog_is_unpriced_with_the_reason(resource, estimate_of):
    nat = resource("aws_nat_gateway.n", "aws_nat_gateway", region="xx-nowhere-1")
    assert [u.reason for u in estimate_of([nat]).unpriced] == [
        "no prices for region xx-nowhere-1 in the catalog"]


def test_totals_group_by_application_environment_and_team(resource, estimate_of):
    config = Config(applications=[
        Application(name="payments", path="terraform", environment="prod"),
        Application(name="storefront", path="k8s", environment="staging")])
    nat = resource("aws_nat_gateway.n", "aws_nat_gateway", file="terraform/network.tf",
                   tags={"team": "payments"})
    eks = resource("aws_eks_cluster.c", "aws_eks_cluster", file="k8s/cluster.tf",
                   tags={"team": "platform"})
    loose = resource("aws_kms_key.k", "aws_kms_key", file="misc/kms.tf", tags={"env": "dev"})
    result = estimate_of([nat, eks, loose], config=config)
    nat_cost, eks_cost, kms_cost = 730 * 0.045, 730 * 0.10, 1.00
    assert result.total_monthly_cost == pytest.approx(nat_cost + eks_cost + kms_cost)
    assert result.totals["application"] == pytest.approx(
        {"payments": nat_cost, "storefront": eks_cost, "(unassigned)": kms_cost})
    assert result.totals["environment"] == pytest.approx(
        {"prod": nat_cost, "staging": eks_cost, "dev": kms_cost})
    assert result.totals["team"] == pytest.approx(
        {"payments": nat_cost, "platform": eks_cost, "(unassigned)": kms_cost})
    assert result.resources[0].application == "payments"
    assert result.resources[0].environment == "prod"


def test_usage_origin_follows_the_layer_that_gave_each_key(resource):
    fn = resource("aws_lambda_function.api", "aws_lambda_function", {"memory_size": 1024})
    telemetry = DictUsage({fn.address: {"monthly_requests": 3_000_000}}, origin="telemetry")
    planned = DictUsage({fn.address: {"monthly_requests": 1, "request_duration_ms": 100}})
    result = estimate([fn], Config(), usage=LayeredUsage(telemetry, planned))
    requests, duration = result.resources[0].components
    assert requests.usage_origin == "telemetry"
    assert requests.monthly_quantity == pytest.approx(3)
    assert duration.usage_origin == "telemetry + usage file"


def test_usage_file_on_disk_prices_the_example_shop_lambda(resource, tmp_path):
    from purser.cost import load_usage_file

    path = tmp_path / "usage.yml"
    path.write_text("version: 0.1\nresource_usage:\n  'aws_lambda_function.fn[\"checkout\"]':\n"
                    "    monthly_requests: 2500000\n    request_duration_ms: 180\n")
    fn = resource('aws_lambda_function.fn["checkout"]', "aws_lambda_function",
                  {"memory_size": 512, "architectures": ["arm64"]})
    result = estimate([fn], Config(), usage=load_usage_file(path))
    expected = 2_500_000 * 0.20 / 1e6 + 2_500_000 * 0.18 * (512 / 1024) * 0.0000133334
    assert result.total_monthly_cost == pytest.approx(expected)


def test_estimate_serialises_to_json(resource, estimate_of):
    result = estimate_of([resource("aws_nat_gateway.n", "aws_nat_gateway")])
    data = result.model_dump(mode="json")
    assert data["resources"][0]["components"][0]["price"]["sku"] == "aws.nat.us-east-1.hours"
    assert data["currency"] == "USD" and data["catalog_versions"]["network.yaml"] == "2026-12-02"


# Values a hostile or careless file can put where a pricer expects something else.
WRONG_SHAPES: list[Any] = [[], [1, None], {}, {"a": {"b": 1}}, 7, -1, None, True, 1e308,
                           "x" * 10_000, [{"a": 1}, 3]]


def _shaped(value: Any) -> dict[str, Any]:
    pod = {"containers": [{"name": "app", "resources": value}], "initContainers": value}
    flat = {key: value for key in ("memory_size", "MemorySize", "instance_type", "InstanceType",
                                   "architectures", "Architectures", "size", "Size", "type",
                                   "iops", "throughput", "billing_mode", "BillingMode",
                                   "storage_class", "allocated_storage", "replicas")}
    return {**flat, "spec": {**pod, "replicas": value, "minReplicas": value,
                             "maxReplicas": value, "template": {"spec": pod},
                             "jobTemplate": {"spec": {"template": {"spec": pod}}}}}


@pytest.mark.parametrize("value", WRONG_SHAPES, ids=lambda v: type(v).__name__)
def test_no_pricer_lets_a_wrong_shaped_value_escape_the_estimate(resource, value):
    from purser.cost.pricers import load_builtin_pricers

    resources = [resource(f"{t}.wrong", t, _shaped(value)) for t in load_builtin_pricers()]
    usage = DictUsage({r.address: {"monthly_requests": 1e14} for r in resources})
    result = estimate(resources, Config(), usage=usage)
    assert math.isfinite(result.total_monthly_cost)
    json.dumps(result.model_dump(mode="json"), allow_nan=False)
    failed = [u.reason for u in result.unpriced if u.reason.startswith("pricer for")]
    assert failed == [e.message for e in result.errors]


def test_a_pricer_that_raises_is_an_error_and_the_rest_is_still_priced(resource, monkeypatch):
    from purser.cost.pricers import load_builtin_pricers

    module = importlib.import_module("purser.cost.estimate")

    def explode(context: Any) -> None:
        raise ZeroDivisionError("division by zero")

    registered = {**load_builtin_pricers(), "aws_nat_gateway": explode}
    monkeypatch.setattr(module, "load_builtin_pricers", lambda: registered)
    nat = resource("aws_nat_gateway.n", "aws_nat_gateway", file="net.tf")
    kms = resource("aws_kms_key.k", "aws_kms_key")
    result = estimate([nat, kms], Config())
    assert [str(e) for e in result.errors] == [
        "net.tf:1: pricer for aws_nat_gateway failed on aws_nat_gateway.n: "
        "ZeroDivisionError: division by zero"]
    assert [u.address for u in result.unpriced] == ["aws_nat_gateway.n"]
    assert [r.address for r in result.resources] == ["aws_kms_key.k"]
    assert result.total_monthly_cost == pytest.approx(1.00)


def test_an_infinite_cost_is_an_error_not_a_total(resource):
    fn = resource("aws_lambda_function.api", "aws_lambda_function", {"memory_size": 1e300})
    usage = DictUsage({fn.address: {"monthly_requests": 1e300, "request_duration_ms": 1e300}})
    result = estimate([fn], Config(), usage=usage)
    assert [e.message for e in result.errors] == [
        "pricer for aws_lambda_function failed on aws_lambda_function.api: "
        "the monthly cost is not a finite number"]
    assert result.total_monthly_cost == 0 and not result.resources
