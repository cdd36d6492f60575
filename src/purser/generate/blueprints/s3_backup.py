"""S3 backups with lifecycle tiers: Standard → Standard-IA → Glacier Instant Retrieval →
Deep Archive, expired after the retention; a writer policy scoped to this bucket; a free
S3 gateway endpoint when egress should stay off the NAT gateway."""

from __future__ import annotations

from typing import ClassVar

from purser.generate.blueprints import blueprint, storage
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Json, Template, ref

DEFAULT_MONTHLY_GB = 100.0
RETENTION_DAYS = 365
OBJECT_MB = 100  # assumed size of one backup object


@blueprint
class S3Backup:
    pattern: ClassVar[str] = "s3-backup"
    components: ClassVar[frozenset[str]] = frozenset({"s3"})
    summary: ClassVar[str] = "S3 backup bucket with lifecycle tiers and a scoped writer policy"

    def design(self, ctx: Context) -> Design:
        design = Design()
        traffic = ctx.spec.traffic
        monthly = traffic.storage_gb if traffic.storage_gb is not None else DEFAULT_MONTHLY_GB
        if traffic.storage_gb is not None and not traffic.storage_per_month:
            monthly = traffic.storage_gb * 30.4 / RETENTION_DAYS
            design.decide(f"{monthly:,.1f} GB of backups arrive a month",
                          f"{traffic.storage_gb:,g} GB held over a {RETENTION_DAYS}-day retention",
                          "assumed")
        elif traffic.storage_gb is None:
            design.decide(f"{DEFAULT_MONTHLY_GB:g} GB of backups a month",
                          "the intent names no volume", "assumed")
        puts = round(monthly * 1024 / OBJECT_MB)
        storage.private_bucket(design, ctx, "backups", standard_gb=0, puts=puts, gets=0,
                               expire_days=RETENTION_DAYS, lifecycle=ctx.sizing.lifecycle,
                               monthly_gb=monthly)
        design.decide(f"retention {RETENTION_DAYS} days", "the intent names none", "assumed")
        schedule = storage.LIFECYCLES[ctx.sizing.lifecycle]
        design.decide("lifecycle: " + ", ".join(f"{c} after {d} days" for d, c in schedule),
                      f"the {ctx.sizing.lifecycle} schedule; steady-state storage per class is "
                      "the months of uploads that sit in it")
        bucket = "aws_s3_bucket.backups.arn"
        design.add(Block("resource", ("aws_iam_policy", "writer"), [
            ("name", ctx.name("writer")),
            ("description", "Writes and reads the backups of this bucket only."),
            ("policy", Json({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                 "Resource": [Template((Expr(bucket), "/*"))]},
                {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [Expr(bucket)]}]})),
            ("tags", ctx.tags())]))
        design.outputs += [
            Block("output", ("bucket",), [("description", "The backup bucket."),
                                          ("value", ref("aws_s3_bucket.backups.bucket"))]),
            Block("output", ("writer_policy_arn",), [
                ("description", "Attach to whatever writes the backups."),
                ("value", ref("aws_iam_policy.writer.arn"))])]
        if "minimise-egress" in ctx.spec.network:
            design.variables += [
                Block("variable", ("vpc_id",), [("description", "VPC the backups come from."),
                                                ("type", Expr("string"))]),
                Block("variable", ("route_table_ids",), [
                    ("description", "Route tables of the subnets that write backups."),
                    ("type", Expr("list(string)"))])]
            design.add(Block("resource", ("aws_vpc_endpoint", "s3"), [
                ("vpc_id", Expr("var.vpc_id")),
                ("service_name", Template(("com.amazonaws.", Expr("var.region"), ".s3"))),
                ("vpc_endpoint_type", "Gateway"), ("route_table_ids", Expr("var.route_table_ids")),
                ("tags", ctx.tags())]))
            design.decide("an S3 gateway endpoint for the writers' VPC",
                          "minimise egress: backup traffic reaches S3 without the NAT gateway's "
                          "per-GB charge; gateway endpoints are free", "intent")
        return design
