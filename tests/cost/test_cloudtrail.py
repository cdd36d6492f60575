import pytest

TRAIL = "aws_cloudtrail"


def test_trail_pays_for_additional_management_data_and_insights_events(resource, priced):
    trail = resource("aws_cloudtrail.org", TRAIL,
                     {"insight_selector": [{"insight_type": "ApiCallRateInsight"}]})
    cost = priced(trail, {"monthly_additional_management_events": 100_000,
                          "monthly_data_events": 2_000_000,
                          "monthly_insight_events": 300_000})
    # per 100k events: management copies $2.00, data $0.10, Insights $0.35
    assert cost.monthly_cost == pytest.approx(1 * 2.00 + 20 * 0.10 + 3 * 0.35)


def test_without_insights_or_usage_only_unit_prices_show(resource, priced, lines):
    cost = priced(resource("aws_cloudtrail.main", TRAIL, {"s3_bucket_name": "logs"}))
    by = lines(cost)
    assert set(by) == {"Management events (additional copies)", "Data events"}
    assert cost.monthly_cost == 0 and by["Data events"].unit_price == 0.10


def test_a_trail_without_management_events_is_not_billed_for_them(resource, priced, lines):
    data_only = resource("aws_cloudtrail.data", TRAIL, {"event_selector": [
        {"include_management_events": False, "data_resource": [{"type": "AWS::S3::Object"}]}]})
    assert "Management events (additional copies)" not in lines(priced(data_only))


def test_cloudformation_trail_is_priced_through_its_kind(resource, priced, lines):
    template = resource("cfn:audit.yaml#Trail", "AWS::CloudTrail::Trail", {
        "IsLogging": True, "S3BucketName": "logs",
        "EventSelectors": [{"IncludeManagementEvents": False}],
        "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]})
    cost = priced(template, {"monthly_insight_events": 1_000_000})
    assert set(lines(cost)) == {"Data events", "Insights events analyzed"}
    assert cost.monthly_cost == pytest.approx(10 * 0.35)
