"""A content-addressed parse cache that every source format can use.

An unchanged file is never parsed twice: results are kept in memory for the life of the
process, keyed by (kind, SHA-256 of the bytes, parser version), and, when a cache
directory is given, also as pickle files under `<cache_dir>/<kind>-<version>/`.

Cached values must be plain data (tuples, lists, dicts, strings, numbers, booleans, None):
the disk reader refuses every class, so a cache file planted in a repository cannot run
code when it is loaded. A file that cannot be read back is treated as a miss.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_MEMORY: dict[tuple[str, str, str], Any] = {}
MEMORY_ENTRIES = 100_000  # a long-running server starts over rather than grow without end


class _PlainDataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} from the parse cache")


def cached_parse(kind: str, data: bytes, version: str, parse: Callable[[bytes], T],
                 cache_dir: Path | None = None) -> T:
    """`parse(data)`, or its earlier result for the same bytes, kind and parser version."""
    digest = hashlib.sha256(data).hexdigest()
    key = (kind, digest, version)
    if key in _MEMORY:
        return _MEMORY[key]
    path = cache_dir / f"{kind}-{version}" / f"{digest}.pickle" if cache_dir else None
    stored: Any = _read(path) if path else _MISS
    result: T = parse(data) if stored is _MISS else stored
    if stored is _MISS and path:
        _write(path, result)
    if len(_MEMORY) >= MEMORY_ENTRIES:
        _MEMORY.clear()
    _MEMORY[key] = result
    return result


def clear_memory() -> None:
    """Forget the in-memory results (tests, long-running servers after a large scan)."""
    _MEMORY.clear()


_MISS = object()


def _read(path: Path) -> Any:
    try:
        payload = path.read_bytes()
    except OSError:
        return _MISS
    try:
        return _PlainDataUnpickler(io.BytesIO(payload)).load()
    except Exception:  # a corrupt, foreign or planted file: parse again
        return _MISS


def _write(path: Path, value: Any) -> None:
    """Write atomically, so a concurrent reader sees the old file or the whole new one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # the cache is an optimisation; a read-only checkout still works
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        Path(temporary).unlink(missing_ok=True)
