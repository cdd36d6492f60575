"""Where the state database lives: --db, $PURSER_DB, else .purser/state.db, never committed."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from purser.store import StoreError, database_url, open_database


def test_default_is_state_db_under_dot_purser_which_git_never_sees(tmp_path: Path) -> None:
    repo = pygit2.init_repository(str(tmp_path))
    (tmp_path / "main.tf").write_text("")

    url = database_url(tmp_path)
    open_database(url).close()

    assert url == f"sqlite:///{tmp_path.resolve() / '.purser' / 'state.db'}"
    assert (tmp_path / ".purser" / "state.db").is_file()
    assert (tmp_path / ".purser" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert set(repo.status()) == {"main.tf"}


def test_db_option_wins_over_the_environment_which_wins_over_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PURSER_DB", "sqlite:///from-env.db")
    assert database_url(tmp_path, "postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(tmp_path) == "sqlite:///from-env.db"
    assert not (tmp_path / ".purser").exists()


def test_a_dot_purser_symlink_leaving_the_repository_is_refused(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir()
    elsewhere.mkdir()
    (repo / ".purser").symlink_to(elsewhere)

    with pytest.raises(StoreError, match="symbolic link leading outside the repository"):
        database_url(repo)
    assert list(elsewhere.iterdir()) == []


def test_a_state_file_symlink_leaving_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".purser").mkdir(parents=True)
    (repo / ".purser" / "state.db").symlink_to(tmp_path / "victim.db")

    with pytest.raises(StoreError, match=r"state\.db is a symbolic link"):
        database_url(repo)


def test_a_symlink_staying_inside_the_repository_is_followed(tmp_path: Path) -> None:
    (tmp_path / "state-here").mkdir()
    (tmp_path / ".purser").symlink_to(tmp_path / "state-here")

    assert database_url(tmp_path).endswith("/.purser/state.db")
    assert (tmp_path / "state-here" / ".gitignore").exists()


def test_reading_commands_do_not_create_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no state database at .*nothing recorded yet"):
        database_url(tmp_path, create=False)
    assert not (tmp_path / ".purser").exists()


def test_an_unsupported_url_is_refused_without_showing_its_password(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported database URL") as refused:
        database_url(tmp_path, "mysql://admin:hunter2@db/purser")
    assert "hunter2" not in str(refused.value)


def test_an_unopenable_database_is_a_store_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the state database"):
        open_database(f"sqlite:///{tmp_path / 'missing-folder' / 'state.db'}")


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "state.db").write_text("not a database, just text\n" * 100)

    with pytest.raises(StoreError, match="cannot open the state database"):
        open_database(f"sqlite:///{tmp_path / 'state.db'}")


def test_a_state_database_committed_to_the_repository_is_refused(tmp_path):
    from purser.git import commit_work_tree
    from purser.store import StoreError, database_url

    (tmp_path / ".purser").mkdir()
    (tmp_path / ".purser" / "state.db").write_bytes(b"forged by a pull request")
    (tmp_path / "main.tf").write_text("")
    commit_work_tree(tmp_path, "a state file sneaked in")

    with pytest.raises(StoreError, match=r"\.purser/state\.db is committed to the repository"):
        database_url(tmp_path)
