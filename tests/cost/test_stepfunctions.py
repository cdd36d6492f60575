import pytest


def test_standard_workflow_costs_per_thousand_state_transitions(resource, priced):
    machine = resource("aws_sfn_state_machine.orders", "aws_sfn_state_machine")
    cost = priced(machine, {"monthly_transitions": 1_000_000})
    assert cost.monthly_cost == pytest.approx(1_000_000 / 1000 * 0.025)


def test_express_workflow_costs_requests_and_gb_seconds_in_64_mb_steps(resource, priced, lines):
    machine = resource("aws_sfn_state_machine.ingest", "aws_sfn_state_machine",
                       {"type": "EXPRESS"})
    cost = priced(machine, {"monthly_requests": 2_000_000, "workflow_duration_ms": 500,
                            "memory_mb": 100})
    expected = 2 * 1.00 + 2_000_000 * 0.5 * (128 / 1024) * 0.00001667
    assert cost.monthly_cost == pytest.approx(expected)
    assert "Duration (128 MB)" in lines(cost)


def test_sam_express_state_machine_is_priced_as_express(resource, priced, lines):
    machine = resource("cfn:t.yaml#Flow", "AWS::Serverless::StateMachine", {"Type": "EXPRESS"})
    assert "Requests" in lines(priced(machine, {"monthly_requests": 1}))
