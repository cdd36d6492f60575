"""Where each value of a YAML document is written: dotted path → (line, end_line, start
byte, end byte), for `Resource.spans` (see `purser.provenance`).

Plain tuples, so that they travel through the parse cache. YAML marks count characters;
spans count the file's bytes, so that slicing the file's bytes gives the value's text.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

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


def value_spans(node: yaml.Node, offsets: ByteOffsets) -> dict[str, Where]:
    """Every value under `node` (mapping values and list items, collections included) by
    its path relative to `node`. A node reached again through an alias is not descended
    into twice: its text is written once."""
    spans: dict[str, Where] = {}
    seen: set[int] = set()
    pending: list[tuple[str, yaml.Node]] = list(_children("", node))
    while pending:
        path, child = pending.pop()
        start, end = child.start_mark, _last(child).end_mark
        end_line = end.line + 1 if end.column else end.line
        spans[path] = (start.line + 1, max(end_line, start.line + 1), offsets.of(start.index),
                       offsets.of(end.index))
        if isinstance(child, yaml.CollectionNode) and id(child) not in seen:
            seen.add(id(child))
            pending.extend(_children(path + ".", child))
    return spans


def child_node(node: yaml.Node, key: str) -> yaml.Node | None:
    """A mapping's value under `key`; None when there is none."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _children(prefix: str, node: yaml.Node) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield f"{prefix}{key.value}", value
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield f"{prefix}{index}", item


def _last(node: yaml.Node) -> yaml.Node:
    """The node whose end mark ends `node`'s text. A block collection's own end mark lies
    at the next token, past blank lines and comments, so its last descendant decides."""
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node
