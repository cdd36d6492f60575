"""The Rego sandbox: user policies run in a child process that cannot take purser down.

The child (`purser.policy.rego_worker`) starts with an empty environment, so a policy
that reached a builtin the reader missed would find nothing to leak, and it is watched:
a step (a compile, or one package on one input) that runs past STEP_SECONDS, resident
memory past MEMORY_BYTES, or a crash of rego-cpp stops it. The child reports each step
in a fixed order, so the step that was running is known: its policy gets the error (with
its line), and the child is started again without it, so the other policies still run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from purser.model import SourceError
from purser.policy.rego_source import Policy

#: The whole Rego stage, all restarts included.
TOTAL_SECONDS = 30.0
#: One step: compiling the policies, or one package on one input (normally milliseconds).
STEP_SECONDS = 10.0
#: Resident memory of the child; an address-space rlimit cannot be used, because rego-cpp's
#: allocator (snmalloc) reserves terabytes of address space when it starts.
MEMORY_BYTES = 2 * 1024**3
#: Findings and messages the child may send back in all.
MAX_OUTPUT_BYTES = 64 * 1024**2
#: Policies stopped and left out before the rest are given up.
MAX_RESTARTS = 5
POLL_SECONDS = 0.05

_BOOT = "import sys; sys.path[:] = sys.argv[1:]; from purser.policy import rego_worker; " \
        "rego_worker.main()"
_DATA_REF = re.compile(r"\bdata\.([A-Za-z_][\w.]*)")

Results = dict[tuple[int, str], list[tuple[str, Any]]]  # (document, package) → (rule, entry)


@dataclass
class Evaluation:
    results: Results = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)

    def add_error(self, error: SourceError) -> None:
        if error not in self.errors:  # a restart compiles, and complains, again
            self.errors.append(error)


def evaluate(policies: list[Policy], documents: list[Any], labels: list[str]) -> Evaluation:
    """Every package with deny/warn rules on every document; `labels[i]` names document i
    in an error (the address of a resource it stands for)."""
    evaluation = Evaluation()
    deadline = time.monotonic() + TOTAL_SECONDS
    start, skip = 0, set[str]()
    for _ in range(MAX_RESTARTS + 1):
        run = _run(_request(policies, documents, start, skip), deadline)
        evaluation.results.update(run.results)
        for error in run.errors:
            evaluation.add_error(error)
        for index, package, message in run.failures:
            evaluation.add_error(_failure(policies, package, message, labels[index]))
            skip.add(package)
        if not run.stop:
            return evaluation
        if run.packages is None:
            policies = _without_compile_stoppers(policies, run.stop, evaluation, deadline)
            continue
        step = run.next_step(len(documents), skip)
        if step is None:
            return evaluation
        start, package = step
        evaluation.add_error(_stopped(policies, package, run.stop, labels[start]))
        skip.add(package)
        if time.monotonic() >= deadline:
            break
    _give_up(policies, skip, evaluation)
    return evaluation


def _request(policies: list[Policy], documents: list[Any], start: int = 0,
             skip: set[str] | None = None, *, compile_only: bool = False) -> dict[str, Any]:
    return {"policies": [{"file": p.file, "source": p.source, "package": p.package,
                          "rules": p.has_rules} for p in policies],
            "documents": documents, "start": start, "skip": sorted(skip or ()),
            "compile_only": compile_only, "cpu_seconds": int(TOTAL_SECONDS) + 5}


# --------------------------------------------------------------------------- blame


def _rule_files(policies: list[Policy], package: str) -> list[Policy]:
    return [p for p in policies if p.package == package and p.has_rules] or [
        p for p in policies if p.package == package]


def _failure(policies: list[Policy], package: str, message: str, label: str) -> SourceError:
    """An evaluation error (rego-cpp names the rule: `data.pkg.rule`), at that rule."""
    policy = _rule_files(policies, package)[0]
    line = policy.rule_line()
    named = _DATA_REF.search(message)
    if named:
        rule_package, _, rule = named.group(1).rpartition(".")
        for candidate in policies:
            if candidate.package == rule_package and candidate.rule_line(rule):
                policy, line = candidate, candidate.rule_line(rule)
                break
    return SourceError(file=policy.file, line=line, message=(
        f"Rego evaluation of package {package} failed on {label}: {message}; its rules "
        "were skipped from there on"))


def _stopped(policies: list[Policy], package: str, reason: str, label: str) -> SourceError:
    policy = _rule_files(policies, package)[0]
    return SourceError(file=policy.file, line=policy.rule_line(), message=(
        f"Rego package {package} was stopped on {label}: it {reason}; its rules were not "
        "evaluated from there on"))


def _give_up(policies: list[Policy], skip: set[str], evaluation: Evaluation) -> None:
    """Packages not finished because the time or the restarts ran out: each an error."""
    for package in dict.fromkeys(p.package for p in policies if p.has_rules):
        if package not in skip:
            policy = _rule_files(policies, package)[0]
            evaluation.add_error(SourceError(file=policy.file, line=policy.rule_line(), message=(
                f"Rego package {package} was not evaluated on every resource: the Rego stage "
                f"reached its limits ({TOTAL_SECONDS:g} s, {MAX_RESTARTS} restarts)")))


def _without_compile_stoppers(policies: list[Policy], reason: str, evaluation: Evaluation,
                              deadline: float) -> list[Policy]:
    """The policies left once those whose compilation stops the child are reported."""
    stoppers = _compile_stoppers(policies, deadline)
    for policy in stoppers:
        evaluation.add_error(SourceError(file=policy.file, line=policy.rule_line(), message=(
            f"compiling this Rego policy {reason}; it was left out")))
    return [p for p in policies if p not in stoppers]


def _compile_stoppers(policies: list[Policy], deadline: float) -> list[Policy]:
    """Found by halving: a half that stops alone is searched further; when neither half
    stops alone (together they do), or time is out, all of them are blamed."""
    if len(policies) <= 1 or time.monotonic() >= deadline:
        return policies
    middle = len(policies) // 2
    stoppers: list[Policy] = []
    for half in (policies[:middle], policies[middle:]):
        if _run(_request(half, [], compile_only=True), deadline).stop:
            stoppers += _compile_stoppers(half, deadline)
    return stoppers or policies


# --------------------------------------------------------------------------- the child


@dataclass
class _Run:
    """What one child reported before it finished or was stopped."""

    packages: list[str] | None = None
    results: Results = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)
    failures: list[tuple[int, str, str]] = field(default_factory=list)
    last: tuple[int, str] | None = None
    start: int = 0
    done: bool = False
    stop: str = ""  # why the child was stopped; empty when it finished

    def take(self, line: bytes) -> None:
        ((kind, value),) = json.loads(line).items()
        if kind == "error":
            self.errors.append(SourceError(**value))
        elif kind == "packages":
            self.packages = [str(p) for p in value]
        elif kind == "result":
            index, package, found = value
            self.results[index, package] = [(rule, entry) for rule, entry in found]
            self.last = index, package
        elif kind == "failed":
            index, package, message = value
            self.failures.append((index, package, str(message)))
            self.last = index, package
        elif kind == "done":
            self.done = True

    def next_step(self, documents: int, skip: set[str]) -> tuple[int, str] | None:
        """The (document, package) the child was on when it stopped, if any was left."""
        order = self.packages or []
        index, after = self.last if self.last else (self.start, None)
        position = order.index(after) + 1 if after in order else 0
        following = [p for p in order[position:] if p not in skip]
        if following and index < documents:
            return index, following[0]
        live = [p for p in order if p not in skip]
        return (index + 1, live[0]) if live and index + 1 < documents else None


def _run(request: dict[str, Any], deadline: float) -> _Run:
    run = _Run(start=request["start"])
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stderr:
        stdin.write(json.dumps(request, default=str).encode("utf-8"))
        stdin.seek(0)
        try:
            child = subprocess.Popen(
                [sys.executable, "-I", "-c", _BOOT, *[p for p in sys.path if p]],
                stdin=stdin, stdout=subprocess.PIPE, stderr=stderr, env={}, cwd="/")
        except OSError as exc:
            run.stop = f"could not start the Rego worker ({exc.strerror or exc})"
            return run
        try:
            _follow(child, run, deadline)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            if child.stdout:
                child.stdout.close()
        if not run.done and not run.stop:
            stderr.seek(0)
            run.stop = _crash(child.returncode, stderr.read())
    return run


def _follow(child: subprocess.Popen[bytes], run: _Run, deadline: float) -> None:
    """Read the child's lines until it ends; stop it past a limit (sets `run.stop`)."""
    assert child.stdout is not None
    output, pending, received = child.stdout.fileno(), b"", 0
    step_deadline = time.monotonic() + STEP_SECONDS
    while True:
        ready, _, _ = select.select([output], [], [], POLL_SECONDS)
        if ready:
            chunk = os.read(output, 1 << 16)
            if not chunk:
                return
            received += len(chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            if lines:
                step_deadline = time.monotonic() + STEP_SECONDS
            for line in lines:
                try:
                    run.take(line)
                except (ValueError, TypeError, KeyError):
                    run.stop = "sent output that cannot be read"
                    return
        run.stop = _limit_passed(child.pid, received, step_deadline, deadline)
        if run.stop:
            return


def _limit_passed(pid: int, received: int, step_deadline: float, deadline: float) -> str:
    now = time.monotonic()
    if now > deadline:
        return f"ran past the {TOTAL_SECONDS:g} s limit of all Rego evaluation"
    if now > step_deadline:
        return f"ran past the {STEP_SECONDS:g} s limit"
    if _resident_bytes(pid) > MEMORY_BYTES:
        return f"used more than {MEMORY_BYTES / 1024**3:g} GB of memory"
    if received > MAX_OUTPUT_BYTES:
        return f"produced more than {MAX_OUTPUT_BYTES // 1024**2} MB of results"
    return ""


def _resident_bytes(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError), open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return 0


def _crash(code: int, stderr: bytes) -> str:
    """Why a child ended without finishing: its signal or exit code, and its last word."""
    how = (f"crashed the Rego engine ({signal.Signals(-code).name})" if code < 0
           else f"ended the Rego engine (exit code {code})")
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()
             if line.strip() and "Traceback" not in line]
    return f"{how}: {lines[-1][:200]}" if lines else how
