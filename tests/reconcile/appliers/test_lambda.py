import io
import zipfile
from pathlib import Path

import boto3

from purser.reconcile.appliers.aws.code import digest
from tests.reconcile.appliers.lifecycle import (
    APP,
    CFN_LAMBDA_ROLE,
    applier,
    apply,
    changes,
    lifecycle,
    plan,
)
from tests.sources.tree import write

ROLE = '''
resource "aws_iam_role" "fn" {
  name               = "shop-fn"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Action = "sts:AssumeRole", Principal = {Service = "lambda.amazonaws.com"}}]})
}
'''
HCL = ROLE + '''
resource "aws_lambda_function" "api" {
  function_name = "shop-api"
  filename      = "${path.module}/build/api.zip"
  role          = aws_iam_role.fn.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = %d
  timeout       = 10
  architectures = ["arm64"]
  reserved_concurrent_executions = 5
  environment {
    variables = {STAGE = "prod", RETRIES = 3}
  }
  tags = {team = "core"}
}
'''
TEMPLATE = '''
Transform: AWS::Serverless-2016-10-31
Resources:
''' + CFN_LAMBDA_ROLE + '''  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Timeout: %d
      Role: !GetAtt Role.Arn
'''


def zipped(text: str) -> bytes:
    """A zip of one file with a fixed date, so the same text gives the same digest."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("app.py", date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def with_zip(root: Path, text: str) -> Path:
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "api.zip").write_bytes(zipped(text))
    return root


def test_function_lifecycle_from_terraform(aws, tmp_path: Path):
    with_zip(tmp_path, "def handler(event, context): return 1\n")
    created = lifecycle(tmp_path, {"main.tf": HCL % 128}, {"main.tf": HCL % 256},
                        {"aws_lambda_function.api": {"memory_size"}})
    function = next(live for live in created if live.kind == "aws.lambda.function")
    assert function.fields["environment.variables"] == {"STAGE": "prod", "RETRIES": "3"}
    assert function.fields["reserved_concurrent_executions"] == 5
    assert function.fields["role"].endswith(":role/shop-fn")
    assert function.outputs["invoke_arn"].endswith(f"{function.outputs['arn']}/invocations")


def test_new_code_is_a_change_of_its_digest_and_is_uploaded(aws, tmp_path: Path):
    write(with_zip(tmp_path, "v = 1\n"), {"main.tf": HCL % 128})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    with_zip(tmp_path, "v = 2\n")
    second = plan(target, tmp_path)
    assert changes(second) == {"aws_lambda_function.api": {"code_sha256"}}
    apply(target, second)
    live = {x.address: x for x in target.discover(APP)}["aws_lambda_function.api"]
    assert live.fields["code_sha256"] == digest(zipped("v = 2\n"))
    assert {s.action.value for s in plan(target, tmp_path).steps} == {"no-op"}


def test_function_lifecycle_from_sam_zips_the_code_folder(aws, tmp_path: Path):
    files = {"template.yaml": TEMPLATE % 3, "src/app.py": "def handler(e, c): pass\n"}
    lifecycle(tmp_path, files, {"template.yaml": TEMPLATE % 9},
              {"cfn:template.yaml#Worker": {"timeout"}})


def test_code_missing_or_outside_the_repository_is_unsupported_and_named(aws, tmp_path: Path):
    (tmp_path / "secret.zip").write_bytes(zipped("x = 1\n"))
    repository = tmp_path / "repo"
    write(repository, {"main.tf": HCL.replace("${path.module}/build/api.zip", "../secret.zip")
                       % 128, "other/main.tf": HCL.replace('"api"', '"gone"') % 128})
    steps = {s.address: s for s in plan(applier(repository), repository).steps}
    assert steps["aws_lambda_function.api"].action.value == "unsupported"
    assert "secret.zip" in steps["aws_lambda_function.api"].reason
    gone = next(s for a, s in steps.items() if a.endswith("aws_lambda_function.gone"))
    assert gone.action.value == "unsupported" and "other/build/api.zip" in gone.reason


def test_unowned_function_is_never_discovered(aws, tmp_path: Path):
    role = boto3.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")
    boto3.client("lambda").create_function(
        FunctionName="shop-api", Role=role["Role"]["Arn"], Handler="app.handler",
        Runtime="python3.12", Code={"ZipFile": zipped("x = 1\n")}, Tags={"team": "core"})
    assert applier(tmp_path).discover(APP) == []
