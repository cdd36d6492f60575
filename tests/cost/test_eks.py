"""EKS clusters (standard and extended support) and managed node groups.

Catalog prices used (us-east-1): EKS cluster $0.10 per hour in standard support, $0.60 in
extended support (recorded 2026-12-02); on-demand Linux t3.medium $0.0416, t3.large
$0.0832, m5.large $0.096, m5.xlarge $0.192, t2.medium $0.0464 per hour; Windows t3.medium
$0.06; gp2 $0.10 and gp3 $0.08 per GB-month; CPU credits $0.05 per vCPU-hour.
"""

from datetime import date

import pytest

from purser.cost.pricers.eks import in_extended_support
from purser.model import Ref

STANDARD, EXTENDED = 0.10, 0.60
T3_MEDIUM, T3_LARGE, M5_LARGE, T2_MEDIUM = 0.0416, 0.0832, 0.096, 0.0464
GP2, GP3, CREDIT = 0.10, 0.08, 0.05


@pytest.mark.parametrize(("version", "on", "extended"), [
    ("1.29", date(2025, 3, 22), False), ("1.29", date(2025, 3, 23), True),
    ("1.33", date(2026, 12, 2), True), ("1.34", date(2026, 12, 1), False),
    ("1.34.2", date(2026, 12, 2), True), ("1.35", date(2026, 12, 2), False),
    ("1.20", date(2022, 1, 1), True),  # older than the calendar: long past standard support
    ("1.40", date(2030, 1, 1), False),  # newer than the calendar
])
def test_extended_support_follows_the_eks_calendar(version, on, extended):
    assert in_extended_support(version, on) is extended


def test_cluster_without_a_version_is_in_standard_support(resource, priced):
    cluster = resource("aws_eks_cluster.main", "aws_eks_cluster", {"name": "main"})
    assert priced(cluster).monthly_cost == pytest.approx(730 * STANDARD)  # $73.00


def test_cluster_past_standard_support_pays_extended_support(resource, priced, lines):
    cluster = resource("aws_eks_cluster.old", "aws_eks_cluster", {"version": "1.29"})
    cost = priced(cluster)
    assert cost.monthly_cost == pytest.approx(730 * EXTENDED)  # $438.00
    assert list(lines(cost)) == ["EKS cluster (Kubernetes 1.29, extended support)"]


def test_a_version_still_in_standard_support_on_the_catalog_date(resource, priced):
    # The extended-support price was recorded 2026-12-02; 1.35 is supported to 2027-03-27.
    cluster = resource("aws_eks_cluster.new", "aws_eks_cluster", {"version": "1.35"})
    assert priced(cluster).monthly_cost == pytest.approx(730 * STANDARD)


def test_standard_upgrade_policy_never_pays_extended_support(resource, priced):
    cluster = resource("aws_eks_cluster.auto", "aws_eks_cluster",
                       {"version": "1.29", "upgrade_policy": [{"support_type": "STANDARD"}]})
    assert priced(cluster).monthly_cost == pytest.approx(730 * STANDARD)


def test_unknown_version_assumes_standard_support_and_says_so(resource, priced):
    cluster = resource("aws_eks_cluster.var", "aws_eks_cluster", {})
    cluster = cluster.model_copy(update={"unknown": ["version"]})
    line = priced(cluster).components[0]
    assert line.component == "EKS cluster (version not known; standard support assumed)"
    assert (line.monthly_cost, line.usage_origin) == (pytest.approx(73.0), "default")


def test_cloudformation_cluster_reads_its_version(resource, priced):
    cluster = resource("Stack.Cluster", "AWS::EKS::Cluster", {"Version": "1.28"})
    assert priced(cluster).monthly_cost == pytest.approx(730 * EXTENDED)


def test_node_group_prices_its_nodes_and_default_disk(resource, priced, lines):
    nodes = resource("aws_eks_node_group.main", "aws_eks_node_group",
                     {"instance_types": ["t3.large"], "scaling_config": [{"desired_size": 3}]})
    cost = priced(nodes)
    # 3 × 730 h × $0.0832 = $182.21; 3 × 20 GB (EKS's default disk) gp2 × $0.10 = $6.00
    assert cost.monthly_cost == pytest.approx(3 * 730 * T3_LARGE + 3 * 20 * GP2)
    disk = lines(cost)["Root volume (EKS's default size, gp2 assumed × 3): storage (gp2, 20 GB)"]
    assert disk.usage_origin == "default"


def test_node_group_defaults_to_t3_medium_and_reads_instances_from_usage(resource, priced):
    nodes = resource("aws_eks_node_group.main", "aws_eks_node_group",
                     {"scaling_config": [{"desired_size": 1}], "disk_size": 30})
    cost = priced(nodes, {"instances": 6})
    assert cost.monthly_cost == pytest.approx(6 * 730 * T3_MEDIUM + 6 * 30 * GP2)


def test_node_group_with_a_launch_template_takes_its_type_and_volumes(resource, priced):
    template = resource("aws_launch_template.nodes", "aws_launch_template", {
        "name": "nodes", "instance_type": "m5.xlarge", "ebs_optimized": True,
        "credit_specification": [{"cpu_credits": "standard"}],
        "block_device_mappings": [{"device_name": "/dev/sda1",
                                   "ebs": [{"volume_type": "gp3", "volume_size": 100}]}]})
    chosen = resource("aws_eks_node_group.chosen", "aws_eks_node_group", {
        "instance_types": ["m5.large"], "scaling_config": [{"desired_size": 3}],
        "launch_template": [{"name": Ref(address="aws_launch_template.nodes",
                                         attribute="name")}]})
    # The node group's instance type wins: 3 × 730 h × $0.096 = $210.24; the template's
    # root volume: 3 × 100 GB gp3 × $0.08 = $24.00 (m5 includes EBS optimisation).
    assert priced(chosen, others=[template]).monthly_cost == pytest.approx(
        3 * 730 * M5_LARGE + 300 * GP3)


def test_node_group_credits_scale_with_its_nodes(resource, priced):
    nodes = resource("aws_eks_node_group.burst", "aws_eks_node_group",
                     {"instance_types": ["t3.medium"], "scaling_config": [{"desired_size": 3}]})
    cost = priced(nodes, {"monthly_cpu_credit_hrs": 350, "vcpu_count": 2})
    # 350 h × 2 vCPU × 3 nodes = 2,100 vCPU-hours × $0.05 = $105.00
    assert cost.monthly_cost == pytest.approx(3 * 730 * T3_MEDIUM + 2100 * CREDIT + 60 * GP2)


def test_windows_ami_type_prices_windows_hours_and_a_50_gb_disk(resource, priced):
    nodes = resource("aws_eks_node_group.win", "aws_eks_node_group", {
        "ami_type": "WINDOWS_CORE_2022_x86_64", "instance_types": ["t3.medium"],
        "scaling_config": [{"desired_size": 1}]})
    cost = priced(nodes)
    assert cost.monthly_cost == pytest.approx(730 * 0.06 + 50 * GP2)  # $43.80 + $5.00


def test_spot_node_group_hours_are_unknown_with_the_on_demand_price(resource, priced):
    nodes = resource("aws_eks_node_group.spot", "aws_eks_node_group", {
        "capacity_type": "SPOT", "instance_types": ["t2.medium"],
        "scaling_config": [{"desired_size": 2}]})
    hours = priced(nodes).components[0]
    assert hours.component.startswith("Instance usage (Linux, Spot, 2 × t2.medium")
    assert (hours.unit_price, hours.monthly_cost) == (T2_MEDIUM, None)


@pytest.mark.parametrize("size", [-3, 1e12])
def test_an_impossible_node_count_is_unpriced_not_priced(resource, estimate_of, size):
    nodes = resource("aws_eks_node_group.x", "aws_eks_node_group",
                     {"scaling_config": [{"desired_size": size}]})
    assert [u.reason for u in estimate_of([nodes]).unpriced] == [
        f"desired_size {size:g} is out of range"]
