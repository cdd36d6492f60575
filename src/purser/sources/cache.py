"""A content-addressed parse cache that every source format can use.

An unchanged file is never parsed twice: results are kept in memory for the life of the
process, keyed by (kind, SHA-256 of the bytes, parser version), and, when a cache
directory is given, also on disk as authenticated entries (see `purser.sources.cachestore`:
only entries this user's purser wrote are decoded, a folder tracked by git is never used).

Cached values must be plain data (tuples, lists, dicts, sets, strings, bytes, numbers,
booleans, None); anything else stays in memory only. An entry that cannot be read back,
for whatever reason, is a miss: the file is parsed again.

`prefetch` parses many files ahead of the formats, on every core: a large cold check
spends much of its time in parsers. Set the environment variable `PURSER_WORKERS=1` to
parse in the calling process only (or `PURSER_WORKERS=N` to use N worker processes).
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import sys
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from purser.sources.cachestore import MISS, Store, forget_stores, open_store

T = TypeVar("T")
_Key = tuple[str, str, str]  # (kind, SHA-256 of the bytes, parser version)

_MEMORY: dict[_Key, Any] = {}
MEMORY_ENTRIES = 100_000  # a long-running server starts over rather than grow without end

# Below these, starting worker processes costs more than it saves.
POOL_MIN_FILES = 64
POOL_MIN_BYTES = 1 << 20
MAX_WORKERS = 4
_CHUNKS_PER_WORKER = 4  # several chunks each, so a worker that finishes early takes more


def cached_parse(kind: str, data: bytes, version: str, parse: Callable[[bytes], T],
                 cache_dir: Path | None = None) -> T:
    """`parse(data)`, or its earlier result for the same bytes, kind and parser version."""
    key = _key(kind, data, version)
    if key in _MEMORY:
        return _MEMORY[key]
    store = open_store(cache_dir) if cache_dir else None
    stored: Any = store.read(*key) if store else MISS
    result: T = parse(data) if stored is MISS else stored
    if stored is MISS and store:
        store.write(*key, result)
    _remember(key, result)
    return result


@dataclass(frozen=True)
class ParseJob:
    """A parse a format is about to ask `cached_parse` for."""

    kind: str
    version: str
    data: bytes
    parse: Callable[[bytes], Any]  # module-level, so that a worker process can find it


def prefetch(jobs: Iterable[ParseJob], cache_dir: Path | None = None) -> None:
    """Fill the memory cache for `jobs`, parsing those neither in memory nor on disk in
    worker processes when there are enough of them. Best effort: a job that fails, or a
    pool that cannot start, is left to the format's own `cached_parse`, which then parses
    it (and reports its errors) exactly as it would have without this."""
    pending = _pending(jobs, open_store(cache_dir) if cache_dir else None)
    workers = worker_count()
    if workers < 2 or not _worth_a_pool(pending):
        return
    try:
        _parse_in_pool(pending, workers)
    except Exception:  # no fork here, a worker died, a value would not pickle: go on alone
        return


def worker_count() -> int:
    """PURSER_WORKERS when set to a whole number, else the cores (at most MAX_WORKERS)."""
    setting = os.environ.get("PURSER_WORKERS", "").strip()
    if setting.isdigit():
        return int(setting)
    return min(os.cpu_count() or 1, MAX_WORKERS)


def clear_memory() -> None:
    """Forget the in-memory results (tests, long-running servers after a large scan)."""
    _MEMORY.clear()
    _DERIVED.clear()
    forget_stores()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_DERIVED: dict[tuple[Hashable, ...], Any] = {}


def remembered(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or its earlier result for the same key, kept in memory only.

    For results derived from parsed files (a Terraform root module's resources, a
    manifest's objects), so that a process checking the same repository again (a
    controller, a base/head diff) does not redo them: `key` must name every input, and
    callers must not mutate the result (hand out `Resource.model_copy()`s: their values are
    shared, and nothing writes to a resource's values).
    """
    if key in _DERIVED:
        found: T = _DERIVED[key]
        return found
    result = compute()
    if len(_DERIVED) >= MEMORY_ENTRIES:
        _DERIVED.clear()
    _DERIVED[key] = result
    return result


# One parse for a worker: key, bytes, parser, disk cache (None: memory only).
_Task = tuple[_Key, bytes, Callable[[bytes], Any], Store | None]


def _key(kind: str, data: bytes, version: str) -> _Key:
    return kind, digest(data), version


def _remember(key: _Key, value: Any) -> None:
    if len(_MEMORY) >= MEMORY_ENTRIES:
        _MEMORY.clear()
    _MEMORY[key] = value


def _pending(jobs: Iterable[ParseJob], store: Store | None) -> list[_Task]:
    """The jobs still to parse; those found on disk are moved into memory on the way."""
    tasks: dict[_Key, _Task] = {}
    for job in jobs:
        key = _key(job.kind, job.data, job.version)
        if key in _MEMORY or key in tasks:
            continue
        stored = store.read(*key) if store else MISS
        if stored is MISS:
            tasks[key] = (key, job.data, job.parse, store)
        else:
            _remember(key, stored)
    return list(tasks.values())


def _worth_a_pool(tasks: list[_Task]) -> bool:
    return len(tasks) >= POOL_MIN_FILES or sum(len(t[1]) for t in tasks) >= POOL_MIN_BYTES


def _parse_in_pool(tasks: list[_Task], workers: int) -> None:
    context = multiprocessing.get_context("fork")  # ValueError where there is no fork
    chunks = _chunks(tasks, workers * _CHUNKS_PER_WORKER)
    # Deeply nested input hits the recursion limit; give the workers the stack headroom
    # the caller has, so that such a file parses (or fails) as it would here.
    headroom = sys.getrecursionlimit() - _stack_depth()
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context) as pool:
        for results in pool.map(_parse_chunk, chunks, itertools.repeat(headroom)):
            for key, value in results:
                _remember(key, value)


def _chunks(tasks: list[_Task], count: int) -> list[list[_Task]]:
    """About `count` chunks of about equal bytes, keeping each chunk's pickle small."""
    target = sum(len(t[1]) for t in tasks) / count
    chunks: list[list[_Task]] = [[]]
    size = 0
    for task in tasks:
        if size >= target and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(task)
        size += len(task[1])
    return chunks


def _parse_chunk(tasks: list[_Task], headroom: int) -> list[tuple[_Key, Any]]:
    """In a worker: parse, store on disk, hand back. A parser that raises is skipped so
    that the caller's own parse raises it where the format expects it."""
    sys.setrecursionlimit(_stack_depth() + headroom)
    results = []
    for key, data, parse, store in tasks:
        try:
            value = parse(data)
        except Exception:
            continue
        if store:
            store.write(*key, value)
        results.append((key, value))
    return results


def _stack_depth() -> int:
    frame: FrameType | None = sys._getframe(1)
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth
