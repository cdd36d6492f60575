import pytest

INSTANCE = "aws_dms_replication_instance"


def test_multi_az_instance_pays_double_rates_and_storage_beyond_50_gb(resource, priced):
    instance = resource("aws_dms_replication_instance.m", INSTANCE,
                        {"replication_instance_class": "dms.t2.micro", "multi_az": True,
                         "allocated_storage": 70})
    # t2.micro multi-AZ $0.036 an hour; gp2 multi-AZ $0.23 per GB beyond 50 GB included
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.036 + (70 - 50) * 0.23)


def test_storage_within_the_allowance_is_not_billed(resource, priced, lines):
    instance = resource("aws_dms_replication_instance.s", INSTANCE,
                        {"replication_instance_class": "dms.t2.micro", "multi_az": False,
                         "allocated_storage": 20})
    cost = priced(instance)
    assert cost.monthly_cost == pytest.approx(730 * 0.018)
    assert len(lines(cost)) == 1


def test_larger_classes_include_100_gb(resource, priced):
    instance = resource("aws_dms_replication_instance.c", INSTANCE,
                        {"replication_instance_class": "dms.c5.large", "allocated_storage": 150})
    # c5.large single-AZ $0.119 an hour (us-east-1); gp2 $0.115 per GB beyond 100 GB
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.119 + 50 * 0.115)


def test_unknown_storage_stays_unknown(resource, priced, lines):
    instance = resource("aws_dms_replication_instance.c", INSTANCE,
                        {"replication_instance_class": "dms.t3.micro"})
    instance.unknown = ["allocated_storage"]
    storage = lines(priced(instance))["Storage (gp2, beyond 50 GB included)"]
    assert storage.monthly_cost is None and storage.unit_price == 0.115


def test_cloudformation_instance_is_priced_through_its_kind(resource, priced):
    instance = resource("cfn:dms.yaml#Rep", "AWS::DMS::ReplicationInstance",
                        {"ReplicationInstanceClass": "dms.t3.micro", "MultiAZ": "true"})
    assert priced(instance).monthly_cost == pytest.approx(730 * 0.0372)
