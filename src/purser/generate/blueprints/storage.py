"""A private S3 bucket as every blueprint writes it: encrypted, public access blocked,
versioned, TLS only, with a lifecycle (tiers for backups, expiry otherwise)."""

from __future__ import annotations

from typing import Any

from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Json, Template, Value, ref

#: Lifecycle schedules: (days after upload, storage class) transitions.
LIFECYCLES: dict[str, tuple[tuple[int, str], ...]] = {
    "balanced": ((30, "STANDARD_IA"), (90, "GLACIER_IR"), (180, "DEEP_ARCHIVE")),
    "archive-first": ((30, "DEEP_ARCHIVE"),),
}
#: Storage class → the usage block the S3 pricer reads (Infracost's names).
USAGE_BLOCKS = {"STANDARD": "standard", "STANDARD_IA": "standard_infrequent_access",
                "GLACIER_IR": "glacier_instant_retrieval", "GLACIER": "glacier_flexible_retrieval",
                "DEEP_ARCHIVE": "glacier_deep_archive"}


def private_bucket(design: Design, ctx: Context, name: str, *, standard_gb: float, puts: int,
                   gets: int, expire_days: int, lifecycle: str | None = None,
                   monthly_gb: float = 0.0, policy: list[dict[str, Value]] | None = None) -> None:
    """`aws_s3_bucket.<name>` and its settings. With `lifecycle`, `monthly_gb` arriving each
    month is spread over the schedule's classes; else `standard_gb` is held in Standard."""
    bucket = ref(f"aws_s3_bucket.{name}")
    design.add(Block("resource", ("aws_s3_bucket", name), [
        ("bucket", ctx.name(name)), ("tags", ctx.classification())]))
    design.add(Block("resource", ("aws_s3_bucket_server_side_encryption_configuration", name), [
        ("bucket", ref(f"aws_s3_bucket.{name}.id")),
        Block("rule", (), [Block("apply_server_side_encryption_by_default", (), [
            ("sse_algorithm", "aws:kms")]), ("bucket_key_enabled", True)])]))
    design.add(Block("resource", ("aws_s3_bucket_public_access_block", name), [
        ("bucket", ref(f"aws_s3_bucket.{name}.id")), ("block_public_acls", True),
        ("block_public_policy", True), ("ignore_public_acls", True),
        ("restrict_public_buckets", True)]))
    design.add(Block("resource", ("aws_s3_bucket_versioning", name), [
        ("bucket", ref(f"aws_s3_bucket.{name}.id")),
        Block("versioning_configuration", (), [("status", "Enabled")])]))
    rule: list[Any] = [("id", "tiers-and-expiry" if lifecycle else "expire"),
                       ("status", "Enabled"), Block("filter", (), [])]
    for days, storage_class in LIFECYCLES.get(lifecycle or "", ()):
        rule.append(Block("transition", (), [("days", days), ("storage_class", storage_class)]))
    rule += [Block("expiration", (), [("days", expire_days)]),
             Block("noncurrent_version_expiration", (), [("noncurrent_days", 30)])]
    design.add(Block("resource", ("aws_s3_bucket_lifecycle_configuration", name), [
        ("bucket", ref(f"aws_s3_bucket.{name}.id")), Block("rule", (), rule)]))
    statements: list[dict[str, Value]] = [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [Expr(f"{bucket.code}.arn"), Template((Expr(f"{bucket.code}.arn"), "/*"))],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    design.add(Block("resource", ("aws_s3_bucket_policy", name), [
        ("bucket", ref(f"aws_s3_bucket.{name}.id")),
        ("policy", Json({"Version": "2012-10-17", "Statement": statements + (policy or [])}))]))
    usage: dict[str, Any] = {"standard": {"storage_gb": round(standard_gb, 3),
                                          "monthly_tier_1_requests": puts,
                                          "monthly_tier_2_requests": gets}}
    if lifecycle:
        usage = tiered_usage(lifecycle, monthly_gb, expire_days, puts, gets)
    usage["standard"].update(NO_SELECT)
    design.usage[f"aws_s3_bucket.{name}"] = usage


# The generated code never queries objects in place: S3 Select costs nothing, said so.
NO_SELECT = {"monthly_select_data_scanned_gb": 0, "monthly_select_data_returned_gb": 0}


def tiered_usage(lifecycle: str, monthly_gb: float, expire_days: int, puts: int,
                 gets: int) -> dict[str, Any]:
    """Steady state: each class holds the months of uploads that sit in it."""
    edges = [0, *(days for days, _ in LIFECYCLES[lifecycle]), expire_days]
    classes = ["STANDARD", *(storage_class for _, storage_class in LIFECYCLES[lifecycle])]
    usage: dict[str, Any] = {}
    for start, end, storage_class in zip(edges, edges[1:], classes, strict=False):
        held = monthly_gb * max(0, min(end, expire_days) - start) / 30.4
        usage.setdefault(USAGE_BLOCKS[storage_class], {})["storage_gb"] = round(held, 3)
    usage["standard"].update({"monthly_tier_1_requests": puts, "monthly_tier_2_requests": gets})
    return usage
