import pytest

# Catalog prices (us-east-1): express requests $1.00 per 1M; express duration per GB-hour
# $0.060012 for the first 1,000, $0.029988 for the next 4,000, $0.016416 over 5,000;
# standard $0.025 per 1k state transitions.


def test_standard_workflow_costs_per_thousand_state_transitions(resource, priced):
    machine = resource("aws_sfn_state_machine.orders", "aws_sfn_state_machine")
    cost = priced(machine, {"monthly_transitions": 1_000_000})
    assert cost.monthly_cost == pytest.approx(1_000_000 / 1000 * 0.025)


def test_express_duration_rounds_up_to_100_ms_and_64_mb_steps(resource, priced, lines):
    machine = resource("aws_sfn_state_machine.ingest", "aws_sfn_state_machine",
                       {"type": "EXPRESS"})
    cost = priced(machine, {"monthly_requests": 2_000_000, "workflow_duration_ms": 450,
                            "memory_mb": 100})
    # 450 ms is billed as 500 ms, 100 MB as 128 MB: 2M × 0.5 s × 0.125 GB = 125,000 GB-s.
    gb_hours = 2_000_000 * 0.5 * (128 / 1024) / 3600
    assert gb_hours == pytest.approx(34.722, abs=1e-3)
    duration = lines(cost)["Duration (128 MB; first 1k GB-hours)"]
    assert duration.monthly_quantity == pytest.approx(gb_hours)
    assert cost.monthly_cost == pytest.approx(2 * 1.00 + gb_hours * 0.060012)


def test_express_duration_spreads_over_the_three_volume_tiers(resource, priced, lines):
    """Infracost's express3Tiers fixture: $685.23."""
    machine = resource("aws_sfn_state_machine.big", "aws_sfn_state_machine",
                       {"type": "EXPRESS"})
    cost = priced(machine, {"monthly_requests": 100_000_000, "workflow_duration_ms": 801,
                            "memory_mb": 1200})
    # 801 ms → 900 ms, 1,200 MB → 1,216 MB: 100M × 0.9 s × 1.1875 GB / 3,600 = 29,687.5 GB-h.
    gb_hours = 100e6 * 0.9 * (1216 / 1024) / 3600
    assert gb_hours == pytest.approx(29_687.5)
    found = lines(cost)
    assert found["Duration (1216 MB; first 1k GB-hours)"].monthly_quantity == 1000
    assert found["Duration (1216 MB; next 4k GB-hours)"].monthly_quantity == 4000
    assert found["Duration (1216 MB; over 5k GB-hours)"].monthly_quantity == pytest.approx(
        gb_hours - 5000)
    expected = 100 * 1.00 + 1000 * 0.060012 + 4000 * 0.029988 + 24_687.5 * 0.016416
    assert expected == pytest.approx(685.23, abs=0.01)
    assert cost.monthly_cost == pytest.approx(expected)


def test_express_memory_not_given_is_the_64_mb_minimum_marked_as_assumed(
        resource, priced, lines):
    machine = resource("aws_sfn_state_machine.small", "aws_sfn_state_machine",
                       {"type": "EXPRESS"})
    cost = priced(machine, {"monthly_requests": 100_000, "workflow_duration_ms": 123})
    duration = lines(cost)["Duration (64 MB; first 1k GB-hours)"]
    # 123 ms → 200 ms: 100,000 × 0.2 s × 0.0625 GB / 3,600 = 0.3472 GB-hours.
    assert duration.monthly_quantity == pytest.approx(100_000 * 0.2 * 0.0625 / 3600)
    assert duration.usage_origin == "usage file + default"


def test_express_duration_without_a_duration_is_unknown_never_zero(resource, priced, lines):
    machine = resource("aws_sfn_state_machine.quiet", "aws_sfn_state_machine",
                       {"type": "EXPRESS"})
    cost = priced(machine, {"monthly_requests": 1_000_000})
    duration = lines(cost)["Duration (64 MB; first 1k GB-hours)"]
    assert duration.monthly_cost is None and duration.unit_price == 0.060012
    assert cost.usage_unknown


def test_sam_express_state_machine_is_priced_as_express(resource, priced, lines):
    machine = resource("cfn:t.yaml#Flow", "AWS::Serverless::StateMachine", {"Type": "EXPRESS"})
    assert "Requests" in lines(priced(machine, {"monthly_requests": 1}))


def test_express_duration_tiers_are_the_same_in_singapore(resource, priced):
    machine = resource("aws_sfn_state_machine.sg", "aws_sfn_state_machine",
                       {"type": "EXPRESS"}, region="ap-southeast-1")
    cost = priced(machine, {"monthly_requests": 10_000_000, "workflow_duration_ms": 800,
                            "memory_mb": 512})
    # 10M × 0.8 s × 0.5 GB / 3,600 = 1,111.1 GB-hours: 1,000 in the first tier, 111.1 next.
    assert cost.monthly_cost == pytest.approx(10 * 1.00 + 1000 * 0.060012
                                              + (10e6 * 0.8 * 0.5 / 3600 - 1000) * 0.029988)
