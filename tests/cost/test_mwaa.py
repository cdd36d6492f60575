import pytest

ENVIRONMENT = "aws_mwaa_environment"


def test_environment_pays_its_class_and_additional_workers_and_schedulers(resource, priced):
    environment = resource("aws_mwaa_environment.af", ENVIRONMENT,
                           {"name": "af", "environment_class": "mW1.laRgE"})
    cost = priced(environment, {"additional_workers": 2.5, "additional_schedulers": 3,
                                "meta_database_gb": 1000})
    # large: $0.99 an hour; workers and schedulers $0.22 an hour each; $0.10 per GB-month
    assert cost.monthly_cost == pytest.approx(730 * 0.99 + 2.5 * 730 * 0.22 + 3 * 730 * 0.22
                                              + 1000 * 0.10)


def test_class_defaults_to_small_and_usage_lines_keep_their_unit_price(resource, priced,
                                                                         lines):
    cost = priced(resource("aws_mwaa_environment.af", ENVIRONMENT, {"name": "af"}))
    assert cost.monthly_cost == pytest.approx(730 * 0.49)
    assert lines(cost)["Additional workers (Small)"].unit_price == 0.055
    assert lines(cost)["Meta database"].monthly_cost is None


def test_unknown_class_is_unpriced(resource, estimate_of):
    environment = resource("aws_mwaa_environment.af", ENVIRONMENT, {"name": "af"})
    environment.unknown = ["environment_class"]
    assert estimate_of([environment]).unpriced


def test_cloudformation_environment_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:af.yaml#Airflow", "AWS::MWAA::Environment",
                        {"Name": "af", "EnvironmentClass": "mw1.medium"})
    assert priced(template).monthly_cost == pytest.approx(730 * 0.74)
