from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app


def test_demo_walks_the_loop_on_the_example(tmp_path: Path):
    result = CliRunner().invoke(app, ["demo", "--workdir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for section in ("1. The gate on main", "what main costs per month",
                    "2. A pull request raises a Lambda's memory", "Monthly cost estimate",
                    "PUR-BUD-002", "purser explain",
                    "← tfvars team at terraform/terraform.tfvars:2",
                    "3. GitOps: sync notifications", "sync succeeded: 6 applied (6 create)",
                    "sync succeeded: 0 applied (6 no-op)",
                    "drift  cfn:shop-notifications#NotifyFunction  memory_size: live 1024, "
                    "git 256", "healed: sync succeeded: 1 applied", "ledger intact: 6 entries",
                    "5. The bill comes back", "Spend by team: sum of EffectiveCost",
                    "6. Forecast per application", "payments-api within its $400 budget",
                    "7. Cost anomalies", "resource:aws_dynamodb_table.carts",
                    "raised memory_size from 512 to 3008",
                    "8. Intent to infrastructure code", "gate findings: none at or above high",
                    "branch purser/gen-refunds"):
        assert section in result.output
    comment = (tmp_path / "pull-request-comment.md").read_text()
    assert "PUR-SEC" in comment
    assert (tmp_path / "shop" / ".git").is_dir()
