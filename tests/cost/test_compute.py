import pytest

from purser.model import Ref


def test_ec2_instance_costs_its_on_demand_hours(resource, priced):
    instance = resource("aws_instance.web", "aws_instance", {"instance_type": "m6i.large"})
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.096)


def test_ec2_instance_costs_more_in_eu_central_1(resource, priced):
    instance = resource("aws_instance.web", "aws_instance", {"instance_type": "m6i.large"},
                        region="eu-central-1")
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.115)


def test_ec2_instance_of_an_unknown_type_is_unpriced_with_the_reason(resource, estimate_of):
    instance = resource("aws_instance.old", "aws_instance", {"instance_type": "t2.nano"})
    result = estimate_of([instance])
    assert [u.reason for u in result.unpriced] == [
        "no on-demand price for instance type t2.nano in us-east-1"]


def test_eks_cluster_and_node_group(resource, priced):
    cluster = resource("aws_eks_cluster.main", "aws_eks_cluster")
    assert priced(cluster).monthly_cost == pytest.approx(730 * 0.10)
    nodes = resource("aws_eks_node_group.main", "aws_eks_node_group",
                     {"instance_types": ["t3.large"], "scaling_config": [{"desired_size": 3}]})
    assert priced(nodes).monthly_cost == pytest.approx(3 * 730 * 0.0832)


def test_fargate_service_costs_tasks_times_task_size(resource, priced):
    task = resource("aws_ecs_task_definition.api", "aws_ecs_task_definition",
                    {"cpu": "512", "memory": "1024",
                     "runtime_platform": [{"cpu_architecture": "ARM64"}]})
    service = resource("aws_ecs_service.api", "aws_ecs_service",
                       {"launch_type": "FARGATE", "desired_count": 2,
                        "task_definition": Ref(address="aws_ecs_task_definition.api",
                                               attribute="arn")})
    cost = priced(service, others=[task])
    expected = 2 * 0.5 * 730 * 0.03238 + 2 * 1.0 * 730 * 0.00356
    assert cost.monthly_cost == pytest.approx(expected)


def test_ecs_service_on_ec2_capacity_is_free(resource, estimate_of):
    service = resource("aws_ecs_service.api", "aws_ecs_service", {"launch_type": "EC2"})
    assert estimate_of([service]).free == ["aws_ecs_service.api"]


def test_application_load_balancer_pays_hours_and_the_largest_lcu_dimension(resource, priced):
    alb = resource("aws_lb.public", "aws_lb", {"load_balancer_type": "application"})
    cost = priced(alb, {"new_connections": 50, "processed_bytes_gb": 1})
    # 50 new connections/s = 2 LCU; 1 GB/h = 1 LCU; the larger one is billed.
    assert cost.monthly_cost == pytest.approx(730 * 0.0225 + 2 * 730 * 0.008)


def test_network_load_balancer_is_unpriced(resource, estimate_of):
    nlb = resource("aws_lb.internal", "aws_lb", {"load_balancer_type": "network"})
    assert [u.reason for u in estimate_of([nlb]).unpriced] == [
        "no price model for network load balancers"]
