"""Where each value of a YAML document is written: dotted path → (line, end_line, start
byte, end byte), for `Resource.spans` (see `purser.provenance`).

Plain tuples, so that they travel through the parse cache. YAML marks count characters;
spans count the file's bytes, so that slicing the file's bytes gives the value's text.
`FileSpans` works them out for a file of manifests only when first asked for: a check
reads thousands of objects and asks where a value is written for few.
"""

from __future__ import annotations

import codecs

import yaml

from purser.provenance import Span, spans_in
from purser.safefile import decode
from purser.safeyaml import load_documents

Where = tuple[int, int, int, int]
_CHUNK = 1024  # characters between the byte offsets a non-ASCII text remembers


class ByteOffsets:
    """Character index → byte offset in the file (`skipped` bytes, a BOM, came first)."""

    def __init__(self, text: str, skipped: int = 0) -> None:
        self.text = text
        self.skipped = skipped
        self.ascii = text.isascii()
        self.chunks: list[int] = []
        if not self.ascii:
            total = 0
            for start in range(0, len(text), _CHUNK):
                self.chunks.append(total)
                total += len(text[start:start + _CHUNK].encode("utf-8", "surrogatepass"))

    def of(self, index: int) -> int:
        if self.ascii:
            return self.skipped + index
        chunk = index // _CHUNK
        if chunk >= len(self.chunks):
            return self.skipped + len(self.text.encode("utf-8", "surrogatepass"))
        rest = self.text[chunk * _CHUNK:index].encode("utf-8", "surrogatepass")
        return self.skipped + self.chunks[chunk] + len(rest)


Row = tuple[str, int, int, int, int]  # (path, line, end_line, start byte, end byte)


def value_rows(node: yaml.Node, offsets: ByteOffsets) -> list[Row]:
    """Every value under `node` (mapping values and list items, collections included) by
    its path relative to `node`, in the order they are written. A node reached again
    through an alias is not descended into twice: its text is written once."""
    rows: list[Row] = []
    seen: set[int] = set()
    of = offsets.of
    shift = offsets.skipped if offsets.ascii else None  # the common case, done inline
    pending: list[tuple[str, yaml.Node]] = _children("", node)
    pending.reverse()
    while pending:
        path, child = pending.pop()
        start = child.start_mark
        is_collection = isinstance(child, yaml.CollectionNode)
        end = _last(child).end_mark if is_collection else child.end_mark
        end_line = end.line + 1 if end.column else end.line
        rows.append((path, start.line + 1, max(end_line, start.line + 1),
                     start.index + shift if shift is not None else of(start.index),
                     end.index + shift if shift is not None else of(end.index)))
        if is_collection and id(child) not in seen:
            seen.add(id(child))
            children = _children(path + ".", child)
            children.reverse()
            pending += children
    return rows


def value_spans(node: yaml.Node, offsets: ByteOffsets) -> dict[str, Where]:
    """`value_rows` as path → (line, end_line, start, end)."""
    return {row[0]: row[1:] for row in value_rows(node, offsets)}


class FileSpans:
    """The value spans of the objects of one YAML file that was read without error: each
    document, or each item of a document that is a List. The file is parsed again on the
    first request, and once only."""

    def __init__(self, file: str, data: bytes) -> None:
        self.file = file
        self.data: bytes | None = data  # dropped once parsed
        self.documents: list[yaml.Node] = []
        self.offsets = ByteOffsets("")

    def of(self, document: int, item: int | None = None) -> dict[str, Span]:
        """The spans of the document at this index (of its items' `item`-th, for a List)."""
        if self.data is not None:
            body = self.data.removeprefix(codecs.BOM_UTF8)
            text = decode(body)
            self.offsets = ByteOffsets(text, len(self.data) - len(body))
            self.documents = [d.node for d in load_documents(text)]
            self.data = None
        node: yaml.Node | None = self.documents[document]
        if item is not None:
            items = child_node(self.documents[document], "items")
            node = items.value[item] if isinstance(items, yaml.SequenceNode) else None
        return spans_in(self.file, value_rows(node, self.offsets)) if node is not None else {}


def child_node(node: yaml.Node, key: str) -> yaml.Node | None:
    """A mapping's value under `key`; None when there is none."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _children(prefix: str, node: yaml.Node) -> list[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        return [(prefix + key.value, value) for key, value in node.value
                if isinstance(key, yaml.ScalarNode)]
    if isinstance(node, yaml.SequenceNode):
        return [(f"{prefix}{index}", item) for index, item in enumerate(node.value)]
    return []


def _last(node: yaml.Node) -> yaml.Node:
    """The node whose end mark ends `node`'s text. A block collection's own end mark lies
    at the next token, past blank lines and comments, so its last descendant decides."""
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node
