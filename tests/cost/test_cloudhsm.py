import pytest


def test_hsm_runs_all_month_unless_usage_says_less(resource, priced):
    hsm = resource("aws_cloudhsm_v2_hsm.h", "aws_cloudhsm_v2_hsm", {"cluster_id": "c"})
    assert priced(hsm).monthly_cost == pytest.approx(730 * 1.60)  # $1.60 per HSM-hour
    assert priced(hsm, {"monthly_hrs": 100}).monthly_cost == pytest.approx(100 * 1.60)


def test_hsm_prices_follow_the_region(resource, priced):
    hsm = resource("aws_cloudhsm_v2_hsm.h", "aws_cloudhsm_v2_hsm", {"cluster_id": "c"},
                   region="eu-west-1")
    assert priced(hsm).monthly_cost == pytest.approx(730 * 1.47)  # Ireland $1.47
