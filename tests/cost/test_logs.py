import pytest


def test_log_group_costs_ingestion_and_storage(resource, priced):
    group = resource("aws_cloudwatch_log_group.api_access", "aws_cloudwatch_log_group")
    cost = priced(group, {"monthly_data_ingested_gb": 18, "storage_gb": 60})
    assert cost.monthly_cost == pytest.approx(18 * 0.50 + 60 * 0.03)


def test_log_ingestion_costs_more_in_eu_central_1(resource, priced):
    group = resource("aws_cloudwatch_log_group.g", "aws_cloudwatch_log_group",
                     region="eu-central-1")
    cost = priced(group, {"monthly_data_ingested_gb": 18, "storage_gb": 60})
    assert cost.monthly_cost == pytest.approx(18 * 0.63 + 60 * 0.0324)


def test_metric_filter_publishes_one_custom_metric_per_transformation(resource, priced):
    metric = resource("aws_cloudwatch_log_metric_filter.errors",
                      "aws_cloudwatch_log_metric_filter",
                      {"metric_transformation": [{"name": "Errors", "namespace": "shop",
                                                  "value": "1"}]})
    cost = priced(metric)
    assert cost.monthly_cost == pytest.approx(1 * 0.30)
    assert cost.components[0].usage_origin == "fixed"


def test_metric_alarm_costs_one_standard_alarm(resource, priced):
    alarm = resource("aws_cloudwatch_metric_alarm.errors", "aws_cloudwatch_metric_alarm")
    assert priced(alarm).monthly_cost == pytest.approx(0.10)
