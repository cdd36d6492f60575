"""Where each attribute's value was written, and where that value came from.

`Resource.spans[path]` is the text written for an attribute in the resource's own
definition (its value in the Terraform block, the node in the manifest or template), or,
when nothing is written there, the place it was inherited from (a SAM `Globals` entry).
`Resource.origins[path]` is the chain behind a value that is not a literal written right
there: the variable default, tfvars entry, `-var`, module input or local it came from,
each with its own span and the places *its* value came from (`via`). An attribute with a
span and no origin is the literal at its span: what a recommendation edits.

Paths are dotted, with an index for every list step (`environment.0.variables`,
`spec.template.spec.containers.0.image`), as `purser.model.dig` reads them.

Both types are tuples: a check records one span per attribute of every resource, the parse
cache stores them as plain data, and origins of shared variables are shared objects. A
reader hands a resource its tables as `Deferred` mappings over the rows it already holds
(the parse's own positions): most checks never ask where a value came from, so the `Span`s
and `Origin`s of a resource are made the first time someone does (explain, a
recommendation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated, Any, Generic, NamedTuple, TypeVar

from pydantic import PlainSerializer, SkipValidation


class Span(NamedTuple):
    """A piece of a file: 1-based first and last line, byte offsets [start, end)."""

    file: str
    line: int
    end_line: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "(command line)"

    def text(self, data: bytes) -> str:
        """The span's text in `data`, the bytes of its file."""
        return data[self.start:self.end].decode("utf-8", "replace")


def spans_in(file: str, rows: Iterable[tuple[str, int, int, int, int]]) -> dict[str, Span]:
    """The spans of one file from plain (path, line, end_line, start, end) rows, the parse
    cache's form. Built straight from the tuple: a manifest has one per value."""
    new = tuple.__new__
    return {path: new(Span, (file, line, end_line, start, end))
            for path, line, end_line, start, end in rows}


Where = tuple[int, int, int, int]  # (line, end_line, start byte, end byte) in a known file


def spans_at(file: str, written: Mapping[str, Where]) -> dict[str, Span]:
    """The spans of one file from path → (line, end_line, start, end), the HCL parse's form."""
    new = tuple.__new__
    return {path: new(Span, (file, *where)) for path, where in written.items()}


V = TypeVar("V")


class Deferred(Mapping[str, V], Generic[V]):
    """A read-only path → value table built by `build` the first time it is read. Immutable
    once built, so resources (and copies of them) share it."""

    __slots__ = ("_build", "_table")

    def __init__(self, build: Callable[[], dict[str, V]]) -> None:
        self._build: Callable[[], dict[str, V]] | None = build
        self._table: dict[str, V] = {}

    @property
    def table(self) -> dict[str, V]:
        build = self._build  # two threads may both build it: the same table, either kept
        if build is not None:
            self._table = build()
            self._build = None
        return self._table

    def __getitem__(self, path: str) -> V:
        return self.table[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return repr(self.table)


class OriginKind(StrEnum):
    expression = "expression"  # computed in place from the values in `via`
    local = "local value"
    variable_default = "variable default"
    tfvars = "tfvars"
    cli_var = "-var"
    module_input = "module input"
    # `each.value…` and `each.key`: the element of the for_each collection, or its key,
    # where that is written (`via`: the collection's own origin), else the for_each text.
    for_each_element = "for_each element"
    for_each_key = "for_each key"
    count_index = "count.index"  # the instance's index, counted by the `count` at the span
    sam_globals = "SAM Globals"
    parameter_default = "parameter default"


class Origin(NamedTuple):
    """One place a value came from; `via` are the places its own text read from (none when
    that text is a literal)."""

    kind: OriginKind
    name: str  # the variable, local, input, Globals entry or parameter; the path for expressions
    span: Span | None  # None for a `-var` given on the command line
    via: tuple[Origin, ...] = ()

    def __str__(self) -> str:
        where = f" at {self.span}" if self.span is not None else ""
        named = f" {self.name}" if self.name and self.kind is not OriginKind.expression else ""
        return f"{self.kind.value}{named}{where}"

    def chain(self) -> list[Origin]:
        """This place and, while each has exactly one source, the places behind it."""
        links = [self]
        while len(links[-1].via) == 1:
            links.append(links[-1].via[0])
        return links


def _as_dict(table: Mapping[str, Any]) -> dict[str, Any]:
    return dict(table)


# `Resource` fields: built by the sources (a dict or a `Deferred`), not validated again (one
# span per attribute), dumped as the dict they stand for.
Spans = Annotated[Mapping[str, Span], SkipValidation, PlainSerializer(_as_dict)]
Origins = Annotated[Mapping[str, Origin], SkipValidation, PlainSerializer(_as_dict)]
