import pytest

from purser.model import Ref

# Catalog prices (us-east-1 unless said): log ingestion $0.50 per GB ($0.63 in eu-central-1;
# Infrequent Access $0.25), storage $0.03 per GB-month ($0.0324 in eu-central-1), Logs
# Insights $0.005 per GB scanned; custom metrics $0.30 per metric-month; alarms $0.10
# (standard resolution) and $0.30 (high resolution) per alarm metric-month; dashboards
# $3.00 per dashboard-month.


def test_log_group_costs_ingestion_and_storage(resource, priced):
    group = resource("aws_cloudwatch_log_group.api_access", "aws_cloudwatch_log_group")
    cost = priced(group, {"monthly_data_ingested_gb": 18, "storage_gb": 60})
    assert cost.monthly_cost == pytest.approx(18 * 0.50 + 60 * 0.03)


def test_log_group_insights_scans_are_priced_per_gb(resource, priced, lines):
    """Infracost's cloudwatch_log_group logs_withUsage: $516.25."""
    group = resource("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group")
    cost = priced(group, {"monthly_data_ingested_gb": 1000, "storage_gb": 500,
                          "monthly_data_scanned_gb": 250})
    assert lines(cost)["Insights queries data scanned"].monthly_cost == pytest.approx(
        250 * 0.005)
    assert cost.monthly_cost == pytest.approx(1000 * 0.50 + 500 * 0.03 + 250 * 0.005)


def test_infrequent_access_log_group_ingests_at_its_own_price(resource, priced, lines):
    group = resource("aws_cloudwatch_log_group.audit", "aws_cloudwatch_log_group",
                     {"log_group_class": "INFREQUENT_ACCESS"})
    cost = priced(group, {"monthly_data_ingested_gb": 100})
    assert lines(cost)["Data ingested (Infrequent Access)"].monthly_cost == pytest.approx(
        100 * 0.25)


def test_log_ingestion_costs_more_in_eu_central_1(resource, priced, lines):
    group = resource("aws_cloudwatch_log_group.g", "aws_cloudwatch_log_group",
                     region="eu-central-1")
    cost = priced(group, {"monthly_data_ingested_gb": 18, "storage_gb": 60})
    assert cost.monthly_cost == pytest.approx(18 * 0.63 + 60 * 0.0324)
    assert "Insights queries data scanned" not in lines(cost)  # not in the usage: none


def test_metric_filter_publishes_one_custom_metric_per_transformation(resource, priced):
    metric = resource("aws_cloudwatch_log_metric_filter.errors",
                      "aws_cloudwatch_log_metric_filter",
                      {"metric_transformation": [{"name": "Errors", "namespace": "shop",
                                                  "value": "1"}]})
    cost = priced(metric)
    assert cost.monthly_cost == pytest.approx(1 * 0.30)
    assert cost.components[0].usage_origin == "fixed"


# -- alarms and dashboards ----------------------------------------------------------------

def test_metric_alarm_costs_one_standard_resolution_alarm_metric(resource, priced, lines):
    alarm = resource("aws_cloudwatch_metric_alarm.errors", "aws_cloudwatch_metric_alarm",
                     {"period": "120"})
    cost = priced(alarm)
    assert lines(cost)["Standard-resolution alarm metrics"].monthly_quantity == 1
    assert cost.monthly_cost == pytest.approx(0.10)


def test_alarm_with_a_period_under_a_minute_is_high_resolution(resource, priced, lines):
    alarm = resource("aws_cloudwatch_metric_alarm.fast", "aws_cloudwatch_metric_alarm",
                     {"period": "10"})
    cost = priced(alarm)
    assert lines(cost)["High-resolution alarm metrics"].monthly_cost == pytest.approx(0.30)


def test_metric_math_alarm_pays_for_each_metric_it_queries(resource, priced):
    """Infracost's cloudwatch_metric_alarm expression: an expression over two metrics."""
    queries = [{"id": "e1", "expression": "m2/m1*100"},
               {"id": "m1", "metric": [{"metric_name": "RequestCount", "period": "120"}]},
               {"id": "m2", "metric": [{"metric_name": "5XX", "period": "120"}]}]
    alarm = resource("aws_cloudwatch_metric_alarm.rate", "aws_cloudwatch_metric_alarm",
                     {"metric_query": queries})
    assert priced(alarm).monthly_cost == pytest.approx(2 * 0.10)


def test_anomaly_detection_alarm_pays_three_metrics_per_metric(resource, priced, lines):
    """Infracost's cloudwatch_metric_alarm anomaly_detection: 30 s period, $0.90."""
    queries = [{"id": "e1", "expression": "ANOMALY_DETECTION_BAND(m1)"},
               {"id": "m1", "metric": [{"metric_name": "CPUUtilization", "period": "30"}]}]
    alarm = resource("aws_cloudwatch_metric_alarm.band", "aws_cloudwatch_metric_alarm",
                     {"comparison_operator": "GreaterThanUpperThreshold",
                      "metric_query": queries})
    cost = priced(alarm)
    line = lines(cost)["High-resolution alarm metrics (anomaly detection: 3 per metric)"]
    assert line.monthly_quantity == 3
    assert cost.monthly_cost == pytest.approx(3 * 0.30)


def test_cloudformation_alarm_reads_its_metric_stat_periods(resource, priced):
    alarm = resource("cfn:t.yaml#Band", "AWS::CloudWatch::Alarm", {
        "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
        "Metrics": [{"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)"},
                    {"Id": "m1", "MetricStat": {"Period": 300, "Stat": "Average"}}]})
    assert priced(alarm).monthly_cost == pytest.approx(3 * 0.10)


def test_alarm_whose_period_is_not_a_number_is_unpriced(resource, estimate_of):
    alarm = resource("aws_cloudwatch_metric_alarm.x", "aws_cloudwatch_metric_alarm",
                     {"period": Ref(address="var.period")})
    assert "period" in estimate_of([alarm]).unpriced[0].reason


def test_dashboard_costs_three_dollars_a_month(resource, priced):
    board = resource("aws_cloudwatch_dashboard.ops", "aws_cloudwatch_dashboard",
                     {"dashboard_name": "ops"})
    assert priced(board).monthly_cost == pytest.approx(3.00)
    sam = resource("cfn:t.yaml#Board", "AWS::CloudWatch::Dashboard", {"DashboardName": "b"})
    assert priced(sam).monthly_cost == pytest.approx(3.00)
