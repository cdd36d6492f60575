"""Where a generated application lands, and what the branch tells a later `purser check`.

Into a copy of examples/shop (one Terraform root, terraform/): no existing address changes,
the new resources are `module.<app>.…`, purser.yaml and the shop's usage file gain the
application and its traffic with every other line kept. Into an empty repository: a root
of its own, and `purser check --rev purser/gen-<app>` prices the application at the
generator's estimate and holds it to the intent's budget.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.config import Application, Budget, Config, load_config
from purser.gate import run_check
from purser.generate import Generation, GenerationRefused, generate, parse_intent
from purser.generate.layout import application_parent
from purser.git import GitTree, commit_work_tree, load_revision, read_file

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
SHOP_INTENT = "queue worker for refunds with a DLQ, 2M messages a month, at most $25 a month"
EMPTY_INTENT = "HTTP API for signups in Ireland, 300k requests a month, at most $30 a month"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generation]:
    repo = tmp_path_factory.mktemp("landing") / "shop"
    shutil.copytree(SHOP, repo)
    commit_work_tree(repo, "shop")
    return repo, generate(SHOP_INTENT, repo=repo, read=parse_intent)


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generation]:
    repo = tmp_path_factory.mktemp("landing-empty")
    (repo / "README.md").write_text("infrastructure\n")
    commit_work_tree(repo, "start")
    return repo, generate(EMPTY_INTENT, repo=repo, read=parse_intent)


def _addresses(repo: Path, rev: str) -> set[str]:
    return {r.address for r in load_revision(repo, rev, load_config(GitTree.at(repo, rev)))
            .resources}


def test_generating_into_the_shop_renames_no_existing_resource(
        shop: tuple[Path, Generation]) -> None:
    repo, result = shop
    assert result.accepted and result.branch == "purser/gen-refunds", result.problems
    before, after = _addresses(repo, "HEAD"), _addresses(repo, result.branch)
    assert before and before <= after
    added = after - before
    assert added == set(result.addresses)
    assert all(a.startswith("module.refunds.") for a in added)
    assert "module.refunds.aws_lambda_function.fn" in added
    assert not any("//" in a for a in after)


def test_the_shop_files_gain_the_application_and_its_traffic_and_keep_every_line(
        shop: tuple[Path, Generation]) -> None:
    repo, result = shop
    assert result.branch
    for name in ("purser.yaml", "usage.yml"):
        old = (repo / name).read_text().splitlines()
        new = (read_file(repo, result.branch, name) or b"").decode().splitlines()
        kinds = {op for op, *_ in difflib.SequenceMatcher(a=old, b=new).get_opcodes()}
        assert kinds == {"equal", "insert"}, name  # only added lines: comments and all kept
    config = load_config(GitTree.at(repo, result.branch))
    entry = config.application("refunds")
    assert entry.path == "terraform/modules/refunds" and entry.environment == "prod"
    assert entry.budget == Budget(monthly_usd=25) and entry.usage == "usage.yml"
    assert [a.name for a in config.applications][:-1] == [
        a.name for a in load_config(repo).applications]


def test_check_of_the_shop_branch_prices_the_module_as_the_generator_did(
        shop: tuple[Path, Generation]) -> None:
    repo, result = shop
    assert result.branch
    report = run_check(GitTree.at(repo, result.branch))
    assert report.cost is not None
    ours = [c for c in report.cost.resources if c.address.startswith("module.refunds.")]
    assert {c.address for c in ours} == set(result.addresses) - set(report.cost.free)
    assert sum(c.monthly_cost for c in ours) == pytest.approx(result.fit.priced.total)
    assert all(line.usage_origin == "usage file" for c in ours for line in c.components
               if line.monthly_quantity is not None)
    # The module lies in an application nested in the calling root's: it is its own
    # application, so the new budget measures exactly the new resources.
    assert {c.application for c in ours} == {"refunds"}
    assert report.cost.totals["application"]["refunds"] == pytest.approx(result.fit.priced.total)
    assert not any(d.choice.startswith("cost counted under application")
                   for d in result.decisions)


def test_check_of_a_generated_branch_shows_the_application_its_estimate_and_its_budget(
        empty: tuple[Path, Generation]) -> None:
    repo, result = empty
    assert result.accepted and result.branch == "purser/gen-signups", result.problems
    assert "purser.yaml" in result.files and not (repo / "purser.yaml").exists()
    checked = CliRunner().invoke(app, ["check", "--repo", str(repo), "--rev", result.branch,
                                       "--format", "json"])
    assert checked.exit_code == 0, checked.output
    cost = json.loads(checked.output)["cost"]
    assert cost["totals"]["application"] == {"signups": pytest.approx(result.fit.priced.total)}
    config = load_config(GitTree.at(repo, result.branch))
    assert config.application("signups").budget == Budget(monthly_usd=30)
    # The budget is enforced: the same branch against a smaller budget is over it.
    tight = config.model_copy(deep=True)
    tight.application("signups").budget = Budget(monthly_usd=result.fit.priced.total / 2)
    over = [f for f in run_check(GitTree.at(repo, result.branch), tight).findings
            if f.rule_id == "PUR-BUD-001"]
    assert [f.resource for f in over] == ["application:signups"]


def test_a_region_other_than_the_roots_gets_an_aliased_provider(
        shop: tuple[Path, Generation]) -> None:
    repo, _ = shop
    result = generate("HTTP API for search in Frankfurt, 1M requests a month, at most $40 a "
                      "month", repo=repo, read=parse_intent, dry_run=True)
    assert result.accepted, result.problems
    call = result.files["terraform/search.tf"]
    assert 'alias  = "search"' in call and 'region = "eu-central-1"' in call
    assert "aws = aws.search" in call
    regions = {line.price.region for c in result.fit.priced.estimate.resources
               for line in c.components}
    assert regions == {"eu-central-1"}


def test_a_root_that_is_not_one_is_refused(shop: tuple[Path, Generation]) -> None:
    repo, _ = shop
    result = CliRunner().invoke(app, ["generate", "queue worker for audits", "--repo", str(repo),
                                      "--root", "k8s", "--dry-run"])
    assert result.exit_code == 2
    assert "not a Terraform root" in result.output and "terraform" in result.output


def test_a_module_folder_or_name_the_root_already_has_is_refused(
        shop: tuple[Path, Generation]) -> None:
    repo, _ = shop
    with pytest.raises(GenerationRefused, match="already holds files"):
        generate("queue worker", repo=repo, read=parse_intent, app="network", dry_run=True)
    with pytest.raises(GenerationRefused, match="a module called network"):
        generate("queue worker", repo=repo, read=parse_intent, app="network",
                 folder="shared/network", dry_run=True)


def test_a_new_root_goes_where_purser_yaml_keeps_its_applications() -> None:
    config = Config(applications=[Application(name="a", path="services/a"),
                                  Application(name="b", path="services/b"),
                                  Application(name="c", path="k8s")])
    assert application_parent(config) == "services"
    assert application_parent(Config()) == "apps"


def test_a_module_library_with_only_example_roots_gets_a_root_of_its_own(
        tmp_path: Path) -> None:
    """A repository like terraform-aws-modules': the module at the top, its roots under
    examples/. A new application is not called from an example."""
    repo = tmp_path / "library"
    (repo / "examples" / "complete").mkdir(parents=True)
    (repo / "main.tf").write_text('variable "name" {}\n'
                                  'resource "aws_sqs_queue" "this" { name = var.name }\n')
    (repo / "examples" / "complete" / "main.tf").write_text(
        'provider "aws" { region = "eu-west-1" }\n'
        'module "q" {\n  source = "../../"\n  name = "demo"\n}\n')
    commit_work_tree(repo, "library")
    result = generate("queue worker for refunds, 1M messages a month, at most $20 a month",
                      repo=repo, read=parse_intent, dry_run=True)
    assert result.accepted, result.problems
    assert all(f.startswith("apps/refunds/") or f == "purser.yaml" for f in result.files), \
        result.files
    assert not any(a.startswith("module.") for a in result.addresses)
