from pathlib import Path

import boto3

from tests.reconcile.appliers.lifecycle import APP, applier, lifecycle

HCL = '''
resource "aws_apigatewayv2_api" "http" {
  name          = "shop-http"
  protocol_type = "HTTP"
  description   = "%s"
  tags          = {team = "core"}
}
'''
TEMPLATE = '''
Transform: AWS::Serverless-2016-10-31
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Description: %s
      Tags: {team: core}
'''


def test_http_api_lifecycle_from_terraform(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % "shop"}, {"main.tf": HCL % "the shop"},
                        {"aws_apigatewayv2_api.http": {"description"}})
    assert created[0].outputs["ref"] == created[0].handle
    assert created[0].outputs["arn"].endswith(f"/apis/{created[0].handle}")


def test_sam_http_api_lifecycle(aws, tmp_path: Path):
    lifecycle(tmp_path, {"template.yaml": TEMPLATE % "shop"},
              {"template.yaml": TEMPLATE % "the shop"}, {"cfn:template.yaml#Http": {"description"}})


def test_unowned_api_is_never_discovered(aws, tmp_path: Path):
    boto3.client("apigatewayv2").create_api(Name="shop-http", ProtocolType="HTTP",
                                            Tags={"team": "core"})
    assert applier(tmp_path).discover(APP) == []
