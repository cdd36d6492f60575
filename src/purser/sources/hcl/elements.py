"""Where one element of a map or list literal is written, found in the file's bytes.

The AST keeps positions for attributes only (a literal collection is folded to its value
at parse time), so the text of `functions["reports"].memory_size` inside a local's map is
found by parsing the file again and walking down from the collection's own text. This
runs only when someone asks where a value came from (explain, a recommendation).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from tree_sitter import Node, Tree

from purser.sources.hcl.parse import _PARSER, Where

Step = str | int  # a map key or a list position


def element_where(data: bytes, collection: Where, steps: tuple[Step, ...], *,
                  key: bool = False) -> Where | None:
    """The text of the element `steps` leads to inside the collection written at
    `collection` (the deepest written step when a later one is not written out there), or
    with `key` the text of the first step's map key; None when the text there is not a map
    or list literal (a reference, a function call)."""
    node: Node | None = _tree(data).root_node.descendant_for_byte_range(*collection[2:])
    found = None
    for step in steps[:1] if key else steps:
        element = _element(_collection(node), step) if node is not None else None
        if element is None:
            break
        is_entry = element.type == "object_elem"
        node = found = element.named_children[-1] if is_entry else element
        if key:
            found = element.named_children[0] if is_entry else None
    return _where(found) if found is not None else None


@lru_cache(maxsize=8)  # the instances of one resource ask about the same file in turn
def _tree(data: bytes) -> Tree:
    return _PARSER.parse(data)


def _collection(node: Node) -> Node | None:
    """The object or tuple node an expression node is (through its wrappers), else None."""
    while node.type in ("expression", "collection_value") and node.named_child_count == 1:
        node = node.named_children[0]
    return node if node.type in ("object", "tuple") else None


def _element(collection: Node | None, step: Step) -> Node | None:
    """A map's entry (key and value) or a list's item."""
    if collection is None:
        return None
    if collection.type == "tuple":
        items = [c for c in collection.named_children if c.type == "expression"]
        return items[step] if isinstance(step, int) and 0 <= step < len(items) else None
    for element in collection.named_children:
        if element.type == "object_elem" and _key(element.named_children[0]) == str(step):
            return element
    return None


def _key(node: Node) -> str | None:
    """A written key: a bare word or a quoted string without interpolation."""
    text = (node.text or b"").decode("utf-8", "replace")
    if text.startswith('"') and "${" not in text:
        try:
            decoded: Any = json.loads(text)
        except ValueError:
            return None
        return decoded if isinstance(decoded, str) else None
    return text if text.isidentifier() or text.replace("-", "_").isidentifier() else None


def _where(node: Node) -> Where:
    return node.start_point[0] + 1, node.end_point[0] + 1, node.start_byte, node.end_byte
