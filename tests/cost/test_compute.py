import pytest


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


def test_application_load_balancer_pays_hours_and_the_largest_lcu_dimension(resource, priced):
    alb = resource("aws_lb.public", "aws_lb", {"load_balancer_type": "application"})
    cost = priced(alb, {"new_connections": 50, "processed_bytes_gb": 1})
    # 50 new connections/s = 2 LCU; 1 GB/h = 1 LCU; the larger one is billed.
    assert cost.monthly_cost == pytest.approx(730 * 0.0225 + 2 * 730 * 0.008)


def test_network_load_balancer_is_unpriced(resource, estimate_of):
    nlb = resource("aws_lb.internal", "aws_lb", {"load_balancer_type": "network"})
    assert [u.reason for u in estimate_of([nlb]).unpriced] == [
        "no price model for network load balancers"]
