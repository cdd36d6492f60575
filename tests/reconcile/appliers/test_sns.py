from pathlib import Path

import boto3

from tests.reconcile.appliers.lifecycle import APP, applier, apply, lifecycle, plan
from tests.sources.tree import write

HCL = '''
resource "aws_sns_topic" "orders" {
  name         = "shop-orders"
  display_name = "%s"
  tags         = {team = "core"}
}
resource "aws_sns_topic" "events" {
  name       = "shop-events.fifo"
  fifo_topic = true
  policy     = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Service = "events.amazonaws.com"}, Action = "sns:Publish", Resource = "*"}]})
}
'''
TEMPLATE = '''
Resources:
  Alerts:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: %s
'''


def test_topic_lifecycle_from_terraform(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % "Orders"}, {"main.tf": HCL % "Shop orders"},
                        {"aws_sns_topic.orders": {"display_name"}})
    topics = {live.address: live for live in created}
    assert topics["aws_sns_topic.events"].fields["fifo_topic"] is True
    assert topics["aws_sns_topic.orders"].outputs["ref"] == topics[
        "aws_sns_topic.orders"].outputs["arn"]


def test_topic_lifecycle_from_cloudformation(aws, tmp_path: Path):
    lifecycle(tmp_path, {"template.yaml": TEMPLATE % "alerts"},
              {"template.yaml": TEMPLATE % "pager"}, {"cfn:template.yaml#Alerts": {"display_name"}})


def test_fifo_change_replaces_the_topic(aws, tmp_path: Path):
    write(tmp_path, {"main.tf": HCL % "Orders"})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    write(tmp_path, {"main.tf": HCL.replace("fifo_topic = true", "fifo_topic = false")
                     % "Orders"})
    steps = {s.address: s.action.value for s in plan(target, tmp_path).steps}
    assert steps["aws_sns_topic.events"] == "replace"


def test_unowned_topic_is_never_discovered(aws, tmp_path: Path):
    boto3.client("sns").create_topic(Name="shop-orders",
                                     Tags=[{"Key": "team", "Value": "core"}])
    assert applier(tmp_path).discover(APP) == []
