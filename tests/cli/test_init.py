"""`purser init`: a starter purser.yaml read from the repository, valid, never clobbering."""

from pathlib import Path

from typer.testing import CliRunner

from purser.cli import app
from purser.config import load_config

runner = CliRunner()

LAMBDA = """
provider "aws" {
  region = "eu-west-1"
}
resource "aws_sqs_queue" "%s" {
  name = "%s"
  tags = { team = "payments", env = "prod", git_org = "acme" }
}
"""


def repository(root: Path) -> Path:
    for folder, name in (("payments", "a"), ("payments", "b"), ("orders", "c")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{name}.tf").write_text(LAMBDA % (name, name))
    (root / "charts" / "web").mkdir(parents=True)
    (root / "charts" / "web" / "Chart.yaml").write_text("name: web\n")
    return root


def test_init_writes_applications_region_and_the_tags_people_use(tmp_path: Path):
    root = repository(tmp_path / "Shop Infra")
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output
    config = load_config(root)
    assert config.project == "shop-infra"
    assert config.defaults.region == "eu-west-1"
    assert config.defaults.required_tags == ["env", "team"]  # git_org is a tool's tag
    assert [(a.name, a.path) for a in config.applications] == [
        ("orders", "orders"), ("payments", "payments")]
    assert "# Helm chart: charts/web" in (root / "purser.yaml").read_text()


def test_init_never_overwrites_without_force(tmp_path: Path):
    root = repository(tmp_path / "repo")
    (root / "purser.yaml").write_text("project: mine\n")
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 2 and "--force" in result.output
    assert (root / "purser.yaml").read_text() == "project: mine\n"
    assert runner.invoke(app, ["init", str(root), "--force"]).exit_code == 0
    assert load_config(root).project == "repo"


def test_init_replaces_a_symlinked_purser_yaml_instead_of_writing_through_it(tmp_path: Path):
    root = repository(tmp_path / "repo")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (root / "purser.yaml").symlink_to(victim)
    assert runner.invoke(app, ["init", str(root), "--force"]).exit_code == 0
    assert victim.read_text() == "keep me\n"
    assert not (root / "purser.yaml").is_symlink()


def test_init_on_an_empty_repository_proposes_defaults(tmp_path: Path):
    result = runner.invoke(app, ["init", str(tmp_path), "--stdout"])
    assert result.exit_code == 0
    assert "applications: []  # no infrastructure found yet" in result.stdout
    assert "region: us-east-1  # no region found" in result.stdout
