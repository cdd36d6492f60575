"""Prefetching parses in worker processes: faster on many cores, never a different result."""

from pathlib import Path
from typing import Any

import pytest

from purser.config import Config
from purser.sources import Loaded, cache, load_repository
from purser.sources.cache import ParseJob


@pytest.fixture(autouse=True)
def empty_memory():
    cache.clear_memory()
    yield
    cache.clear_memory()


def _repository(root: Path, files: int) -> Path:
    """`files` Terraform files and a few Kubernetes manifests, one of each malformed."""
    for n in range(files):
        folder = root / "stacks" / f"s{n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"q{n:03d}.tf").write_text(
            f'variable "env{n}" {{\n  default = "dev"\n}}\n'
            f'resource "aws_sqs_queue" "q{n}" {{\n  name = "q{n}-${{var.env{n}}}"\n'
            f'  tags = {{ team = "t{n % 4}" }}\n}}\n')
    (root / "stacks" / "s0" / "broken.tf").write_text('resource "aws_sqs_queue" "x" {\n  name =\n')
    k8s = root / "k8s"
    k8s.mkdir()
    for n in range(5):
        (k8s / f"web{n}.yaml").write_text(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web{n}\n"
            "spec:\n  replicas: 2\n")
    (k8s / "broken.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: [\n")
    (root / "template.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n"
        "    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q\n")
    return root


def _dump(loaded: Loaded) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return ([r.model_dump() for r in loaded.resources],
            [e.model_dump() for e in loaded.errors])


class PoolSpy:
    """Counts the worker pools that ran to the end (none fell back to the sequential path)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.completed = 0
        real = cache._parse_in_pool

        def spying(*args: Any) -> None:
            real(*args)
            self.completed += 1

        monkeypatch.setattr(cache, "_parse_in_pool", spying)


def _forbid_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(cache, "ProcessPoolExecutor", refuse)


def _sequential(root: Path, monkeypatch: pytest.MonkeyPatch) -> Loaded:
    with monkeypatch.context() as patch:
        patch.setenv("PURSER_WORKERS", "1")
        loaded = load_repository(root, Config())
    cache.clear_memory()
    return loaded


def test_parallel_load_equals_sequential_load_including_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _repository(tmp_path, cache.POOL_MIN_FILES + 6)
    expected = _sequential(root, monkeypatch)
    monkeypatch.setenv("PURSER_WORKERS", "2")  # a pool even on a single-core runner
    spy = PoolSpy(monkeypatch)
    parallel = load_repository(root, Config())
    assert spy.completed == 1
    assert _dump(parallel) == _dump(expected)
    assert len(parallel.resources) == cache.POOL_MIN_FILES + 6 + 5 + 1
    assert [(e.file, e.line) for e in parallel.errors] == [
        ("k8s/broken.yaml", 4), ("stacks/s0/broken.tf", 1)]


def test_workers_fill_the_disk_cache_that_a_later_run_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _repository(tmp_path / "repo", cache.POOL_MIN_FILES)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("PURSER_WORKERS", "2")
    first = load_repository(root, Config(), cache_dir=cache_dir)
    assert len(list(cache_dir.glob("hcl-*/*.entry"))) == cache.POOL_MIN_FILES + 1
    cache.clear_memory()  # as a new process would start
    _forbid_pool(monkeypatch)
    assert _dump(load_repository(root, Config(), cache_dir=cache_dir)) == _dump(first)


def test_purser_workers_1_parses_without_a_pool(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch):
    root = _repository(tmp_path, cache.POOL_MIN_FILES + 6)
    monkeypatch.setenv("PURSER_WORKERS", "1")
    _forbid_pool(monkeypatch)
    loaded = load_repository(root, Config())
    assert len(loaded.resources) == cache.POOL_MIN_FILES + 6 + 5 + 1
    assert len(loaded.errors) == 2


def test_a_few_small_files_do_not_start_a_pool(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    root = _repository(tmp_path, 10)
    monkeypatch.setenv("PURSER_WORKERS", "2")
    _forbid_pool(monkeypatch)
    assert len(load_repository(root, Config()).resources) == 10 + 5 + 1


def test_a_pool_that_cannot_start_falls_back_to_the_same_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _repository(tmp_path, cache.POOL_MIN_FILES + 6)
    expected = _sequential(root, monkeypatch)
    monkeypatch.setenv("PURSER_WORKERS", "2")

    def no_fork(method: str) -> Any:
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(cache.multiprocessing, "get_context", no_fork)
    assert _dump(load_repository(root, Config())) == _dump(expected)


def _parse_or_fail(data: bytes) -> str:
    if data.startswith(b"fail"):
        raise RecursionError("too deep")
    return data.decode()


def _unpicklable_result(data: bytes) -> Any:
    return lambda: data


def test_a_parser_that_raises_in_a_worker_raises_again_for_its_caller(
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PURSER_WORKERS", "2")
    jobs = [ParseJob("test", "1", f"file {n}".encode(), _parse_or_fail) for n in range(70)]
    cache.prefetch([*jobs, ParseJob("test", "1", b"fail", _parse_or_fail)])

    def must_not_parse(data: bytes) -> str:
        raise AssertionError("parsed although prefetched")

    assert cache.cached_parse("test", b"file 69", "1", must_not_parse) == "file 69"
    with pytest.raises(RecursionError):
        cache.cached_parse("test", b"fail", "1", _parse_or_fail)


def test_a_result_that_cannot_come_back_from_a_worker_is_parsed_by_the_caller(
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PURSER_WORKERS", "2")
    data = [f"file {n}".encode() for n in range(70)]
    cache.prefetch(ParseJob("test", "1", d, _unpicklable_result) for d in data)
    assert cache.cached_parse("test", b"file 3", "1", lambda d: "by the caller") == (
        "by the caller")


def test_worker_count_reads_purser_workers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PURSER_WORKERS", "3")
    assert cache.worker_count() == 3
    monkeypatch.setenv("PURSER_WORKERS", "many")
    assert 1 <= cache.worker_count() <= cache.MAX_WORKERS
