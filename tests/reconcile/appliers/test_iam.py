import json
from pathlib import Path

import boto3

from tests.reconcile.appliers.lifecycle import APP, applier, lifecycle

TRUST = ('jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", '
         'Action = "sts:AssumeRole", Principal = {Service = "lambda.amazonaws.com"}}]})')
HCL = '''
resource "aws_iam_role" "fn" {
  name                 = "shop-fn"
  assume_role_policy   = %s
  max_session_duration = 3600
  managed_policy_arns  = ["%s"]
  inline_policy {
    name   = "queue"
    policy = jsonencode({Version = "2012-10-17", Statement = [
      {Effect = "Allow", Action = "sqs:%s", Resource = "*"}]})
  }
  tags = {team = "core"}
}
'''
TEMPLATE = '''
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Description: %s
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: lambda.amazonaws.com}}
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Version: "2012-10-17"
            Statement: [{Effect: Allow, Action: "logs:*", Resource: "*"}]
'''


def managed_policy() -> str:
    """A customer managed policy (moto's server loads no AWS managed ones by default)."""
    return boto3.client("iam").create_policy(
        PolicyName="shop-read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))["Policy"]["Arn"]


def test_role_lifecycle_from_terraform(aws, tmp_path: Path):
    arn = managed_policy()
    created = lifecycle(tmp_path, {"main.tf": HCL % (TRUST, arn, "SendMessage")},
                        {"main.tf": HCL % (TRUST, arn, "*")},
                        {"aws_iam_role.fn": {"inline_policy"}})
    role = created[0]
    assert role.fields["managed_policy_arns"] == [arn]
    assert role.outputs["arn"].endswith(":role/shop-fn") and role.outputs["ref"] == "shop-fn"


def test_role_lifecycle_from_cloudformation(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"template.yaml": TEMPLATE % "runs the api"},
                        {"template.yaml": TEMPLATE % "runs the shop api"},
                        {"cfn:template.yaml#Role": {"description"}})
    assert created[0].fields["inline_policy"][0]["name"] == "logs"


def test_unowned_role_is_never_discovered(aws, tmp_path: Path):
    iam = boto3.client("iam")
    iam.create_role(RoleName="shop-fn", AssumeRolePolicyDocument="{}",
                    Tags=[{"Key": "purser:application", "Value": "another"}])
    iam.create_role(RoleName="other", AssumeRolePolicyDocument="{}")
    assert applier().discover(APP) == []

