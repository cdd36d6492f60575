"""Rego policy files: found, read and vetted before any of them runs.

The policy folder and every `.rego` file are named by the repository under review, so
they are read through `purser.safefile` (inside the repository, regular files, bounded),
the walk never follows a symlinked folder, and the whole set is bounded in files, bytes
and rules. A policy may not name a builtin that reaches outside the policy and its input
(`opa.runtime` hands back the environment; `http.send`, `net.*`): the file is refused
with the line of the call. Each refusal is the file's own error; the other files go on.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from purser import safefile
from purser.config import CONFIG_FILE
from purser.model import SourceError

#: Bounds on the policy folder; real policy sets are a few dozen files of a few KB.
MAX_FILES = 500
MAX_FILE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024
#: rego-cpp compiles 1,000 rules in about a second; 8,000 would take minutes.
MAX_RULES = 1000

Path_ = tuple[str, ...]

RULE_HEAD = re.compile(r"^\s*((?:deny|violation|warn)(?:_\w+)?)\b", re.MULTILINE)
PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$", re.MULTILINE)
PATH_STEP = re.compile(r'\.([A-Za-z_]\w*)|\[\s*"((?:[^"\\]|\\.)*)"\s*\]')
DEFINITION = re.compile(r"\s*([A-Za-z_]\w*)")
NOT_A_RULE = {"package", "import", "else", "if", "contains", "some", "every", "not", "with",
              "as", "in"}

# Builtins that see the world outside the policy and its input, written `a.b` or
# `a["b"]`, with any spacing: matched on the source with comments blanked out.
FORBIDDEN = re.compile(
    r'(?<![\w.$])(opa|http|net)\s*(?:\.\s*([A-Za-z_]\w*)|\[\s*"([A-Za-z_]\w*)"\s*\])')
FORBIDDEN_WHY = ("policies see no environment, no file system and no network "
                 "(opa.runtime, http.send and net.* are not available)")


@dataclass
class Policy:
    """One `.rego` file: where it is, what package it fills, whether it has deny/warn rules."""

    file: str  # repository-relative
    source: str
    package: str

    @cached_property
    def has_rules(self) -> bool:
        return RULE_HEAD.search(masked(self.source, strings=True)) is not None

    def rule_line(self, rule: str | None = None) -> int:
        """The line of the first head of `rule` (0 when this file has none); without a
        rule, of the first deny/warn rule, else of the `package` statement."""
        code = masked(self.source, strings=True)
        if rule is not None:
            head = re.search(rf"^\s*(?:default\s+)?({re.escape(rule)})\b", code, re.MULTILINE)
            return _line_at(code, head.start(1)) if head else 0
        found = RULE_HEAD.search(code) or PACKAGE.search(code)
        return _line_at(code, found.start(1)) if found else 1


def read_policies(folder: Path, root: Path) -> tuple[list[Policy], list[SourceError]]:
    """The policies under `folder`, each read and vetted, in path order."""
    errors: list[SourceError] = []
    base = os.path.realpath(folder)
    if not safefile.is_within(base, os.path.realpath(root)):
        return [], [SourceError(file=CONFIG_FILE, message=(
            "policies.rego: the policy folder resolves outside the repository; no Rego "
            "policy was read"))]
    files = list(_rego_files(base))
    if len(files) > MAX_FILES:
        errors.append(SourceError(file=_relative(files[MAX_FILES], root), line=1, message=(
            f"more than {MAX_FILES} .rego files under the policy folder; this file and the "
            f"{len(files) - MAX_FILES - 1} after it were not read")))
    policies: list[Policy] = []
    budget = _Budget()
    for path in files[:MAX_FILES]:
        file = _relative(path, root)
        try:
            policy = _read_policy(root, file, budget)
        except safefile.Refused as refused:
            errors.append(SourceError(file=file, line=refused.line,
                                      message=f"Rego policy: {refused.reason}"))
            continue
        policies.append(policy)
    return policies, errors


def _rego_files(base: str) -> Iterator[Path]:
    """`.rego` files under `base` in path order, never following a symlinked folder (a
    symlinked file is yielded: `safefile` then refuses it if it leads outside)."""
    for folder, subfolders, names in os.walk(base, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if name != ".git")
        for name in sorted(names):
            if name.endswith(".rego") and not name.endswith("_test.rego"):  # OPA unit tests
                yield Path(folder, name)


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, os.path.realpath(root))).as_posix()


@dataclass
class _Budget:
    """What the files read so far have used of the folder's bounds."""

    total_bytes: int = 0
    rules: int = 0


def _read_policy(root: Path, file: str, budget: _Budget) -> Policy:
    source = safefile.read_text(root, file, MAX_FILE_BYTES)
    if budget.total_bytes + len(source) > MAX_TOTAL_BYTES:
        raise safefile.Refused(f"the policy folder holds more than "
                               f"{MAX_TOTAL_BYTES // 1024**2} MB of Rego; not read", 1)
    code = masked(source, strings=True)
    package = PACKAGE.search(code)
    if package is None:
        raise safefile.Refused("no `package` line with a plain dotted name", 1)
    forbidden = _forbidden_call(source)
    if forbidden:
        raise safefile.Refused(*forbidden)
    rule_lines = _rule_lines(code)
    if budget.rules + len(rule_lines) > MAX_RULES:
        line = rule_lines[MAX_RULES - budget.rules]
        raise safefile.Refused(f"more than {MAX_RULES} Rego rules in the policy folder "
                               f"(this file has {len(rule_lines)}); not loaded", line)
    budget.total_bytes += len(source)
    budget.rules += len(rule_lines)
    return Policy(file, source, package.group(1))


def _forbidden_call(source: str) -> tuple[str, int] | None:
    """(reason, line) of the first forbidden builtin named outside comments and strings."""
    strings = [(start, end) for kind, start, end in _spans(source) if kind == "string"]
    for match in FORBIDDEN.finditer(masked(source, strings=False)):
        if not any(start <= match.start() < end for start, end in strings):
            name = f"{match.group(1)}.{match.group(2) or match.group(3)}"
            return (f"calls {name}, which is refused: {FORBIDDEN_WHY}",
                    _line_at(source, match.start()))
    return None


def _rule_lines(code: str) -> list[int]:
    """Lines where a rule (or function) definition starts: a name at the start of a line
    outside any brace, bracket or parenthesis. `code` has comments and strings blanked."""
    lines: list[int] = []
    depth = 0
    for number, text in enumerate(code.split("\n"), start=1):
        name = DEFINITION.match(text)
        if depth <= 0 and name and name.group(1) not in NOT_A_RULE:
            lines.append(number)
        depth += sum(map(text.count, "{[(")) - sum(map(text.count, "}])"))
    return lines


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --------------------------------------------------------------------------- input paths


def input_paths(policies: list[Policy]) -> list[Path_] | None:
    """Every `input.a.b["c"]` path the policies read, or None when one reads `input` as a
    whole (a bare `input`, a computed index at the top)."""
    paths: set[Path_] = set()
    for policy in policies:
        code = masked(policy.source, strings=False)
        bare = masked(policy.source, strings=True)
        for match in re.finditer(r"(?<![\w.])input\b", bare):
            path = _static_path(code, match.end())
            if not path:
                return None
            paths.add(path)
    return _shortest_prefixes(paths)


def _static_path(code: str, position: int) -> Path_:
    keys: list[str] = []
    while match := PATH_STEP.match(code, position):
        name, quoted = match.group(1), match.group(2)
        if name is None:
            try:
                name = json.loads(f'"{quoted}"')
            except ValueError:
                break  # an escape we do not read: keep the whole value from here
        keys.append(name)
        position = match.end()
    return tuple(keys)


def _shortest_prefixes(paths: set[Path_]) -> list[Path_]:
    kept: list[Path_] = []
    for path in sorted(paths, key=len):
        if not any(path[:len(prefix)] == prefix for prefix in kept):
            kept.append(path)
    return sorted(kept)


# --------------------------------------------------------------------------- lexing


_SPAN = re.compile(r'#[^\n]*|"(?:\\[\s\S]|[^"\\\n])*"?|`[^`]*`?')


def _spans(source: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each comment and string literal in Rego source."""
    for found in _SPAN.finditer(source):
        yield ("comment" if found.group().startswith("#") else "string"), *found.span()


def masked(source: str, *, strings: bool) -> str:
    """`source` with comments (and, when asked, string contents) blanked out; offsets and
    line breaks stay where they were."""

    def blank(found: re.Match[str]) -> str:
        text = found.group()
        if text.startswith("#"):
            return " " * len(text)
        if not strings or len(text) < 2:
            return text
        return text[0] + _NOT_NEWLINE.sub(" ", text[1:-1]) + text[-1]

    return _SPAN.sub(blank, source)


_NOT_NEWLINE = re.compile(r"[^\n]")
