"""The repository walk: which files are read, which are refused, and how it says so."""

import os
from pathlib import Path

import pytest

from purser.safefile import MAX_FILE_BYTES
from purser.sources.walk import walk


def write(root: Path, rel: str, data: str | bytes = "x = 1\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path


def rels(root: Path, exclude: list[str] | None = None) -> list[str]:
    return [f.rel for f in walk(root, exclude or []).files]


def test_reads_only_the_extensions_some_format_reads(tmp_path: Path) -> None:
    for name in ("main.tf", "prod.tfvars", "plan.json", "k.yaml", "s.yml", "stack.template",
                 "UPPER.YAML", "README.md", "app.py", "Makefile", "terraform.tfstate"):
        write(tmp_path, name)
    assert rels(tmp_path) == ["UPPER.YAML", "k.yaml", "main.tf", "plan.json", "prod.tfvars",
                              "s.yml", "stack.template"]


def test_files_come_back_sorted_by_relative_posix_path_with_their_bytes(tmp_path: Path) -> None:
    write(tmp_path, "b/z.tf", "b")
    write(tmp_path, "a.tf", "a")
    write(tmp_path, "b/a/y.tf", "y")
    walked = walk(tmp_path)
    assert [f.rel for f in walked.files] == ["a.tf", "b/a/y.tf", "b/z.tf"]
    assert [f.data for f in walked.files] == [b"a", b"y", b"b"]
    assert walked.files[1].path == (tmp_path / "b" / "a" / "y.tf").resolve()
    assert walked.errors == []


def test_never_enters_tool_and_dependency_folders(tmp_path: Path) -> None:
    for folder in (".git", ".purser", ".terraform", ".venv", "node_modules",
                   "app/node_modules", "infra/.terraform/modules"):
        write(tmp_path, f"{folder}/x.tf")
    write(tmp_path, "infra/main.tf")
    assert rels(tmp_path) == ["infra/main.tf"]


def test_honours_gitignore_purserignore_and_configured_excludes(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "build/\n*.tfvars\n!keep.tfvars\n")
    write(tmp_path, ".purserignore", "/legacy\n")
    for rel in ("build/x.tf", "a/build/y.tf", "secret.tfvars", "keep.tfvars", "legacy/old.tf",
                "src/legacy/new.tf", "vendor/v.yaml", "main.tf"):
        write(tmp_path, rel)
    assert rels(tmp_path, exclude=["vendor/**"]) == ["keep.tfvars", "main.tf",
                                                     "src/legacy/new.tf"]


def test_symlink_to_a_file_outside_the_repository_is_one_error(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", write(tmp_path, "elsewhere/secrets.yaml", "k: v\n")
    write(repo, "main.tf")
    (repo / "stolen.yaml").symlink_to(outside)
    walked = walk(repo)
    assert [f.rel for f in walked.files] == ["main.tf"]
    assert [str(e) for e in walked.errors] == [
        f"stolen.yaml: symlink points outside the repository ({outside.resolve()}); "
        "not followed"]


def test_symlink_to_a_folder_outside_the_repository_is_one_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, "elsewhere/x.tf")
    write(repo, "main.tf")
    (repo / "modules").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    walked = walk(repo)
    assert [f.rel for f in walked.files] == ["main.tf"]
    [error] = walked.errors
    assert error.file == "modules" and "outside the repository" in error.message


def test_symlinks_inside_the_repository_are_read_once(tmp_path: Path) -> None:
    write(tmp_path, "shared/providers.tf", "provider")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "providers.tf").symlink_to("../shared/providers.tf")
    (tmp_path / "alias").symlink_to("shared", target_is_directory=True)
    walked = walk(tmp_path)
    assert [(f.rel, f.data) for f in walked.files] == [
        ("app/providers.tf", b"provider"), ("shared/providers.tf", b"provider")]
    assert walked.errors == []


def test_symlink_loops_are_one_error_each(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..", target_is_directory=True)
    walked = walk(tmp_path)
    assert walked.files == []
    assert sorted((e.file, e.message.split(";")[0].split(" (")[0]) for e in walked.errors) == [
        ("a.yaml", "symlink loop"), ("b.yaml", "symlink loop"), ("sub/up", "symlink loop")]


def test_broken_links_are_reported_only_for_files_of_interest(tmp_path: Path) -> None:
    (tmp_path / "gone.tf").symlink_to("missing.tf")
    (tmp_path / "notes.txt").symlink_to("missing.txt")
    [error] = walk(tmp_path).errors
    assert error.file == "gone.tf" and "broken link" in error.message


def test_a_file_above_the_size_limit_is_one_error_and_not_read(tmp_path: Path) -> None:
    with open(tmp_path / "huge.json", "wb") as stream:
        stream.truncate(50 * 1024 * 1024)
    write(tmp_path, "just-right.yaml", b"#" * MAX_FILE_BYTES)
    walked = walk(tmp_path)
    assert [f.rel for f in walked.files] == ["just-right.yaml"]
    assert [str(e) for e in walked.errors] == [
        "huge.json: file is 50.0 MB, above the 5 MB limit; skipped"]


def test_a_file_that_is_not_utf8_is_one_error_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "latin1.yaml", "a: 1\nname: caf\xe9\n".encode("latin-1"))
    write(tmp_path, "ok.yaml", "name: café\n")
    walked = walk(tmp_path)
    assert [f.rel for f in walked.files] == ["ok.yaml"]
    assert [str(e) for e in walked.errors] == [
        "latin1.yaml:2: not valid UTF-8 (byte 0xe9); skipped"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_one_error(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.tf")
    locked.chmod(0)
    write(tmp_path, "open.tf")
    walked = walk(tmp_path)
    assert [f.rel for f in walked.files] == ["open.tf"]
    assert [str(e) for e in walked.errors] == ["locked.tf: cannot read: permission denied"]


def test_a_fifo_named_like_a_source_is_reported_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    write(tmp_path, "open.tf")
    walked = walk(tmp_path)
    assert [f.rel for f in walked.files] == ["open.tf"]
    assert [(e.file, e.message) for e in walked.errors] == [
        ("pipe.yaml", "not a regular file (a FIFO); not read")]


def test_walks_a_wide_tree_in_path_order(tmp_path: Path) -> None:
    for folder in range(10):
        (tmp_path / f"d{folder:03}").mkdir()
        for index in range(100):
            (tmp_path / f"d{folder:03}" / f"f{index:03}.tf").write_bytes(b"")
    walked = walk(tmp_path)
    assert len(walked.files) == 1_000
    assert walked.files[0].rel == "d000/f000.tf" and walked.files[-1].rel == "d009/f099.tf"
    assert walked.files == sorted(walked.files, key=lambda f: f.rel)


def test_an_ignore_file_that_is_a_device_or_a_link_out_ignores_nothing(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").symlink_to("/dev/zero")
    write(tmp_path, "main.tf")
    assert [f.rel for f in walk(tmp_path).files] == ["main.tf"]


def test_a_link_out_inside_a_module_folder_is_reported_once(tmp_path: Path) -> None:
    from purser.config import Config
    from purser.sources import load_repository

    write(tmp_path, "main.tf", 'module "m" {\n  source = "./modules/m"\n}\n')
    write(tmp_path, "modules/m/main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    (tmp_path / "modules/m/passwd.tf").symlink_to("/etc/passwd")
    loaded = load_repository(tmp_path, Config())
    assert [e.file for e in loaded.errors] == ["modules/m/passwd.tf"]
    assert [r.address for r in loaded.resources] == ["module.m.aws_sqs_queue.q"]


def test_the_walk_opens_the_names_and_extensions_the_formats_declare(tmp_path: Path):
    for name in ("Kustomization", "main.tf", "notes.txt", "app.json", "script.py"):
        (tmp_path / name).write_text("x")
    assert sorted(f.rel for f in walk(tmp_path).files) == ["Kustomization", "app.json",
                                                           "main.tf"]
