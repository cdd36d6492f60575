"""Amazon DocumentDB. Unit prices are docdb.yaml's (us-east-1, the same in us-east-2):
db.t3.medium $0.078/h, db.r5.4xlarge $2.216/h, storage $0.10/GB, I/O $0.20 per 1M, backups
$0.021/GB, CPU credits $0.09 per vCPU-hour."""

import pytest

from purser.model import Ref


def instance(resource, instance_class="db.t3.medium", **attrs):
    return resource("aws_docdb_cluster_instance.db", "aws_docdb_cluster_instance",
                    {"cluster_identifier": "docs", "instance_class": instance_class, **attrs})


def test_instance_pays_hours_storage_io_and_cpu_credits_from_usage(resource, priced):
    cost = priced(instance(resource), {"data_storage_gb": 1000, "monthly_io_requests": 10_000_000,
                                       "monthly_cpu_credit_hrs": 10})
    # CPU credits are given in vCPU-hours already.
    assert cost.monthly_cost == pytest.approx(730 * 0.078 + 1000 * 0.10 + 10 * 0.20 + 10 * 0.09)


def test_memory_optimized_instance_has_no_cpu_credits(resource, priced, lines):
    cost = priced(instance(resource, "db.r5.4xlarge"))
    assert cost.monthly_cost == pytest.approx(730 * 2.216)
    assert "CPU credits" not in lines(cost)


def test_cluster_and_snapshot_pay_backup_storage_from_usage(resource, priced):
    cluster = resource("aws_docdb_cluster.docs", "aws_docdb_cluster",
                       {"backup_retention_period": 5})
    assert priced(cluster, {"backup_storage_gb": 10000}).monthly_cost == pytest.approx(
        10000 * 0.021)
    snapshot = resource("aws_docdb_cluster_snapshot.s", "aws_docdb_cluster_snapshot",
                        {"db_cluster_identifier": "docs"}, region="us-east-2")
    assert priced(snapshot, {"backup_storage_gb": 1000}).monthly_cost == pytest.approx(
        1000 * 0.021)


def test_instance_of_an_io_optimized_cluster_is_unpriced_with_the_reason(resource, estimate_of):
    cluster = resource("aws_docdb_cluster.io", "aws_docdb_cluster", {"storage_type": "iopt1"})
    member = instance(resource, cluster_identifier=Ref(address="aws_docdb_cluster.io",
                                                       attribute="id"))
    assert [u.reason for u in estimate_of([cluster, member]).unpriced] == [
        "no price model for DocumentDB I/O-Optimized clusters"]


def test_cloudformation_instance_is_priced_through_its_kind(resource, priced):
    db = resource("cfn:d.yaml#Db", "AWS::DocDB::DBInstance",
                  {"DBClusterIdentifier": "docs", "DBInstanceClass": "db.r5.large"})
    assert priced(db).monthly_cost == pytest.approx(730 * 0.277)
