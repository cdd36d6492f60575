"""Amazon RDS DB instances. Unit prices are rds.yaml's (us-east-1): MySQL db.t3.large $0.136/h
Single-AZ and $0.272/h Multi-AZ, gp2 $0.115/GB (Multi-AZ $0.23), io1 $0.125/GB and $0.10/IOPS,
gp3 IOPS $0.02 ($0.04 Multi-AZ), magnetic $0.10/GB and $0.10 per 1M I/O, backups $0.095/GB."""

import pytest

from purser.cost.pricers.database import instance_vcpus
from purser.model import Ref


def mysql(resource, name="db", **attrs):
    return resource(f"aws_db_instance.{name}", "aws_db_instance",
                    {"engine": "mysql", "instance_class": "db.t3.large", **attrs})


def test_instance_without_storage_pays_hours_and_the_assumed_20_gb(resource, priced, lines):
    cost = priced(mysql(resource))
    assert cost.monthly_cost == pytest.approx(730 * 0.136 + 20 * 0.115)
    storage = lines(cost)["Storage (gp2, 20 GB assumed)"]
    assert storage.usage_origin == "default"


def test_multi_az_pays_the_standby_and_its_storage_and_backups_from_usage(resource, priced):
    db = mysql(resource, multi_az=True, allocated_storage=30)
    cost = priced(db, {"additional_backup_storage_gb": 1000})
    assert cost.monthly_cost == pytest.approx(730 * 0.272 + 30 * 0.23 + 1000 * 0.095)


def test_io1_below_its_minimums_is_billed_at_100_gb_and_1000_iops(resource, priced):
    db = mysql(resource, storage_type="io1", allocated_storage=50, iops=500)
    assert priced(db).monthly_cost == pytest.approx(730 * 0.136 + 100 * 0.125 + 1000 * 0.10)


def test_iops_without_a_storage_type_mean_io1_as_aws_defaults(resource, priced, lines):
    db = mysql(resource, allocated_storage=100, iops=2000)
    assert lines(priced(db))["Provisioned IOPS (io1)"].monthly_cost == pytest.approx(2000 * 0.10)


def test_gp3_pays_only_the_iops_above_its_baseline(resource, priced):
    small = mysql(resource, "small", storage_type="gp3", allocated_storage=20, iops=4000)
    # Below 400 GB, 3,000 IOPS are included: 1,000 are billed.
    assert priced(small).monthly_cost == pytest.approx(730 * 0.136 + 20 * 0.115 + 1000 * 0.02)
    large = resource("aws_db_instance.large", "aws_db_instance",
                     {"engine": "mysql", "instance_class": "db.t4g.small", "multi_az": True,
                      "storage_type": "gp3", "allocated_storage": 400, "iops": 14000})
    # From 400 GB, 12,000 are included: 2,000 are billed, at the Multi-AZ price.
    assert priced(large).monthly_cost == pytest.approx(730 * 0.065 + 400 * 0.23 + 2000 * 0.04)
    below = mysql(resource, "below", storage_type="gp3", allocated_storage=400, iops=11000)
    assert priced(below).monthly_cost == pytest.approx(730 * 0.136 + 400 * 0.115)


def test_magnetic_storage_pays_its_io_requests_from_usage(resource, priced, lines):
    db = mysql(resource, storage_type="standard", allocated_storage=40)
    cost = priced(db, {"monthly_standard_io_requests": 5_000_000})
    assert cost.monthly_cost == pytest.approx(730 * 0.136 + 40 * 0.10 + 5 * 0.10)
    without = lines(priced(db))["I/O requests (magnetic)"]
    assert without.monthly_cost is None and without.unit_price == 0.10


@pytest.mark.parametrize(("engine", "license_model", "instance_class", "hourly"), [
    ("oracle-se2", None, "db.t3.large", 0.30),  # license included by default
    ("oracle-se1", "bring-your-own-license", "db.t3.large", 0.136),
    ("oracle-ee", None, "db.t3.large", 0.136),  # Enterprise Edition is BYOL only
    ("sqlserver-web", None, "db.t3.large", 0.232),
    ("sqlserver-ee", None, "db.m5.xlarge", 2.336),
    ("postgres", None, "db.t3.large", 0.145),
])
def test_engine_edition_and_license_choose_the_hourly_price(resource, priced, engine,
                                                            license_model, instance_class, hourly):
    attrs = {"engine": engine, "instance_class": instance_class}
    if license_model:
        attrs["license_model"] = license_model
    db = resource("aws_db_instance.db", "aws_db_instance", attrs)
    assert priced(db).monthly_cost == pytest.approx(730 * hourly + 20 * 0.115)


def test_read_replica_takes_its_engine_and_storage_from_its_source(resource, priced):
    source = mysql(resource, "main", allocated_storage=50)
    replica = resource("aws_db_instance.replica", "aws_db_instance",
                       {"instance_class": "db.t3.large",
                        "replicate_source_db": Ref(address="aws_db_instance.main",
                                                   attribute="identifier")})
    assert priced(replica, others=[source]).monthly_cost == pytest.approx(
        730 * 0.136 + 50 * 0.115)


@pytest.mark.parametrize(("engine", "version", "rate"), [
    ("mysql", "5.7.44", 0.20),  # year 3 since March 2026
    ("mysql", "8.0", 0.10),  # year 1 since August 2026
    ("postgres", "12", 0.10),
    ("postgres", "11.22", 0.20),
])
def test_versions_past_standard_support_pay_extended_support_per_vcpu_hour(
        resource, priced, lines, engine, version, rate):
    db = resource("aws_db_instance.old", "aws_db_instance",
                  {"engine": engine, "engine_version": version, "instance_class": "db.t3.large"})
    support = [line for name, line in lines(priced(db)).items() if "Extended Support" in name]
    # db.t3.large has 2 vCPUs: 2 × 730 vCPU-hours.
    assert [line.monthly_cost for line in support] == [pytest.approx(2 * 730 * rate)]


def test_supported_versions_pay_no_extended_support(resource, priced, lines):
    db = mysql(resource, engine_version="8.4.3")
    assert not [name for name in lines(priced(db)) if "Extended Support" in name]


def test_performance_insights_retention_api_and_cpu_credits(resource, priced, lines):
    db = mysql(resource, performance_insights_enabled=True,
               performance_insights_retention_period=731)
    cost = lines(priced(db, {"monthly_cpu_credit_hrs": 30,
                             "monthly_additional_performance_insights_requests": 12345}))
    assert cost["Performance Insights retention (731 days, db.t3.large)"].monthly_cost == \
        pytest.approx(2 * 2.95)
    assert cost["Performance Insights API requests"].monthly_cost == pytest.approx(12.345 * 0.01)
    # 30 hours of bursting on 2 vCPUs.
    assert cost["CPU credits"].monthly_cost == pytest.approx(60 * 0.075)


def test_free_performance_insights_retention_adds_no_retention_line(resource, priced, lines):
    db = mysql(resource, performance_insights_enabled=True)
    assert [n for n in lines(priced(db)) if "Performance Insights" in n] == [
        "Performance Insights API requests"]


def test_backups_switched_off_have_no_backup_line(resource, priced, lines):
    assert "Backup storage (beyond the database size)" not in lines(
        priced(mysql(resource, backup_retention_period=0)))


def test_unknown_storage_stays_unknown_with_its_unit_price(resource, estimate_of):
    db = mysql(resource)
    db.unknown = ["allocated_storage"]
    cost = estimate_of([db]).resources[0]
    storage = next(line for line in cost.components if line.component.startswith("Storage"))
    assert storage.monthly_quantity is None and storage.unit_price == 0.115
    assert cost.monthly_cost == pytest.approx(730 * 0.136)


def test_unknown_or_unlisted_instance_class_is_unpriced_with_the_reason(resource, estimate_of):
    unknown = resource("aws_db_instance.a", "aws_db_instance", {"engine": "mysql"})
    unknown.unknown = ["instance_class"]
    unlisted = mysql(resource, "b", instance_class="db.x2iedn.32xlarge")
    reasons = {u.address: u.reason for u in estimate_of([unknown, unlisted]).unpriced}
    assert reasons == {
        "aws_db_instance.a": "instance class not known statically",
        "aws_db_instance.b": "no MySQL price for db.x2iedn.32xlarge (Single-AZ) in us-east-1"}


def test_cloudformation_db_instance_is_priced_through_its_kind(resource, priced):
    db = resource("cfn:db.yaml#Database", "AWS::RDS::DBInstance",
                  {"Engine": "postgres", "DBInstanceClass": "db.t3.medium",
                   "AllocatedStorage": "100", "StorageType": "gp3", "MultiAZ": "true",
                   "EngineVersion": "12.19"})
    # Multi-AZ db.t3.medium PostgreSQL $0.145/h, gp3 Multi-AZ $0.23/GB, PostgreSQL 12 in
    # Extended Support year 1 at $0.10 per vCPU-hour on 2 vCPUs.
    assert priced(db).monthly_cost == pytest.approx(730 * 0.145 + 100 * 0.23 + 2 * 730 * 0.10)


@pytest.mark.parametrize(("instance_class", "vcpus"), [
    ("db.t2.micro", 1), ("db.t3.micro", 2), ("db.m6g.medium", 1), ("db.m5.large", 2),
    ("db.m5.xlarge", 4), ("db.r4.8xlarge", 32), ("db.m5.metal", None), ("db.serverless", None)])
def test_vcpus_follow_the_class_size(instance_class, vcpus):
    assert instance_vcpus(instance_class) == vcpus


def test_parameter_option_and_subnet_groups_are_free(resource, estimate_of):
    groups = [resource("aws_db_parameter_group.p", "aws_db_parameter_group"),
              resource("cfn:db.yaml#Options", "AWS::RDS::OptionGroup"),
              resource("aws_elasticache_parameter_group.c", "aws_elasticache_parameter_group"),
              resource("aws_neptune_subnet_group.n", "aws_neptune_subnet_group"),
              resource("aws_docdb_cluster_parameter_group.d", "aws_docdb_cluster_parameter_group"),
              resource("aws_opensearch_domain_policy.o", "aws_opensearch_domain_policy")]
    result = estimate_of(groups)
    assert sorted(result.free) == sorted(g.address for g in groups) and not result.unpriced


def test_plan_json_settings_left_to_aws_take_aws_defaults(tmp_path, estimate_of):
    """A plan marks every setting the configuration left to AWS "known after apply"."""
    import json

    from purser.config import Config
    from purser.sources import LoadContext, RepoFile
    from purser.sources.terraform_plan import TerraformPlanFormat

    computed = ["storage_type", "multi_az", "license_model", "engine_version", "iops",
                "backup_retention_period"]
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance",
         "name": "db", "values": {"engine": "postgres", "instance_class": "db.t3.large",
                                  "allocated_storage": 50}}]}},
        "resource_changes": [{"address": "aws_db_instance.db", "change": {
            "after_unknown": {name: True for name in computed}}}],
        "configuration": {"provider_config": {"aws": {"expressions": {
            "region": {"constant_value": "us-east-1"}}}}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    loaded = TerraformPlanFormat().load([RepoFile(path, "plan.json", path.read_bytes())],
                                        LoadContext(root=tmp_path, config=Config()))
    cost = estimate_of(loaded.resources).resources[0]
    # gp2 Single-AZ PostgreSQL, as AWS creates it.
    assert cost.monthly_cost == pytest.approx(730 * 0.145 + 50 * 0.115)
