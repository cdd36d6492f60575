import pytest

STACK = "aws_cloudformation_stack"
AWS_ONLY = ('{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", '
            '"Properties": {"CidrBlock": "10.0.0.0/16"}}}}')
THIRD_PARTY = ("Resources:\n  Repo:\n    Type: GitHub::Repositories::Repository\n"
               "  Bucket:\n    Type: AWS::S3::Bucket\n")


def test_a_stack_of_aws_types_only_is_free(resource, estimate_of):
    stack = resource("aws_cloudformation_stack.net", STACK,
                     {"name": "net", "template_body": AWS_ONLY})
    assert stack.address in estimate_of([stack]).free


def test_a_third_party_type_pays_handler_operations_and_durations(resource, priced):
    stack = resource("aws_cloudformation_stack.gh", STACK,
                     {"name": "gh", "template_body": THIRD_PARTY})
    cost = priced(stack, {"monthly_handler_operations": 10_000, "monthly_duration_secs": 500})
    # $0.0009 per handler operation; $0.00008 per second beyond 30 s
    assert cost.monthly_cost == pytest.approx(10_000 * 0.0009 + 500 * 0.00008)


def test_an_unreadable_or_external_template_shows_the_rates_unknown(resource, priced):
    for attrs in ({"template_url": "https://s3.amazonaws.com/b/t.yaml"},
                  {"template_body": "Resources: [unclosed"}):
        cost = priced(resource("aws_cloudformation_stack.x", STACK, {"name": "x", **attrs}))
        assert [line.monthly_cost for line in cost.components] == [None, None]
        assert [line.unit_price for line in cost.components] == [0.0009, 0.00008]


def test_stack_sets_and_cloudformation_stacks_are_priced_alike(resource, priced, estimate_of):
    stack_set = resource("aws_cloudformation_stack_set.s", "aws_cloudformation_stack_set",
                         {"name": "s", "template_body": THIRD_PARTY})
    assert priced(stack_set, {"monthly_handler_operations": 100}).monthly_cost == \
        pytest.approx(100 * 0.0009)
    nested = resource("cfn:root.yaml#Child", "AWS::CloudFormation::Stack",
                      {"TemplateURL": "https://s3.amazonaws.com/b/child.yaml"})
    assert priced(nested, {"monthly_handler_operations": 1000}).monthly_cost == \
        pytest.approx(1000 * 0.0009)
    free_set = resource("cfn:root.yaml#Set", "AWS::CloudFormation::StackSet",
                        {"StackSetName": "s", "TemplateBody": AWS_ONLY,
                         "PermissionModel": "SERVICE_MANAGED"})
    assert free_set.address in estimate_of([free_set]).free
