"""A root module's evaluation is remembered by content; each load gets resources of its own."""

from pathlib import Path

import pytest

from purser.config import Config
from purser.sources import cache, load_repository
from purser.sources import terraform as terraform_source

MAIN = 'module "q" {\n  source = "./modules/q"\n  name = var.name\n}\n' \
       'variable "name" {\n  default = "orders"\n}\n'
MODULE = 'variable "name" {}\nresource "aws_sqs_queue" "q" {\n  name = "${var.name}-%s"\n' \
         '  tags = { team = "a" }\n}\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    cache.clear_memory()
    (tmp_path / "modules" / "q").mkdir(parents=True)
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / "modules" / "q" / "main.tf").write_text(MODULE % "v1")
    return tmp_path


@pytest.fixture
def evaluations(monkeypatch) -> list[str]:
    calls: list[str] = []
    original = terraform_source._Project._evaluate_root

    def counted(self, source, *identity):
        calls.append(source.directory)
        return original(self, source, *identity)

    monkeypatch.setattr(terraform_source._Project, "_evaluate_root", counted)
    return calls


def _names(root: Path, **variables: str) -> list[str]:
    loaded = load_repository(root, Config(), variables=variables)
    return [r.attrs["name"] for r in loaded.resources]


def test_unchanged_files_are_evaluated_once(repo: Path, evaluations: list[str]):
    assert _names(repo) == ["orders-v1"]
    assert _names(repo) == ["orders-v1"]
    assert evaluations == ["."]


def test_a_changed_module_file_or_variable_is_evaluated_again(repo: Path,
                                                              evaluations: list[str]):
    assert _names(repo) == ["orders-v1"]
    (repo / "modules" / "q" / "main.tf").write_text(MODULE % "v2")
    assert _names(repo) == ["orders-v2"]
    assert _names(repo, name="billing") == ["billing-v2"]
    assert evaluations == [".", ".", "."]


def test_a_field_set_on_a_remembered_resource_does_not_reach_the_next_load(repo: Path):
    first = load_repository(repo, Config()).resources[0]
    first.attrs = {"tags": {"team": "changed"}}
    first.region = "eu-west-3"
    second = load_repository(repo, Config()).resources[0]
    assert second.attrs["tags"]["team"] == "a"
    assert second.region != "eu-west-3"
