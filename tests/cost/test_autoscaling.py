"""Auto Scaling groups priced from their launch template or launch configuration.

Catalog prices used (us-east-1): on-demand Linux per hour t2.micro $0.0116, t2.medium
$0.0464, t2.large $0.0928, t3.medium $0.0416; gp2 $0.10 and io1 $0.125 per GB-month, io1
IOPS $0.065; CloudWatch custom metrics $0.30 per metric-month; CPU credits $0.05.
"""

import pytest

from purser.model import Ref

T2_MICRO, T2_MEDIUM, T2_LARGE, T3_MEDIUM = 0.0116, 0.0464, 0.0928, 0.0416
GP2, IO1, IO1_IOPS, METRIC, CREDIT = 0.10, 0.125, 0.065, 0.30, 0.05


def _configuration(resource, name="lc", **attrs):
    return resource(f"aws_launch_configuration.{name}", "aws_launch_configuration",
                    {"image_id": "ami", **attrs})


def _group(resource, name="asg", source="lc", attribute="id", **attrs):
    values = {"launch_configuration": Ref(address=f"aws_launch_configuration.{source}",
                                          attribute=attribute), **attrs}
    return resource(f"aws_autoscaling_group.{name}", "aws_autoscaling_group", values)


def test_group_prices_desired_capacity_instances_of_its_launch_configuration(resource,
                                                                            priced):
    configuration = _configuration(
        resource, instance_type="t2.medium", root_block_device=[{"volume_size": 10}],
        ebs_block_device=[{"device_name": "xvdf", "volume_size": 10}])
    group = _group(resource, desired_capacity=2, min_size=1, max_size=3)
    cost = priced(group, others=[configuration])
    # 2 × 730 h × $0.0464 = $67.74; monitoring (on by default for a launch configuration)
    # 2 × 7 × $0.30 = $4.20; 2 × (10 + 10) GB gp2 × $0.10 = $4.00
    assert cost.monthly_cost == pytest.approx(2 * 730 * T2_MEDIUM + 14 * METRIC + 40 * GP2)


def test_without_desired_capacity_the_minimum_runs(resource, priced):
    configuration = _configuration(resource, instance_type="t2.medium",
                                   enable_monitoring=False)
    group = _group(resource, attribute="name", min_size=2, max_size=3)
    cost = priced(group, others=[configuration])
    assert cost.monthly_cost == pytest.approx(2 * 730 * T2_MEDIUM + 2 * 8 * GP2)


def test_a_group_that_may_scale_to_zero_is_assumed_to_run_one_and_says_so(resource, priced):
    configuration = _configuration(resource, instance_type="t2.medium",
                                   enable_monitoring=False)
    group = _group(resource, min_size=0, max_size=3)
    cost = priced(group, others=[configuration])
    assert cost.monthly_cost == pytest.approx(730 * T2_MEDIUM + 8 * GP2)
    assert {line.usage_origin for line in cost.components} == {"default"}


def test_desired_capacity_zero_runs_nothing(resource, priced):
    configuration = _configuration(resource, instance_type="t2.medium")
    group = _group(resource, desired_capacity=0, min_size=0, max_size=3)
    assert priced(group, others=[configuration]).monthly_cost == 0


def test_instances_from_usage_win(resource, priced, lines):
    configuration = _configuration(resource, instance_type="t2.medium",
                                   enable_monitoring=False)
    group = _group(resource, desired_capacity=2)
    cost = priced(group, {"instances": 6}, others=[configuration])
    hours = lines(cost)["Instance usage (Linux, on-demand, 6 × t2.medium)"]
    assert (hours.monthly_quantity, hours.usage_origin) == (4380, "usage file")
    assert cost.monthly_cost == pytest.approx(6 * 730 * T2_MEDIUM + 6 * 8 * GP2)


def test_launch_template_volumes_and_credits_scale_with_the_group(resource, priced):
    template = resource("aws_launch_template.lt", "aws_launch_template", {
        "instance_type": "t3.medium",
        "block_device_mappings": [
            {"device_name": "xvdf", "ebs": [{"volume_size": 10}]},
            {"device_name": "xvfa", "ebs": [{"volume_size": 20, "volume_type": "io1",
                                             "iops": 200}]}]})
    group = resource("aws_autoscaling_group.asg", "aws_autoscaling_group", {
        "desired_capacity": 2,
        "launch_template": [{"id": Ref(address="aws_launch_template.lt", attribute="id")}]})
    cost = priced(group, {"monthly_cpu_credit_hrs": 350, "vcpu_count": 2}, others=[template])
    # 2 × $30.37 hours; credits 350 × 2 vCPU × 2 instances = 1,400 × $0.05 = $70;
    # 2 × 10 GB gp2 = $2; 2 × 20 GB io1 = $5 + 2 × 200 IOPS = $26; the root volume is the
    # AMI's and unknown (no mapping for /dev/xvda or /dev/sda1)
    assert cost.monthly_cost == pytest.approx(
        2 * 730 * T3_MEDIUM + 1400 * CREDIT + 20 * GP2 + 40 * IO1 + 400 * IO1_IOPS)
    root = [line for line in cost.components if line.component.startswith("Root volume")]
    assert [(line.unit_price, line.monthly_cost) for line in root] == [(GP2, None)]


def test_counted_groups_find_their_configuration_through_a_splat(resource, priced):
    configurations = [_configuration(resource, name=f"lc[{i}]", instance_type=t,
                                     enable_monitoring=False)
                      for i, t in enumerate(("t2.micro", "t2.medium"))]
    group = resource("aws_autoscaling_group.asg[1]", "aws_autoscaling_group", {
        "desired_capacity": 2,
        "launch_configuration": Ref(address="aws_launch_configuration.lc[*]",
                                    attribute="id.1")})
    cost = priced(group, others=configurations)
    assert cost.monthly_cost == pytest.approx(2 * 730 * T2_MEDIUM + 2 * 8 * GP2)


def test_mixed_instances_run_the_first_override_by_its_weight(resource, priced):
    template = resource("aws_launch_template.lt", "aws_launch_template",
                        {"instance_type": "t2.medium"})
    group = resource("aws_autoscaling_group.mixed", "aws_autoscaling_group", {
        "desired_capacity": 6,
        "mixed_instances_policy": [{
            "launch_template": [{
                "launch_template_specification": [{"launch_template_id": Ref(
                    address="aws_launch_template.lt", attribute="id")}],
                "override": [{"instance_type": "t2.large", "weighted_capacity": "2"},
                             {"instance_type": "t2.xlarge", "weighted_capacity": "4"}]}],
            "instances_distribution": [{"on_demand_base_capacity": 1,
                                        "on_demand_percentage_above_base_capacity": 100}]}]})
    cost = priced(group, others=[template])
    # 6 capacity units / weight 2 = 3 × t2.large × 730 h × $0.0928 = $203.23
    assert cost.monthly_cost == pytest.approx(3 * 730 * T2_LARGE)


def test_mixed_instances_spot_share_is_unknown(resource, priced, lines):
    template = resource("aws_launch_template.lt", "aws_launch_template",
                        {"instance_type": "t2.medium"})
    group = resource("aws_autoscaling_group.mixed", "aws_autoscaling_group", {
        "desired_capacity": 4,
        "mixed_instances_policy": [{
            "launch_template": [{"launch_template_specification": [{
                "launch_template_id": Ref(address="aws_launch_template.lt", attribute="id")}]}],
            "instances_distribution": [{"on_demand_base_capacity": 1,
                                        "on_demand_percentage_above_base_capacity": 0}]}]})
    cost = priced(group, others=[template])
    assert cost.monthly_cost == pytest.approx(730 * T2_MEDIUM)  # the one on-demand instance
    spot = lines(cost)["Spot instances (3 × t2.medium; spot price varies, on-demand shown)"]
    assert (spot.unit_price, spot.monthly_cost) == (T2_MEDIUM, None)


def test_group_without_its_launch_source_is_unpriced(resource, estimate_of):
    group = _group(resource, desired_capacity=2)
    assert [u.reason for u in estimate_of([group]).unpriced] == [
        "its launch template or launch configuration is not in this repository"]


def test_cloudformation_group_and_launch_configuration(resource, priced):
    configuration = resource("Stack.Config", "AWS::AutoScaling::LaunchConfiguration", {
        "InstanceType": "t2.micro", "InstanceMonitoring": False,
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30}}]})
    group = resource("Stack.Group", "AWS::AutoScaling::AutoScalingGroup", {
        "DesiredCapacity": "3", "MinSize": "1", "MaxSize": "4",
        "LaunchConfigurationName": Ref(address="Stack.Config", attribute="")})
    cost = priced(group, others=[configuration])
    # 3 × 730 h × $0.0116 = $25.40; 3 × 30 GB gp2 root = $9.00
    assert cost.monthly_cost == pytest.approx(3 * 730 * T2_MICRO + 90 * GP2)


def test_an_impossible_capacity_is_unpriced_not_priced(resource, estimate_of):
    configuration = _configuration(resource, instance_type="t2.medium")
    group = _group(resource, desired_capacity=1e12)
    assert [u.reason for u in estimate_of([group, configuration]).unpriced] == [
        "instance count 1e+12 is out of range"]
