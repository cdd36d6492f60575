import pytest

from purser.model import Ref

# Catalog prices (src/purser/cost/catalog/ebs.yaml), per GB-month unless noted.
GP3_US_EAST_1, GP3_EU_CENTRAL_1, GP2_US_EAST_1 = 0.08, 0.0952, 0.10
IO1_US_EAST_1, IO1_IOPS_US_EAST_1 = 0.125, 0.065  # per IOPS-month
GP3_IOPS_US_EAST_1, GP3_THROUGHPUT_US_EAST_1 = 0.005, 0.04  # per IOPS-month, per MB/s-month


def test_gp3_volume_costs_its_size_in_gb_months(resource, priced, lines):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"type": "gp3", "size": 100})
    cost = priced(volume)
    assert cost.monthly_cost == pytest.approx(8.00)  # 100 GB × $0.08
    storage = lines(cost)["Storage (gp3, 100 GB)"]
    assert (storage.monthly_quantity, storage.unit, storage.unit_price) == (
        100, "GB-months", GP3_US_EAST_1)
    assert storage.price.source == "https://aws.amazon.com/ebs/pricing/"
    assert storage.usage_origin == "fixed"


def test_gp3_volume_costs_more_in_eu_central_1(resource, priced):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"type": "gp3", "size": 100},
                      region="eu-central-1")
    assert priced(volume).monthly_cost == pytest.approx(9.52)  # 100 GB × $0.0952


def test_volume_without_a_type_is_priced_as_gp3(resource, priced, lines):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"size": 100})
    cost = priced(volume)
    assert list(lines(cost)) == ["Storage (gp3, 100 GB)"]
    assert cost.monthly_cost == pytest.approx(100 * GP3_US_EAST_1)


def test_io1_volume_pays_storage_and_every_provisioned_iops(resource, priced, lines):
    volume = resource("aws_ebs_volume.db", "aws_ebs_volume",
                      {"type": "io1", "size": 500, "iops": 10000})
    cost = priced(volume)
    # 500 GB × $0.125 + 10,000 IOPS × $0.065 = $62.50 + $650.00
    assert cost.monthly_cost == pytest.approx(712.50)
    iops = lines(cost)["Provisioned IOPS (io1)"]
    assert (iops.monthly_quantity, iops.unit, iops.unit_price, iops.usage_origin) == (
        10000, "IOPS-months", IO1_IOPS_US_EAST_1, "fixed")


def test_gp3_pays_only_iops_and_throughput_above_the_included_baseline(resource, priced,
                                                                      lines):
    volume = resource("aws_ebs_volume.fast", "aws_ebs_volume",
                      {"type": "gp3", "size": 200, "iops": 6000, "throughput": 250})
    cost = priced(volume)
    # 200 GB × $0.08 + (6,000 − 3,000) IOPS × $0.005 + (250 − 125) MB/s × $0.04
    assert cost.monthly_cost == pytest.approx(16.00 + 15.00 + 5.00)
    found = lines(cost)
    iops = found["Provisioned IOPS (3000 above the included 3,000)"]
    assert (iops.monthly_quantity, iops.unit_price) == (3000, GP3_IOPS_US_EAST_1)
    throughput = found["Provisioned throughput (125 MB/s above the included 125 MB/s)"]
    assert (throughput.monthly_quantity, throughput.unit, throughput.unit_price) == (
        125, "MBps-months", GP3_THROUGHPUT_US_EAST_1)


def test_gp3_at_its_baseline_performance_pays_storage_only(resource, priced, lines):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume",
                      {"type": "gp3", "size": 10, "iops": 3000, "throughput": 125})
    assert list(lines(priced(volume))) == ["Storage (gp3, 10 GB)"]


def test_cloudformation_volume_without_a_type_is_priced_as_gp2(resource, priced, lines):
    volume = resource("cfn:stack.yaml#Data", "AWS::EC2::Volume",
                      {"Size": 50, "AvailabilityZone": "us-east-1a"})
    cost = priced(volume)
    assert cost.monthly_cost == pytest.approx(5.00)  # 50 GB × $0.10
    assert lines(cost)["Storage (gp2, 50 GB)"].unit_price == GP2_US_EAST_1


def test_cloudformation_io1_volume_reads_its_properties(resource, priced):
    volume = resource("cfn:stack.yaml#Db", "AWS::EC2::Volume",
                      {"VolumeType": "io1", "Size": 100, "Iops": 1000})
    assert priced(volume).monthly_cost == pytest.approx(100 * IO1_US_EAST_1
                                                        + 1000 * IO1_IOPS_US_EAST_1)


def test_io1_volume_without_iops_shows_the_iops_price_with_unknown_quantity(resource, priced,
                                                                           lines):
    volume = resource("aws_ebs_volume.db", "aws_ebs_volume", {"type": "io1", "size": 100})
    cost = priced(volume)
    assert lines(cost)["Provisioned IOPS (io1)"].monthly_cost is None
    assert cost.usage_unknown and cost.monthly_cost == pytest.approx(100 * IO1_US_EAST_1)


def test_volume_whose_size_comes_from_a_snapshot_is_unpriced_with_the_reason(resource,
                                                                            estimate_of):
    volume = resource("aws_ebs_volume.restored", "aws_ebs_volume",
                      {"snapshot_id": Ref(address="aws_ebs_snapshot.s", attribute="id")})
    assert [u.reason for u in estimate_of([volume]).unpriced] == [
        "volume size not known statically (e.g. taken from a snapshot)"]


def test_unknown_volume_type_is_unpriced(resource, estimate_of):
    volume = resource("aws_ebs_volume.x", "aws_ebs_volume", {"type": "gp9", "size": 1})
    assert [u.reason for u in estimate_of([volume]).unpriced] == [
        "no aws ebs price in us-east-1 for meter=storage, volume_type=gp9"]
