from pathlib import Path

import boto3
import pytest

from purser.reconcile.appliers import ApplyError
from tests.reconcile.appliers.lifecycle import APP, applier, apply, lifecycle, plan
from tests.sources.tree import write

HCL = '''
resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default { sse_algorithm = "aws:kms" }
      bucket_key_enabled = true
    }
  }
  lifecycle_rule {
    id      = "expire"
    enabled = true
    prefix  = "tmp/"
    expiration { days = %d }
  }
  tags = {team = "core"}
}
'''
TEMPLATE = '''
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: %s}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
      LifecycleConfiguration:
        Rules: [{Id: old, Status: Enabled, ExpirationInDays: 30}]
'''


def test_bucket_lifecycle_from_terraform(aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"main.tf": HCL % 7}, {"main.tf": HCL % 14},
                        {"aws_s3_bucket.assets": {"lifecycle_rule"}})
    assert created[0].outputs["arn"] == "arn:aws:s3:::shop-assets"
    assert created[0].fields["server_side_encryption_configuration"] == {
        "SSEAlgorithm": "aws:kms", "BucketKeyEnabled": True}


def test_bucket_lifecycle_from_cloudformation_with_a_lowercase_generated_name(
        aws, tmp_path: Path):
    created = lifecycle(tmp_path, {"template.yaml": TEMPLATE % "Enabled"},
                        {"template.yaml": TEMPLATE % "Suspended"},
                        {"cfn:template.yaml#Logs": {"versioning_configuration.status"}})
    assert created[0].name == created[0].name.lower()
    assert created[0].fields["public_access_block.block_public_acls"] is True


def test_a_bucket_holding_objects_is_never_deleted(aws, tmp_path: Path):
    write(tmp_path, {"main.tf": HCL % 7})
    target = applier(tmp_path)
    apply(target, plan(target, tmp_path))
    boto3.client("s3").put_object(Bucket="shop-assets", Key="a.txt", Body=b"data")
    (tmp_path / "main.tf").write_text("")
    with pytest.raises(ApplyError, match="still holds objects"):
        apply(target, plan(target, tmp_path, prune=True))
    assert [live.name for live in target.discover(APP)] == ["shop-assets"]


def test_unowned_bucket_is_never_discovered(aws, tmp_path: Path):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="shop-assets")
    s3.put_bucket_tagging(Bucket="shop-assets",
                          Tagging={"TagSet": [{"Key": "team", "Value": "core"}]})
    assert applier(tmp_path).discover(APP) == []
