"""Which commits changed the resources behind an anomaly, shortly before it began.

A commit is a suspect when it landed in the window before the anomaly's day (or on that
day: a change at 09:00 bills the rest of it) and it changed one of the root cause's
resources: the resource is loaded at the commit and at its parent and their attributes
compared, so a change made through a variable or a module counts, and an edit next to the
resource does not. Only commits whose changed files include one the resource is written
in are loaded at all.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygit2
from pydantic import BaseModel

from purser.config import Config
from purser.git import load_revision, open_repository
from purser.model import Resource

MAX_CHANGES = 5  # attribute changes named per resource; the rest are counted


class Change(BaseModel):
    """One commit's change to one resource, in words."""

    sha: str
    date: datetime.datetime
    message: str  # the commit's subject line
    resource: str
    changes: list[str]  # e.g. "raised memory_size from 512 to 3008"

    def sentence(self) -> str:
        return (f"commit {self.sha[:7]} ({self.message!r}, {self.date:%Y-%m-%d %H:%M} UTC) "
                f"changed {self.resource}: {'; '.join(self.changes)}")


class History:
    """The repository's commits, and its resources at each, loaded once."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        self.repo = open_repository(root)
        self._resources: dict[str, dict[str, Resource]] = {}
        self._cache = tempfile.TemporaryDirectory(prefix="purser-anomaly-")
        workdir = Path(self.repo.workdir or root).resolve()
        self.prefix = Path(root).resolve().relative_to(workdir).as_posix().strip(".")

    def close(self) -> None:
        self._cache.cleanup()

    def changes(self, day: datetime.date, addresses: list[str], *, window_days: int
                ) -> list[Change]:
        """The changes to `addresses` by commits from `window_days` before `day` to its end,
        oldest first."""
        found = []
        for commit in reversed(list(self._commits(day, window_days))):
            for address in addresses:
                change = self._change(commit, address)
                if change is not None:
                    found.append(change)
        return found

    def _commits(self, day: datetime.date, window_days: int) -> Iterator[pygit2.Commit]:
        if self.repo.head_is_unborn:
            return
        first = _timestamp(day - datetime.timedelta(days=window_days))
        last = _timestamp(day + datetime.timedelta(days=1))
        for commit in self.repo.walk(self.repo.head.target, pygit2.enums.SortMode.TIME):
            if commit.commit_time < first:
                return
            if commit.commit_time < last:
                yield commit

    def _change(self, commit: pygit2.Commit, address: str) -> Change | None:
        after = self.resources(str(commit.id)).get(address)
        if after is None or not self._touches(commit, after):
            return None
        parent = str(commit.parents[0].id) if commit.parents else None
        before = self.resources(parent).get(address) if parent else None
        words = describe(before, after)
        if not words:
            return None
        when = datetime.datetime.fromtimestamp(commit.commit_time, datetime.UTC)
        subject = commit.message.strip().splitlines()[0] if commit.message.strip() else ""
        return Change(sha=str(commit.id), date=when, message=subject, resource=address,
                      changes=words)

    def _touches(self, commit: pygit2.Commit, resource: Resource) -> bool:
        """Whether the commit changed a file the resource is written in."""
        files = {resource.source.file, *(span.file for span in resource.spans.values())}
        diff = commit.parents[0].tree.diff_to_tree(commit.tree) if commit.parents else \
            commit.tree.diff_to_tree(swap=True)
        for delta in diff.deltas:
            path = delta.new_file.path
            if self.prefix and path.startswith(self.prefix + "/"):
                path = path[len(self.prefix) + 1:]
            if path in files:
                return True
        return False

    def resources(self, sha: str) -> dict[str, Resource]:
        if sha not in self._resources:
            loaded = load_revision(self.root, sha, self.config, cache_dir=Path(self._cache.name))
            self._resources[sha] = {r.address: r for r in loaded.resources}
        return self._resources[sha]


def describe(before: Resource | None, after: Resource) -> list[str]:
    """The attribute changes from `before` to `after`, in words, numbers first."""
    if before is None:
        return ["added"]
    old, new = _flat(before.attrs), _flat(after.attrs)
    changed = [key for key in sorted(old.keys() | new.keys()) if old.get(key) != new.get(key)]
    # A template's attribute may sit in the IR under its own spelling and the provider's
    # (ReservedConcurrentExecutions, reserved_concurrent_executions): name it once.
    spellings = {_spelling(key): key for key in reversed(changed)}
    words = [_word(key, old.get(key), new.get(key)) for key in changed
             if spellings[_spelling(key)] == key]
    words.sort(key=lambda w: not w.startswith(("raised", "lowered")))
    if len(words) > MAX_CHANGES:
        words = [*words[:MAX_CHANGES], f"{len(words) - MAX_CHANGES} more attribute changes"]
    return words


def _word(key: str, old: Any, new: Any) -> str:
    if old is None:
        return f"set {key} to {new!r}"
    if new is None:
        return f"removed {key} (was {old!r})"
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    if numbers:
        return f"{'raised' if new > old else 'lowered'} {key} from {old} to {new}"
    return f"changed {key} from {old!r} to {new!r}"


def _spelling(key: str) -> str:
    return key.replace("_", "").lower()


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested attributes as dotted paths: a change deep in a block names its path."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat |= _flat(item, f"{prefix}.{key}" if prefix else str(key))
        return flat
    return {prefix: value}


def _timestamp(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(), datetime.UTC).timestamp())
