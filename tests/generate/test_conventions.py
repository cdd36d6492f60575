"""Generated code follows the repository it lands in: examples/shop's tag keys, values
and naming pattern; an empty repository gets the documented defaults."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from purser.generate import Generation, generate, parse_intent
from purser.generate.conventions import DEFAULT_AWS_PROVIDER
from purser.git import commit_work_tree

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
INTENT = "queue worker for refunds processing 500k messages a month"


@pytest.fixture(scope="module")
def in_shop(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    repo = tmp_path_factory.mktemp("conventions") / "shop"
    shutil.copytree(SHOP, repo)
    commit_work_tree(repo, "shop")
    return generate(INTENT, repo=repo, read=parse_intent, dry_run=True)


@pytest.fixture(scope="module")
def in_empty(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    repo = tmp_path_factory.mktemp("conventions-empty")
    commit_work_tree(repo, "empty")
    return generate(INTENT, repo=repo, read=parse_intent, dry_run=True)


def _file(result: Generation, name: str) -> str:
    return next(text for path, text in result.files.items() if path.endswith(name))


def test_generating_into_the_shop_uses_its_tag_keys_values_and_names(in_shop: Generation
                                                                     ) -> None:
    main = _file(in_shop, "main.tf")
    assert 'name = "shop-${var.env}-refunds"' in main
    for line in ('project     = "shop"', "cost-center = var.cost_center",
                 'managed-by  = "purser"'):
        assert line in main
    assert 'default     = "cc-1042"' in _file(in_shop, "variables.tf")
    assert 'version = "~> 5.40"' in _file(in_shop, "versions.tf")
    assert "memory_size                    = 256" in main  # the shop's usual Lambda memory
    sources = {d.choice.split(" ")[0]: d.source for d in in_shop.decisions}
    assert sources["names"] == "convention" and sources["team"] == "convention"
    assert in_shop.spec.team == "payments"


def test_generated_code_in_the_shop_is_a_module_of_its_root_priced_in_its_usage_file(
        in_shop: Generation) -> None:
    assert in_shop.accepted, in_shop.problems
    # The shop already has a Terraform root (terraform/): the application is a module in the
    # shop's module folder, called from one new file of that root, with no provider of its own.
    assert {"terraform/refunds.tf", "terraform/modules/refunds/main.tf"} <= set(in_shop.files)
    assert not [p for p in in_shop.files if p.endswith("providers.tf")]
    assert 'source      = "./modules/refunds"' in _file(in_shop, "terraform/refunds.tf")
    # Its traffic goes into the shop's own usage file, under the module's addresses.
    assert "  module.refunds.aws_lambda_function.fn:\n" in in_shop.files["usage.yml"]
    assert in_shop.fit.priced.total > 0


def test_generating_into_an_empty_repository_uses_the_defaults(in_empty: Generation) -> None:
    main = _file(in_empty, "main.tf")
    assert 'name = "refunds-${var.env}"' in main
    assert 'version = "' + DEFAULT_AWS_PROVIDER + '"' in _file(in_empty, "versions.tf")
    assert "memory_size                    = 512" in main
    assert 'default     = "unassigned"' in _file(in_empty, "variables.tf")
    assert in_empty.accepted, in_empty.problems
    assert all(d.source != "convention" for d in in_empty.decisions)
