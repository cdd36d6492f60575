"""Safe, bounded YAML loading that remembers where each value was written.

Only the safe tag set is constructed (plus CloudFormation's short-form intrinsics when a
caller asks for them), alias expansion is bounded so that a "billion laughs" document is
refused instead of exhausting memory, and every document keeps its node tree so that a
path inside it can be mapped back to a line.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest number of nodes a document may expand to once its aliases are followed.
MAX_EXPANDED_NODES = 1_000_000


class YamlError(ValueError):
    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    data: Any
    node: yaml.Node

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    @property
    def end_line(self) -> int:
        return last_line(self.node)

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the key (or item) at `path`, or of its deepest existing parent."""
        node, line = self.node, self.line
        for key in path:
            found = _child(node, key)
            if found is None:
                break
            node, line = found
        return line


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, int] | None:
    """The child at `key` and the line where it is written (its key's line in a mapping)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return v, k.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        item = node.value[key]
        return item, item.start_mark.line + 1
    return None


def last_line(node: yaml.Node) -> int:
    """The last line holding part of `node`. A block collection's own end mark lies at the
    next token, past any blank lines and comments, so its last descendant decides."""
    floor = node.start_mark.line + 1
    while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        last = node.value[-1]
        if isinstance(node, yaml.MappingNode):
            floor = max(floor, last[0].start_mark.line + 1)
            last = last[1]
        node = last
    end = node.end_mark
    return max(floor, end.line + 1 if end.column else end.line)


# CloudFormation short-form intrinsic functions, constructed as their long form.
_CFN_TAGS = ("Ref", "Condition", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals",
             "And", "Or", "Not", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue",
             "Transform", "ToJsonString", "Length")


def _cfn_constructor(tag: str) -> Any:
    long = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"

    def construct(loader: Any, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {long: value}

    return construct


_MAX_REMEMBERED_TAGS = 200_000


class _CachingLoader(_BaseLoader):
    """Remembers the implicit tag of each plain scalar: manifests repeat the same keys and
    values thousands of times, and the resolver's regular expressions run in Python."""

    _tags: ClassVar[dict[tuple[str, bool, bool], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or value is None:
            return super().resolve(kind, value, implicit)
        key = (value, implicit[0], implicit[1])
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(self._tags) < _MAX_REMEMBERED_TAGS:  # bounded for long-lived processes
                self._tags[key] = tag
        return tag


class _CfnLoader(_CachingLoader):
    pass


for _tag in _CFN_TAGS:
    _CfnLoader.add_constructor(f"!{_tag}", _cfn_constructor(_tag))


def load_documents(text: str, *, cloudformation_tags: bool = False) -> list[Document]:
    """Parse every document of a YAML stream; raise `YamlError` with a line on bad input."""
    loader = (_CfnLoader if cloudformation_tags else _CachingLoader)(text)
    documents: list[Document] = []
    has_anchors = "&" in text  # without an anchor there is no alias to expand
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if has_anchors:
                _check_expansion(node)
            documents.append(Document(_construct_document(node, loader, has_anchors), node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return documents


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _construct_document(node: yaml.Node, loader: Any, has_anchors: bool) -> Any:
    if not has_anchors:
        try:
            return _construct(node, loader)
        except RecursionError:  # the safe constructor is iterative: let it go deeper
            pass
    return loader.construct_document(node)


def _construct(node: yaml.Node, loader: Any) -> Any:
    """Build plain data straight from the node tree, handing anything unusual (other
    scalar types, merge keys, explicit tags) to the safe constructor. Only for documents
    without anchors, where every node appears once."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _INT and node.value.isdigit():
            return int(node.value)
    elif tag == _MAP and not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        mapping = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    "found an unhashable key", key_node.start_mark)
            mapping[key] = _construct(value_node, loader)
        return mapping
    elif tag == _SEQ:
        return [_construct(child, loader) for child in node.value]
    return loader.construct_object(node, deep=True)


def _check_expansion(root: yaml.Node) -> None:
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        ident = id(node)
        if ident in sizes:
            return sizes[ident]
        if ident in active:
            raise YamlError("recursive YAML alias", node.start_mark.line + 1)
        active.add(ident)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(ident)
        sizes[ident] = total
        if total > MAX_EXPANDED_NODES:
            raise YamlError(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (alias bomb?)",
                node.start_mark.line + 1)
        return total

    size(root)
