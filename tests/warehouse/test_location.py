"""Where the warehouse may live."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from purser.warehouse import Warehouse, WarehouseError


def test_default_folder_is_ignored_by_git(repo: Path) -> None:
    warehouse = Warehouse.of_repository(repo)
    assert warehouse.folder == (repo / ".purser" / "warehouse").resolve()
    assert (repo / ".purser" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_link_leaving_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".purser").symlink_to(elsewhere)
    with pytest.raises(WarehouseError, match="symbolic link leading outside"):
        Warehouse.of_repository(repo)


def test_a_folder_tracked_by_git_is_refused(repo: Path) -> None:
    planted = repo / "facts" / "billing" / "month=2026-05" / "part.parquet"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(b"PAR1")
    git = pygit2.Repository(str(repo))
    git.index.add("facts/billing/month=2026-05/part.parquet")
    git.index.write()
    with pytest.raises(WarehouseError, match="committed to the repository"):
        Warehouse.of_repository(repo, repo / "facts")
