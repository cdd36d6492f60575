"""`purser explain`: a resource's evaluated attributes and where each value came from.

`purser explain ADDRESS` lists the attributes with the place each is written;
`purser explain ADDRESS ATTRIBUTE` shows one value and the chain of places behind it
(`memory_size = 3008 ← module input memory at apps/a/main.tf:3 ← tfvars memory at
apps/a/terraform.tfvars:1`). An unknown address or attribute exits 2 naming the closest.

`--format json` prints one `Explanation` object:

    {"address", "type", "format", "source": {"file", "line", "end_line"},
     "attributes": [{"path", "value", "known",
                     "span": Place | null, "text": str | null,
                     "origin": Link | null}]}
    Place = {"file", "line", "end_line", "start", "end"}   bytes [start, end) of the file
    Link  = {"kind", "name", "span": Place | null, "text": str | null, "via": [Link]}

`text` is the source text at `span`; `origin` null means the value is the literal at
`span`; `via` are the places a link's own text read its value from.
"""

from __future__ import annotations

import difflib
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from purser import safefile
from purser.cli.options import (
    CacheDirOption,
    RepoOption,
    VarOption,
    cache_dir_for,
    fail,
    parse_vars,
    read_config,
    resolve_repo,
)
from purser.model import Resource, SourceRef, dig
from purser.provenance import Origin, Span

_SHOWN = 60  # characters of a value or a source text in the text format


class Format(StrEnum):
    text = "text"
    json = "json"


class Place(BaseModel):
    file: str
    line: int
    end_line: int
    start: int
    end: int


class Link(BaseModel):
    kind: str
    name: str
    span: Place | None
    text: str | None
    via: list[Link]


class AttributeExplanation(BaseModel):
    path: str
    value: Any
    known: bool
    span: Place | None
    text: str | None
    origin: Link | None


class Explanation(BaseModel):
    address: str
    type: str
    format: str
    source: SourceRef
    attributes: list[AttributeExplanation]


def explain(
    address: Annotated[str, typer.Argument(help="The resource's address, as `purser check` "
                                                "prints it.")],
    attribute: Annotated[str | None, typer.Argument(
        help="One attribute path (memory_size, environment.0.variables).",
        show_default=False)] = None,
    repo: RepoOption = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    var: VarOption = None,
    cache_dir: CacheDirOption = None,
) -> None:
    """Show a resource's evaluated attributes and where each value was set."""
    from purser.sources import load_repository

    root, _ = resolve_repo(None, repo)
    loaded = load_repository(root, read_config(root), variables=parse_vars(var),
                             cache_dir=cache_dir_for(root, cache_dir))
    resource = next((r for r in loaded.resources if r.address == address), None)
    if resource is None:
        fail(f"no resource {address!r}{_closest(address, [r.address for r in loaded.resources])}"
             + (f" ({len(loaded.errors)} file(s) could not be read: see `purser check`)"
                if loaded.errors else ""))
    explanation = explain_resource(resource, SourceFiles(root), attribute)
    if output_format is Format.json:
        typer.echo(explanation.model_dump_json(indent=2))
    else:
        typer.echo("\n".join(_text(explanation, one=attribute is not None)))


def describe(resource: Resource, root: Path, attribute: str | None = None) -> str:
    """The text `purser explain` prints for `resource` (or one attribute of it)."""
    explanation = explain_resource(resource, SourceFiles(root), attribute)
    return "\n".join(_text(explanation, one=attribute is not None))


def explain_resource(resource: Resource, files: SourceFiles,
                     attribute: str | None = None) -> Explanation:
    """The explanation of every attribute of `resource`, or of `attribute` alone (a usage
    error when the resource has no such attribute)."""
    if attribute is None:
        paths = _listed_paths(resource)
    else:
        found = _find_path(resource, attribute)
        if found is None:
            fail(f"{resource.address} has no attribute {attribute!r}"
                 f"{_closest(attribute, _listed_paths(resource))}")
        paths = [found]
    return Explanation(address=resource.address, type=resource.type, format=resource.format,
                       source=resource.source,
                       attributes=[_attribute(resource, path, files) for path in paths])


class SourceFiles:
    """The repository's files as bytes, read once each and never from outside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.read: dict[str, bytes | None] = {}

    def text(self, span: Span | None) -> str | None:
        if span is None or not span.file:
            return None
        if span.file not in self.read:
            try:
                self.read[span.file] = safefile.read(self.root, span.file)
            except (safefile.Refused, OSError):
                self.read[span.file] = None
        data = self.read[span.file]
        return span.text(data) if data is not None else None


def _attribute(resource: Resource, path: str, files: SourceFiles) -> AttributeExplanation:
    span = resource.spans.get(path)
    origin = resource.origins.get(path)
    known = not resource.is_unknown(_unindexed(path))
    return AttributeExplanation(
        path=path, value=resource.get(path) if known else None, known=known,
        span=_place(span), text=files.text(span),
        origin=_link(origin, files) if origin is not None else None)


def _link(origin: Origin, files: SourceFiles) -> Link:
    return Link(kind=origin.kind.value, name=origin.name, span=_place(origin.span),
                text=files.text(origin.span), via=[_link(v, files) for v in origin.via])


def _place(span: Span | None) -> Place | None:
    return None if span is None else Place(**span._asdict())


def _listed_paths(resource: Resource) -> list[str]:
    """Paths with a recorded span that hold a value (not a block or mapping of others),
    in the order they are written; then top-level attributes with no span at all."""
    spanned = sorted((path for path in resource.spans if not _has_children(resource, path)),
                     key=lambda p: (resource.spans[p].file, resource.spans[p].start))
    roots = {path.split(".", 1)[0] for path in resource.spans}
    return spanned + sorted(str(name) for name in resource.attrs if name not in roots
                            and _find_path(resource, str(name)) is None)


def _has_children(resource: Resource, path: str) -> bool:
    value = dig(resource.attrs, path)
    return isinstance(value, dict | list) and any(
        other.startswith(path + ".") for other in resource.spans)


def _find_path(resource: Resource, attribute: str) -> str | None:
    """The recorded path `attribute` names: itself, the same without list indexes
    (`environment.variables` for `environment.0.variables`), or the format's own spelling of
    a canonical name (`MemorySize` for `memory_size`)."""
    for candidate in (attribute, *_spellings(resource, attribute)):
        if candidate in resource.spans:
            return candidate
        unindexed = [p for p in resource.spans if _unindexed(p) == candidate]
        if unindexed:
            return unindexed[0]
    if resource.get(attribute) is not None or resource.is_unknown(attribute):
        return attribute
    return None


def _spellings(resource: Resource, attribute: str) -> list[str]:
    from purser import kinds

    kind = kinds.of_type(resource.type)
    if kind is None:
        return []
    found = []
    for canonical, paths in kind.aliases(resource.format).items():
        if attribute == canonical or attribute.startswith(canonical + "."):
            found += [path + attribute[len(canonical):] for path in paths]
    return found


def _unindexed(path: str) -> str:
    return ".".join(step for step in path.split(".") if not step.isdigit())


def _closest(wanted: str, known: list[str]) -> str:
    endings = [k for k in known if k.endswith(wanted) or wanted.endswith(k)]
    close = difflib.get_close_matches(wanted, known, n=5, cutoff=0.5)
    names = list(dict.fromkeys(endings + close))[:5]
    return f"; closest: {', '.join(names)}" if names else ""


# -- text ----------------------------------------------------------------------------------

def _text(explanation: Explanation, *, one: bool) -> list[str]:
    source = explanation.source
    lines = [] if one else [f"{explanation.address}  ({explanation.type}, {source})"]
    for item in explanation.attributes:
        value = _shown(json.dumps(item.value, default=str)) if item.known else "(known after apply)"
        if not one:
            where = f"  {_where(item.span)}" if item.span else ""
            lines.append(f"  {item.path} = {value}{where}")
            if item.origin:  # on its own line: CI logs are 80 columns wide
                lines.append(f"      ← {_summary(item.origin)}")
            continue
        lines.append(f"{item.path} = {value}")
        if item.span:
            lines.append(f"  written at {_where(item.span)}{_snippet(item.text)}")
        if item.origin:
            links = item.origin.via if item.origin.kind == "expression" else [item.origin]
            if len(links) > 1:
                lines.append("  computed from:")
            for link in links:
                lines += _chain(link, depth=1 if len(links) == 1 else 2)
        elif item.span:
            lines.append("  (a literal: edit it there)")
    return lines


def _chain(link: Link, depth: int) -> list[str]:
    named = f" {link.name}" if link.name and link.kind != "expression" else ""
    where = f" at {_where(link.span)}" if link.span else " (command line)"
    lines = [f"{'  ' * depth}← {link.kind}{named}{where}{_snippet(link.text)}"]
    for inner in link.via:
        lines += _chain(inner, depth + (1 if len(link.via) > 1 else 0))
    return lines


def _summary(link: Link) -> str:
    """An origin on one line: its chain while it is one, then what a computed value reads."""
    parts = []
    current: Link | None = link
    while current is not None:
        if current.kind != "expression":
            named = f" {current.name}" if current.name else ""
            where = f" at {_where(current.span)}" if current.span else ""
            parts.append(f"{current.kind}{named}{where}")
        if len(current.via) > 1:
            parts.append("computed from " + ", ".join(f"{v.kind} {v.name}" for v in current.via))
            break
        current = current.via[0] if current.via else None
    return " ← ".join(parts) or "expression"


def _where(place: Place | None) -> str:
    return f"{place.file}:{place.line}" if place else ""


def _snippet(text: str | None) -> str:
    return f": {_shown(text.strip().splitlines()[0])}" if text and text.strip() else ""


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"
