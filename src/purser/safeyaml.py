"""Safe, bounded YAML loading that remembers where each value was written.

Only the safe tag set is constructed (plus CloudFormation's short-form intrinsics when a
caller asks for them), and every document keeps its node tree so that a path inside it can
be mapped back to a line. Input is written by strangers, so every surprise is a `YamlError`
with a line, never a silent reading and never an exception of another kind:

* a key written twice in one mapping is an error (as Kubernetes' strict decoding has it):
  keeping the last would let a second `securityContext:` hide the first;
* alias expansion, nesting depth, documents per stream and integer length are bounded;
* a scalar that looks like a date but is none (`2027-13-45`) stays the text it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest number of nodes a document may expand to once its aliases are followed.
MAX_EXPANDED_NODES = 1_000_000
#: Deepest nesting of collections: deeper than any real manifest or template (CRD schemas
#: reach about 40), shallow enough for every recursive reader of the values downstream.
MAX_DEPTH = 100
#: Most documents in one stream (a large rendered chart has a few thousand).
MAX_DOCUMENTS = 10_000
#: Longest integer, in characters: 64-bit values have 20 digits, and anything much longer
#: cannot even become a float.
MAX_INT_DIGITS = 100


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


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


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
_MAX_REMEMBERED_LENGTH = 100  # names and short values repeat; long text seldom does

# What the safe constructors raise on a value they cannot read (`!!int abc`, `!!bool maybe`).
_UNREADABLE = (ValueError, TypeError, LookupError, AttributeError, ArithmeticError)


class _CachingLoader(_BaseLoader):
    """Remembers the implicit tag of each short plain scalar: manifests repeat the same keys
    and values thousands of times, and the resolver's regular expressions run in Python."""

    _tags: ClassVar[dict[tuple[str, bool, bool], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode or value is None:
            return super().resolve(kind, value, implicit)
        key = (value, implicit[0], implicit[1])
        tag = self._tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            # bounded for long-lived processes
            if len(self._tags) < _MAX_REMEMBERED_TAGS and len(value) <= _MAX_REMEMBERED_LENGTH:
                self._tags[key] = tag
        return tag

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YamlError:
            raise
        except _UNREADABLE:
            name = str(node.tag).rsplit(":", 1)[-1]
            raise YamlError(f"invalid YAML: not a valid {name} value", _line(node)) from None


def _bounded_int(loader: Any, node: yaml.Node) -> Any:
    if isinstance(node.value, str) and len(node.value) > MAX_INT_DIGITS:
        raise YamlError(f"number too long: {len(node.value):,} characters "
                        f"(at most {MAX_INT_DIGITS})", _line(node))
    return loader.construct_yaml_int(node)


def _timestamp_or_text(loader: Any, node: yaml.Node) -> Any:
    """A date, or the text as written when it only looks like one: Kubernetes' decoder has
    no timestamps at all, so `2027-13-45` is a string there."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, AttributeError, OverflowError):
        return loader.construct_scalar(node)


_CachingLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
_CachingLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _CfnLoader(_CachingLoader):
    pass


# CloudFormation reads `Version: 2012-10-17` as the text it is, never as a date: a policy
# document must keep it a string (JSON has no dates).
_CfnLoader.add_constructor("tag:yaml.org,2002:timestamp",
                           lambda loader, node: loader.construct_scalar(node))


for _tag in _CFN_TAGS:
    _CfnLoader.add_constructor(f"!{_tag}", _cfn_constructor(_tag))


def load_documents(text: str, *, cloudformation_tags: bool = False) -> list[Document]:
    """Parse every document of a YAML stream; raise `YamlError` with a line on bad input."""
    loader = (_CfnLoader if cloudformation_tags else _CachingLoader)(text)
    documents: list[Document] = []
    has_anchors = "&" in text  # without an anchor there is no alias to expand
    node: yaml.Node | None = None
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if len(documents) == MAX_DOCUMENTS:
                raise YamlError(f"more than {MAX_DOCUMENTS:,} documents in one file",
                                _line(node))
            documents.append(Document(_construct_document(node, loader, has_anchors), node))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except YamlError:
        raise
    except _UNREADABLE as exc:  # a collection's constructor, finishing after its node
        raise YamlError(f"invalid YAML: {exc}", _line(node) if node else 0) from None
    finally:
        loader.dispose()
    return documents


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


def _construct_document(node: yaml.Node, loader: Any, has_anchors: bool) -> Any:
    if not has_anchors:
        return _construct(node, loader, 0)
    _check_tree(node, loader, 0)
    return loader.construct_document(node)


def _construct(node: yaml.Node, loader: Any, depth: int) -> Any:
    """Build plain data straight from the node tree, handing anything unusual (other
    scalar types, merge keys, explicit tags) to the safe constructor. Only for documents
    without anchors, where every node appears once."""
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _INT and _is_decimal(node.value):
            return int(node.value)
        return loader.construct_object(node, deep=True)
    if depth == MAX_DEPTH:
        raise _too_deep(node)
    if tag == _MAP and not any(k.tag == _MERGE for k, _ in node.value):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader, depth + 1)
            try:
                written = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    "found an unhashable key", key_node.start_mark) from None
            if written:
                raise _duplicate(node, key_node, loader)
            mapping[key] = _construct(value_node, loader, depth + 1)
        return mapping
    if tag == _SEQ:
        return [_construct(child, loader, depth + 1) for child in node.value]
    _check_tree(node, loader, depth)  # the safe constructor recurses: bound it first
    return loader.construct_object(node, deep=True)


def _is_decimal(text: str) -> bool:
    """Plain decimal digits, read the same by `int` as by YAML 1.1 (`0123` is octal)."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_INT_DIGITS and (
        text[0] != "0" or text == "0")


def _too_deep(node: yaml.Node) -> YamlError:
    return YamlError(f"values nested more than {MAX_DEPTH} levels deep", _line(node))


def _duplicate(mapping: yaml.Node, second: yaml.Node, loader: Any) -> YamlError:
    key = loader.construct_object(second)
    first = next(k for k, _ in mapping.value if isinstance(k, yaml.ScalarNode)
                 and k.tag != _MERGE and loader.construct_object(k) == key)
    return YamlError(f"duplicate key {str(key)[:80]!r} (first written on line "
                     f"{_line(first)})", _line(second))


def _check_tree(root: yaml.Node, loader: Any, depth: int) -> None:
    """Refuse what the safe constructor would follow or keep silently: aliases that expand
    past MAX_EXPANDED_NODES or into themselves, nesting past MAX_DEPTH, keys written twice
    in one mapping. Iterative, so that no input can exhaust the stack here."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        ident = id(node)
        if finished:
            children = _children(node)
            sizes[ident] = 1 + sum(sizes[id(child)] for child in children)
            depths[ident] = max((depths[id(child)] + 1 for child in children
                                 if isinstance(child, yaml.CollectionNode)), default=0)
            active.discard(ident)
            if sizes[ident] > MAX_EXPANDED_NODES:
                raise YamlError(f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} "
                                "nodes (alias bomb?)", _line(node))
            if depth + depths[ident] >= MAX_DEPTH:
                raise _too_deep(node)
        elif ident in active:
            raise YamlError("recursive YAML alias", _line(node))
        elif ident not in sizes:
            if isinstance(node, yaml.MappingNode):
                _refuse_duplicate_keys(node, loader)
            active.add(ident)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _refuse_duplicate_keys(node: yaml.MappingNode, loader: Any) -> None:
    """Scalar keys written twice (merged keys may be overridden: that is what merging is)."""
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise _duplicate(node, key_node, loader)
        seen.add(key)
