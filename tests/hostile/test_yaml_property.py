"""Property: whatever bytes a manifest, template or plan holds, the readers return
resources and `SourceError`s of that file, never an exception, and every string they hand
on can be encoded by the report writers.

Inputs are random YAML and JSON documents (with the values that broke readers before:
huge integers, lone surrogates, dates that are none, infinities, deep nesting, duplicate
keys) and mutations of the real files in tests/sources/fixtures and examples/shop.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purser.config import Config
from purser.sources import LoadContext, RepoFile, load_files

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(
    path for folder in ("tests/sources/fixtures/kubernetes",
                        "tests/sources/fixtures/cloudformation",
                        "tests/sources/fixtures/tfplan", "examples/shop/k8s",
                        "examples/shop/sam")
    for path in (ROOT / folder).iterdir() if path.suffix in (".yaml", ".yml", ".json"))

PROPERTY = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Fragments that broke, or could break, a reader.
HOSTILE = [
    "9" * 5000, "-" + "9" * 200, "2027-13-45", "2027-02-30T25:61:00Z", '"\\uDFFF"',
    '"\\ud800"', ".inf", "-.inf", ".nan", "!Select [.inf, [a, b]]", "!Select [-1, [a]]",
    "!FindInMap [M, a, b]", "!Ref AWS::NoValue", "!GetAtt", "!Sub", "&a [1]", "*a", "<<: *a",
    "<<: {x: 1}", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]", "!!int x",
    "!!bool maybe", "!!timestamp nope", "!!python/object:os.system {}", "[" * 200,
    "{" * 200, "]" * 50, "---\n", "...\n", "\t", ": ", "- ", "? ", "|\n", ">-\n", "#",
    "\x00", "\ufeff", "\udcff", "kind: List\nitems: [1, 2]\n", "apiVersion: v1\n",
    '"Type": "AWS::SQS::Queue"', '{"a": 1, "a": 2}', "securityContext:\n", "1:2:3:4:5:6",
    "0x" + "f" * 300, "0o777", "0b101", "1_000", "~", "null", "yes", "on",
]


def load_one(rel: str, data: bytes) -> None:
    """Load one file through the registered formats; assert only purser's own outcomes."""
    file = RepoFile(ROOT / rel, rel, data)
    loaded = load_files([file], LoadContext(root=ROOT, config=Config()))
    for error in loaded.errors:
        assert error.file == rel and error.line >= 0 and error.message
        error.message.encode("utf-8")
    for resource in loaded.resources:
        assert resource.source.file == rel
        for text in strings_in(resource.model_dump()):
            text.encode("utf-8")  # no lone surrogate reaches a report


def strings_in(value: Any) -> list[str]:
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return found


# -- mutations of real files ---------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = bytearray(seed.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "repeat", "byte"]))
        if kind == "insert":
            fragment = draw(st.sampled_from(HOSTILE) | st.text(max_size=20))
            data[at:at] = fragment.encode("utf-8", "surrogatepass")
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "repeat":
            data[at:at] = bytes(data[at:at + draw(st.integers(1, 200))]) * draw(
                st.integers(2, 50))
        else:
            data[at:at] = bytes([draw(st.integers(0, 255))])
    return seed.name, bytes(data)


@PROPERTY
@given(mutated())
def test_mutated_manifests_templates_and_plans_never_escape(case: tuple[str, bytes]) -> None:
    name, data = case
    load_one(f"repo/{name}", data)


# -- random documents -----------------------------------------------------------------------

scalars = (st.integers(min_value=-(10**30), max_value=10**30) | st.floats() | st.booleans()
           | st.none() | st.text(max_size=12) | st.sampled_from(HOSTILE))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=25)

WRAPPERS = {
    "k8s.yaml": lambda body: {"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": "c"}, "data": body},
    "list.yaml": lambda body: {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": body}, body]},
    "template.yaml": lambda body: {"AWSTemplateFormatVersion": "2010-09-09",
                                   "Resources": {"Q": {"Type": "AWS::SQS::Queue",
                                                       "Properties": body}}},
    "template.json": lambda body: {"AWSTemplateFormatVersion": "2010-09-09",
                                   "Resources": {"Q": {"Type": "AWS::SQS::Queue",
                                                       "Properties": body}}},
    "plan.json": lambda body: {"terraform_version": "1.7.5", "planned_values": {
        "root_module": {"resources": [{"address": "a.b", "type": "aws_sqs_queue",
                                       "name": "b", "values": body}]}}},
}


def serialized(name: str, document: Any) -> bytes:
    if name.endswith(".json"):
        return json.dumps(document).encode("utf-8")
    try:
        return yaml.safe_dump(document, allow_unicode=False).encode("utf-8")
    except (yaml.YAMLError, UnicodeEncodeError, ValueError):
        return json.dumps(document).encode("utf-8")  # JSON is YAML too


@PROPERTY
@given(st.sampled_from(sorted(WRAPPERS)), values)
def test_random_documents_never_escape(name: str, body: Any) -> None:
    load_one(f"repo/{name}", serialized(name, WRAPPERS[name](body)))


@PROPERTY
@given(st.sampled_from(sorted(WRAPPERS)), st.lists(st.sampled_from(HOSTILE), max_size=12),
       st.text(max_size=40))
def test_random_text_in_every_format_never_escapes(name: str, fragments: list[str],
                                                   noise: str) -> None:
    head = "apiVersion: v1\nkind: Pod\n" if name.endswith(".yaml") else \
        '{"terraform_version": "1", "Resources": {"Type": "AWS::SQS::Queue"}, '
    text = head + "\n".join(fragments) + noise
    load_one(f"repo/{name}", text.encode("utf-8", "surrogatepass"))
