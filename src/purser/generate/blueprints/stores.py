"""Where a serverless job keeps or reads its data, for the blueprints whose function writes
somewhere: a private bucket it may only put objects in, and an on-demand DynamoDB table it
may only read (the source of an export) or read and write items in. Each returns the IAM
statement scoped to exactly that resource and the environment variable naming it."""

from __future__ import annotations

from purser.generate.blueprints import serverless, storage
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Template, Value, ref

BUCKET = "results"
TABLE = "table"
KEPT_DAYS = 365  # objects expire after a year (noncurrent versions after 30 days)
DEFAULT_TABLE_GB = 1.0  # assumed when the intent states no storage
SCAN_KB_PER_READ_UNIT = 8  # one on-demand read unit: 4 KB strongly or 8 KB eventually consistent
TABLE_READS = ["dynamodb:DescribeTable", "dynamodb:Scan"]
TABLE_READS_AND_WRITES = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                          "dynamodb:UpdateItem"]

Grant = tuple[dict[str, Value], dict[str, Value]]  # (IAM statement, environment)



# Point-in-time recovery is the generated table's backup: no on-demand backups or restores
# are planned, and the usage file says so rather than leaving their price unknown.
NO_ON_DEMAND_BACKUPS = {"on_demand_backup_storage_gb": 0, "monthly_data_restored_gb": 0}

def bucket(design: Design, ctx: Context, *, puts: int, monthly_gb: float, origin: str
           ) -> Grant:
    """`aws_s3_bucket.results` (private, encrypted, versioned, public access blocked, kept
    KEPT_DAYS) receiving `monthly_gb` a month (`origin` says where that figure comes from);
    the function may only put objects in it."""
    held = monthly_gb * KEPT_DAYS / 30.4
    storage.private_bucket(design, ctx, BUCKET, standard_gb=held, puts=puts, gets=0,
                           expire_days=KEPT_DAYS)
    design.decide(f"results in a private bucket, kept {KEPT_DAYS} days: {held:,.2f} GB held",
                  f"{monthly_gb:,.3g} GB written a month ({origin}) in {puts:,} objects; "
                  "the function "
                  "may only s3:PutObject into this bucket (SSE with the AWS-managed S3 key "
                  "needs no KMS grant)", "assumed")
    arn = Expr(f"aws_s3_bucket.{BUCKET}.arn")
    return (serverless.statement(["s3:PutObject"], Template((arn, "/*"))),
            {"RESULTS_BUCKET": ref(f"aws_s3_bucket.{BUCKET}.bucket")})


def table_block(ctx: Context, label: str) -> Block:
    """An on-demand table keyed pk/sk with point-in-time recovery and encryption, protected
    from deletion in prod."""
    return Block("resource", ("aws_dynamodb_table", label), [
        ("name", ctx.name(label)), ("billing_mode", "PAY_PER_REQUEST"),
        ("hash_key", "pk"), ("range_key", "sk"),
        Block("attribute", (), [("name", "pk"), ("type", "S")]),
        Block("attribute", (), [("name", "sk"), ("type", "S")]),
        Block("point_in_time_recovery", (), [("enabled", True)]),
        Block("server_side_encryption", (), [("enabled", True)]),
        ("deletion_protection_enabled", ctx.spec.env == "prod"),
        ("tags", ctx.classification())])


def table(design: Design, ctx: Context, *, scans: int, writes: int, read_only: bool) -> Grant:
    """`aws_dynamodb_table.table` (on demand, point-in-time recovery, encrypted). Read only:
    the function may describe and scan it `scans` times a month (an export); otherwise it
    may get, query, put and update items (`writes` a month), never delete or scan."""
    spec = ctx.spec
    stored = spec.traffic.storage_gb or DEFAULT_TABLE_GB
    design.add(table_block(ctx, TABLE))
    reads = round(scans * stored * 1024 * 1024 / SCAN_KB_PER_READ_UNIT)
    design.usage[f"aws_dynamodb_table.{TABLE}"] = {
        "monthly_read_request_units": reads, "monthly_write_request_units": writes,
        "storage_gb": round(stored, 3), "pitr_backup_storage_gb": round(stored, 3),
        **NO_ON_DEMAND_BACKUPS}
    actions = TABLE_READS if read_only else TABLE_READS_AND_WRITES
    design.decide(
        f"a table on demand with point-in-time recovery; the function may {', '.join(actions)}",
        (f"{scans:,} full scans a month of {stored:,.3g} GB ({reads:,} read units, eventually "
         "consistent)" if read_only else f"{writes:,} item writes a month") +
        "; to use an existing table instead, import it into this resource", "assumed")
    return (serverless.statement(actions, ref(f"aws_dynamodb_table.{TABLE}.arn")),
            {"TABLE_NAME": ref(f"aws_dynamodb_table.{TABLE}.name")})
