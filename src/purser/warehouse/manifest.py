"""Which file contents are already in the warehouse, by SHA-256 digest (taken by
`purser.warehouse.bounds.screen` in the pass that bounds the file).

One small JSON file per ingested content (`manifest/<dataset>/<digest>.json`), written after
the data it describes and renamed into place: concurrent ingests never rewrite a shared
file, and a crash before the entry leaves the content to be ingested again, which replaces
the same Parquet files.
"""

from __future__ import annotations

import os
from pathlib import Path

from purser.warehouse.report import FileResult


def entry_path(warehouse: Path, dataset: str, content: str) -> Path:
    return warehouse / "manifest" / dataset / f"{content}.json"


def recorded(warehouse: Path, dataset: str, content: str) -> FileResult | None:
    path = entry_path(warehouse, dataset, content)
    try:
        return FileResult.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None


def record(warehouse: Path, result: FileResult) -> None:
    assert result.digest is not None
    path = entry_path(warehouse, result.dataset, result.digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(result.model_dump_json(exclude={"errors"}))
    temporary.replace(path)
