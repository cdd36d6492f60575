"""Bounds on evaluating a repository's Terraform, and the error raised when one trips.

A pull request from a stranger may hold Terraform written to exhaust the checker: a
`count` of ten million, locals that double a list at each step, nested `for` loops of a
billion iterations, regular expressions that backtrack for ever, modules that call each
other. Every such construct meets one of the bounds below and becomes the error of the file
and line that wrote it; nothing is silently cut short. Real configurations stay far below
them: the largest in the benchmarks use under a thousandth of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

#: Instances of one resource or module call (`count`, `for_each`).
MAX_INSTANCES = 10_000
#: Resource instances of one repository, all root modules together.
MAX_RESOURCES = 100_000
#: Size of one value: its list and map elements plus the characters of its strings, a part
#: counted each time it appears (a list holding one big list twice weighs twice as much).
MAX_VALUE_SIZE = 1_000_000
#: Characters of one string.
MAX_STRING = 1_000_000
#: Integers are those of 64-bit arithmetic: |n| below this.
MAX_INTEGER = 2**63
#: Width and precision of a `format` verb.
MAX_FORMAT_WIDTH = 10_000
#: Steps of one root module's evaluation: `for` iterations and collection elements built.
MAX_WORK = 1_000_000
#: Module instances below one root module, and how deep calls nest.
MAX_MODULES = 10_000
MAX_MODULE_DEPTH = 20


class EvaluationError(Exception):
    """An expression Terraform would refuse, or one that trips a bound. The evaluator does
    not know lines: the innermost site that does (an attribute, a block) fills in `line`,
    and the innermost that knows its file fills in `file`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.file = ""
        self.line = 0

    def at(self, file: str = "", line: int = 0) -> EvaluationError:
        if not self.line:
            self.line = line
        if not self.file:
            self.file = file
        return self


class Budget:
    """The work one root module's evaluation may still do, and the errors it met that did
    not stop it (a module call that could not be followed, a resource that tripped a
    bound: the rest of the module is still evaluated)."""

    __slots__ = ("errors", "modules", "work")

    def __init__(self) -> None:
        self.work = 0
        self.modules = 0
        self.errors: list[EvaluationError] = []

    def spend(self, units: int) -> None:
        self.work += units
        if self.work > MAX_WORK:
            raise EvaluationError(f"evaluation needs more than {MAX_WORK:,} steps (a loop "
                                  "or expansion too large to check); not evaluated")

    def add_modules(self, count: int) -> None:
        self.modules += count
        if self.modules > MAX_MODULES:
            raise EvaluationError(f"more than {MAX_MODULES:,} module instances below one "
                                  "root module; not evaluated")

    def report(self, error: EvaluationError) -> None:
        self.errors.append(error)


class _Unbudgeted(Budget):
    """Outside `budget()` (a unit test calling the evaluator directly): nothing is counted,
    and an error has nowhere to go but up."""

    def spend(self, units: int) -> None:
        pass

    def add_modules(self, count: int) -> None:
        pass

    def report(self, error: EvaluationError) -> None:
        raise error


_CURRENT: ContextVar[Budget | None] = ContextVar("purser_hcl_budget", default=None)


@contextmanager
def budget() -> Iterator[Budget]:
    """A fresh budget for the evaluation inside the `with` block."""
    fresh = Budget()
    token = _CURRENT.set(fresh)
    try:
        yield fresh
    finally:
        _CURRENT.reset(token)


def current_budget() -> Budget:
    return _CURRENT.get() or _Unbudgeted()


def spend(units: int) -> None:
    """Charge the current evaluation; outside `budget()` nothing is counted."""
    current = _CURRENT.get()
    if current is not None:
        current.spend(units)


def check_size(value: T) -> T:
    """`value` itself, once its size is known to be within MAX_VALUE_SIZE (the walk is
    charged as work: it stops as soon as the bound is passed)."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise EvaluationError(string_too_long(len(value)))
        return value
    if not isinstance(value, list | dict):
        return value
    size = 0
    visited = 0
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        visited += 1
        if isinstance(item, str):
            size += len(item)
        elif isinstance(item, list):
            size += len(item)
            pending.extend(item)
        elif isinstance(item, dict):
            size += len(item)
            pending.extend(item)  # the keys' characters count too
            pending.extend(item.values())
        if size > MAX_VALUE_SIZE:
            raise EvaluationError(f"a value of more than {MAX_VALUE_SIZE:,} elements and "
                                  "characters; not evaluated")
    spend(visited)
    return value


def string_too_long(length: int) -> str:
    return f"a string of {length:,} characters, above the {MAX_STRING:,} limit; not evaluated"


def check_integer(value: int) -> int:
    if not -MAX_INTEGER < value < MAX_INTEGER:
        raise EvaluationError("an integer beyond 64 bits; not evaluated")
    return value
