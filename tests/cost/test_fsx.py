import pytest


def test_windows_multi_az_pays_throughput_storage_and_backups(resource, priced):
    system = resource("aws_fsx_windows_file_system.share", "aws_fsx_windows_file_system",
                      {"storage_capacity": 300, "throughput_capacity": 1024,
                       "deployment_type": "MULTI_AZ_1", "storage_type": "HDD"})
    cost = priced(system, {"backup_storage_gb": 10_000})
    # $4.50 per MBps-month, HDD $0.025 per GB-month, backups $0.05 per GB-month
    assert cost.monthly_cost == pytest.approx(1024 * 4.50 + 300 * 0.025 + 10_000 * 0.05)


def test_windows_ssd_storage_has_its_own_rate(resource, priced, lines):
    system = resource("aws_fsx_windows_file_system.share", "aws_fsx_windows_file_system",
                      {"storage_capacity": 300, "throughput_capacity": 1024,
                       "deployment_type": "MULTI_AZ_1"})
    cost = priced(system)
    assert cost.monthly_cost == pytest.approx(1024 * 4.50 + 300 * 0.23)
    assert lines(cost)["Backup storage"].monthly_cost is None


def test_a_deployment_type_without_a_confirmed_price_is_unpriced(resource, estimate_of):
    system = resource("aws_fsx_windows_file_system.share", "aws_fsx_windows_file_system",
                      {"storage_capacity": 300, "throughput_capacity": 32})
    assert estimate_of([system]).unpriced  # Single-AZ 1 (the default) is not in the catalog


def test_openzfs_pays_iops_beyond_three_per_gb(resource, priced, lines):
    system = resource("aws_fsx_openzfs_file_system.data", "aws_fsx_openzfs_file_system",
                      {"storage_capacity": 300, "throughput_capacity": 1024,
                       "deployment_type": "SINGLE_AZ_1", "storage_type": "SSD",
                       "disk_iops_configuration": {"mode": "USER_PROVISIONED", "iops": 1000}})
    cost = priced(system)
    # $0.26 per MBps-month; SSD $0.09 per GB-month; IOPS beyond 3 x 300 at $0.006
    assert cost.monthly_cost == pytest.approx(1024 * 0.26 + 300 * 0.09 + (1000 - 900) * 0.006)
    assert lines(cost)["Provisioned IOPS (beyond 3 per GB)"].monthly_quantity == 100


def test_openzfs_bills_provisioned_capacity_whatever_compression_saves(resource, priced):
    system = resource("aws_fsx_openzfs_file_system.data", "aws_fsx_openzfs_file_system",
                      {"storage_capacity": 300, "throughput_capacity": 64,
                       "deployment_type": "SINGLE_AZ_1",
                       "root_volume_configuration": {"data_compression_type": "LZ4"}})
    cost = priced(system, {"compression_savings_percent": 40})
    assert cost.monthly_cost == pytest.approx(64 * 0.26 + 300 * 0.09)


def test_unknown_capacity_stays_unknown(resource, priced, lines):
    system = resource("aws_fsx_openzfs_file_system.data", "aws_fsx_openzfs_file_system",
                      {"throughput_capacity": 64, "deployment_type": "SINGLE_AZ_1"})
    system.unknown = ["storage_capacity"]
    ssd = lines(priced(system))["SSD storage"]
    assert ssd.monthly_cost is None and ssd.unit_price == 0.09


def test_cloudformation_file_systems_are_priced_by_their_type(resource, priced, estimate_of):
    windows = resource("cfn:fs.yaml#Win", "AWS::FSx::FileSystem",
                       {"FileSystemType": "WINDOWS", "StorageCapacity": 300,
                        "StorageType": "SSD", "WindowsConfiguration": {
                            "DeploymentType": "MULTI_AZ_1", "ThroughputCapacity": 64}})
    assert priced(windows).monthly_cost == pytest.approx(64 * 4.50 + 300 * 0.23)
    zfs = resource("cfn:fs.yaml#Zfs", "AWS::FSx::FileSystem",
                   {"FileSystemType": "OPENZFS", "StorageCapacity": 100,
                    "OpenZFSConfiguration": {"DeploymentType": "SINGLE_AZ_1",
                                             "ThroughputCapacity": 128,
                                             "DiskIopsConfiguration": {
                                                 "Mode": "USER_PROVISIONED", "Iops": 500}}})
    assert priced(zfs).monthly_cost == pytest.approx(128 * 0.26 + 100 * 0.09
                                                     + (500 - 300) * 0.006)
    lustre = resource("cfn:fs.yaml#Lustre", "AWS::FSx::FileSystem",
                      {"FileSystemType": "LUSTRE", "StorageCapacity": 1200})
    assert estimate_of([lustre]).unpriced
