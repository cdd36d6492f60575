from pathlib import Path

import boto3

from tests.reconcile.appliers.lifecycle import APP, applier, lifecycle

HCL = '''
resource "aws_sqs_queue" "dlq" { name = "shop-dlq" }
resource "aws_sqs_queue" "orders" {
  name                       = "shop-orders"
  visibility_timeout_seconds = %d
  redrive_policy = jsonencode({deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 3})
  tags = {team = "core"}
}
'''


def test_queue_with_redrive_policy_lifecycle(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % 45}, {"main.tf": HCL % 60},
                        {"aws_sqs_queue.orders": {"visibility_timeout_seconds"}})
    queues = {live.address: live for live in created}
    assert queues["aws_sqs_queue.orders"].fields["redrive_policy"]["deadLetterTargetArn"] \
        == queues["aws_sqs_queue.dlq"].outputs["arn"]


def test_unowned_queue_is_never_discovered(aws, tmp_path: Path):
    boto3.client("sqs").create_queue(QueueName="shop-orders", tags={"team": "core"})
    assert applier(tmp_path).discover(APP) == []
