import pytest

# Catalog prices (us-east-1): Pipes $0.40 per 1M requests (64 KB chunks); API destinations
# $0.20 per 1M invocations; Scheduler $0 for the first 14M invocations a month (its free tier
# as AWS states it), $1.00 per 1M over 14M. São Paulo (regions file): Pipes $0.69 per 1M.


def test_pipe_requests_count_each_64_kb_chunk(resource, priced):
    pipe = resource("aws_pipes_pipe.orders", "aws_pipes_pipe")
    cost = priced(pipe, {"monthly_requests": 10_000_000, "request_size_kb": 150})
    # 150 KB is three 64 KB chunks: 30M billed requests.
    assert cost.monthly_cost == pytest.approx(10 * 3 * 0.40)


def test_stopped_pipe_pays_nothing_and_unknown_usage_stays_unknown(resource, priced, lines):
    stopped = resource("cfn:t.yaml#Pipe", "AWS::Pipes::Pipe", {"DesiredState": "STOPPED"})
    assert priced(stopped).monthly_cost == 0 and not priced(stopped).usage_unknown
    running = resource("cfn:t.yaml#Pipe", "AWS::Pipes::Pipe")
    line = lines(priced(running))["Requests"]
    assert line.monthly_cost is None and line.unit_price == 0.40


def test_pipe_in_sao_paulo_uses_the_regions_file(resource, priced):
    pipe = resource("aws_pipes_pipe.sp", "aws_pipes_pipe", region="sa-east-1")
    assert priced(pipe, {"monthly_requests": 2_000_000}).monthly_cost == pytest.approx(2 * 0.69)


def test_api_destination_invocations(resource, priced):
    for dest in (resource("aws_cloudwatch_event_api_destination.hook",
                          "aws_cloudwatch_event_api_destination"),
                 resource("cfn:t.yaml#Hook", "AWS::Events::ApiDestination")):
        cost = priced(dest, {"monthly_invocations": 5_000_000})
        assert cost.monthly_cost == pytest.approx(5 * 0.20)


def test_rate_schedule_fixes_its_invocations_inside_the_free_tier(resource, priced, lines):
    schedule = resource("aws_scheduler_schedule.tick", "aws_scheduler_schedule",
                        {"schedule_expression": "rate(5 minutes)"})
    cost = priced(schedule)
    # 730 hours × 60 / 5 = 8,760 invocations, all in the free first 14M.
    line = lines(cost)["Invocations (first 14M invocations)"]
    assert line.monthly_quantity == pytest.approx(8_760 / 1e6)
    assert line.usage_origin == "fixed" and cost.monthly_cost == 0


def test_schedule_usage_over_the_free_tier_pays_for_the_rest(resource, priced, lines):
    schedule = resource("cfn:t.yaml#Cron", "AWS::Scheduler::Schedule",
                        {"ScheduleExpression": "cron(0 * * * ? *)"})
    cost = priced(schedule, {"monthly_invocations": 20_000_000})
    assert lines(cost)["Invocations (over 14M invocations)"].monthly_quantity == 6
    assert cost.monthly_cost == pytest.approx((20 - 14) * 1.00)


def test_cron_schedule_without_usage_shows_the_paid_price_not_the_free_one(
        resource, priced, lines):
    schedule = resource("aws_scheduler_schedule.nightly", "aws_scheduler_schedule",
                        {"schedule_expression": "cron(0 2 * * ? *)"})
    line = lines(priced(schedule))["Invocations (past the free tier)"]
    assert line.monthly_cost is None and line.unit_price == 1.00


@pytest.mark.parametrize(("attrs", "invocations"), [
    ({"schedule_expression": "at(2027-01-01T00:00:00)"}, 1),
    ({"schedule_expression": "rate(1 hour)", "state": "DISABLED"}, 0),
    ({"schedule_expression": "rate(2 days)"}, 730 / 48),
])
def test_one_time_and_disabled_schedules(resource, priced, lines, attrs, invocations):
    schedule = resource("aws_scheduler_schedule.s", "aws_scheduler_schedule", attrs)
    line = lines(priced(schedule))["Invocations (first 14M invocations)"]
    assert line.monthly_quantity == pytest.approx(invocations / 1e6)
