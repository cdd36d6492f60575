"""Conventions come from what the repository deploys: resources and Terraform files under
example, test and fixture folders are learned from only when there is nothing else, and
then the decisions say so."""

from __future__ import annotations

from pathlib import Path

from purser.config import Config
from purser.generate import generate, parse_intent
from purser.generate.conventions import learn
from purser.git import commit_work_tree

VERSIONS = ('terraform {{\n  required_version = ">= 1.5"\n  required_providers {{\n'
            '    aws = {{ source = "hashicorp/aws", version = "{version}" }}\n  }}\n}}\n')


def _queue(name: str, team: str) -> str:
    return (f'resource "aws_sqs_queue" "{name.replace("-", "_")}" {{\n  name = "{name}"\n'
            f'  tags = {{ team = "{team}", env = "prod" }}\n}}\n')


def _write(repo: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)


FIXTURE = "tests/sources/fixtures/terraform/modules_repo"


def _with_fixtures(repo: Path) -> Path:
    _write(repo, {
        "infra/main.tf": 'provider "aws" { region = "us-east-1" }\n' + VERSIONS.format(
            version="~> 5.60") + 'module "net" { source = "./modules/net" }\n'
            + _queue("acme-prod-orders", "payments") + _queue("acme-prod-refunds", "payments"),
        "infra/modules/net/main.tf": _queue("acme-prod-events", "payments"),
        f"{FIXTURE}/main.tf": 'provider "aws" { region = "us-east-1" }\n' + VERSIONS.format(
            version="~> 4.0") + "".join(f'module "m{i}" {{ source = "./modules/m{i}" }}\n'
                                        for i in range(4)),
        **{f"{FIXTURE}/modules/m{i}/main.tf": _queue(f"fixture-test-q{i}", "fixtures")
           for i in range(4)}})
    commit_work_tree(repo, "infra and fixtures")
    return repo


def test_fixtures_are_not_learned_from_when_the_repository_deploys_something(
        tmp_path: Path) -> None:
    conventions = learn(_with_fixtures(tmp_path), Config())
    assert conventions.module_parent == "infra/modules"
    assert conventions.aws_provider_version == "~> 5.60"
    assert conventions.name_prefix == "acme-{env}"
    assert conventions.tag_values["team"] == "payments"
    assert not conventions.examples_only


def test_generating_beside_fixtures_lands_in_the_deployed_module_folder(
        tmp_path: Path) -> None:
    result = generate("queue worker for refunds processing 500k messages a month, $30 a month",
                      repo=_with_fixtures(tmp_path), read=parse_intent, app="payouts",
                      dry_run=True)
    assert result.folder == "infra/modules/payouts", result.folder
    assert result.layout is not None and result.layout.root == "infra"
    assert result.spec.team == "payments"
    assert not any("examples, tests and fixtures" in d.choice for d in result.decisions)
    assert result.accepted, result.problems


def test_a_repository_of_examples_only_is_learned_from_and_the_decisions_say_so(
        tmp_path: Path) -> None:
    _write(tmp_path, {"examples/basic/main.tf": VERSIONS.format(version="~> 5.10")
                      + _queue("demo-prod-a", "demo") + _queue("demo-prod-b", "demo")})
    commit_work_tree(tmp_path, "examples")
    conventions = learn(tmp_path, Config())
    assert conventions.examples_only == ["resources", "Terraform files"]
    assert conventions.aws_provider_version == "~> 5.10"
    assert conventions.says("tags").endswith("(only examples, tests and fixtures to learn from)")
    result = generate("queue worker for refunds, $30 a month", repo=tmp_path,
                      read=parse_intent, dry_run=True)
    said = [d for d in result.decisions
            if d.choice == "conventions learned from examples, tests and fixtures only"]
    assert len(said) == 1 and "resources and no Terraform files" in said[0].reason
    # The new root is one of two: its usage is written under its folder-qualified addresses.
    assert result.fit.priced.total > 0 and result.fit.fits, result.fit.explanation
