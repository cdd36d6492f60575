from pathlib import Path

import boto3

from tests.reconcile.appliers.lifecycle import APP, applier, apply, lifecycle, plan
from tests.sources.tree import write

HCL = '''
resource "aws_dynamodb_table" "orders" {
  name           = "orders"
  billing_mode   = "PROVISIONED"
  read_capacity  = %d
  write_capacity = 5
  hash_key       = "pk"
  range_key      = "sk"
  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "N"
  }
  point_in_time_recovery { enabled = true }
  tags = {team = "core"}
}
'''
TEMPLATE = '''
Resources:
  Carts:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: carts
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: %s}
'''


def test_table_lifecycle_from_terraform(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % 5}, {"main.tf": HCL % 10},
                        {"aws_dynamodb_table.orders": {"read_capacity"}})
    assert created[0].fields["hash_key"] == "pk" and created[0].fields["range_key"] == "sk"
    assert created[0].fields["point_in_time_recovery.enabled"] is True
    assert created[0].outputs["ref"] == "orders"


def test_table_lifecycle_from_cloudformation(aws, tmp_path: Path):
    lifecycle(tmp_path, {"template.yaml": TEMPLATE % "true"},
              {"template.yaml": TEMPLATE % "false"},
              {"cfn:template.yaml#Carts": {"point_in_time_recovery.enabled"}})


def test_a_new_hash_key_replaces_the_table(aws, tmp_path: Path):
    write(tmp_path, {"main.tf": HCL % 5})
    target = applier()
    apply(target, plan(target, tmp_path))
    write(tmp_path, {"main.tf": HCL.replace('"pk"', '"id"') % 5})
    step = plan(target, tmp_path).steps[0]
    assert step.action.value == "replace" and {"hash_key", "attribute"} <= set(step.changes)


def test_unowned_table_of_the_same_name_is_never_discovered(aws, tmp_path: Path):
    boto3.client("dynamodb").create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        Tags=[{"Key": "team", "Value": "core"}])
    assert applier().discover(APP) == []
