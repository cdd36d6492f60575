import pytest

APP = "aws_kinesisanalyticsv2_application"


def test_flink_application_pays_kpus_orchestration_storage_and_backups(resource, priced):
    app = resource("aws_kinesisanalyticsv2_application.flink", APP,
                   {"runtime_environment": "FLINK-1_18"}, region="eu-west-2")
    cost = priced(app, {"kinesis_processing_units": 10, "durable_application_backup_gb": 100})
    # London: $0.127 per KPU-hour (10 KPUs + 1 for orchestration, 730 h); running storage
    # 50 GB per KPU at $0.116; backups $0.024 per GB-month
    assert cost.monthly_cost == pytest.approx(10 * 730 * 0.127 + 730 * 0.127
                                              + 500 * 0.116 + 100 * 0.024)


def test_sql_application_pays_its_kpus_only(resource, priced, lines):
    app = resource("aws_kinesisanalyticsv2_application.sql", APP,
                   {"runtime_environment": "SQL-1_0"})
    cost = priced(app, {"kinesis_processing_units": 2})
    assert set(lines(cost)) == {"Processing (stream)"}
    assert cost.monthly_cost == pytest.approx(2 * 730 * 0.11)  # us-east-1 $0.11 per KPU-hour


def test_without_usage_only_orchestration_is_known(resource, priced, lines):
    cost = priced(resource("aws_kinesisanalyticsv2_application.f", APP,
                           {"runtime_environment": "FLINK-1_18"}))
    assert cost.monthly_cost == pytest.approx(730 * 0.11)
    assert lines(cost)["Processing (stream)"].monthly_cost is None


def test_v1_application_and_snapshot(resource, priced):
    v1 = resource("aws_kinesis_analytics_application.sql", "aws_kinesis_analytics_application",
                  {"name": "sql"})
    assert priced(v1, {"kinesis_processing_units": 1}).monthly_cost == pytest.approx(730 * 0.11)
    snapshot = resource("aws_kinesisanalyticsv2_application_snapshot.s",
                        "aws_kinesisanalyticsv2_application_snapshot", {"snapshot_name": "s"})
    cost = priced(snapshot, {"durable_application_backup_gb": 100})
    assert cost.monthly_cost == pytest.approx(100 * 0.023)  # us-east-1 $0.023 per GB-month


def test_cloudformation_applications_are_priced_through_their_kinds(resource, priced):
    v2 = resource("cfn:app.yaml#Flink", "AWS::KinesisAnalyticsV2::Application",
                  {"RuntimeEnvironment": "FLINK-1_18", "ServiceExecutionRole": "arn"})
    assert priced(v2, {"kinesis_processing_units": 1}).monthly_cost == \
        pytest.approx(2 * 730 * 0.11 + 50 * 0.10)
    v1 = resource("cfn:app.yaml#Sql", "AWS::KinesisAnalytics::Application", {"Inputs": []})
    assert priced(v1, {"kinesis_processing_units": 3}).monthly_cost == \
        pytest.approx(3 * 730 * 0.11)
