import pytest

USAGE = {"monthly_efs_warm_backup_gb": 1_000, "monthly_efs_cold_backup_gb": 2_000,
         "monthly_efs_item_restore_requests": 10, "monthly_ebs_snapshot_gb": 500,
         "monthly_rds_snapshot_gb": 100, "monthly_dynamodb_backup_gb": 50,
         "monthly_dynamodb_restore_gb": 5, "monthly_aurora_snapshot_gb": 200}


def test_vault_prices_each_services_backups_and_restores(resource, priced):
    vault = resource("aws_backup_vault.main", "aws_backup_vault", {"name": "main"},
                     region="us-west-1")
    cost = priced(vault, USAGE)
    expected = (1_000 * 0.06 + 2_000 * 0.012  # EFS warm and cold backup GB-months
                + 10 * 0.60  # EFS item-level restores
                + 500 * 0.055 + 100 * 0.095  # EBS and RDS snapshots
                + 50 * 0.112 + 5 * 0.168  # DynamoDB backup and restore
                + 200 * 0.024)  # Aurora snapshots
    assert cost.monthly_cost == pytest.approx(expected)


def test_a_vault_without_usage_shows_every_unit_price(resource, priced, lines):
    cost = priced(resource("aws_backup_vault.main", "aws_backup_vault", {}))
    by = lines(cost)
    assert len(by) == 12 and cost.monthly_cost == 0
    assert by["EBS snapshots"].unit_price == 0.05 and by["EBS snapshots"].monthly_cost is None


def test_cloudformation_vault_is_priced_through_its_kind(resource, priced):
    template = resource("cfn:backup.yaml#Vault", "AWS::Backup::BackupVault",
                        {"BackupVaultName": "main"})
    cost = priced(template, {"monthly_ebs_snapshot_gb": 1_000})
    assert cost.monthly_cost == pytest.approx(1_000 * 0.05)


def test_a_region_without_backup_prices_is_unpriced_naming_it(resource, estimate_of):
    vault = resource("aws_backup_vault.main", "aws_backup_vault", {}, region="eu-west-1")
    assert "no aws backup price in eu-west-1" in estimate_of([vault]).unpriced[0].reason
