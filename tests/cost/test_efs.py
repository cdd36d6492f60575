import pytest

EFS = "aws_efs_file_system"
TO_IA = {"lifecycle_policy": [{"transition_to_ia": "AFTER_30_DAYS"}]}
IA_USAGE = {"storage_gb": 230, "infrequent_access_storage_gb": 100,
            "monthly_infrequent_access_read_gb": 50, "monthly_infrequent_access_write_gb": 20}


def test_standard_storage_with_infrequent_access(resource, priced, lines):
    cost = priced(resource("aws_efs_file_system.shared", EFS, TO_IA), IA_USAGE)
    expected = (230 * 0.30  # Standard GB-months
                + 100 * 0.025  # Standard-IA GB-months
                + 50 * 0.01 + 20 * 0.01)  # GB read from and written to IA
    assert cost.monthly_cost == pytest.approx(expected)
    assert "Storage (Standard, infrequent access)" in lines(cost)


def test_a_zone_name_makes_it_one_zone(resource, priced):
    one_zone = resource("aws_efs_file_system.scratch", EFS,
                        {"availability_zone_name": "us-east-1a", **TO_IA})
    cost = priced(one_zone, IA_USAGE)
    assert cost.monthly_cost == pytest.approx(230 * 0.16 + 100 * 0.0133 + 50 * 0.01 + 20 * 0.01)


def test_without_a_lifecycle_policy_only_storage_is_shown(resource, priced, lines):
    cost = priced(resource("aws_efs_file_system.plain", EFS))
    assert set(lines(cost)) == {"Storage (Standard)"}
    assert lines(cost)["Storage (Standard)"].unit_price == 0.30 and cost.usage_unknown


def test_provisioned_throughput_is_billed_above_what_storage_includes(resource, priced, lines):
    fs = resource("aws_efs_file_system.fast", EFS, {"throughput_mode": "provisioned",
                                                    "provisioned_throughput_in_mibps": 100})
    cost = priced(fs, {"storage_gb": 230})
    # 230 GB include 230 × 0.05 = 11.5 MB/s; 100 − 11.5 = 88.5 MB/s billed at $6
    throughput = lines(cost)["Provisioned throughput (above what storage includes)"]
    assert throughput.monthly_quantity == pytest.approx(88.5)
    assert cost.monthly_cost == pytest.approx(230 * 0.30 + 88.5 * 6.00)
    unknown = lines(priced(fs))["Provisioned throughput (above what storage includes)"]
    assert unknown.monthly_cost is None  # the storage decides it: unknown, never the full 100


def test_elastic_throughput_is_billed_per_gb_read_and_written(resource, priced):
    fs = resource("aws_efs_file_system.elastic", EFS, {"throughput_mode": "elastic"})
    cost = priced(fs, {"storage_gb": 10, "monthly_elastic_read_gb": 1_000,
                       "monthly_elastic_write_gb": 200})
    assert cost.monthly_cost == pytest.approx(10 * 0.30 + 1_000 * 0.03 + 200 * 0.06)


def test_an_unknown_throughput_mode_is_unpriced(resource, estimate_of):
    fs = resource("aws_efs_file_system.odd", EFS, {"throughput_mode": "turbo"})
    assert "unknown throughput mode 'turbo'" in estimate_of([fs]).unpriced[0].reason


def test_cloudformation_file_system_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:files.yaml#Shared", "AWS::EFS::FileSystem", {
        "AvailabilityZoneName": "us-east-1b",
        "LifecyclePolicies": [{"TransitionToIA": "AFTER_7_DAYS"},
                              {"TransitionToPrimaryStorageClass": "AFTER_1_ACCESS"}],
        "ThroughputMode": "provisioned", "ProvisionedThroughputInMibps": 20})
    cost = priced(template, {"storage_gb": 100, "infrequent_access_storage_gb": 300})
    # One Zone: 100 GB at $0.16, 300 GB IA at $0.0133; 20 − 100 × 0.05 = 15 MB/s at $6
    assert cost.monthly_cost == pytest.approx(100 * 0.16 + 300 * 0.0133 + 15 * 6.00)
