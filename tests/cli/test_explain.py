"""`purser explain` through the real CLI: values, the places they came from, JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app

runner = CliRunner()
ADDRESS = "module.lambda.aws_lambda_function.this"  # one root: not qualified


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {
        "purser.yaml": "project: demo\n",
        "apps/a/main.tf": 'module "lambda" {\n  source = "../../modules/fn"\n'
                          '  memory = var.memory\n}\n',
        "apps/a/variables.tf": 'variable "memory" {\n  default = 512\n}\n',
        "apps/a/terraform.tfvars": "memory = 3008\n",
        "modules/fn/main.tf": ('variable "memory" {}\n'
                               'resource "aws_lambda_function" "this" {\n'
                               '  memory_size = var.memory\n  runtime     = "python3.12"\n}\n'),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_one_attribute_shows_its_value_and_the_chain_through_the_module_input_to_tfvars(
        repo: Path) -> None:
    result = runner.invoke(app, ["explain", ADDRESS, "memory_size", "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "memory_size = 3008",
        "  written at modules/fn/main.tf:3: var.memory",
        "  ← module input memory at apps/a/main.tf:3: var.memory",
        "  ← tfvars memory at apps/a/terraform.tfvars:1: 3008",
    ]


def test_the_listing_names_where_each_attribute_is_written(repo: Path) -> None:
    result = runner.invoke(app, ["explain", ADDRESS, "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  memory_size = 3008  modules/fn/main.tf:3" in lines
    assert ("      ← module input memory at apps/a/main.tf:3 ← tfvars memory at "
            "apps/a/terraform.tfvars:1") in lines
    assert '  runtime = "python3.12"  modules/fn/main.tf:4' in lines


def test_json_has_the_documented_shape(repo: Path) -> None:
    result = runner.invoke(app, ["explain", ADDRESS, "memory_size", "--repo", str(repo),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    explanation = json.loads(result.stdout)
    assert set(explanation) == {"address", "type", "format", "source", "attributes"}
    assert explanation["address"] == ADDRESS
    [attribute] = explanation["attributes"]
    assert set(attribute) == {"path", "value", "known", "span", "text", "origin"}
    assert (attribute["path"], attribute["value"], attribute["known"]) == (
        "memory_size", 3008, True)
    assert set(attribute["span"]) == {"file", "line", "end_line", "start", "end"}
    origin = attribute["origin"]
    assert set(origin) == {"kind", "name", "span", "text", "via"}
    assert (origin["kind"], origin["name"], origin["text"]) == ("module input", "memory",
                                                                 "var.memory")
    [tfvars] = origin["via"]
    assert (tfvars["kind"], tfvars["span"]["file"], tfvars["text"], tfvars["via"]) == (
        "tfvars", "apps/a/terraform.tfvars", "3008", [])
    data = (repo / tfvars["span"]["file"]).read_bytes()
    assert data[tfvars["span"]["start"]:tfvars["span"]["end"]] == b"3008"


def test_an_unknown_address_exits_2_naming_the_closest(repo: Path) -> None:
    result = runner.invoke(app, ["explain", "aws_lambda_function.thi", "--repo", str(repo)])
    assert result.exit_code == 2
    assert "no resource 'aws_lambda_function.thi'; closest: " in result.output
    assert "aws_lambda_function.this" in result.output


def test_an_unknown_attribute_exits_2_naming_the_closest(repo: Path) -> None:
    result = runner.invoke(app, ["explain", ADDRESS, "memory_sise", "--repo",
                                 str(repo)])
    assert result.exit_code == 2
    assert "has no attribute 'memory_sise'; closest: memory_size" in result.output


def test_a_for_each_value_is_followed_to_the_element_written_in_the_shop_example() -> None:
    shop = Path(__file__).parents[2] / "examples" / "shop"
    result = runner.invoke(app, ["explain", 'aws_lambda_function.fn["reports"]', "memory_size",
                                 "--repo", str(shop)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "memory_size = 3008",
        "  written at terraform/lambda.tf:34: each.value.memory_size",
        '  ← for_each element "reports" at terraform/lambda.tf:14: 3008',
        "  ← local value functions at terraform/lambda.tf:3: {",
    ]
    as_json = runner.invoke(app, ["explain", 'aws_lambda_function.fn["reports"]', "memory_size",
                                  "--repo", str(shop), "--format", "json"])
    origin = json.loads(as_json.stdout)["attributes"][0]["origin"]
    assert (origin["kind"], origin["text"]) == ("for_each element", "3008")  # the bytes to edit
