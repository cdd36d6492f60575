import pytest

from purser.config import Config, CostSettings, KubernetesRates
from purser.cost.pricers.kubernetes import parse_quantity

VCPU_HOUR, GB_HOUR = 0.04048, 0.004445  # purser.yaml defaults


def deployment(resource, name="web", replicas=3, cpu="500m", memory="512Mi", namespace="shop"):
    manifest = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"replicas": replicas, "template": {"spec": {"containers": [
            {"name": "app", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]}}},
    }
    return resource(f"k8s:apps/Deployment/{namespace}/{name}", "apps/Deployment", manifest)


def hpa(resource, target="web", low=2, high=10, namespace="shop"):
    manifest = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": target, "namespace": namespace},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                            "name": target},
                         "minReplicas": low, "maxReplicas": high}}
    return resource(f"k8s:autoscaling/HorizontalPodAutoscaler/{namespace}/{target}",
                    "autoscaling/HorizontalPodAutoscaler", manifest)


@pytest.mark.parametrize(("text", "value"), [
    ("500m", 0.5), ("1", 1.0), ("2.5", 2.5), ("512Mi", 512 * 2**20), ("1Gi", 2**30),
    ("1G", 1e9), ("128974848", 128974848.0), ("129e6", 129e6), ("1Ki", 1024.0), (2, 2.0),
])
def test_kubernetes_quantities_parse(text, value):
    assert parse_quantity(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["lots", "5Xi", "", None, True])
def test_malformed_kubernetes_quantities_are_none(text):
    assert parse_quantity(text) is None


def test_deployment_costs_requests_times_replicas_all_month(resource, priced, lines):
    cost = priced(deployment(resource))
    expected = 3 * 0.5 * 730 * VCPU_HOUR + 3 * (512 / 1024) * 730 * GB_HOUR
    assert cost.monthly_cost == pytest.approx(expected)
    cpu = lines(cost)["CPU requests (0.5 vCPU × 3 replicas)"]
    assert cpu.monthly_quantity == pytest.approx(3 * 0.5 * 730)
    assert cpu.price.source == "purser.yaml cost.kubernetes.vcpu_hour_usd"


def test_rates_come_from_purser_yaml(resource, priced):
    config = Config(cost=CostSettings(kubernetes=KubernetesRates(vcpu_hour_usd=0.0334,
                                                                 gb_hour_usd=0.00367)))
    cost = priced(deployment(resource, replicas=1, cpu="1", memory="1G"), config=config)
    assert cost.monthly_cost == pytest.approx(1 * 730 * 0.0334 + (1e9 / 2**30) * 730 * 0.00367)


def test_hpa_managed_deployment_is_priced_at_the_midpoint_with_min_and_max(resource, priced,
                                                                          lines):
    cost = priced(deployment(resource), others=[hpa(resource, low=2, high=10)])
    per_replica = 0.5 * 730 * VCPU_HOUR + 0.5 * 730 * GB_HOUR
    assert cost.monthly_cost == pytest.approx(6 * per_replica)
    assert cost.monthly_cost_min == pytest.approx(2 * per_replica)
    assert cost.monthly_cost_max == pytest.approx(10 * per_replica)
    cpu = lines(cost)["CPU requests (0.5 vCPU × expected 6 replicas; HPA 2–10)"]
    assert cpu.usage_origin == "default"


def test_hpa_expected_replicas_come_from_usage(resource, priced):
    cost = priced(deployment(resource), {"expected_replicas": 4},
                  others=[hpa(resource, low=2, high=10)])
    per_replica = 0.5 * 730 * VCPU_HOUR + 0.5 * 730 * GB_HOUR
    assert cost.monthly_cost == pytest.approx(4 * per_replica)
    assert {c.usage_origin for c in cost.components} == {"usage file"}


def test_hpa_in_another_namespace_does_not_apply(resource, priced):
    cost = priced(deployment(resource, replicas=3), others=[hpa(resource, namespace="other")])
    assert cost.monthly_cost_min is None
    assert cost.monthly_cost == pytest.approx(3 * 0.5 * 730 * VCPU_HOUR + 3 * 0.5 * 730 * GB_HOUR)


def test_knative_service_costs_min_scale_plus_average_busy_pods(resource, priced, lines):
    manifest = {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                "metadata": {"name": "api", "namespace": "shop"},
                "spec": {"template": {
                    "metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "1"}},
                    "spec": {"containerConcurrency": 10, "containers": [
                        {"resources": {"requests": {"cpu": "1", "memory": "2Gi"}}}]}}}}
    service = resource("k8s:serving.knative.dev/Service/shop/api",
                       "serving.knative.dev/Service", manifest)
    # 2,628,000 requests a month is 1 request/s; 500 ms each at concurrency 10 → 0.05 pods.
    cost = priced(service, {"monthly_requests": 2_628_000, "request_duration_ms": 500})
    busy = 2_628_000 / (730 * 3600) * 0.5 / 10
    expected = (1 + busy) * 730 * (1 * VCPU_HOUR + 2 * GB_HOUR)
    assert cost.monthly_cost == pytest.approx(expected)
    assert lines(cost)["CPU requests (1 vCPU × min-scale 1)"].usage_origin == "fixed"


def test_knative_service_without_traffic_usage_shows_only_min_scale_cost(resource, priced):
    manifest = {"spec": {"template": {
        "metadata": {"annotations": {"autoscaling.knative.dev/min-scale": "2"}},
        "spec": {"containers": [{"resources": {"requests": {"cpu": "250m",
                                                            "memory": "256Mi"}}}]}}}}
    service = resource("k8s:serving.knative.dev/Service/default/s",
                       "serving.knative.dev/Service", manifest)
    cost = priced(service)
    assert cost.monthly_cost == pytest.approx(2 * 730 * (0.25 * VCPU_HOUR + 0.25 * GB_HOUR))
    assert cost.usage_unknown


def test_pod_without_requests_shows_unknown_not_zero(resource, priced):
    manifest = {"spec": {"containers": [{"name": "app"}]}}
    cost = priced(resource("k8s:core/Pod/default/p", "core/Pod", manifest))
    assert all(c.monthly_cost is None for c in cost.components) and cost.usage_unknown


def test_limits_stand_in_for_missing_requests_and_init_containers_count_when_larger(resource,
                                                                                   priced):
    manifest = {"spec": {"replicas": 1, "template": {"spec": {
        "initContainers": [{"resources": {"requests": {"cpu": "2", "memory": "1Gi"}}}],
        "containers": [{"resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}},
                       {"resources": {"requests": {"cpu": "250m", "memory": "1Gi"}}}]}}}}
    cost = priced(resource("k8s:apps/Deployment/default/d", "apps/Deployment", manifest))
    assert cost.monthly_cost == pytest.approx(730 * (2 * VCPU_HOUR + 2 * GB_HOUR))


def test_kubernetes_service_and_configmap_are_free(resource, estimate_of):
    service = resource("k8s:core/Service/shop/web", "core/Service", {"spec": {}})
    config_map = resource("k8s:core/ConfigMap/shop/web", "core/ConfigMap", {})
    result = estimate_of([service, config_map])
    assert result.free == [service.address, config_map.address] and not result.unpriced


GP3_US_EAST_1, GP3_EU_WEST_1 = 0.08, 0.088  # EBS gp3 per GB-month, catalog/ebs.yaml


def claim(resource, storage="20Gi", name="data", namespace="shop"):
    manifest = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": name, "namespace": namespace},
                "spec": {"accessModes": ["ReadWriteOnce"],
                         "resources": {"requests": {"storage": storage}}}}
    return resource(f"k8s:core/PersistentVolumeClaim/{namespace}/{name}",
                    "core/PersistentVolumeClaim", manifest)


def stateful_set(resource, replicas=3, templates=(("data", "10Gi"),)):
    manifest = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"replicas": replicas, "template": {"spec": {"containers": [
            {"name": "db", "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}}}]}},
                 "volumeClaimTemplates": [
                     {"metadata": {"name": name},
                      "spec": {"resources": {"requests": {"storage": size}}}}
                     for name, size in templates]},
    }
    return resource("k8s:apps/StatefulSet/shop/db", "apps/StatefulSet", manifest)


def test_persistent_volume_claim_is_priced_as_gp3_in_the_default_region(resource, priced,
                                                                        lines):
    cost = priced(claim(resource, "20Gi"))
    assert cost.monthly_cost == pytest.approx(1.60)  # 20 GiB × $0.08
    line = lines(cost)["Storage 20 GiB as gp3 (default storage class assumed)"]
    assert (line.monthly_quantity, line.unit, line.unit_price, line.usage_origin) == (
        20, "GB-months", GP3_US_EAST_1, "fixed")
    assert line.price.source == "https://aws.amazon.com/ebs/pricing/"


def test_persistent_volume_claim_follows_the_configured_default_region(resource, priced):
    config = Config.model_validate({"defaults": {"region": "eu-west-1"}})
    assert priced(claim(resource, "20Gi"), config=config).monthly_cost == pytest.approx(
        20 * GP3_EU_WEST_1)


def test_claim_in_decimal_units_is_converted_to_gib(resource, priced):
    assert priced(claim(resource, "50G")).monthly_cost == pytest.approx(
        50e9 / 2**30 * GP3_US_EAST_1)


def test_claim_without_a_storage_request_is_unpriced_with_the_reason(resource, estimate_of):
    result = estimate_of([claim(resource, storage="plenty")])
    assert [u.reason for u in result.unpriced] == [
        "storage request (spec.resources.requests.storage) not known"]


def test_stateful_set_adds_claim_template_storage_times_replicas(resource, priced, lines):
    cost = priced(stateful_set(resource, replicas=3))
    pods = 3 * 0.5 * 730 * VCPU_HOUR + 3 * 0.5 * 730 * GB_HOUR
    assert cost.monthly_cost == pytest.approx(pods + 2.40)  # 3 × 10 GiB × $0.08
    line = lines(cost)["Volume claim data (10 GiB × 3 replicas) as gp3 "
                       "(default storage class assumed)"]
    assert (line.monthly_quantity, line.unit_price, line.usage_origin) == (
        30, GP3_US_EAST_1, "fixed")


def test_each_claim_template_gets_its_own_line(resource, priced, lines):
    cost = priced(stateful_set(resource, replicas=2,
                               templates=(("data", "10Gi"), ("wal", "5Gi"))))
    storage = {name: line.monthly_cost for name, line in lines(cost).items()
               if name.startswith("Volume claim")}
    assert storage == {
        "Volume claim data (10 GiB × 2 replicas) as gp3 (default storage class assumed)":
            pytest.approx(1.60),
        "Volume claim wal (5 GiB × 2 replicas) as gp3 (default storage class assumed)":
            pytest.approx(0.80)}


def test_hpa_range_of_a_stateful_set_includes_its_claim_storage(resource, priced):
    scaler = hpa(resource, target="db", low=2, high=4)
    scaler.attrs["spec"]["scaleTargetRef"]["kind"] = "StatefulSet"
    cost = priced(stateful_set(resource), others=[scaler])
    per_replica = 0.5 * 730 * VCPU_HOUR + 0.5 * 730 * GB_HOUR + 10 * GP3_US_EAST_1
    assert cost.monthly_cost == pytest.approx(3 * per_replica)
    assert (cost.monthly_cost_min, cost.monthly_cost_max) == (
        pytest.approx(2 * per_replica), pytest.approx(4 * per_replica))


def test_deployment_has_no_claim_storage_lines(resource, priced, lines):
    assert not [n for n in lines(priced(deployment(resource))) if n.startswith("Volume")]


GPU_HOUR = 0.29296  # purser.yaml default: g4dn.xlarge $0.526/h − 4 × $0.04048 − 16 × $0.004445


def gpu_deployment(resource, gpus, replicas=2):
    manifest = {"metadata": {"name": "model", "namespace": "ml"},
                "spec": {"replicas": replicas, "template": {"spec": {"containers": [
        {"name": "model", "resources": {"requests": {"cpu": "4", "memory": "16Gi"},
                                        "limits": gpus}}]}}}}
    return resource("k8s:apps/Deployment/ml/model", "apps/Deployment", manifest)


def test_the_default_gpu_rate_is_a_g4dn_xlarge_less_its_cpu_and_memory():
    assert KubernetesRates().gpu_hour_usd == pytest.approx(0.526 - 4 * VCPU_HOUR - 16 * GB_HOUR)


def test_gpu_requests_are_priced_at_the_gpu_rate(resource, priced, lines):
    cost = priced(gpu_deployment(resource, {"nvidia.com/gpu": "1"}))
    # 2 replicas × (4 vCPU × $0.04048 + 16 GiB × $0.004445 + 1 GPU × $0.29296) × 730 h
    # = 2 × $0.526 × 730 = $767.96: two g4dn.xlarge nodes' worth
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.526)
    gpu = lines(cost)["GPU requests (1 nvidia.com/gpu × 2 replicas)"]
    assert (gpu.monthly_quantity, gpu.unit, gpu.unit_price) == (1460, "GPU-hours", GPU_HOUR)
    assert gpu.price.source == "purser.yaml cost.kubernetes.gpu_hour_usd"


def test_amd_and_intel_gpus_are_priced_and_other_devices_are_not(resource, priced, lines):
    cost = priced(gpu_deployment(resource, {"amd.com/gpu": 2, "gpu.intel.com/i915": "1",
                                            "example.com/fpga": 1}, replicas=1))
    gpus = {name: line.monthly_quantity for name, line in lines(cost).items()
            if name.startswith("GPU")}
    assert gpus == {"GPU requests (2 amd.com/gpu × 1 replica)": 1460,
                    "GPU requests (1 gpu.intel.com/i915 × 1 replica)": 730}


def test_gpu_rate_comes_from_purser_yaml(resource, priced, lines):
    config = Config(cost=CostSettings(kubernetes=KubernetesRates(gpu_hour_usd=1.0)))
    cost = priced(gpu_deployment(resource, {"nvidia.com/gpu": "1"}, replicas=1), config=config)
    assert lines(cost)["GPU requests (1 nvidia.com/gpu × 1 replica)"].monthly_cost == 730


def test_gpus_count_in_an_hpa_range(resource, priced):
    scaler = hpa(resource, target="model", low=1, high=3, namespace="ml")
    cost = priced(gpu_deployment(resource, {"nvidia.com/gpu": "1"}), others=[scaler])
    assert (cost.monthly_cost_min, cost.monthly_cost_max) == (
        pytest.approx(730 * 0.526), pytest.approx(3 * 730 * 0.526))
