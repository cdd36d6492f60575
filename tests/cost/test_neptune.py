"""Amazon Neptune. Unit prices are neptune.yaml's for eu-west-2 (London): db.r4.large $0.408/h,
db.t3.medium $0.112/h ($0.151 in an I/O-Optimized cluster), storage $0.116/GB, I/O $0.232 per
1M, backups $0.022/GB, CPU credits $0.15 per vCPU-hour."""

import pytest

from purser.model import Ref

LONDON = "eu-west-2"


def cluster(resource, name="graph", **attrs):
    return resource(f"aws_neptune_cluster.{name}", "aws_neptune_cluster", attrs, region=LONDON)


def member(resource, instance_class, cluster_name="graph"):
    return resource("aws_neptune_cluster_instance.db", "aws_neptune_cluster_instance",
                    {"instance_class": instance_class,
                     "cluster_identifier": Ref(address=f"aws_neptune_cluster.{cluster_name}",
                                               attribute="id")}, region=LONDON)


def test_cluster_pays_storage_io_and_backups_kept_beyond_a_day(resource, priced, lines):
    usage = {"storage_gb": 100, "monthly_io_requests": 10_000_000, "backup_storage_gb": 1000}
    kept = priced(cluster(resource, backup_retention_period=5), usage)
    assert kept.monthly_cost == pytest.approx(100 * 0.116 + 10 * 0.232 + 1000 * 0.022)
    one_day = priced(cluster(resource), usage)
    assert "Backup storage" not in lines(one_day)


def test_instance_pays_hours_and_bursts_times_its_vcpus(resource, priced):
    cost = priced(member(resource, "db.t3.medium"), {"monthly_cpu_credit_hrs": 10},
                  others=[cluster(resource)])
    # 10 hours of bursting on db.t3.medium's 2 vCPUs.
    assert cost.monthly_cost == pytest.approx(730 * 0.112 + 10 * 2 * 0.15)


def test_instance_of_an_io_optimized_cluster_pays_the_io_optimized_rate(resource, priced):
    io = cluster(resource, "io", storage_type="iopt1")
    cost = priced(member(resource, "db.t3.medium", "io"), others=[io])
    assert cost.monthly_cost == pytest.approx(730 * 0.151)


def test_snapshot_pays_backup_storage(resource, priced):
    snapshot = resource("aws_neptune_cluster_snapshot.s", "aws_neptune_cluster_snapshot",
                        {"db_cluster_identifier": "graph"}, region=LONDON)
    assert priced(snapshot, {"backup_storage_gb": 1000}).monthly_cost == pytest.approx(
        1000 * 0.022)


def test_cloudformation_instance_is_priced_through_its_kind(resource, priced):
    db = resource("cfn:n.yaml#Db", "AWS::Neptune::DBInstance",
                  {"DBInstanceClass": "db.r4.large", "DBClusterIdentifier": "graph"},
                  region=LONDON)
    assert priced(db).monthly_cost == pytest.approx(730 * 0.408)
