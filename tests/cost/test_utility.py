import pytest

from purser.cost.pricers.utility import UTILITY_TYPES


@pytest.mark.parametrize("type_", ["null_resource", "terraform_data", "local_file",
                                   "random_pet", "time_sleep", "tls_private_key"])
def test_terraform_utility_resources_are_free(resource, estimate_of, type_):
    thing = resource(f"{type_}.this", type_)
    result = estimate_of([thing])
    assert result.free == [thing.address] and not result.unpriced


def test_every_utility_type_belongs_to_a_state_only_provider():
    providers = {"null", "terraform", "local", "random", "time", "tls"}
    assert {t.split("_", 1)[0] for t in UTILITY_TYPES} == providers


@pytest.mark.parametrize("type_", ["aws_ec2_tag", "aws_eks_addon", "aws_s3_object",
                                   "AWS::AppSync::Resolver", "AWS::Events::Connection",
                                   "AWS::Lambda::Url", "AWS::IAM::RolePolicy",
                                   "aws_glue_trigger", "AWS::EC2::InstanceConnectEndpoint",
                                   "helm_release", "networking.istio.io/VirtualService"])
def test_aws_configuration_resources_are_free(resource, estimate_of, type_):
    thing = resource(f"{type_}.this", type_)
    assert estimate_of([thing]).free == [thing.address]
