"""Property: whatever bytes a .tf file holds, the Terraform reader answers with resources and
SourceErrors, never an exception, never an internal error caught by its last-resort
handler, and never a string that the JSON, SARIF or text writers could not encode."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from purser.config import Config
from purser.model import SourceError
from purser.sources import LoadContext, RepoFile
from purser.sources.terraform import TerraformFormat

_REPO = Path(__file__).resolve().parents[2]
SNIPPETS = [path.read_bytes() for folder in ("tests/sources/fixtures/terraform",
                                             "examples/shop/terraform")
            for path in sorted((_REPO / folder).rglob("*.tf"))]

TOKENS = [
    'resource "aws_sqs_queue" "q" {', 'module "m" {', 'source = "./"', 'source = "../x"',
    "locals {", "variable \"v\" {", "}", "{", "]", "[", "(", ")", "=", ",", ":", "?", "...",
    "=>", "for", "in", "if", "count", "for_each", "local.a", "local.b", "var.v", "each.key",
    "count.index", "module.m.out", "a", "b", "1e3", "0x10", "1.5e999", "-1", "1.5",
    "9" * 30, '"\\uDFFF"', '"\\UFFFFFFFF"', '"${local.a}${local.a}"', "<<EOT\nx\nEOT",
    "<<-EOT\n  ${a}\n  EOT", "range(1000)", "concat(local.a, local.a)", "flatten(",
    'format("%0999999d", 1)', 'replace("aaaa!", "/^(a+)+$/", "x")', 'regexall("(", "x")',
    "jsondecode(", "jsonencode(", "setproduct(", "toset(", "try(", "lookup(", "\n", " ",
    "#", "//", "/*", "*/", "%{ if true }", "%{ endif }", "\\", "\x00", "é",
]

_tokens = st.lists(st.sampled_from(TOKENS), max_size=60).map(" ".join).map(str.encode)


@st.composite
def _mutated_snippets(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SNIPPETS)))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 40)))
        data[start:end] = draw(st.one_of(_tokens, st.binary(max_size=8)))
    return bytes(data)


documents = st.one_of(st.binary(max_size=300), _tokens, _mutated_snippets())


def _load(files: dict[str, bytes]) -> tuple[list[object], list[SourceError]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        repo_files = []
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            repo_files.append(RepoFile(path, rel, data))
        loaded = TerraformFormat().load(repo_files, LoadContext(root=root, config=Config()))
    return [r.model_dump() for r in loaded.resources], loaded.errors


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(main=documents, module=documents, tfvars=documents)
def test_any_terraform_yields_resources_and_source_errors_only(
        main: bytes, module: bytes, tfvars: bytes) -> None:
    resources, errors = _load({"main.tf": main, "x/main.tf": module,
                               "terraform.tfvars": tfvars})
    assert all(isinstance(e, SourceError) for e in errors)
    assert not [e for e in errors if "could not evaluate this module" in e.message], errors
    text = json.dumps([resources, [e.model_dump() for e in errors]], ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate anywhere
