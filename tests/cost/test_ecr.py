import pytest


def test_repository_pays_for_the_images_it_stores(resource, priced, lines):
    repo = resource("aws_ecr_repository.app", "aws_ecr_repository", {"name": "app"})
    assert priced(repo, {"storage_gb": 25}).monthly_cost == pytest.approx(25 * 0.10)
    unknown = lines(priced(repo))["Image storage"]
    assert (unknown.unit_price, unknown.monthly_cost, unknown.usage_origin) == \
        (0.10, None, "unknown")


def test_cloudformation_repository_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:ci.yaml#Repo", "AWS::ECR::Repository", {"RepositoryName": "app"},
                        region="eu-west-1")
    assert priced(template, {"storage_gb": 3}).monthly_cost == pytest.approx(3 * 0.10)
