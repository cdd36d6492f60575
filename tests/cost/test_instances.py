"""EC2 instances, launch templates and launch configurations, and dedicated hosts.

Catalog prices used (us-east-1 unless noted; compute.yaml, ebs.yaml, logs.yaml):
on-demand Linux per hour: t3.medium $0.0416, t3.large $0.0832, t2.medium $0.0464,
m3.medium $0.067, m3.large $0.133, r3.xlarge $0.333, m6i.large $0.096 ($0.115 in
eu-central-1); dedicated t3.medium $0.0441; Windows t3.medium $0.06; r3.xlarge EBS-optimized
$0.02; t3.medium standard 1-year no-upfront reservation $0.0261; CPU credits $0.05 per
vCPU-hour; mac1 dedicated host $1.083. EBS per GB-month: gp2 $0.10 ($0.119 in
eu-central-1), gp3 $0.08, io1 $0.125 (+ $0.065 per IOPS), standard $0.05, sc1 $0.015.
CloudWatch custom metrics $0.30 per metric-month.
"""

from typing import Any

import pytest

from purser.config import Config
from purser.cost import estimate
from purser.model import Ref, Resource

from .conftest import TextUsage

T3_MEDIUM, T3_LARGE, T2_MEDIUM = 0.0416, 0.0832, 0.0464
M3_LARGE, R3_XLARGE, R3_XLARGE_EBS_OPTIMIZED = 0.133, 0.333, 0.02
GP2, GP3, IO1, IO1_IOPS, STANDARD, SC1 = 0.10, 0.08, 0.125, 0.065, 0.05, 0.015
METRIC, CREDIT = 0.30, 0.05
ROOT = 8 * GP2  # the assumed 8 GB gp2 root volume: $0.80


def _price(target: Resource, values: dict[str, Any] | None = None,
           others: tuple[Resource, ...] = ()):
    usage = TextUsage(target.address, values or {})
    result = estimate([target, *others], Config(), usage=usage)
    assert not [u for u in result.unpriced if u.address == target.address], result.unpriced
    return next(r for r in result.resources if r.address == target.address)


def _instance(resource, name="web", **attrs):
    return resource(f"aws_instance.{name}", "aws_instance", attrs)


def test_instance_costs_its_hours_and_an_assumed_8_gb_gp2_root_volume(resource, lines):
    cost = _price(_instance(resource, instance_type="t3.medium"))
    # 730 h × $0.0416 = $30.37; 8 GB × $0.10 = $0.80
    assert cost.monthly_cost == pytest.approx(730 * T3_MEDIUM + ROOT)
    root = lines(cost)["Root volume (the AMI's, assumed 8 GB gp2): storage (gp2, 8 GB)"]
    assert (root.monthly_quantity, root.usage_origin) == (8, "default")


def test_instance_costs_more_in_eu_central_1(resource, priced):
    instance = resource("aws_instance.web", "aws_instance", {"instance_type": "m6i.large"},
                        region="eu-central-1")
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.115 + 8 * 0.119)


def test_instance_of_an_unknown_type_is_unpriced_with_the_reason(resource, estimate_of):
    result = estimate_of([_instance(resource, name="old", instance_type="x9.nano")])
    assert [u.reason for u in result.unpriced] == [
        "no on-demand price for instance type x9.nano (Linux) in us-east-1"]


def test_older_instance_families_are_priced(resource):
    for instance_type, hourly in (("t2.medium", T2_MEDIUM), ("m3.large", M3_LARGE),
                                  ("r3.xlarge", R3_XLARGE)):
        cost = _price(_instance(resource, instance_type=instance_type))
        assert cost.monthly_cost == pytest.approx(730 * hourly + ROOT)


def test_monthly_hrs_from_usage_replaces_the_full_month(resource, lines):
    cost = _price(_instance(resource, instance_type="t3.medium"), {"monthly_hrs": 100})
    hours = lines(cost)["Instance usage (Linux, on-demand, t3.medium)"]
    assert (hours.monthly_quantity, hours.usage_origin) == (100, "usage file")
    assert cost.monthly_cost == pytest.approx(100 * T3_MEDIUM + ROOT)  # $4.16 + $0.80


def test_block_devices_of_every_type_are_priced(resource):
    instance = _instance(
        resource, instance_type="t3.medium", root_block_device=[{"volume_size": 10}],
        ebs_block_device=[
            {"device_name": "xvdf", "volume_size": 10},
            {"device_name": "xvdg", "volume_type": "standard", "volume_size": 20},
            {"device_name": "xvdh", "volume_type": "sc1", "volume_size": 30},
            {"device_name": "xvdi", "volume_type": "io1", "volume_size": 40, "iops": 1000},
            {"device_name": "xvdj", "volume_type": "gp3", "volume_size": 20}])
    cost = _price(instance)
    # root 10 GB gp2 $1.00; xvdf 10 GB gp2 $1.00; xvdg 20 GB standard $1.00 (+ I/O unknown);
    # xvdh 30 GB sc1 $0.45; xvdi 40 GB io1 $5.00 + 1,000 IOPS $65.00; xvdj 20 GB gp3 $1.60
    volumes = 10 * GP2 + 10 * GP2 + 20 * STANDARD + 30 * SC1 + 40 * IO1 + 1000 * IO1_IOPS \
        + 20 * GP3
    assert cost.monthly_cost == pytest.approx(730 * T3_MEDIUM + volumes)
    io_requests = [line for line in cost.components if line.component == "I/O requests"]
    assert [line.monthly_cost for line in io_requests] == [None]


def test_ebs_optimized_surcharge_only_where_the_type_charges_for_it(resource, lines):
    older = _price(_instance(resource, instance_type="r3.xlarge", ebs_optimized=True))
    assert older.monthly_cost == pytest.approx(730 * R3_XLARGE + 730 * R3_XLARGE_EBS_OPTIMIZED
                                               + ROOT)  # $243.09 + $14.60 + $0.80
    current = _price(_instance(resource, instance_type="t3.medium", ebs_optimized=True))
    assert "EBS-optimized usage" not in lines(current)


def test_detailed_monitoring_is_seven_metrics_prorated_by_the_hour(resource, lines):
    full = _price(_instance(resource, instance_type="m3.large", monitoring=True))
    assert full.monthly_cost == pytest.approx(730 * M3_LARGE + 7 * METRIC + ROOT)  # + $2.10
    part = _price(_instance(resource, instance_type="m3.large", monitoring=True),
                  {"monthly_hrs": 100})
    metrics = lines(part)["EC2 detailed monitoring (7 metrics per instance)"]
    assert metrics.monthly_quantity == pytest.approx(7 * 100 / 730)  # 0.96 metric-months


def test_unlimited_cpu_credits_come_from_usage(resource, lines):
    explicit = _instance(resource, instance_type="t2.medium",
                         credit_specification=[{"cpu_credits": "unlimited"}])
    cost = _price(explicit, {"monthly_cpu_credit_hrs": 300, "vcpu_count": 2})
    # 300 h × 2 vCPU = 600 vCPU-hours × $0.05 = $30.00
    assert cost.monthly_cost == pytest.approx(730 * T2_MEDIUM + 600 * CREDIT + ROOT)


def test_t3_defaults_to_unlimited_and_t2_to_standard(resource, lines):
    t3 = _price(_instance(resource, instance_type="t3.medium"))
    credits = lines(t3)["CPU credits (unlimited mode)"]
    assert (credits.unit_price, credits.monthly_cost) == (CREDIT, None)
    t2 = _price(_instance(resource, instance_type="t2.medium"),
                {"monthly_cpu_credit_hrs": 300, "vcpu_count": 2})
    assert "CPU credits (unlimited mode)" not in lines(t2)
    standard = _price(_instance(resource, instance_type="t3.medium",
                                credit_specification=[{"cpu_credits": "standard"}]),
                      {"monthly_cpu_credit_hrs": 300, "vcpu_count": 2})
    assert "CPU credits (unlimited mode)" not in lines(standard)


def test_dedicated_tenancy_and_windows_have_their_own_prices(resource):
    dedicated = _price(_instance(resource, instance_type="t3.medium", tenancy="dedicated",
                                 credit_specification=[{"cpu_credits": "standard"}]))
    assert dedicated.monthly_cost == pytest.approx(730 * 0.0441 + ROOT)  # $32.19 + $0.80
    windows = _price(_instance(resource, instance_type="t3.medium",
                               credit_specification=[{"cpu_credits": "standard"}]),
                     {"operating_system": "windows"})
    assert windows.monthly_cost == pytest.approx(730 * 0.06 + ROOT)  # $43.80 + $0.80


def test_an_operating_system_without_prices_is_unpriced(resource):
    instance = _instance(resource, instance_type="t3.medium")
    result = estimate([instance], Config(),
                      usage=TextUsage(instance.address, {"operating_system": "rhel"}))
    assert [u.reason for u in result.unpriced] == [
        "no price model for operating system 'rhel'"]


def test_instance_takes_its_launch_template_and_overrides_it(resource, lines):
    template = resource("aws_launch_template.example", "aws_launch_template", {
        "name": "example-lt", "instance_type": "t3.medium", "ebs_optimized": True,
        "monitoring": [{"enabled": True}], "credit_specification": [{"cpu_credits": "unlimited"}],
        "placement": [{"tenancy": "dedicated"}],
        "block_device_mappings": [{"device_name": "xvdc", "ebs": [
            {"volume_type": "io1", "volume_size": 10, "iops": 100}]}]})
    by_id = _instance(resource, name="by_id", launch_template=[
        {"id": Ref(address="aws_launch_template.example", attribute="id")}])
    cost = _price(by_id, {"monthly_cpu_credit_hrs": 730, "vcpu_count": 2}, others=(template,))
    # dedicated t3.medium $32.19, monitoring 7 × $0.30, credits 1,460 × $0.05 = $73.00,
    # root $0.80, xvdc io1 10 GB $1.25 + 100 IOPS $6.50
    assert cost.monthly_cost == pytest.approx(
        730 * 0.0441 + 7 * METRIC + 1460 * CREDIT + ROOT + 10 * IO1 + 100 * IO1_IOPS)
    override = _instance(resource, name="override", instance_type="t3.large",
                         ebs_optimized=False, monitoring=False, tenancy="default",
                         credit_specification=[{"cpu_credits": "standard"}],
                         launch_template=[{"name": "example-lt"}],
                         ebs_block_device=[{"device_name": "xvdc", "volume_size": 20}])
    cost = _price(override, others=(template,))
    # t3.large $60.74, root $0.80, xvdc io1 (from the template) 20 GB $2.50 + 100 IOPS $6.50
    assert cost.monthly_cost == pytest.approx(730 * T3_LARGE + ROOT + 20 * IO1
                                              + 100 * IO1_IOPS)


def test_no_upfront_reservation_is_priced_at_its_hourly_fee(resource, lines):
    instance = _instance(resource, instance_type="t3.medium",
                         credit_specification=[{"cpu_credits": "standard"}])
    reserved = {"reserved_instance_type": "standard", "reserved_instance_term": "1_year",
                "reserved_instance_payment_option": "no_upfront"}
    cost = _price(instance, reserved)
    hours = lines(cost)["Instance usage (Linux, t3.medium) (reserved standard 1_year "
                        "no_upfront): recurring fee"]
    assert hours.monthly_cost == pytest.approx(730 * 0.0261)  # $19.05


def test_a_reservation_with_an_upfront_fee_stays_on_demand_and_says_so(resource, lines):
    instance = _instance(resource, instance_type="t3.medium",
                         credit_specification=[{"cpu_credits": "standard"}])
    reserved = {"reserved_instance_type": "standard", "reserved_instance_term": "1_year",
                "reserved_instance_payment_option": "all_upfront"}
    hours = _price(instance, reserved).components[0]
    assert hours.component == ("Instance usage (Linux, on-demand, t3.medium; reservation "
                               "standard 1_year all_upfront: upfront fee not in the catalog: "
                               "on-demand, an upper bound)")
    assert hours.monthly_cost == pytest.approx(730 * T3_MEDIUM)


def test_instance_on_a_dedicated_host_pays_only_its_volumes(resource, lines):
    host = resource("aws_ec2_host.mac", "aws_ec2_host", {"instance_type": "mac1.metal"})
    instance = _instance(resource, instance_type="mac1.metal",
                         host_id=Ref(address="aws_ec2_host.mac", attribute="id"),
                         root_block_device=[{"volume_size": 50}])
    cost = _price(instance, others=(host,))
    assert cost.monthly_cost == pytest.approx(50 * GP2)  # $5.00
    assert _price(host).monthly_cost == pytest.approx(730 * 1.083)  # $790.59


def test_instance_on_a_host_outside_the_repository_is_unpriced(resource, estimate_of):
    instance = _instance(resource, instance_type="m3.medium", tenancy="host")
    assert [u.reason for u in estimate_of([instance]).unpriced] == [
        "runs on a dedicated host that is not in this repository (the host bills its hours)"]


def test_cloudformation_instance_reads_its_mappings_and_settings(resource, priced):
    instance = resource("Stack.Web", "AWS::EC2::Instance", {
        "InstanceType": "r3.xlarge", "EbsOptimized": "true", "Monitoring": True,
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvdf",
                                 "Ebs": {"VolumeSize": 100, "VolumeType": "gp3"}}]})
    # $243.09 + EBS-optimized $14.60 + monitoring $2.10 + assumed root $0.80 + 100 GB gp3 $8
    assert priced(instance).monthly_cost == pytest.approx(
        730 * R3_XLARGE + 730 * R3_XLARGE_EBS_OPTIMIZED + 7 * METRIC + ROOT + 100 * GP3)


@pytest.mark.parametrize("size", [-5, "huge", 1e300, [], {"a": 1}])
def test_an_unreadable_volume_size_is_unknown_not_zero(resource, lines, size):
    instance = _instance(resource, instance_type="t3.medium",
                         credit_specification=[{"cpu_credits": "standard"}],
                         ebs_block_device=[{"device_name": "xvdf", "volume_size": size}])
    line = lines(_price(instance))["Volume xvdf: storage (gp2, unknown size)"]
    assert (line.unit_price, line.monthly_cost, line.usage_origin) == (GP2, None, "unknown")


def test_a_root_block_without_a_size_leaves_it_to_the_ami_assumed_8_gb(resource, lines):
    instance = _instance(resource, instance_type="t3.medium",
                         credit_specification=[{"cpu_credits": "standard"}],
                         root_block_device=[{"encrypted": True, "volume_type": "gp3"}])
    root = lines(_price(instance))[
        "Root volume (the AMI's, assumed 8 GB gp3): storage (gp3, 8 GB)"]
    assert (root.monthly_cost, root.usage_origin) == (pytest.approx(8 * GP3), "default")


def test_a_root_size_that_cannot_be_evaluated_stays_unknown(resource, lines):
    instance = _instance(resource, instance_type="t3.medium",
                         credit_specification=[{"cpu_credits": "standard"}],
                         root_block_device=[{"encrypted": True}])
    instance = instance.model_copy(update={"unknown": ["root_block_device.0.volume_size"]})
    root = lines(_price(instance))["Root volume: storage (gp2, unknown size)"]
    assert (root.unit_price, root.monthly_cost) == (GP2, None)
