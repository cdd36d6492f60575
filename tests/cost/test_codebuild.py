import pytest

PROJECT = "aws_codebuild_project"


def project(resource, compute: str, environment: str = "LINUX_CONTAINER"):
    return resource("aws_codebuild_project.ci", PROJECT,
                    {"name": "ci", "environment": {"compute_type": compute, "type": environment,
                                                   "image": "aws/codebuild/standard:7.0"}})


def test_build_minutes_are_priced_by_compute_type(resource, priced, lines):
    cost = priced(project(resource, "BUILD_GENERAL1_MEDIUM"), {"monthly_build_mins": 10_000})
    assert cost.monthly_cost == pytest.approx(10_000 * 0.01)  # general1.medium $0.01 a minute
    assert set(lines(cost)) == {"Linux (general1.medium)"}


def test_windows_and_arm_builds_have_their_own_rates(resource, priced):
    windows = project(resource, "BUILD_GENERAL1_LARGE", "WINDOWS_SERVER_2019_CONTAINER")
    assert priced(windows, {"monthly_build_mins": 100_000}).monthly_cost == \
        pytest.approx(100_000 * 0.036)  # Windows general1.large $0.036 a minute
    arm = project(resource, "BUILD_GENERAL1_SMALL", "ARM_CONTAINER")
    assert priced(arm, {"monthly_build_mins": 1000}).monthly_cost == \
        pytest.approx(1000 * 0.0034)  # arm1.small $0.0034 a minute


def test_without_usage_only_the_minute_rate_shows(resource, priced):
    cost = priced(project(resource, "BUILD_GENERAL1_SMALL"))
    (line,) = cost.components
    assert line.monthly_cost is None and line.unit_price == 0.005


def test_lambda_compute_and_unknown_environments_are_unpriced(resource, estimate_of):
    lambda_ = project(resource, "BUILD_LAMBDA_1GB", "LINUX_LAMBDA_CONTAINER")
    unknown = project(resource, "BUILD_GENERAL1_SMALL")
    unknown.address = "aws_codebuild_project.other"
    unknown.unknown = ["environment.compute_type"]
    assert len(estimate_of([lambda_, unknown]).unpriced) == 2


def test_cloudformation_project_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:ci.yaml#Build", "AWS::CodeBuild::Project",
                        {"Name": "ci", "Environment": {"Type": "LINUX_CONTAINER",
                                                       "ComputeType": "BUILD_GENERAL1_LARGE",
                                                       "Image": "aws/codebuild/standard:7.0"}})
    assert priced(template, {"monthly_build_mins": 500}).monthly_cost == \
        pytest.approx(500 * 0.02)  # general1.large $0.02 a minute
