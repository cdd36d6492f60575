"""S3 buckets: tags, versioning, default encryption, public access block, lifecycle rules.

Creating a bucket and tagging it are two calls, so a crash between them leaves a bucket
without ownership tags: `find` reads it back by name for the resume. Encryption and
lifecycle rules are compared in the S3 API's own shape, into which both Terraform's
inline blocks and CloudFormation's properties are translated. A bucket that still holds
objects is never deleted: purser does not destroy data.
"""

from __future__ import annotations

from typing import Any

from purser.reconcile.appliers import ApplyError, Desired, Live
from purser.reconcile.appliers.aws.client import error_code, is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, boolean, handlers
from purser.reconcile.appliers.aws.tags import as_list, from_list, user_tags, wanted_tags

VERSIONING = "versioning_configuration.status"
BLOCK = {f"public_access_block.{name}": key for name, key in (
    ("block_public_acls", "BlockPublicAcls"), ("block_public_policy", "BlockPublicPolicy"),
    ("ignore_public_acls", "IgnorePublicAcls"),
    ("restrict_public_buckets", "RestrictPublicBuckets"))}
# Errors S3 answers for a setting that was never made: the setting is absent.
ABSENT = ("NoSuchTagSet", "ServerSideEncryptionConfigurationNotFoundError",
          "NoSuchPublicAccessBlockConfiguration", "NoSuchLifecycleConfiguration")


def encryption(value: Any) -> Any:
    """Default encryption as S3's first rule: {SSEAlgorithm, KMSMasterKeyID?,
    BucketKeyEnabled?}, from Terraform's `rule` blocks, CloudFormation's BucketEncryption
    or the S3 API's rules."""
    if isinstance(value, dict) and "ServerSideEncryptionConfiguration" in value:
        value = value["ServerSideEncryptionConfiguration"]
    rules = value if isinstance(value, list) else [value]
    rule = rules[0] if rules and isinstance(rules[0], dict) else {}
    rule = _one(rule.get("rule", rule))
    default = _one(next((rule[key] for key in (
        "apply_server_side_encryption_by_default", "ServerSideEncryptionByDefault",
        "ApplyServerSideEncryptionByDefault") if key in rule), {}))
    out = {"SSEAlgorithm": default.get("sse_algorithm", default.get("SSEAlgorithm"))}
    key = default.get("kms_master_key_id", default.get("KMSMasterKeyID"))
    if key:
        out["KMSMasterKeyID"] = key
    if boolean(rule.get("bucket_key_enabled", rule.get("BucketKeyEnabled"))) is True:
        out["BucketKeyEnabled"] = True  # off is S3's default: the same as not written
    return out


def lifecycle(value: Any) -> Any:
    """Lifecycle rules as S3's {ID, Status, Filter, Expiration?, Transitions?,
    NoncurrentVersionExpiration?} in ID order."""
    if not isinstance(value, list):
        return value
    return sorted((_rule(item) for item in value if isinstance(item, dict)),
                  key=lambda rule: str(rule["ID"]))


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    enabled = rule.get("enabled")
    out: dict[str, Any] = {
        "ID": rule.get("id", rule.get("Id", rule.get("ID"))),
        "Status": rule.get("Status") or ("Enabled" if boolean(enabled) else "Disabled"),
        "Filter": {"Prefix": rule.get("prefix", rule.get("Prefix",
                                                         _one(rule.get("Filter", {})).get(
                                                             "Prefix", "")))}}
    days = _one(rule.get("expiration", {})).get("days", rule.get("ExpirationInDays"))
    if isinstance(rule.get("Expiration"), dict):
        days = rule["Expiration"].get("Days")
    if days is not None:
        out["Expiration"] = {"Days": int(days)}
    noncurrent = _one(rule.get("noncurrent_version_expiration", {})).get(
        "days", rule.get("NoncurrentVersionExpirationInDays"))
    if isinstance(rule.get("NoncurrentVersionExpiration"), dict):
        noncurrent = rule["NoncurrentVersionExpiration"].get("NoncurrentDays")
    if noncurrent is not None:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": int(noncurrent)}
    transitions = [{"Days": int(t.get("days", t.get("TransitionInDays", t.get("Days", 0)))),
                    "StorageClass": t.get("storage_class", t.get("StorageClass"))}
                   for t in rule.get("transition", rule.get("Transitions", []))]
    if transitions:
        out["Transitions"] = transitions
    return out


def _one(value: Any) -> dict[str, Any]:
    """A Terraform block (a one-element list) or a mapping, as the mapping."""
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


@handlers.register("aws.s3.bucket")
class Bucket(Handler):
    kind = "aws.s3.bucket"
    name_field = "bucket"
    name_limit = 63
    name_chars = r"[a-z0-9.-]"
    name_lower = True
    fields = {"bucket": str, VERSIONING: str, "server_side_encryption_configuration": encryption,
              "lifecycle_rule": lifecycle, **{name: boolean for name in BLOCK}}
    tagging_type = "s3"

    @property
    def s3(self) -> Any:
        return self.aws.client("s3")

    def owns_arn(self, arn: str) -> bool:
        return arn.startswith("arn:") and arn.split(":")[2:5] == ["s3", "", ""] \
            and "/" not in arn.split(":")[5]

    def read(self, handle: str, address: str) -> Live | None:
        return self.find(handle.rsplit(":", 1)[-1], address)

    def find(self, name: str, address: str) -> Live | None:
        try:
            self.s3.head_bucket(Bucket=name)
        except Exception as error:
            if is_not_found(error) or error_code(error) in ("404", "403"):
                return None  # none, or another account's (never purser's)
            raise
        tags = from_list(self._get("get_bucket_tagging", name).get("TagSet"))
        fields: dict[str, Any] = {"tags": user_tags(tags)}
        status = self._get("get_bucket_versioning", name).get("Status")
        if status:
            fields[VERSIONING] = status
        rules = self._get("get_bucket_encryption", name).get(
            "ServerSideEncryptionConfiguration", {}).get("Rules")
        if rules:
            fields["server_side_encryption_configuration"] = encryption(rules)
        block = self._get("get_public_access_block", name).get(
            "PublicAccessBlockConfiguration", {})
        fields.update({field: block[key] for field, key in BLOCK.items() if key in block})
        lifecycle_rules = self._get("get_bucket_lifecycle_configuration", name).get("Rules")
        if lifecycle_rules:
            fields["lifecycle_rule"] = lifecycle(lifecycle_rules)
        region = self.aws.region
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=name,
                    tags=tags, outputs={
                        "arn": f"arn:aws:s3:::{name}", "id": name, "bucket": name,
                        "ref": name, "bucket_domain_name": f"{name}.s3.amazonaws.com",
                        "bucket_regional_domain_name": f"{name}.s3.{region}.amazonaws.com"})

    def _get(self, operation: str, name: str) -> dict[str, Any]:
        """One of the bucket's settings; {} when it was never made."""
        try:
            return dict(getattr(self.s3, operation)(Bucket=name))
        except Exception as error:
            if error_code(error) in ABSENT:
                return {}
            raise

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        name = desired.name
        options = {} if self.aws.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": self.aws.region}}
        with_retries(lambda: self.s3.create_bucket(Bucket=name, **options),
                     what=f"creating bucket {name}")
        self._configure(name, desired.fields, set(desired.fields), {}, tags)
        return self.written(self.find(name, desired.address), name)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        self._configure(live.name, desired.fields, changed, live.fields, tags)
        return self.written(self.find(live.name, live.address), live.name)

    def _configure(self, name: str, fields: dict[str, Any], changed: set[str],
                   live: dict[str, Any], tags: dict[str, str]) -> None:
        # Tags first: they are what makes a half-made bucket purser's.
        if "tags" in changed:
            wanted = as_list(wanted_tags(fields, tags))
            with_retries(lambda: self.s3.put_bucket_tagging(Bucket=name,
                                                            Tagging={"TagSet": wanted}),
                         what=f"tagging bucket {name}")
        if VERSIONING in changed:
            with_retries(lambda: self.s3.put_bucket_versioning(
                Bucket=name, VersioningConfiguration={"Status": fields[VERSIONING]}),
                what=f"setting versioning of bucket {name}")
        if "server_side_encryption_configuration" in changed:
            rule = fields["server_side_encryption_configuration"]
            default = {k: v for k, v in rule.items() if k != "BucketKeyEnabled"}
            extra = {"BucketKeyEnabled": rule["BucketKeyEnabled"]} \
                if "BucketKeyEnabled" in rule else {}
            with_retries(lambda: self.s3.put_bucket_encryption(
                Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
                    {"ApplyServerSideEncryptionByDefault": default, **extra}]}),
                what=f"setting encryption of bucket {name}")
        if changed & BLOCK.keys():
            # The four settings are written together: those git leaves out keep their value.
            block = {key: bool(fields.get(field, live.get(field, False)))
                     for field, key in BLOCK.items()}
            with_retries(lambda: self.s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=block),
                what=f"setting the public access block of bucket {name}")
        if "lifecycle_rule" in changed:
            with_retries(lambda: self.s3.put_bucket_lifecycle_configuration(
                Bucket=name, LifecycleConfiguration={"Rules": fields["lifecycle_rule"]}),
                what=f"setting lifecycle rules of bucket {name}")

    def delete(self, live: Live) -> None:
        name = live.name
        held = with_retries(lambda: self.s3.list_object_versions(Bucket=name, MaxKeys=1),
                            what=f"listing bucket {name}")
        if held.get("Versions") or held.get("DeleteMarkers"):
            raise ApplyError(f"bucket {name} still holds objects: purser never deletes data; "
                             "empty it first")
        with_retries(lambda: self.s3.delete_bucket(Bucket=name), what=f"deleting bucket {name}")

