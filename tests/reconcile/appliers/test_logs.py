from pathlib import Path

import boto3

from purser.reconcile.appliers import Desired
from tests.reconcile.appliers.lifecycle import APP, applier, lifecycle

HCL = '''
resource "aws_cloudwatch_log_group" "api" {
  name              = "/shop/api"
  retention_in_days = %d
  tags              = {team = "core"}
}
'''
TEMPLATE = '''
Resources:
  Audit:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
      Tags: [{Key: team, Value: %s}]
'''


def test_log_group_lifecycle_from_terraform(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % 7}, {"main.tf": HCL % 14},
                        {"aws_cloudwatch_log_group.api": {"retention_in_days"}})
    assert created[0].fields == {"retention_in_days": 7, "tags": {"team": "core"}}
    assert created[0].outputs["arn"].endswith(":log-group:/shop/api")
    assert created[0].outputs["ref"] == "/shop/api"


def test_log_group_lifecycle_from_cloudformation_gets_a_generated_name(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"template.yaml": TEMPLATE % "core"},
                        {"template.yaml": TEMPLATE % "data"},
                        {"cfn:template.yaml#Audit": {"tags"}})
    assert created[0].name.startswith(f"{APP}-Audit-")


def test_unowned_log_group_of_the_same_name_is_never_discovered(aws, tmp_path: Path):
    boto3.client("logs").create_log_group(logGroupName="/shop/api", tags={"team": "core"})
    target = applier()
    assert target.discover(APP) == []
    found = target.find(Desired("aws_cloudwatch_log_group.api", "aws.logs.log_group",
                                "/shop/api", {}))
    assert found is not None and found.fields["tags"] == {"team": "core"}
