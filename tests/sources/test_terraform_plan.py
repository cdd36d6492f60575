"""Terraform plan JSON → Resources with the same shapes as the HCL reader."""

import json
from pathlib import Path

import pytest

from purser.config import Config
from purser.sources import LoadContext, Loaded, RepoFile
from purser.sources.terraform_plan import TerraformPlanFormat

PLAN = Path(__file__).parent / "fixtures" / "tfplan" / "plan.json"


def repo_file(path: Path, rel: str = "plan.json") -> RepoFile:
    return RepoFile(path, rel, path.read_bytes())


def load(*files: RepoFile) -> Loaded:
    context = LoadContext(root=Path("."), config=Config())
    return TerraformPlanFormat().load(list(files), context)


def test_managed_resources_of_root_and_nested_child_modules_are_read():
    loaded = load(repo_file(PLAN))
    assert loaded.errors == []
    assert [r.address for r in loaded.resources] == [
        "aws_lambda_function.api",
        "module.net.aws_subnet.private[0]",
        "module.net.module.flow.aws_flow_log.this",
    ]


def test_values_tags_region_and_format_follow_the_ir():
    api = load(repo_file(PLAN)).resources[0]
    assert api.type == "aws_lambda_function" and api.name == "api" and api.provider == "aws"
    assert api.format == "terraform_plan"
    assert api.get("environment.variables.STAGE") == "prod"
    assert api.attrs["memory_size"] == 512
    assert api.tags == {"team": "payments", "managed-by": "purser"}
    assert api.region == "eu-west-1"


def test_after_unknown_paths_are_listed_as_unknown():
    api = load(repo_file(PLAN)).resources[0]
    assert api.unknown == ["arn", "vpc_config.vpc_id"]
    assert api.is_unknown("vpc_config.vpc_id") and not api.missing("vpc_config.vpc_id")


def test_source_line_is_where_the_address_is_written():
    lines = PLAN.read_text().splitlines()
    for resource in load(repo_file(PLAN)).resources:
        assert f'"address": "{resource.address}"' in lines[resource.source.line - 1]
        assert resource.source.file == "plan.json"


def test_claims_only_json_that_looks_like_a_plan(tmp_path: Path):
    other = tmp_path / "package.json"
    other.write_text('{"name": "x"}')
    reader = TerraformPlanFormat()
    assert reader.claims(repo_file(PLAN))
    assert not reader.claims(repo_file(other, "package.json"))


def test_malformed_plan_is_one_error_with_the_json_line(tmp_path: Path):
    broken = tmp_path / "plan.json"
    broken.write_text('{\n  "terraform_version": "1.7.5",\n  "planned_values": {,\n}\n')
    loaded = load(repo_file(broken), repo_file(PLAN, "good/plan.json"))
    assert [(e.file, e.line) for e in loaded.errors] == [("plan.json", 3)]
    assert "invalid JSON" in loaded.errors[0].message
    assert len(loaded.resources) == 3


def test_a_json_array_is_reported_not_raised(tmp_path: Path):
    odd = tmp_path / "plan.json"
    odd.write_text('["terraform_version"]')
    loaded = load(repo_file(odd))
    assert loaded.resources == [] and len(loaded.errors) == 1


# -- hostile plans --------------------------------------------------------------------------

def plan_file(tmp_path: Path, text: str) -> RepoFile:
    path = tmp_path / "plan.json"
    path.write_text(text)
    return repo_file(path)


HEAD = '{\n  "terraform_version": "1.7.5",\n  "planned_values": '


def test_a_plan_nested_ten_thousand_levels_deep_is_one_error_with_its_line(tmp_path: Path):
    deep = plan_file(tmp_path, HEAD + "[" * 10_000 + "]" * 10_000 + "\n}\n")
    loaded = load(deep, repo_file(PLAN, "good/plan.json"))
    assert [str(e) for e in loaded.errors] == [
        "plan.json:3: values nested more than 100 levels deep"]
    assert len(loaded.resources) == 3


@pytest.mark.parametrize(("body", "line", "message"), [
    ('{\n  "x": ' + "9" * 5000 + "\n}", 4, "number too long: 5,000 characters (at most 100)"),
    ('{\n  "root_module": {},\n  "root_module": {}\n}', 5,
     "duplicate key 'root_module' (first written on line 4)"),
])
def test_hostile_values_are_the_plans_error_with_a_line(tmp_path: Path, body: str, line: int,
                                                        message: str):
    assert [(e.line, e.message) for e in load(plan_file(tmp_path, HEAD + body + "\n}")).errors
            ] == [(line, message)]


def test_lone_surrogates_in_a_plan_become_the_replacement_character(tmp_path: Path):
    plan = {"terraform_version": "1.7.5", "planned_values": {"root_module": {"resources": [
        {"address": "aws_sqs_queue.q\udfff", "type": "aws_sqs_queue", "name": "q\udfff",
         "values": {"name": "q\ud800", "tags": {"k": "\udc00"}}}]}}}
    text = json.dumps(plan, indent=2)
    assert "\\udfff" in text
    [resource] = load(plan_file(tmp_path, text)).resources
    assert resource.address == "aws_sqs_queue.q\ufffd" and resource.source.line == 7
    assert (resource.attrs["name"], resource.tags) == ("q\ufffd", {"k": "\ufffd"})
