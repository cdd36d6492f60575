"""Spans and origins: where each attribute is written and where its value came from."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from purser.config import Config
from purser.model import Resource
from purser.provenance import OriginKind, Span
from purser.sources import cache, kubernetes, load_repository
from purser.sources.hcl import parse as hcl_parse


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def load(root: Path, *, variables: dict[str, str] | None = None,
         cache_dir: Path | None = None) -> dict[str, Resource]:
    loaded = load_repository(root, Config(), variables=variables, cache_dir=cache_dir)
    assert loaded.errors == []
    return {r.name: r for r in loaded.resources}


def text_at(root: Path, span: Span) -> str:
    return span.text((root / span.file).read_bytes())


MODULE_CALL = {
    "apps/a/main.tf": 'module "lambda" {\n  source = "../../modules/fn"\n'
                      '  memory = var.memory\n  name   = "api"\n}\n',
    "apps/a/variables.tf": 'variable "memory" {\n  default = 512\n}\n',
    "modules/fn/main.tf": (
        'variable "memory" {}\nvariable "name" {}\nlocals {\n  prefix = "svc-${var.name}"\n}\n'
        'resource "aws_lambda_function" "this" {\n  function_name = "${local.prefix}-fn"\n'
        '  memory_size   = var.memory\n  runtime       = "python3.12"\n}\n'),
}


def test_a_module_input_chain_ends_at_the_tfvars_value(tmp_path: Path) -> None:
    root = write(tmp_path, {**MODULE_CALL, "apps/a/terraform.tfvars": "memory = 3008\n"})
    function = load(root)["this"]
    assert function.attrs["memory_size"] == 3008
    chain = function.origins["memory_size"].chain()
    assert [(o.kind, o.name, str(o.span)) for o in chain] == [
        (OriginKind.module_input, "memory", "apps/a/main.tf:3"),
        (OriginKind.tfvars, "memory", "apps/a/terraform.tfvars:1")]
    assert text_at(root, chain[0].span) == "var.memory"
    assert text_at(root, chain[1].span) == "3008"
    assert text_at(root, function.spans["memory_size"]) == "var.memory"


def test_without_tfvars_the_chain_ends_at_the_variable_default(tmp_path: Path) -> None:
    chain = load(write(tmp_path, MODULE_CALL))["this"].origins["memory_size"].chain()
    assert [(o.kind, str(o.span)) for o in chain] == [
        (OriginKind.module_input, "apps/a/main.tf:3"),
        (OriginKind.variable_default, "apps/a/variables.tf:2")]


def test_a_var_on_the_command_line_is_the_origin_and_has_no_span(tmp_path: Path) -> None:
    function = load(write(tmp_path, MODULE_CALL), variables={"memory": "1024"})["this"]
    last = function.origins["memory_size"].chain()[-1]
    assert (last.kind, last.name, last.span) == (OriginKind.cli_var, "memory", None)


def test_an_expression_names_the_local_and_the_input_it_reads(tmp_path: Path) -> None:
    root = write(tmp_path, MODULE_CALL)
    origin = load(root)["this"].origins["function_name"]
    assert origin.kind is OriginKind.expression
    assert [(o.kind, o.name) for o in origin.via[0].chain()] == [
        (OriginKind.local, "prefix"), (OriginKind.module_input, "name")]
    assert text_at(root, origin.via[0].span) == '"svc-${var.name}"'


def test_a_literal_span_slices_exactly_the_value_text(tmp_path: Path) -> None:
    root = write(tmp_path, {"main.tf": (
        '# café, 日本\nresource "aws_sqs_queue" "q" {\n  name = "naïve-€"\n'
        '  delay_seconds = 1e1\n  tags = {\n    team = "x"\n  }\n}\n')})
    queue = load(root)["q"]
    assert text_at(root, queue.spans["name"]) == '"naïve-€"'
    assert text_at(root, queue.spans["delay_seconds"]) == "1e1"  # repaired as 1.0e1
    assert text_at(root, queue.spans["tags"]) == '{\n    team = "x"\n  }'
    assert (queue.spans["tags"].line, queue.spans["tags"].end_line) == (5, 7)
    assert "name" not in queue.origins  # a literal: the span is the text to edit


def test_nested_and_dynamic_blocks_are_recorded_under_indexed_paths(tmp_path: Path) -> None:
    root = write(tmp_path, {"main.tf": (
        'resource "aws_security_group" "sg" {\n'
        '  ingress {\n    from_port = 22\n  }\n'
        '  dynamic "ingress" {\n    for_each = [80, 443]\n'
        '    content {\n      from_port = ingress.value\n    }\n  }\n}\n')})
    group = load(root)["sg"]
    assert group.get("ingress.2.from_port") == 443
    assert str(group.spans["ingress.0.from_port"]) == "main.tf:3"
    assert str(group.spans["ingress.2.from_port"]) == "main.tf:8"
    assert text_at(root, group.spans["ingress.1.from_port"]) == "ingress.value"


def test_a_kubernetes_attribute_has_its_manifest_line_and_bytes(tmp_path: Path) -> None:
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web  # café\n"
                "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n"
                "          image: shop/web:1.0\n"
                "          resources:\n            requests: {cpu: 250m}\n")
    root = write(tmp_path, {"k8s/web.yaml": codecs.BOM_UTF8 + manifest.encode()})
    web = load(root)["web"]
    image = web.spans["spec.template.spec.containers.0.image"]
    assert (image.file, image.line) == ("k8s/web.yaml", 10)
    assert text_at(root, image) == "shop/web:1.0"
    assert text_at(root, web.spans["spec.template.spec.containers.0.resources.requests.cpu"]) \
        == "250m"
    assert web.origins == {}


def test_kubernetes_list_items_have_their_own_spans(tmp_path: Path) -> None:
    root = write(tmp_path, {"list.yaml": (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n")})
    resources = load(root)
    assert resources["b"].spans["metadata.name"].line == 9
    assert text_at(root, resources["a"].spans["kind"]) == "ConfigMap"



def test_each_document_of_a_stream_has_the_spans_of_its_own_text(tmp_path: Path) -> None:
    root = write(tmp_path, {"stream.yaml": (
        "# settings\n---\nnull\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
        "---\napiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n")})
    resources = load(root)
    assert resources["a"].spans["metadata.name"].line == 7
    assert text_at(root, resources["b"].spans["metadata"]) == "name: b"
    assert list(resources["b"].spans)[:3] == ["apiVersion", "kind", "metadata"]


SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Memory:
    Type: Number
    Default: 1024
Globals:
  Function:
    Timeout: 30
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      MemorySize: !Ref Memory
"""


def test_a_sam_globals_value_names_its_globals_entry(tmp_path: Path) -> None:
    root = write(tmp_path, {"template.yaml": SAM})
    api = load(root)["Api"]
    origin = api.origins["Timeout"]
    assert (origin.kind, origin.name, str(origin.span)) == (
        OriginKind.sam_globals, "Globals.Function.Timeout", "template.yaml:9")
    assert text_at(root, api.spans["Timeout"]) == "30"
    assert text_at(root, api.spans["Runtime"]) == "python3.12"


def test_a_cloudformation_property_from_a_parameter_names_its_default(tmp_path: Path) -> None:
    root = write(tmp_path, {"template.yaml": SAM})
    api = load(root)["Api"]
    assert api.attrs["MemorySize"] == 1024
    origin = api.origins["MemorySize"]
    assert (origin.kind, origin.name, str(origin.span)) == (
        OriginKind.parameter_default, "Memory", "template.yaml:6")
    assert text_at(root, origin.span) == "1024"


def test_spans_survive_the_parse_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write(tmp_path / "repo", {
        **MODULE_CALL, "apps/a/terraform.tfvars": "memory = 3008\n",
        "k8s/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n"})
    cache_dir = tmp_path / "cache"
    cache.clear_memory()  # earlier tests parsed the same bytes: write them to disk now
    first = load(root, cache_dir=cache_dir)
    cache.clear_memory()

    def must_not_parse(data: bytes) -> None:
        raise AssertionError("parsed although the disk cache holds the result")

    monkeypatch.setattr(hcl_parse, "parse_hcl", must_not_parse)
    monkeypatch.setattr(kubernetes, "_parse", must_not_parse)
    again = load(root, cache_dir=cache_dir)
    for name in ("this", "web"):
        assert again[name].spans == first[name].spans
        assert again[name].origins == first[name].origins
    assert again["this"].origins["memory_size"].chain()[-1].kind is OriginKind.tfvars


def instances(root: Path, *, variables: dict[str, str] | None = None) -> dict[str, Resource]:
    loaded = load_repository(root, Config(), variables=variables)
    assert loaded.errors == []
    return {r.address: r for r in loaded.resources}


FOR_EACH_LOCAL = {"main.tf": (
    'locals {\n  functions = {\n'
    '    checkout = { handler = "c.handler", memory_size = 512 }\n'
    '    "reports" = {\n      handler = "r.handler", memory_size = 3008\n    }\n  }\n}\n'
    'resource "aws_lambda_function" "fn" {\n  for_each      = local.functions\n'
    '  function_name = "shop-${each.key}"\n  memory_size   = each.value.memory_size\n'
    '  handler       = each.value["handler"]\n}\n')}


def test_each_value_leads_to_the_element_written_in_the_local_map(tmp_path: Path) -> None:
    root = write(tmp_path, FOR_EACH_LOCAL)
    function = instances(root)['aws_lambda_function.fn["reports"]']
    chain = function.origins["memory_size"].chain()
    assert [(o.kind, o.name, str(o.span)) for o in chain] == [
        (OriginKind.for_each_element, '"reports"', "main.tf:5"),
        (OriginKind.local, "functions", "main.tf:2")]
    assert text_at(root, chain[0].span) == "3008"
    assert text_at(root, function.origins["handler"].span) == '"r.handler"'


def test_each_key_leads_to_the_key_written_in_the_map(tmp_path: Path) -> None:
    root = write(tmp_path, FOR_EACH_LOCAL)
    origin = instances(root)['aws_lambda_function.fn["checkout"]'].origins["function_name"]
    assert origin.kind is OriginKind.expression
    (key,) = origin.via
    assert (key.kind, key.name, text_at(root, key.span)) == (
        OriginKind.for_each_key, '"checkout"', "checkout")


FOR_EACH_VARIABLE = {
    "variables.tf": ('variable "queues" {\n  default = {\n'
                     '    orders = { delay = 5 }\n    audit  = { delay = 30 }\n  }\n}\n'),
    "main.tf": ('resource "aws_sqs_queue" "q" {\n  for_each      = var.queues\n'
                '  delay_seconds = each.value.delay\n}\n'),
}


def test_each_value_over_a_variable_leads_to_the_element_of_its_default(tmp_path: Path) -> None:
    root = write(tmp_path, FOR_EACH_VARIABLE)
    chain = instances(root)['aws_sqs_queue.q["audit"]'].origins["delay_seconds"].chain()
    assert [(o.kind, o.name, str(o.span)) for o in chain] == [
        (OriginKind.for_each_element, '"audit"', "variables.tf:4"),
        (OriginKind.variable_default, "queues", "variables.tf:2")]
    assert text_at(root, chain[0].span) == "30"


def test_each_value_over_a_variable_set_in_tfvars_leads_to_the_tfvars_element(
        tmp_path: Path) -> None:
    root = write(tmp_path, {**FOR_EACH_VARIABLE,
                            "terraform.tfvars": "queues = {\n  audit = { delay = 60 }\n}\n"})
    chain = instances(root)['aws_sqs_queue.q["audit"]'].origins["delay_seconds"].chain()
    assert [(o.kind, str(o.span)) for o in chain] == [
        (OriginKind.for_each_element, "terraform.tfvars:2"),
        (OriginKind.tfvars, "terraform.tfvars:1")]
    assert text_at(root, chain[0].span) == "60"


def test_a_computed_for_each_collection_points_at_the_for_each_text(tmp_path: Path) -> None:
    root = write(tmp_path, {"main.tf": (
        'variable "names" {\n  default = ["a", "b"]\n}\n'
        'resource "aws_sqs_queue" "q" {\n  for_each = toset(var.names)\n'
        '  name     = each.value\n}\n')})
    origin = instances(root)['aws_sqs_queue.q["b"]'].origins["name"]
    assert (origin.kind, origin.name) == (OriginKind.for_each_element, '"b"')
    assert text_at(root, origin.span) == "toset(var.names)"
    assert [(o.kind, o.name) for o in origin.via] == [(OriginKind.variable_default, "names")]


def test_count_index_is_the_instance_index_counted_by_the_count_text(tmp_path: Path) -> None:
    root = write(tmp_path, {"main.tf": (
        'resource "aws_sqs_queue" "q" {\n  count = 3\n  name  = "q-${count.index}"\n'
        '  delay_seconds = count.index\n}\n')})
    queue = instances(root)["aws_sqs_queue.q[2]"]
    origin = queue.origins["delay_seconds"]
    assert (origin.kind, origin.name, origin.via) == (OriginKind.count_index, "2", ())
    assert text_at(root, origin.span) == "3"
    assert [o.kind for o in queue.origins["name"].via] == [OriginKind.count_index]
