"""An HTTP API's routes, integrations and stages through the applier against moto: owned
through their API, matched to declarations by identity, pruned when no longer declared."""

from pathlib import Path

import boto3

from purser.git import commit_work_tree
from purser.reconcile.appliers import Applier
from purser.reconcile.plan import Action
from purser.reconcile.sync import Reconciler, SyncResult, sync
from purser.store import open_database
from purser.store.schema import SyncPhase
from tests.reconcile.appliers.lifecycle import APP, actions, applier, apply, changes, plan
from tests.reconcile.recording import write_calls
from tests.sources.tree import write

API = "aws_apigatewayv2_api.http"
ROUTE = "aws_apigatewayv2_route.items"
INTEGRATION = "aws_apigatewayv2_integration.backend"
STAGE = "aws_apigatewayv2_stage.default"


def hcl(route_key: str = "GET /items", timeout: int = 10000, stage: str = "live",
        route: bool = True) -> str:
    declared = f'''
resource "aws_apigatewayv2_api" "http" {{
  name          = "shop-http"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_integration" "backend" {{
  api_id               = aws_apigatewayv2_api.http.id
  integration_type     = "HTTP_PROXY"
  integration_uri      = "https://example.com/items"
  integration_method   = "ANY"
  timeout_milliseconds = {timeout}
}}

resource "aws_apigatewayv2_stage" "default" {{
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
  description = "{stage}"
  access_log_settings {{
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:api"
    format          = jsonencode({{requestId = "$context.requestId"}})
  }}
}}
'''
    return declared + (f'''
resource "aws_apigatewayv2_route" "items" {{
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "{route_key}"
  target    = "integrations/${{aws_apigatewayv2_integration.backend.id}}"
}}
''' if route else "")


TEMPLATE = '''
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: shop-http, ProtocolType: HTTP}
  Backend:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: HTTP_PROXY
      IntegrationUri: https://example.com/items
      IntegrationMethod: ANY
      PayloadFormatVersion: "1.0"
  Items:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Http
      RouteKey: %s
      Target: !Sub integrations/${Backend}
  Live:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref Http, StageName: live, AutoDeploy: true}
'''


def created(root: Path, files: dict[str, str]) -> Applier:
    """`files` written, planned (all creates) and applied; the applier."""
    write(root, files)
    target = applier(root)
    first = plan(target, root)
    assert set(actions(first).values()) == {"create"}, first.as_json()
    apply(target, first)
    return target


def in_sync(target: Applier, root: Path) -> bool:
    return set(actions(plan(target, root, prune=True)).values()) == {"no-op"}


def api_id() -> str:
    return str(boto3.client("apigatewayv2").get_apis()["Items"][0]["ApiId"])


def test_children_are_created_owned_through_their_api_and_then_in_sync(aws, tmp_path: Path):
    target = created(tmp_path, {"main.tf": hcl()})
    children = [live for live in target.discover(APP) if live.identity]
    assert sorted(live.identity for live in children) == [
        f"integration {api_id()} HTTP_PROXY https://example.com/items",
        f"route {api_id()} GET /items", f"stage {api_id()} $default"]
    assert all(live.address == "" and live.tags == {"purser:application": APP}
               for live in children)
    assert in_sync(target, tmp_path)
    client = boto3.client("apigatewayv2")
    integration = client.get_integrations(ApiId=api_id())["Items"][0]
    route = client.get_routes(ApiId=api_id())["Items"][0]
    assert route["Target"] == f"integrations/{integration['IntegrationId']}"
    stage = client.get_stage(ApiId=api_id(), StageName="$default")
    assert stage["AccessLogSettings"]["Format"] == '{"requestId":"$context.requestId"}'


def test_integration_timeout_change_is_the_only_update(aws, tmp_path: Path):
    target = created(tmp_path, {"main.tf": hcl()})
    write(tmp_path, {"main.tf": hcl(timeout=20000)})
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {INTEGRATION: {"timeout_milliseconds"}}
    assert actions(second)[INTEGRATION] == "update"
    apply(target, second)
    assert in_sync(target, tmp_path)
    integration = boto3.client("apigatewayv2").get_integrations(ApiId=api_id())["Items"][0]
    assert integration["TimeoutInMillis"] == 20000


def test_a_new_route_key_is_a_new_route_and_the_old_one_pruned(aws, tmp_path: Path):
    target = created(tmp_path, {"main.tf": hcl()})
    write(tmp_path, {"main.tf": hcl(route_key="POST /items")})
    second = plan(target, tmp_path, prune=True)
    writes = {address: act for address, act in actions(second).items() if act != "no-op"}
    assert writes == {ROUTE: "create", f"route {api_id()} GET /items": "delete"}
    apply(target, second)
    assert in_sync(target, tmp_path)
    keys = [r["RouteKey"] for r in boto3.client("apigatewayv2").get_routes(ApiId=api_id())["Items"]]
    assert keys == ["POST /items"]


def test_a_route_no_longer_declared_is_pruned_or_orphaned(aws, tmp_path: Path):
    target = created(tmp_path, {"main.tf": hcl()})
    write(tmp_path, {"main.tf": hcl(route=False)})
    identity = f"route {api_id()} GET /items"
    assert actions(plan(target, tmp_path))[identity] == "orphan"
    pruned = plan(target, tmp_path, prune=True)
    assert {a: act for a, act in actions(pruned).items() if act != "no-op"} == {
        identity: "delete"}
    apply(target, pruned)
    assert boto3.client("apigatewayv2").get_routes(ApiId=api_id())["Items"] == []
    assert in_sync(target, tmp_path)


def test_stage_change_is_planned_as_an_update_of_that_field(aws, tmp_path: Path):
    # moto has no UpdateStage: the plan's field diff is pinned, the write is not made.
    target = created(tmp_path, {"main.tf": hcl()})
    write(tmp_path, {"main.tf": hcl(stage="the shop")})
    second = plan(target, tmp_path, prune=True)
    assert changes(second) == {STAGE: {"description"}}
    assert actions(second)[STAGE] == "update"


def test_pruning_the_whole_api_deletes_children_already_gone_with_it(aws, tmp_path: Path):
    target = created(tmp_path, {"main.tf": hcl()})
    write(tmp_path, {"main.tf": ""})
    pruned = plan(target, tmp_path, prune=True)
    assert set(actions(pruned).values()) == {"delete"} and len(pruned.steps) == 4
    apply(target, pruned)
    assert target.discover(APP) == []


def test_cloudformation_route_integration_and_stage(aws, tmp_path: Path):
    target = created(tmp_path, {"template.yaml": TEMPLATE % '"GET /items"'})
    assert in_sync(target, tmp_path)
    write(tmp_path, {"template.yaml": TEMPLATE % '"GET /things"'})
    second = plan(target, tmp_path, prune=True)
    writes = {address: act for address, act in actions(second).items() if act != "no-op"}
    assert writes == {"cfn:template.yaml#Items": "create",
                      f"route {api_id()} GET /items": "delete"}
    apply(target, second)
    assert in_sync(target, tmp_path)


def test_routes_of_an_unowned_api_are_never_discovered(aws, tmp_path: Path):
    client = boto3.client("apigatewayv2")
    for tags in ({"team": "core"}, {"purser:application": "billing"}):
        unowned = client.create_api(Name="shop-http", ProtocolType="HTTP", Tags=tags)["ApiId"]
        client.create_route(ApiId=unowned, RouteKey="GET /items")
        client.create_integration(ApiId=unowned, IntegrationType="HTTP_PROXY",
                                  IntegrationUri="https://example.com/items")
        client.create_stage(ApiId=unowned, StageName="$default")
    assert applier(tmp_path).discover(APP) == []


SAM = '''
Transform: AWS::Serverless-2016-10-31
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties: {Description: shop}
  Health:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: %s}
'''


def test_route_of_a_sam_http_api(aws, tmp_path: Path):
    target = created(tmp_path, {"template.yaml": SAM % '"GET /health"'})
    assert in_sync(target, tmp_path)
    keys = [r["RouteKey"] for r in boto3.client("apigatewayv2").get_routes(ApiId=api_id())["Items"]]
    assert keys == ["GET /health"]


CONFIG = """
applications:
  - name: shop
    path: infra
    sync: {prune: true}
policies: {fail_on: critical}
"""


def synced(repo: Path, db_path: Path, files: dict[str, str], message: str) -> SyncResult:
    write(repo, files)
    commit_work_tree(repo, message)
    with open_database(f"sqlite:///{db_path}") as db:
        return sync(Reconciler(root=repo, db=db, actor="test"), "shop")


def test_a_second_sync_writes_nothing(aws, tmp_path: Path):
    repo, db = tmp_path / "repo", tmp_path / "state.db"
    first = synced(repo, db, {"purser.yaml": CONFIG, "infra/main.tf": hcl()}, "api")
    assert first.phase is SyncPhase.succeeded, first.message
    with write_calls(aws) as calls:
        second = synced(repo, db, {}, "again")
    assert {step.action for step in second.plan.steps} == {Action.noop}
    assert calls == []


def test_sync_prunes_a_route_no_longer_declared(aws, tmp_path: Path):
    repo, db = tmp_path / "repo", tmp_path / "state.db"
    synced(repo, db, {"purser.yaml": CONFIG, "infra/main.tf": hcl()}, "api")
    pruned = synced(repo, db, {"infra/main.tf": hcl(route=False)}, "no route")
    assert pruned.phase is SyncPhase.succeeded, pruned.message
    assert boto3.client("apigatewayv2").get_routes(ApiId=api_id())["Items"] == []
