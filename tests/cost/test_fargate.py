"""Fargate: ECS services and EKS Fargate profiles.

Catalog prices used (us-east-1, aws.amazon.com/fargate/pricing): x86_64 $0.04048 per
vCPU-hour and $0.004445 per GB-hour; arm64 $0.03238 and $0.00356.
"""

import pytest

from purser.cost.pricers.fargate import task_memory_gb, task_vcpu
from purser.model import Ref

VCPU_HOUR = 0.04048
GB_HOUR = 0.004445


def _task(resource, cpu="1 vCPU", memory="2 GB", name="app", **attrs):
    values = {"family": name, **attrs}
    if cpu is not None:
        values["cpu"] = cpu
    if memory is not None:
        values["memory"] = memory
    return resource(f"aws_ecs_task_definition.{name}", "aws_ecs_task_definition", values)


def _service(resource, name="api", task="app", attribute="arn", **attrs):
    values = {"task_definition": Ref(address=f"aws_ecs_task_definition.{task}",
                                     attribute=attribute), **attrs}
    return resource(f"aws_ecs_service.{name}", "aws_ecs_service", values)


@pytest.mark.parametrize(("text", "vcpu"), [
    (1024, 1.0), ("1024", 1.0), ("256", 0.25), ("1 vCPU", 1.0), ("1vcpu", 1.0),
    (".5vCPU", 0.5), ("0.25 vCPU", 0.25), ("2 VCPU", 2.0), (" 4 vCPU ", 4.0), (2048.0, 2.0),
])
def test_task_cpu_is_read_in_every_form_aws_accepts(text, vcpu):
    assert task_vcpu(text) == vcpu


@pytest.mark.parametrize(("text", "gb"), [
    (2048, 2.0), ("2048", 2.0), ("512", 0.5), ("2 GB", 2.0), ("2GB", 2.0), ("0.5GB", 0.5),
    (".5 gb", 0.5), ("30 GB", 30.0),
])
def test_task_memory_is_read_in_every_form_aws_accepts(text, gb):
    assert task_memory_gb(text) == gb


@pytest.mark.parametrize("text", [
    "1 core", "", "vCPU", "-1 vCPU", "0", "0 vCPU", "512.5", "1e3", "17 vCPU", "99999",
    "1 vCPU vCPU", True, None, [], {"cpu": 1}, "9" * 40, 1.5,
])
def test_unreadable_or_impossible_task_cpu_is_none(text):
    assert task_vcpu(text) is None


@pytest.mark.parametrize("text", ["2 GiB", "2 MB", "121 GB", "-2 GB", "2 GB ram", False])
def test_unreadable_or_impossible_task_memory_is_none(text):
    assert task_memory_gb(text) is None


def test_fargate_service_costs_tasks_times_task_size(resource, priced):
    task = _task(resource, cpu="512", memory="1024",
                 runtime_platform=[{"cpu_architecture": "ARM64"}])
    service = _service(resource, launch_type="FARGATE", desired_count=2)
    cost = priced(service, others=[task])
    expected = 2 * 0.5 * 730 * 0.03238 + 2 * 1.0 * 730 * 0.00356
    assert cost.monthly_cost == pytest.approx(expected)


def test_task_size_in_vcpu_and_gb_words_is_priced_not_zero(resource, priced, lines):
    task = _task(resource, cpu="1 vCPU", memory="2 GB")
    service = _service(resource, launch_type="FARGATE", desired_count=2)
    cost = priced(service, others=[task])
    # 2 tasks × 1 vCPU × 730 h × $0.04048 = $59.10; 2 × 2 GB × 730 h × $0.004445 = $12.98
    assert cost.monthly_cost == pytest.approx(2 * 1 * 730 * VCPU_HOUR + 2 * 2 * 730 * GB_HOUR)
    assert cost.monthly_cost == pytest.approx(72.08, abs=0.01)
    assert {line.usage_origin for line in cost.components} == {"fixed"}


def test_unreadable_task_cpu_is_unknown_with_its_unit_price(resource, priced):
    task = _task(resource, cpu="lots", memory="2 GB")
    service = _service(resource, launch_type="FARGATE", desired_count=1)
    cost = priced(service, others=[task])
    vcpu, memory = cost.components
    assert vcpu.component == "Fargate vCPU (1 task × unknown vCPU, x86_64)"
    assert (vcpu.unit_price, vcpu.monthly_quantity, vcpu.monthly_cost) == (VCPU_HOUR, None, None)
    assert vcpu.usage_origin == "unknown"
    assert memory.monthly_cost == pytest.approx(2 * 730 * GB_HOUR)


def test_missing_task_memory_is_unknown_not_zero(resource, priced):
    task = _task(resource, cpu="1024", memory=None)
    service = _service(resource, launch_type="FARGATE", desired_count=1)
    memory = priced(service, others=[task]).components[1]
    assert (memory.monthly_cost, memory.usage_origin) == (None, "unknown")


def test_terraform_service_without_desired_count_runs_no_tasks(resource, priced):
    # The AWS provider's default desired_count is 0.
    task = _task(resource)
    service = _service(resource, launch_type="FARGATE")
    cost = priced(service, others=[task])
    assert cost.monthly_cost == 0
    assert cost.components[0].component == "Fargate vCPU (0 tasks × 1 vCPU, x86_64)"


def test_cloudformation_service_without_desired_count_runs_one_task(resource, priced):
    task = resource("Stack.Task", "AWS::ECS::TaskDefinition",
                    {"Family": "app", "Cpu": "1 vCPU", "Memory": "2GB"})
    service = resource("Stack.Service", "AWS::ECS::Service",
                       {"LaunchType": "FARGATE",
                        "TaskDefinition": Ref(address="Stack.Task", attribute="")})
    cost = priced(service, others=[task])
    assert cost.monthly_cost == pytest.approx(730 * VCPU_HOUR + 2 * 730 * GB_HOUR)


def test_ecs_service_on_ec2_capacity_is_free(resource, estimate_of):
    service = resource("aws_ecs_service.api", "aws_ecs_service", {"launch_type": "EC2"})
    assert estimate_of([service]).free == ["aws_ecs_service.api"]


def test_service_without_launch_type_on_a_plain_cluster_is_free(resource, estimate_of):
    cluster = resource("aws_ecs_cluster.main", "aws_ecs_cluster", {"name": "main"})
    service = _service(resource, cluster=Ref(address="aws_ecs_cluster.main", attribute="id"),
                       desired_count=2)
    result = estimate_of([service, cluster, _task(resource)])
    assert "aws_ecs_service.api" in result.free


def test_cluster_with_only_fargate_providers_runs_the_service_on_fargate(resource, priced):
    cluster = resource("aws_ecs_cluster.main", "aws_ecs_cluster", {"name": "main"})
    providers = resource("aws_ecs_cluster_capacity_providers.main",
                         "aws_ecs_cluster_capacity_providers",
                         {"cluster_name": Ref(address="aws_ecs_cluster.main", attribute="name"),
                          "capacity_providers": ["FARGATE"]})
    service = _service(resource, cluster=Ref(address="aws_ecs_cluster.main", attribute="id"),
                       desired_count=3)
    cost = priced(service, others=[cluster, providers, _task(resource)])
    assert cost.monthly_cost == pytest.approx(3 * 730 * VCPU_HOUR + 3 * 2 * 730 * GB_HOUR)


def test_cluster_default_strategy_is_found_by_cluster_name(resource, priced):
    cluster = resource("aws_ecs_cluster.main", "aws_ecs_cluster", {"name": "main"})
    providers = resource("aws_ecs_cluster_capacity_providers.main",
                         "aws_ecs_cluster_capacity_providers",
                         {"cluster_name": "main", "capacity_providers": ["FARGATE", "ec2-asg"],
                          "default_capacity_provider_strategy": [
                              {"capacity_provider": "FARGATE", "weight": 0, "base": 1}]})
    service = _service(resource, cluster="main", desired_count=2)
    cost = priced(service, others=[cluster, providers, _task(resource)])
    assert cost.monthly_cost == pytest.approx(2 * 730 * VCPU_HOUR + 2 * 2 * 730 * GB_HOUR)


def test_fargate_spot_share_is_unknown_and_on_demand_share_is_priced(resource, priced):
    service = _service(resource, desired_count=4, capacity_provider_strategy=[
        {"capacity_provider": "FARGATE", "weight": 1},
        {"capacity_provider": "FARGATE_SPOT", "weight": 3}])
    cost = priced(service, others=[_task(resource)])
    # One task in four on on-demand Fargate: 1 × (730 × $0.04048 + 2 × 730 × $0.004445).
    assert cost.monthly_cost == pytest.approx(730 * VCPU_HOUR + 2 * 730 * GB_HOUR)
    spot = [line for line in cost.components if line.component.startswith("Fargate Spot")]
    assert len(spot) == 2 and {line.monthly_cost for line in spot} == {None}


def test_task_definition_named_by_family_or_task_set_is_found(resource, priced):
    task = _task(resource, cpu="2 vCPU", memory="4 GB")
    by_family = _service(resource, name="by_family", attribute="family",
                         launch_type="FARGATE", desired_count=1)
    by_arn = resource("aws_ecs_service.by_arn", "aws_ecs_service", {
        "launch_type": "FARGATE", "desired_count": 1,
        "task_definition": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:7"})
    deployed = resource("aws_ecs_service.deployed", "aws_ecs_service",
                        {"launch_type": "FARGATE", "desired_count": 1})
    task_set = resource("aws_ecs_task_set.deployed", "aws_ecs_task_set", {
        "service": Ref(address="aws_ecs_service.deployed", attribute="id"),
        "task_definition": Ref(address="aws_ecs_task_definition.app", attribute="arn")})
    expected = 2 * 730 * VCPU_HOUR + 4 * 730 * GB_HOUR
    for service in (by_family, by_arn, deployed):
        assert priced(service, others=[task, task_set]).monthly_cost == pytest.approx(expected)


def test_windows_tasks_are_unpriced_with_the_reason(resource, estimate_of):
    windows = [{"operating_system_family": "WINDOWS_SERVER_2022_CORE"}]
    task = _task(resource, runtime_platform=windows)
    service = _service(resource, launch_type="FARGATE", desired_count=1)
    assert [u.reason for u in estimate_of([service, task]).unpriced] == [
        "no price model for Windows tasks on Fargate"]


def test_eks_fargate_profile_assumes_one_small_pod_and_says_so(resource, priced, lines):
    profile = resource("aws_eks_fargate_profile.apps", "aws_eks_fargate_profile",
                       {"fargate_profile_name": "apps"})
    cost = priced(profile)
    # 1 vCPU × 730 h × $0.04048 = $29.55; 1 GB × 730 h × $0.004445 = $3.24
    assert cost.monthly_cost == pytest.approx(730 * VCPU_HOUR + 730 * GB_HOUR)
    assert {line.usage_origin for line in cost.components} == {"default"}
    assert "assumed 1 pod × 1 vCPU; usage monthly_vcpu_hrs" in lines(cost)[
        "Fargate vCPU (assumed 1 pod × 1 vCPU; usage monthly_vcpu_hrs)"].component


def test_eks_fargate_profile_reads_its_pod_hours_from_usage(resource, priced):
    profile = resource("aws_eks_fargate_profile.apps", "aws_eks_fargate_profile")
    cost = priced(profile, {"monthly_vcpu_hrs": 2000, "monthly_gb_hrs": 8000})
    assert cost.monthly_cost == pytest.approx(2000 * VCPU_HOUR + 8000 * GB_HOUR)


@pytest.mark.parametrize("count", [-1, 1e9])
def test_an_impossible_desired_count_is_unpriced_not_priced(resource, estimate_of, count):
    service = _service(resource, launch_type="FARGATE", desired_count=count)
    assert [u.reason for u in estimate_of([service, _task(resource)]).unpriced] == [
        f"desired_count {count:g} is out of range"]
