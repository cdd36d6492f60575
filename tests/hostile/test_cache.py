"""Attack: a parse cache committed to the repository, crafted to hide its worst resources.

The old gate trusted `.purser/cache/<kind>-<version>/<digest>.pickle` inside the checked
repository, so an entry holding an empty parse for the attacker's own file made an SSH
security group open to the world and a privileged pod vanish (exit 0). The cache now lives
outside the repository and only entries with this user's MAC are read.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from purser.git import commit_work_tree
from purser.sources.cachestore import Store
from purser.sources.hcl.parse import VERSION as HCL_VERSION

from .conftest import build, run_purser

SECURITY_GROUP = """\
resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: root-pod
spec:
  containers:
    - name: app
      image: busybox:1.36
      securityContext:
        privileged: true
"""

# An empty parse per kind and parser version, as every earlier purser would have read it.
EMPTY_PARSES = {
    "hcl-hcl-ast-1": (({}, []), None),
    "hcl-hcl-ast-2": (({}, []), None),
    f"hcl-{HCL_VERSION}": (({}, []), None),
    "kubernetes-1": {"documents": []},
    "cloudformation-1": {"template": None, "lines": {}},
}
PLANTED_KEY = b"attacker-chosen-key-32-bytes!!!!"


def planted_cache(files: dict[str, str]) -> dict[str, str | bytes]:
    """`.purser/cache` entries claiming that every file parses to nothing: old pickles in
    every layout the old code used, and new entries signed with a key planted beside them."""
    folder = ".purser/cache"
    planted: dict[str, str | bytes] = {f"{folder}/key": PLANTED_KEY}
    for text in files.values():
        digest = hashlib.sha256(text.encode()).hexdigest()
        for kind_version, empty in EMPTY_PARSES.items():
            planted[f"{folder}/{kind_version}/{digest}.pickle"] = pickle.dumps(empty)
    return planted


def sign_new_entries(root: Path, files: dict[str, str]) -> None:
    store = Store(root / ".purser" / "cache", PLANTED_KEY)
    for text in files.values():
        digest = hashlib.sha256(text.encode()).hexdigest()
        for kind_version, empty in EMPTY_PARSES.items():
            kind, _, version = kind_version.partition("-")
            store.write(kind, digest, version, empty)


@pytest.fixture
def hostile_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The attacker's pull request, committed; the user's home and cache are in tmp_path."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
    monkeypatch.delenv("PURSER_CACHE_DIR", raising=False)
    files = {"main.tf": SECURITY_GROUP, "pod.yaml": PRIVILEGED_POD}
    root = build(tmp_path / "repo", {**files, **planted_cache(files)})
    (root / ".purser" / "cache" / "key").chmod(0o600)
    sign_new_entries(root, files)
    commit_work_tree(root, "innocent change")
    return root


def assert_both_criticals(stdout: str) -> None:
    assert "main.tf:1  PUR-SEC-028" in stdout
    assert "pod.yaml:1  PUR-SEC-034" in stdout


def test_a_committed_cache_cannot_hide_the_critical_findings(hostile_repository: Path,
                                                             tmp_path: Path):
    first = run_purser("check", hostile_repository, "--no-cost")
    first.assert_clean()
    assert first.code == 1
    assert_both_criticals(first.stdout)
    assert "parse cache not used" not in first.stderr  # the default cache: outside the tree
    assert (tmp_path / "home" / ".cache" / "purser" / "key").is_file()
    second = run_purser("check", hostile_repository, "--no-cost")  # from the user's cache
    assert (second.code, second.stdout) == (first.code, first.stdout)


@pytest.mark.parametrize("how", ["--cache-dir", "PURSER_CACHE_DIR"])
def test_a_cache_dir_inside_the_repository_is_ignored_with_a_notice(
        hostile_repository: Path, monkeypatch: pytest.MonkeyPatch, how: str):
    inside = hostile_repository / ".purser" / "cache"
    if how == "PURSER_CACHE_DIR":
        monkeypatch.setenv("PURSER_CACHE_DIR", str(inside))
        outcome = run_purser("check", hostile_repository, "--no-cost")
    else:
        outcome = run_purser("check", hostile_repository, "--no-cost", "--cache-dir", inside)
    outcome.assert_clean()
    assert outcome.code == 1
    assert_both_criticals(outcome.stdout)
    assert (f"notice: parse cache not used: {inside} is inside the repository being checked"
            in outcome.stderr)


def test_purser_cost_ignores_a_cache_dir_inside_the_repository(hostile_repository: Path):
    inside = hostile_repository / ".purser" / "cache"
    outcome = run_purser("cost", hostile_repository, "--format", "json", "--cache-dir", inside)
    outcome.assert_clean()
    assert outcome.code == 0
    assert "aws_security_group.ssh" in outcome.stdout
    assert "is inside the repository being checked" in outcome.stderr
