import pytest

from purser.model import Ref

# Catalog prices: RDS backup storage $0.095 per GB-month in us-east-1, $0.103 in
# eu-central-1 (regions file); inter-region transfer out of us-east-1 $0.02 per GB.


def test_replicated_backups_pay_storage_here_and_transfer_from_the_source(resource, priced):
    replication = resource("aws_db_instance_automated_backups_replication.r",
                           "aws_db_instance_automated_backups_replication",
                           {"source_db_instance_arn": "arn:aws:rds:us-east-1:1:db:main"},
                           region="eu-central-1")
    cost = priced(replication, {"replicated_backup_storage_gb": 200,
                                "monthly_data_transferred_gb": 50})
    assert cost.monthly_cost == pytest.approx(200 * 0.103 + 50 * 0.02)


def test_source_region_is_the_referenced_instance_s(resource, priced, lines):
    source = resource("aws_db_instance.main", "aws_db_instance", {"instance_class": "db.t3.micro"})
    replication = resource("aws_db_instance_automated_backups_replication.r",
                           "aws_db_instance_automated_backups_replication",
                           {"source_db_instance_arn": Ref(address="aws_db_instance.main",
                                                          attribute="arn")},
                           region="eu-central-1")
    found = lines(priced(replication, others=[source]))
    line = found["Inter-region transfer from us-east-1"]
    assert line.monthly_cost is None and line.unit_price == 0.02


def test_unknown_source_region_is_unpriced(resource, estimate_of):
    replication = resource("aws_db_instance_automated_backups_replication.r",
                           "aws_db_instance_automated_backups_replication")
    assert "region" in estimate_of([replication]).unpriced[0].reason
