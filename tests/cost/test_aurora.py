"""Amazon Aurora clusters and instances. Unit prices are aurora.yaml's and rds.yaml's
(us-east-1): Serverless v1 $0.06 and v2 $0.12 per ACU-hour ($0.16 I/O-Optimized), storage
$0.10/GB ($0.225 I/O-Optimized), I/O $0.20 per 1M, backups $0.021/GB, Backtrack $0.012 per 1M
change-record-hours, snapshot export $0.01/GB, CPU credits $0.09 per vCPU-hour."""

import pytest

from purser.model import Ref

SERVERLESS_USAGE = {"capacity_units_per_hr": 1000, "storage_gb": 100,
                    "write_requests_per_sec": 10, "read_requests_per_sec": 10,
                    "backup_snapshot_size_gb": 100, "snapshot_export_size_gb": 200}


def cluster(resource, name="main", **attrs):
    return resource(f"aws_rds_cluster.{name}", "aws_rds_cluster",
                    {"engine": "aurora-mysql", **attrs})


def member(resource, name, instance_class, cluster_name="main", **attrs):
    return resource(f"aws_rds_cluster_instance.{name}", "aws_rds_cluster_instance",
                    {"instance_class": instance_class,
                     "cluster_identifier": Ref(address=f"aws_rds_cluster.{cluster_name}",
                                               attribute="id"),
                     "engine": Ref(address=f"aws_rds_cluster.{cluster_name}",
                                   attribute="engine"), **attrs})


def test_serverless_v1_cluster_pays_acus_storage_io_backups_and_export(resource, priced):
    db = cluster(resource, engine="aurora-postgresql", engine_mode="serverless",
                 backup_retention_period=5)
    cost = priced(db, SERVERLESS_USAGE)
    io_millions = (10 + 10) * 730 * 3600 / 1e6  # 52.56 M requests a month
    backups = 100 * (5 - 1)  # one snapshot's worth is free
    assert cost.monthly_cost == pytest.approx(
        1000 * 730 * 0.06 + 100 * 0.10 + io_millions * 0.20 + backups * 0.021 + 200 * 0.01)


def test_backtrack_bills_change_records_kept_over_the_window(resource, priced, lines):
    db = cluster(resource, backup_retention_period=5)
    cost = lines(priced(db, {"average_statements_per_hr": 10_000_000,
                             "change_records_per_statement": 0.38, "backtrack_window_hrs": 24}))
    # 10 M statements/h × 0.38 records × a 24 h window, kept all 730 hours.
    assert cost["Backtrack"].monthly_cost == pytest.approx(10e6 * 0.38 * 24 * 730 / 1e6 * 0.012)


def test_backtrack_off_has_no_line_and_on_without_usage_is_unknown(resource, priced, lines):
    assert "Backtrack" not in lines(priced(cluster(resource)))
    on = lines(priced(cluster(resource, backtrack_window=86400)))["Backtrack"]
    assert on.monthly_cost is None and on.unit_price == 0.012


def test_io_optimized_cluster_pays_dearer_storage_and_no_io(resource, priced, lines):
    db = cluster(resource, storage_type="aurora-iopt1")
    cost = lines(priced(db, {"storage_gb": 100, "write_requests_per_sec": 10,
                             "read_requests_per_sec": 10}))
    assert cost["Storage (I/O-Optimized)"].monthly_cost == pytest.approx(100 * 0.225)
    assert "I/O requests" not in cost


def test_cluster_in_sao_paulo_uses_its_region_prices(resource, priced, lines):
    db = resource("aws_rds_cluster.br", "aws_rds_cluster", {"engine": "aurora-mysql"},
                  region="sa-east-1")
    cost = lines(priced(db, {"storage_gb": 100}))
    assert cost["Storage"].monthly_cost == pytest.approx(100 * 0.19)


def test_multi_az_db_cluster_is_unpriced_with_the_reason(resource, estimate_of):
    db = cluster(resource, engine="postgres")
    assert [u.reason for u in estimate_of([db]).unpriced] == [
        "no price model for Multi-AZ DB clusters (postgres)"]


def test_provisioned_instance_takes_its_engine_from_its_cluster(resource, priced):
    instance = member(resource, "writer", "db.r4.large")
    assert priced(instance, others=[cluster(resource)]).monthly_cost == pytest.approx(730 * 0.29)


def test_serverless_v2_instance_pays_acu_hours_dearer_when_io_optimized(resource, priced, lines):
    plain = member(resource, "v2", "db.serverless")
    assert priced(plain, {"capacity_units_per_hr": 5}, others=[cluster(resource)]
                  ).monthly_cost == pytest.approx(5 * 730 * 0.12)
    optimized = member(resource, "v2io", "db.serverless", cluster_name="io")
    line = next(iter(lines(priced(optimized, others=[
        cluster(resource, "io", storage_type="aurora-iopt1")])).values()))
    assert line.unit_price == 0.16 and line.monthly_cost is None


def test_serverless_v2_performance_insights_retention_is_per_acu(resource, priced, lines):
    instance = member(resource, "v2", "db.serverless", performance_insights_enabled=True,
                      performance_insights_retention_period=731)
    cost = lines(priced(instance, {"capacity_units_per_hr": 5}, others=[cluster(resource)]))
    assert cost["Performance Insights retention (731 days, db.serverless)"].monthly_cost == \
        pytest.approx(5 * 0.375)


def test_burstable_instance_pays_aurora_cpu_credits(resource, priced, lines):
    instance = member(resource, "t3", "db.t3.medium")
    cost = lines(priced(instance, {"monthly_cpu_credit_hrs": 24, "vcpu_count": 2},
                        others=[cluster(resource)]))
    assert cost["CPU credits"].monthly_cost == pytest.approx(24 * 2 * 0.09)


def test_aurora_postgresql_11_pays_year_3_extended_support(resource, priced, lines):
    instance = member(resource, "old", "db.t3.large", engine="aurora-postgresql",
                      engine_version="11.22")
    cost = lines(priced(instance, others=[cluster(resource)]))
    assert cost["Extended Support (Aurora PostgreSQL 11, year 3)"].monthly_cost == \
        pytest.approx(2 * 730 * 0.20)


def test_cloudformation_serverless_v2_member_of_an_io_optimized_cluster(resource, priced):
    db = resource("cfn:db.yaml#Cluster", "AWS::RDS::DBCluster",
                  {"Engine": "aurora-postgresql", "StorageType": "aurora-iopt1"})
    writer = resource("cfn:db.yaml#Writer", "AWS::RDS::DBInstance",
                      {"Engine": "aurora-postgresql", "DBInstanceClass": "db.serverless",
                       "DBClusterIdentifier": Ref(address="cfn:db.yaml#Cluster")})
    assert priced(writer, {"capacity_units_per_hr": 2}, others=[db]).monthly_cost == \
        pytest.approx(2 * 730 * 0.16)
    assert priced(db, {"storage_gb": 10}).monthly_cost == pytest.approx(10 * 0.225)
