"""The disk parse cache: a malformed, foreign or planted entry is a miss, never a crash or
a hang, and a folder the repository could have written is never used."""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path

import pygit2
import pytest

from purser.sources import cache, cachestore
from purser.sources.cachestore import MAX_ENTRY_BYTES, Store, open_store

DATA = b"resource {}"
DIGEST = hashlib.sha256(DATA).hexdigest()
PARSED = ("parsed", len(DATA))
EMPTY_PARSE = ({}, [])  # what a planted entry would like purser to believe


@pytest.fixture(autouse=True)
def fresh_process():
    cache.clear_memory()
    yield
    cache.clear_memory()


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> tuple[str, int]:
        self.calls += 1
        return ("parsed", len(data))


def entry_path(folder: Path, kind: str = "test", version: str = "1",
               digest: str = DIGEST) -> Path:
    return folder / f"{kind}-{version}" / f"{digest}.entry"


def authentic(folder: Path, *, kind: str = "test", version: str = "1",
              data: bytes = DATA, value: object = EMPTY_PARSE) -> bytes:
    """An entry this machine's purser wrote, for `data` under `kind` and `version`."""
    store = open_store(folder)
    assert store is not None
    digest = hashlib.sha256(data).hexdigest()
    store.write(kind, digest, version, value)
    written = entry_path(folder, kind, version, digest).read_bytes()
    cache.clear_memory()
    return written


def _plant(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def empty_file(folder: Path) -> None:
    _plant(entry_path(folder), b"")


def truncated(folder: Path) -> None:
    whole = authentic(folder)
    _plant(entry_path(folder), whole[: len(whole) // 2])


def mac_only(folder: Path) -> None:
    _plant(entry_path(folder), authentic(folder)[:32])


def mac_flipped(folder: Path) -> None:
    whole = bytearray(authentic(folder))
    whole[0] ^= 1
    _plant(entry_path(folder), bytes(whole))


def payload_flipped(folder: Path) -> None:
    whole = bytearray(authentic(folder))
    whole[-1] ^= 1
    _plant(entry_path(folder), bytes(whole))


def another_key(folder: Path) -> None:
    foreign = Store(folder, b"k" * cachestore.KEY_BYTES)
    authentic(folder)  # the folder's own key exists
    foreign.write("test", DIGEST, "1", EMPTY_PARSE)


def another_file(folder: Path) -> None:
    _plant(entry_path(folder), authentic(folder, data=b"other content"))


def another_kind(folder: Path) -> None:
    _plant(entry_path(folder), authentic(folder, kind="hcl"))


def another_parser_version(folder: Path) -> None:
    _plant(entry_path(folder), authentic(folder, version="2"))


def another_purser_version(folder: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cachestore, "__version__", "0.0.1")
        authentic(folder)


def another_schema(folder: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cachestore, "SCHEMA", cachestore.SCHEMA + 1)
        authentic(folder)


def another_build(folder: Path) -> None:
    """Written by other purser code under the same version (a development build)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cachestore, "build", lambda: "another build")
        authentic(folder)


def old_pickle(folder: Path) -> None:
    _plant(entry_path(folder), pickle.dumps((EMPTY_PARSE, None)))


def pickle_of_a_class(folder: Path) -> None:
    _plant(entry_path(folder), pickle.dumps(Path("/etc/passwd")))


def marshal_without_mac(folder: Path) -> None:
    _plant(entry_path(folder), marshal.dumps(EMPTY_PARSE))


def authentic_mac_over_garbage(folder: Path) -> None:
    store = open_store(folder)
    assert store is not None
    garbage = b"\xffnot marshal data"
    _plant(entry_path(folder), store._mac("test", DIGEST, "1", garbage) + garbage)


def huge(folder: Path) -> None:
    path = entry_path(folder)
    _plant(path, authentic(folder))
    os.truncate(path, MAX_ENTRY_BYTES + 1)  # sparse: costs no disk


def a_folder(folder: Path) -> None:
    entry_path(folder).mkdir(parents=True)


def a_fifo(folder: Path) -> None:
    entry_path(folder).parent.mkdir(parents=True)
    os.mkfifo(entry_path(folder))


def _symlink(folder: Path, target: Path | str) -> None:
    entry_path(folder).parent.mkdir(parents=True, exist_ok=True)
    entry_path(folder).symlink_to(target)


def symlink_to_a_fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe")
    _symlink(folder, folder / "pipe")


def symlink_to_dev_zero(folder: Path) -> None:
    _symlink(folder, "/dev/zero")


def dangling_symlink(folder: Path) -> None:
    _symlink(folder, folder / "nowhere")


def symlink_loop(folder: Path) -> None:
    _symlink(folder, entry_path(folder))


def symlink_to_an_outside_file(folder: Path) -> None:
    outside = folder.parent / "outside.txt"
    outside.write_text("not an entry\n")
    _symlink(folder, outside)


def kind_folder_is_a_file(folder: Path) -> None:
    _plant(folder / "test-1", b"a file where a folder should be")


MALFORMED: list[Callable[[Path], None]] = [
    empty_file, truncated, mac_only, mac_flipped, payload_flipped, another_key, another_file,
    another_kind, another_parser_version, another_purser_version, another_schema, another_build,
    old_pickle,
    pickle_of_a_class, marshal_without_mac, authentic_mac_over_garbage, huge, a_folder, a_fifo,
    symlink_to_a_fifo, symlink_to_dev_zero, dangling_symlink, symlink_loop,
    symlink_to_an_outside_file, kind_folder_is_a_file,
]


@pytest.mark.parametrize("plant", MALFORMED, ids=lambda plant: plant.__name__)
def test_a_malformed_entry_is_a_miss_and_the_file_is_parsed(
        tmp_path: Path, plant: Callable[[Path], None]):
    folder = tmp_path / "cache"
    folder.mkdir()
    plant(folder)
    cache.clear_memory()  # as a new process would start
    parser = CountingParser()
    assert cache.cached_parse("test", DATA, "1", parser, folder) == PARSED
    assert parser.calls == 1


def test_an_authentic_entry_is_read_back_without_parsing(tmp_path: Path):
    authentic(tmp_path, value=PARSED)

    def must_not_parse(data: bytes) -> tuple[str, int]:
        raise AssertionError("parsed although the cache holds the result")

    assert cache.cached_parse("test", DATA, "1", must_not_parse, tmp_path) == PARSED


def test_the_key_is_private_and_made_once(tmp_path: Path):
    first = open_store(tmp_path / "cache")
    cachestore.forget_stores()
    second = open_store(tmp_path / "cache")
    assert first is not None and second is not None and first.key == second.key
    mode = (tmp_path / "cache" / "key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def _valid_key_elsewhere(folder: Path) -> Path:
    elsewhere = folder.parent / "real-key"
    elsewhere.write_bytes(b"k" * cachestore.KEY_BYTES)
    elsewhere.chmod(0o600)
    return elsewhere


def key_symlink(folder: Path) -> None:
    (folder / "key").symlink_to(_valid_key_elsewhere(folder))


def key_readable_by_others(folder: Path) -> None:
    (folder / "key").write_bytes(b"k" * cachestore.KEY_BYTES)
    (folder / "key").chmod(0o644)


def key_too_short(folder: Path) -> None:
    (folder / "key").write_bytes(b"k" * 8)
    (folder / "key").chmod(0o600)


def key_a_folder(folder: Path) -> None:
    (folder / "key").mkdir()


def key_a_fifo(folder: Path) -> None:
    os.mkfifo(folder / "key", 0o600)


@pytest.mark.parametrize("plant", [key_symlink, key_readable_by_others, key_too_short,
                                   key_a_folder, key_a_fifo], ids=lambda p: p.__name__)
def test_a_key_that_is_not_private_disables_the_disk_cache(
        tmp_path: Path, plant: Callable[[Path], None]):
    folder = tmp_path / "cache"
    folder.mkdir()
    plant(folder)
    assert open_store(folder) is None
    parser = CountingParser()
    assert cache.cached_parse("test", DATA, "1", parser, folder) == PARSED
    assert not entry_path(folder).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_a_key_owned_by_someone_else_disables_the_disk_cache(tmp_path: Path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "key").write_bytes(b"k" * cachestore.KEY_BYTES)
    (folder / "key").chmod(0o600)
    os.chown(folder / "key", 65534, -1)
    assert open_store(folder) is None


def _commit(work_tree: Path, rel: str, content: bytes) -> None:
    repository = pygit2.init_repository(str(work_tree))
    _plant(work_tree / rel, content)
    repository.index.add(rel)
    repository.index.write()


def test_a_folder_tracked_by_git_is_never_a_store(tmp_path: Path):
    """The original attack: a committed cache with a committed key."""
    folder = tmp_path / "repo" / ".purser" / "cache"
    store = Store(folder, b"k" * cachestore.KEY_BYTES)
    store.write("test", DIGEST, "1", EMPTY_PARSE)
    _plant(folder / "key", store.key)
    (folder / "key").chmod(0o600)
    _commit(tmp_path / "repo", ".purser/cache/key", store.key)
    assert open_store(folder) is None
    parser = CountingParser()
    assert cache.cached_parse("test", DATA, "1", parser, folder) == PARSED


def test_an_untracked_folder_in_a_work_tree_may_be_a_store(tmp_path: Path):
    _commit(tmp_path, "dotfiles.txt", b"a home folder kept in git\n")
    assert open_store(tmp_path / ".cache" / "purser") is not None


def test_refusal_names_a_folder_inside_the_repository(tmp_path: Path):
    root = tmp_path / "repo"
    root.mkdir()
    assert cachestore.refusal(root, root / ".purser" / "cache") == (
        f"{root / '.purser' / 'cache'} is inside the repository being checked")
    assert cachestore.usable_dir(root, root / "cache") is None
    assert cachestore.usable_dir(root, tmp_path / "cache") == tmp_path / "cache"


def test_refusal_sees_through_a_symlink_into_the_repository(tmp_path: Path):
    root = tmp_path / "repo"
    (root / "cache").mkdir(parents=True)
    (tmp_path / "link").symlink_to(root / "cache")
    assert cachestore.refusal(root, tmp_path / "link") is not None


def test_refusal_names_a_tracked_folder_outside_the_checked_folder(tmp_path: Path):
    _commit(tmp_path, ".purser/cache/key", b"k" * 32)
    infra = tmp_path / "infra"
    infra.mkdir()
    assert cachestore.refusal(infra, tmp_path / ".purser" / "cache") == (
        f"{tmp_path / '.purser' / 'cache'} is tracked by git")


def test_default_dir_prefers_purser_cache_dir_then_xdg_then_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PURSER_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachestore.default_dir() == tmp_path / "explicit"
    monkeypatch.delenv("PURSER_CACHE_DIR")
    assert cachestore.default_dir() == tmp_path / "xdg" / "purser"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cachestore.default_dir() == tmp_path / "home" / ".cache" / "purser"


def test_a_value_that_is_not_plain_data_stays_in_memory(tmp_path: Path):
    value = {"when": Path("x")}
    assert cache.cached_parse("test", DATA, "1", lambda _: value, tmp_path) is value
    assert not entry_path(tmp_path).exists()
