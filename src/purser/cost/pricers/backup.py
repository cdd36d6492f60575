"""AWS Backup vaults: backup storage and restores, by the service backed up.

Every component is usage (Infracost's keys, e.g. `monthly_efs_warm_backup_gb`,
`monthly_ebs_snapshot_gb`, `monthly_efs_item_restore_requests`): a vault without usage shows
each unit price and costs nothing known.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext

# Catalog meter → (Infracost usage key, component).
COMPONENTS: dict[str, tuple[str, str]] = {
    "efs_warm_backup": ("monthly_efs_warm_backup_gb", "EFS backup (warm)"),
    "efs_cold_backup": ("monthly_efs_cold_backup_gb", "EFS backup (cold)"),
    "efs_warm_restore": ("monthly_efs_warm_restore_gb", "EFS restore (warm)"),
    "efs_cold_restore": ("monthly_efs_cold_restore_gb", "EFS restore (cold)"),
    "efs_item_restore": ("monthly_efs_item_restore_requests", "EFS item-level restores"),
    "ebs_snapshot": ("monthly_ebs_snapshot_gb", "EBS snapshots"),
    "rds_snapshot": ("monthly_rds_snapshot_gb", "RDS snapshots"),
    "dynamodb_backup": ("monthly_dynamodb_backup_gb", "DynamoDB backup"),
    "dynamodb_restore": ("monthly_dynamodb_restore_gb", "DynamoDB restore"),
    "aurora_snapshot": ("monthly_aurora_snapshot_gb", "Aurora snapshots"),
    "fsx_windows_backup": ("monthly_fsx_windows_backup_gb", "FSx for Windows backup"),
    "fsx_lustre_backup": ("monthly_fsx_lustre_backup_gb", "FSx for Lustre backup"),
}


@prices(*kinds.types("aws.backup.vault"))
def vault(ctx: PricingContext) -> None:
    for meter, (key, component) in COMPONENTS.items():
        ctx.add(component, ctx.prices("backup", meter=meter), ctx.used(key))
