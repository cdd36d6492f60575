"""purser.git on real repositories built in tmp_path: read any revision without a checkout."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pygit2
import pytest

from purser import git
from purser.config import Config
from purser.git import Author, GitError
from purser.safefile import MAX_FILE_BYTES

TESTER = Author("tester", "tester@purser.invalid")


def commit_work_tree(repo: pygit2.Repository, message: str) -> str:
    return git.commit_work_tree(Path(repo.workdir), message, TESTER)


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> pygit2.Repository:
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, "main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    write(tmp_path, "README.md", "not a source\n")
    write(tmp_path, "k8s/app.yaml", "kind: ConfigMap\n")
    commit_work_tree(repository, "first")
    write(tmp_path, "main.tf", 'resource "aws_sqs_queue" "q" {\n  name = "v2"\n}\n')
    commit_work_tree(repository, "second")
    return repository


def test_read_file_returns_the_bytes_of_each_revision(tmp_path: Path, repo):
    assert git.read_file(tmp_path, "HEAD~1", "main.tf") == b'resource "aws_sqs_queue" "q" {}\n'
    assert b'"v2"' in (git.read_file(tmp_path, "main", "main.tf") or b"")
    assert git.read_file(tmp_path, "HEAD", "missing.tf") is None


def test_reading_an_old_revision_leaves_the_work_tree_alone(tmp_path: Path, repo):
    write(tmp_path, "main.tf", "# edited, not committed\n")
    files = git.tree_files(tmp_path, "HEAD~1")
    assert {f.rel for f in files} == {"main.tf", "k8s/app.yaml"}
    assert (tmp_path / "main.tf").read_text() == "# edited, not committed\n"


def test_resolve_accepts_branches_relative_revisions_shas_and_tags(tmp_path: Path, repo):
    head = str(repo.head.target)
    first = str(repo[repo.head.target].parents[0].id)
    repo.create_reference("refs/tags/v1", first)
    assert git.resolve(tmp_path, "main") == head
    assert git.resolve(tmp_path, "HEAD~1") == first
    assert git.resolve(tmp_path, first[:10]) == first
    assert git.resolve(tmp_path, "v1") == first


def test_resolve_follows_remote_tracking_branches(tmp_path: Path, repo):
    repo.create_reference("refs/remotes/origin/main", repo.head.target)
    assert git.resolve(tmp_path, "origin/main") == str(repo.head.target)


def test_unknown_revision_is_a_clear_error(tmp_path: Path, repo):
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        git.tree_files(tmp_path, "nope")
    with pytest.raises(GitError, match=r"unknown revision 'HEAD~9'"):
        git.resolve(tmp_path, "HEAD~9")


def test_a_folder_outside_any_repository_is_a_clear_error(tmp_path: Path):
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(GitError, match="not inside a git repository"):
        git.resolve(folder, "HEAD")


def test_infrastructure_root_in_a_subfolder_gets_paths_relative_to_it(tmp_path: Path):
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, "app/main.py", "print()\n")
    write(tmp_path, "infra/main.tf", "# root\n")
    write(tmp_path, "infra/modules/net/main.tf", "# module\n")
    commit_work_tree(repository, "monorepo")
    infra = tmp_path / "infra"
    files = git.tree_files(infra, "HEAD")
    assert [f.rel for f in files] == ["main.tf", "modules/net/main.tf"]
    assert files[0].path == infra.resolve() / "main.tf"
    assert [f.rel for f in git.tree_files(infra, "HEAD", subdir="modules")] == [
        "modules/net/main.tf"]
    assert git.read_file(infra, "HEAD", "modules/net/main.tf") == b"# module\n"


def test_walk_skips_tool_folders_unknown_suffixes_big_binary_ignored_and_excluded_files(
        tmp_path: Path):
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, ".terraform/modules/x/main.tf", "# vendored\n")
    write(tmp_path, ".purserignore", "scratch/\n")
    write(tmp_path, "scratch/try.tf", "# ignored\n")
    (tmp_path / "blob.yaml").write_bytes(b"a: \xff\n")
    write(tmp_path, "node_modules/pkg/package.json", "{}\n")
    write(tmp_path, "big.json", " " * (MAX_FILE_BYTES + 1))
    write(tmp_path, "generated/out.yaml", "a: 1\n")
    write(tmp_path, "main.tf", "# kept\n")
    write(tmp_path, "script.sh", "echo\n")
    commit_work_tree(repository, "all kinds")
    listing = git.list_tree(tmp_path, "HEAD", exclude=["generated/"])
    assert [f.rel for f in listing.files] == ["main.tf"]
    assert [(e.file, e.line) for e in listing.errors] == [("big.json", 0), ("blob.yaml", 1)]
    assert "above the 5 MB limit" in listing.errors[0].message


def test_merge_base_of_two_branches_is_their_fork_point(tmp_path: Path, repo):
    fork = str(repo.head.target)
    git.create_branch(tmp_path, "feature")
    git.commit_files(tmp_path, "feature", {"extra.tf": b"# feature\n"}, "feature work")
    write(tmp_path, "other.tf", "# main moves on\n")
    commit_work_tree(repo, "main work")
    assert git.merge_base(tmp_path, "main", "feature") == fork


def test_commit_files_writes_a_branch_commit_without_touching_the_work_tree(tmp_path: Path, repo):
    start = git.create_branch(tmp_path, "purser/rightsize")
    sha = git.commit_files(
        tmp_path, "purser/rightsize",
        {"main.tf": b"# rightsized\n", "nested/deep/new.tf": b"# new\n", "k8s/app.yaml": None},
        "Rightsize the queue", trailers={"Purser-Recommendation": "rec-42"},
        author=Author("purser bot", "bot@purser.invalid"))
    commit = repo[sha]
    assert [str(p.id) for p in commit.parents] == [start]
    assert commit.author.name == "purser bot"
    assert git.read_file(tmp_path, "purser/rightsize", "main.tf") == b"# rightsized\n"
    assert git.read_file(tmp_path, "purser/rightsize", "nested/deep/new.tf") == b"# new\n"
    assert git.read_file(tmp_path, "purser/rightsize", "k8s/app.yaml") is None
    assert git.commit_trailers(tmp_path, sha) == {"Purser-Recommendation": "rec-42"}
    assert b'"v2"' in (tmp_path / "main.tf").read_bytes()
    assert git.resolve(tmp_path, "main") == str(repo.head.target) != sha
    assert repo.status() == {}


def test_commit_files_in_a_subfolder_root_writes_under_that_folder(tmp_path: Path):
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, "infra/main.tf", "# root\n")
    commit_work_tree(repository, "init")
    infra = tmp_path / "infra"
    git.create_branch(infra, "change")
    git.commit_files(infra, "change", {"lambda.tf": b"# added\n"}, "add lambda")
    assert git.read_file(tmp_path, "change", "infra/lambda.tf") == b"# added\n"


def test_commit_files_refuses_the_checked_out_branch_and_unknown_branches(tmp_path: Path, repo):
    with pytest.raises(GitError, match="checked out"):
        git.commit_files(tmp_path, "main", {"x.tf": b""}, "no")
    with pytest.raises(GitError, match="unknown branch 'ghost'"):
        git.commit_files(tmp_path, "ghost", {"x.tf": b""}, "no")


def test_commit_files_refuses_paths_that_leave_the_root(tmp_path: Path, repo):
    git.create_branch(tmp_path, "b")
    with pytest.raises(GitError, match="invalid path"):
        git.commit_files(tmp_path, "b", {"../escape.tf": b""}, "no")


def test_create_branch_refuses_an_existing_name_unless_forced(tmp_path: Path, repo):
    git.create_branch(tmp_path, "topic", "HEAD~1")
    with pytest.raises(GitError, match="already exists"):
        git.create_branch(tmp_path, "topic")
    assert git.create_branch(tmp_path, "topic", "HEAD", force=True) == str(repo.head.target)


def test_with_trailers_appends_one_line_per_trailer_after_a_blank_line():
    assert git.with_trailers("Subject\n\nBody\n", {"A": "1", "B-C": "two"}) == (
        "Subject\n\nBody\n\nA: 1\nB-C: two\n")
    with pytest.raises(GitError):
        git.with_trailers("s", {"bad: key": "v"})


def test_load_revision_parses_the_old_files_not_the_work_tree(tmp_path: Path, repo):
    write(tmp_path, "main.tf", 'resource "aws_sqs_queue" "renamed" {}\n')
    loaded = git.load_revision(tmp_path, "HEAD~1", Config())
    queues = [r.address for r in loaded.resources if r.type == "aws_sqs_queue"]
    assert queues == ["aws_sqs_queue.q"]
    head = git.load_revision(tmp_path, "HEAD", Config())
    assert [r.get("name") for r in head.resources if r.type == "aws_sqs_queue"] == ["v2"]


def test_load_revision_reads_excluded_modules_from_the_revision_not_the_disk(tmp_path: Path):
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, "main.tf", 'module "q" {\n  source = "./modules/q"\n}\n')
    write(tmp_path, "modules/q/main.tf",
          'resource "aws_sqs_queue" "q" {\n  name = "committed"\n}\n')
    commit_work_tree(repository, "first")
    write(tmp_path, "modules/q/main.tf", 'resource "aws_sqs_queue" "q" {\n  name = "edited"\n}\n')
    config = Config.model_validate({"policies": {"exclude": ["modules/"]}})
    loaded = git.load_revision(tmp_path, "HEAD", config)
    assert [(r.address, r.attrs["name"]) for r in loaded.resources] == [
        ("module.q.aws_sqs_queue.q", "committed")]


def test_commit_work_tree_makes_a_main_branch_then_commits_every_change(tmp_path: Path):
    write(tmp_path, "main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    first = git.commit_work_tree(tmp_path, "first", TESTER)
    repository = pygit2.Repository(str(tmp_path))
    assert repository.head.shorthand == "main"
    write(tmp_path, "k8s/app.yaml", "kind: ConfigMap\n")
    second = git.commit_work_tree(tmp_path, "second", TESTER)
    commit = repository[second]
    assert [str(p) for p in commit.parent_ids] == [first]
    assert commit.author.email == "tester@purser.invalid"
    assert git.read_file(tmp_path, "HEAD", "k8s/app.yaml") == b"kind: ConfigMap\n"


def test_commit_work_tree_dates_the_commit_when_asked(tmp_path: Path):
    write(tmp_path, "main.tf", 'resource "aws_sqs_queue" "q" {}\n')
    when = datetime(2025, 3, 14, 17, 30, tzinfo=timezone(timedelta(hours=2)))
    sha = git.commit_work_tree(tmp_path, "dated", TESTER, at=when)
    commit = pygit2.Repository(str(tmp_path))[sha]
    assert (commit.commit_time, commit.commit_time_offset) == (int(when.timestamp()), 120)
    assert commit.author.time == commit.commit_time


def test_a_module_folder_at_a_revision_skips_links_and_refuses_leaving_the_root(
        tmp_path: Path):
    repository = pygit2.init_repository(str(tmp_path), initial_head="main")
    write(tmp_path, "secret/keys.tf", "# outside the infrastructure root\n")
    write(tmp_path, "infra/modules/m/main.tf", "# module\n")
    (tmp_path / "infra/modules/m/passwd.tf").symlink_to("/etc/passwd")
    commit_work_tree(repository, "links")
    tree = git.GitTree.at(tmp_path / "infra", "HEAD")
    assert tree.read_folder("modules/m") == {"main.tf": b"# module\n"}
    with pytest.raises(OSError, match="outside the repository"):
        tree.read_folder("../secret")
