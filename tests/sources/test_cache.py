"""The content-hash parse cache: an unchanged file is never parsed twice."""

from pathlib import Path

import pytest

from purser.config import Config
from purser.sources import LoadContext, RepoFile, cache
from purser.sources.hcl import parse as hcl_parse
from purser.sources.terraform import TerraformFormat


@pytest.fixture(autouse=True)
def empty_memory():
    cache.clear_memory()
    yield
    cache.clear_memory()


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> tuple[str, int]:
        self.calls += 1
        return ("parsed", len(data))


def test_same_bytes_are_parsed_once_in_memory():
    parser = CountingParser()
    first = cache.cached_parse("test", b"abc", "1", parser)
    second = cache.cached_parse("test", b"abc", "1", parser)
    assert first == second == ("parsed", 3)
    assert parser.calls == 1


def test_changed_bytes_kind_or_version_are_parsed_again():
    parser = CountingParser()
    cache.cached_parse("test", b"abc", "1", parser)
    cache.cached_parse("test", b"abcd", "1", parser)
    cache.cached_parse("other", b"abc", "1", parser)
    cache.cached_parse("test", b"abc", "2", parser)
    assert parser.calls == 4


def test_disk_cache_survives_a_new_process(tmp_path: Path):
    parser = CountingParser()
    cache.cached_parse("test", b"abc", "1", parser, tmp_path)
    cache.clear_memory()  # as a new process would start
    assert cache.cached_parse("test", b"abc", "1", parser, tmp_path) == ("parsed", 3)
    assert parser.calls == 1
    assert list((tmp_path / "test-1").glob("*.entry"))


def test_an_unwritable_cache_dir_still_parses(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    parser = CountingParser()
    assert cache.cached_parse("test", b"abc", "1", parser, blocker) == ("parsed", 3)


def _load(root: Path, cache_dir: Path | None = None) -> list[str]:
    files = [RepoFile(p, p.relative_to(root).as_posix(), p.read_bytes())
             for p in sorted(root.glob("*.tf"))]
    context = LoadContext(root=root, config=Config(), cache_dir=cache_dir)
    return [r.address for r in TerraformFormat().load(files, context).resources]


def test_terraform_reload_parses_only_the_changed_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    parsed: list[bytes] = []
    real = hcl_parse.parse_hcl

    def counting(data: bytes) -> hcl_parse.Parsed:
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(hcl_parse, "parse_hcl", counting)
    (tmp_path / "a.tf").write_text('resource "aws_sqs_queue" "a" {\n  name = "a"\n}\n')
    (tmp_path / "b.tf").write_text('resource "aws_sqs_queue" "b" {\n  name = "b"\n}\n')
    assert _load(tmp_path) == ["aws_sqs_queue.a", "aws_sqs_queue.b"]
    assert len(parsed) == 2
    assert _load(tmp_path) == ["aws_sqs_queue.a", "aws_sqs_queue.b"]
    assert len(parsed) == 2
    (tmp_path / "b.tf").write_text('resource "aws_sqs_queue" "c" {\n  name = "c"\n}\n')
    assert _load(tmp_path) == ["aws_sqs_queue.a", "aws_sqs_queue.c"]
    assert len(parsed) == 3


def test_terraform_ast_round_trips_through_the_disk_cache(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "main.tf").write_text(
        'locals {\n  n = "x"\n}\nresource "aws_sqs_queue" "q" {\n'
        '  name = "${local.n}-q"\n  tags = { a = [1, 2] }\n}\n')
    cache_dir = tmp_path / ".cache"
    first = _load(tmp_path, cache_dir)
    cache.clear_memory()

    def must_not_parse(data: bytes) -> hcl_parse.Parsed:
        raise AssertionError("parsed although the disk cache holds the AST")

    monkeypatch.setattr(hcl_parse, "parse_hcl", must_not_parse)
    assert _load(tmp_path, cache_dir) == first == ["aws_sqs_queue.q"]
    assert list(cache_dir.glob("hcl-*/*.entry"))
