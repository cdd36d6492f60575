"""Event source mappings (a queue feeding a function) against moto: owned by their own
tags, updated in place, replaced for a new source, pruned or orphaned."""

from pathlib import Path

import boto3

from purser.reconcile.plan import Action
from purser.store.schema import SyncPhase
from tests.reconcile.appliers.gitsync import actions, synced
from tests.reconcile.appliers.lifecycle import APP, CFN_LAMBDA_ROLE, applier, apply, changes, plan
from tests.reconcile.appliers.test_lambda import zipped
from tests.reconcile.appliers.test_lambda_permission import FUNCTION
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

QUEUES = '''
resource "aws_sqs_queue" "jobs" {
  name = "shop-jobs"
}
resource "aws_sqs_queue" "later" {
  name = "shop-later"
}
'''
MAPPING = '''
resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn                   = aws_sqs_queue.%s.arn
  function_name                      = aws_lambda_function.api.arn
  batch_size                         = %d
  maximum_batching_window_in_seconds = 5
  function_response_types            = ["ReportBatchItemFailures"]
  filter_criteria {
    filter {
      pattern = jsonencode({body = {kind = ["order"]}})
    }
  }
  tags = {team = "core"}
}
'''
ADDRESS = "aws_lambda_event_source_mapping.jobs"


def hcl(batch: int = 10, queue: str = "jobs", mapping: bool = True) -> str:
    return FUNCTION + QUEUES + (MAPPING % (queue, batch) if mapping else "")


def with_code(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "api.zip").exists():  # a zip written again differs (its timestamps)
        (folder / "api.zip").write_bytes(zipped("def handler(e, c): return 1\n"))
    return folder


def mappings() -> list[dict]:
    return list(boto3.client("lambda").list_event_source_mappings()["EventSourceMappings"])


def test_mapping_lifecycle_from_terraform(aws, tmp_path: Path):
    write(with_code(tmp_path), {"main.tf": hcl()})
    target = applier(tmp_path)
    first = plan(target, tmp_path)
    assert {s.action for s in first.steps} == {Action.create}
    apply(target, first)
    live = {x.address: x for x in target.discover(APP)}[ADDRESS]
    assert live.tags["purser:application"] == APP and live.fields["tags"] == {"team": "core"}
    assert live.fields["function_name"] == "shop-api" and live.fields["batch_size"] == 10
    assert live.fields["filter_criteria.filter"] == [{"body": {"kind": ["order"]}}]
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    write(tmp_path, {"main.tf": hcl(batch=20)})
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {ADDRESS: {"batch_size"}}
    assert {s.address: s.action for s in second.steps}[ADDRESS] is Action.update
    apply(target, second)
    assert [m["BatchSize"] for m in mappings()] == [20]
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}


def test_a_new_event_source_is_planned_as_a_replace(aws, tmp_path: Path):
    write(with_code(tmp_path), {"main.tf": hcl()})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    write(tmp_path, {"main.tf": hcl(queue="later")})
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {ADDRESS: {"event_source_arn"}}
    assert {s.address: s.action for s in second.steps}[ADDRESS] is Action.replace


def test_unowned_mappings_are_never_discovered(aws, tmp_path: Path):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")
    client = boto3.client("lambda")
    client.create_function(FunctionName="theirs", Role=role["Role"]["Arn"], Handler="a.h",
                           Runtime="python3.12", Code={"ZipFile": zipped("x = 1\n")},
                           Tags={"purser:application": APP, "purser:address": "x.y"})
    queue = boto3.client("sqs").create_queue(QueueName="q")["QueueUrl"]
    arn = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for tags in ({"team": "core"}, {"purser:application": "billing", "purser:address": "m"}):
        client.create_event_source_mapping(EventSourceArn=arn, FunctionName="theirs",
                                           Tags=tags)
    assert [live.kind for live in applier(tmp_path).discover(APP)] == ["aws.lambda.function"]


def test_sync_replaces_writes_nothing_the_second_time_orphans_and_prunes(aws, tmp_path):
    with_code(tmp_path / "repo" / "infra")
    first = synced(tmp_path, {"main.tf": hcl()}, "queue, function and mapping")
    assert first.phase is SyncPhase.succeeded, first.message
    replaced = synced(tmp_path, {"main.tf": hcl(queue="later")}, "another queue")
    assert replaced.phase is SyncPhase.succeeded, replaced.message
    assert actions(replaced)[ADDRESS] == "replace"
    assert [m["EventSourceArn"].rsplit(":", 1)[-1] for m in mappings()] == ["shop-later"]
    with write_calls(aws) as calls:
        again = synced(tmp_path, {}, "again")
    assert set(actions(again).values()) == {"no-op"} and calls == []
    orphaned = synced(tmp_path, {"main.tf": hcl(mapping=False)}, "no mapping", prune=False)
    assert actions(orphaned)[ADDRESS] == "orphan" and len(mappings()) == 1
    pruned = synced(tmp_path, {}, "prune")
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert actions(pruned)[ADDRESS] == "delete" and mappings() == []
    with write_calls(aws) as calls:
        synced(tmp_path, {}, "after the prune")
    assert calls == []


TEMPLATE = '''
Transform: AWS::Serverless-2016-10-31
Resources:
''' + CFN_LAMBDA_ROLE + '''  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12,
                 Role: !GetAtt Role.Arn}
  Feed:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Jobs.Arn
      FunctionName: !Ref Worker
      BatchSize: %d
      Enabled: true
      FilterCriteria:
        Filters:
          - Pattern: '{"body": {"kind": ["order"]}}'
'''


def test_mapping_from_cloudformation(aws, tmp_path: Path):
    write(tmp_path, {"template.yaml": TEMPLATE % 5, "src/app.py": "def handler(e, c): pass\n"})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    write(tmp_path, {"template.yaml": TEMPLATE % 8})
    assert changes(plan(target, tmp_path)) == {"cfn:template.yaml#Feed": {"batch_size"}}


STREAM = '''
resource "aws_lambda_event_source_mapping" "changes" {
  event_source_arn  = "%s"
  function_name     = aws_lambda_function.api.function_name
  starting_position = "LATEST"
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.%s.arn
    }
  }
}
'''


def stream() -> str:
    """A table's stream, made outside purser (the table handler leaves streams alone)."""
    table = boto3.client("dynamodb").create_table(
        TableName="orders", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    return str(table["TableDescription"]["LatestStreamArn"])


def test_stream_mapping_failure_destination_is_updated_in_place(aws, tmp_path: Path):
    arn = stream()
    write(with_code(tmp_path), {"main.tf": FUNCTION + QUEUES + STREAM % (arn, "jobs")})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
    write(tmp_path, {"main.tf": FUNCTION + QUEUES + STREAM % (arn, "later")})
    second = plan(target, tmp_path, prune=True)
    address = "aws_lambda_event_source_mapping.changes"
    assert changes(second) == {address: {"destination_config.on_failure.destination_arn"}}
    apply(target, second)
    [mapping] = mappings()
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"].endswith(":shop-later")
    assert mapping["StartingPosition"] == "LATEST"
    assert {s.action for s in plan(target, tmp_path, prune=True).steps} == {Action.noop}
