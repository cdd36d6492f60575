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


def test_terraform_volume_without_a_type_is_priced_as_gp2(resource, priced, lines):
    # aws_ebs_volume's documented default type is gp2.
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"size": 100})
    cost = priced(volume)
    assert list(lines(cost)) == ["Storage (gp2, 100 GB)"]
    assert cost.monthly_cost == pytest.approx(100 * GP2_US_EAST_1)  # $10.00


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


def test_volume_restored_from_an_unknown_snapshot_is_unpriced_with_the_reason(resource,
                                                                            estimate_of):
    volume = resource("aws_ebs_volume.restored", "aws_ebs_volume",
                      {"snapshot_id": Ref(address="aws_ebs_snapshot.s", attribute="id")})
    assert [u.reason for u in estimate_of([volume]).unpriced] == [
        "volume size not known statically (e.g. taken from a snapshot)"]


def test_unknown_volume_type_is_unpriced(resource, estimate_of):
    volume = resource("aws_ebs_volume.x", "aws_ebs_volume", {"type": "gp9", "size": 1})
    assert [u.reason for u in estimate_of([volume]).unpriced] == [
        "no aws ebs price in us-east-1 for meter=storage, volume_type=gp9"]


STANDARD_US_EAST_1, STANDARD_IO_US_EAST_1 = 0.05, 0.05  # per GB-month, per 1M requests
SNAPSHOT_US_EAST_1, FAST_RESTORE_US_EAST_1 = 0.05, 0.75  # per GB-month, per DSU-hour
LIST_PER_1K, GET_PER_1K, PUT_PER_1K = 0.0006, 0.003, 0.006  # EBS direct API requests


def test_volume_restored_from_a_snapshot_takes_the_source_volume_size(resource, priced):
    source = resource("aws_ebs_volume.source", "aws_ebs_volume", {"type": "gp3", "size": 40})
    snapshot = resource("aws_ebs_snapshot.s", "aws_ebs_snapshot",
                        {"volume_id": Ref(address="aws_ebs_volume.source", attribute="id")})
    volume = resource("aws_ebs_volume.restored", "aws_ebs_volume",
                      {"type": "gp3", "snapshot_id": Ref(address="aws_ebs_snapshot.s",
                                                         attribute="id")})
    cost = priced(volume, others=[source, snapshot])
    assert cost.monthly_cost == pytest.approx(40 * GP3_US_EAST_1)  # $3.20


def test_magnetic_volume_bills_its_io_requests_from_usage(resource, priced, lines):
    volume = resource("aws_ebs_volume.old", "aws_ebs_volume", {"type": "standard", "size": 20})
    cost = priced(volume, {"monthly_standard_io_requests": 3_000_000})
    # 20 GB × $0.05 = $1.00; 3M requests × $0.05 per 1M = $0.15
    assert cost.monthly_cost == pytest.approx(20 * STANDARD_US_EAST_1 + 3 * STANDARD_IO_US_EAST_1)
    assert lines(cost)["I/O requests"].unit == "1M requests"


def test_magnetic_volume_without_usage_shows_the_io_price_unknown(resource, priced, lines):
    volume = resource("aws_ebs_volume.old", "aws_ebs_volume", {"type": "standard", "size": 20})
    cost = priced(volume)
    io = lines(cost)["I/O requests"]
    assert (io.unit_price, io.monthly_cost, io.usage_origin) == (
        STANDARD_IO_US_EAST_1, None, "unknown")
    assert cost.monthly_cost == pytest.approx(1.00)


def test_magnetic_io_price_missing_in_a_region_leaves_the_line_out_without_usage(resource,
                                                                                priced, lines):
    volume = resource("aws_ebs_volume.old", "aws_ebs_volume", {"type": "standard", "size": 20},
                      region="eu-west-1")
    assert list(lines(priced(volume))) == ["Storage (standard, 20 GB)"]


def test_snapshot_stores_at_most_its_volume_size(resource, priced, lines):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"size": 10})
    snapshot = resource("aws_ebs_snapshot.daily", "aws_ebs_snapshot",
                        {"volume_id": Ref(address="aws_ebs_volume.data", attribute="id")})
    cost = priced(snapshot, others=[volume])
    storage = lines(cost)["Snapshot storage (at most the volume's 10 GB)"]
    assert (storage.monthly_cost, storage.usage_origin) == (
        pytest.approx(10 * SNAPSHOT_US_EAST_1), "default")  # $0.50
    unknown = [line.component for line in cost.components if line.monthly_cost is None]
    assert unknown == ["Fast snapshot restore",
                       "ListChangedBlocks and ListSnapshotBlocks API requests",
                       "GetSnapshotBlock API requests", "PutSnapshotBlock API requests"]


def test_snapshot_copy_follows_its_source_to_the_volume(resource, priced):
    volume = resource("aws_ebs_volume.data", "aws_ebs_volume", {"size": 10})
    snapshot = resource("aws_ebs_snapshot.daily", "aws_ebs_snapshot",
                        {"volume_id": Ref(address="aws_ebs_volume.data", attribute="id")})
    copy = resource("aws_ebs_snapshot_copy.dr", "aws_ebs_snapshot_copy",
                    {"source_snapshot_id": Ref(address="aws_ebs_snapshot.daily",
                                               attribute="id")})
    assert priced(copy, others=[volume, snapshot]).monthly_cost == pytest.approx(0.50)


def test_snapshot_usage_prices_restore_hours_and_direct_api_requests(resource, priced):
    snapshot = resource("aws_ebs_snapshot.ext", "aws_ebs_snapshot", {"volume_id": "vol-123"})
    cost = priced(snapshot, {"storage_gb": 8, "fast_snapshot_restore_hours": 100,
                             "monthly_list_block_requests": 1_000_000,
                             "monthly_get_block_requests": 100_000,
                             "monthly_put_block_requests": 100_000})
    # 8 GB × $0.05 + 100 DSU-h × $0.75 + 1,000k × $0.0006 + 100k × $0.003 + 100k × $0.006
    # = $0.40 + $75.00 + $0.60 + $0.30 + $0.60 = $76.90
    assert cost.monthly_cost == pytest.approx(
        8 * SNAPSHOT_US_EAST_1 + 100 * FAST_RESTORE_US_EAST_1 + 1000 * LIST_PER_1K
        + 100 * GET_PER_1K + 100 * PUT_PER_1K)
    assert cost.monthly_cost == pytest.approx(76.90)


def test_snapshot_of_a_volume_outside_the_repository_has_unknown_storage(resource, priced,
                                                                          lines):
    snapshot = resource("aws_ebs_snapshot.ext", "aws_ebs_snapshot", {"volume_id": "vol-123"})
    storage = lines(priced(snapshot))["Snapshot storage (volume size not known; usage storage_gb)"]
    assert (storage.unit_price, storage.monthly_cost) == (SNAPSHOT_US_EAST_1, None)
