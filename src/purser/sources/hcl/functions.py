"""Terraform's built-in functions that can be computed statically.

Every function takes already evaluated arguments (never `UNKNOWN` at the top level: the
evaluator answers unknown before calling) and may raise on bad input; the evaluator turns
the exception into `UNKNOWN`. A function whose result could grow far beyond its arguments
(`join`, `format`, `replace`, `concat`...) checks that size before building it and raises
`EvaluationError` past the bounds of `limits.py`; regular expressions run on RE2, whose
time is linear in the text. Functions whose result depends on the outside world
(`timestamp`, `uuid`, `file`, `templatefile`) are deliberately absent, so they evaluate
to unknown.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

import re2

from purser.sources.hcl.limits import (
    MAX_FORMAT_WIDTH,
    MAX_STRING,
    MAX_VALUE_SIZE,
    EvaluationError,
    string_too_long,
)
from purser.sources.hcl.values import RefValue, is_known, to_bool, to_number, to_text

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # an invalid pattern is unknown, not a line on stderr


def _text(value: Any) -> str:
    text = to_text(value)
    if text is None:
        raise TypeError("not a string")
    return text


def _plain_text(value: Any) -> str:
    """A string argument a function reads character by character (a reference will not do)."""
    if isinstance(value, RefValue):
        raise TypeError("reference")
    return _text(value)


def _number(value: Any) -> int | float:
    number = to_number(value)
    if number is None:
        raise TypeError("not a number")
    return number


def _whole(value: Any) -> int:
    number = _number(value)
    if int(number) != number:
        raise ValueError("not a whole number")
    return int(number)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not a map")
    return value


def _set(items: list[Any]) -> list[Any]:
    """Terraform sets have no order; a set of strings is listed sorted, as Terraform does."""
    unique = _distinct(items)
    return sorted(unique) if all(isinstance(i, str) for i in unique) else unique


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    seen: set[Any] = set()
    for item in _list(items):
        key = _hashable(item)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _hashable(value: Any) -> Any:
    """A key equal for equal values, so that `distinct` is linear, not quadratic."""
    if isinstance(value, list):
        return ("list", tuple(_hashable(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _hashable(v)) for k, v in value.items())))
    return value


def _within_size(collections: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments of a function that copies their elements into one result (`concat`,
    `merge`), once their elements together are within the bound."""
    total = sum(len(c) for c in collections if isinstance(c, list | dict))
    if total > MAX_VALUE_SIZE:
        raise EvaluationError(f"a collection of {total:,} elements, above the "
                              f"{MAX_VALUE_SIZE:,} limit; not evaluated")
    return collections


def _merge(*maps: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for mapping in _within_size(maps):
        if mapping is not None:
            result.update(_map(mapping))
    return result


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    name = _text(key)
    if name in _map(mapping):
        return mapping[name]
    if default:
        return default[0]
    raise KeyError(name)


def _concat(*lists: Any) -> list[Any]:
    return [item for items in _within_size(lists) for item in _list(items)]


_VERB = re.compile(r"%(?:%|([-+ 0#]*)(\d*)(?:\.(\d+))?([a-zA-Z]))")


def _format(spec: Any, *args: Any) -> str:
    remaining = list(args)
    length = 0

    def convert(match: re.Match[str]) -> str:
        nonlocal length
        text = _verb(match, remaining)
        length += len(text)
        if length > MAX_STRING:
            raise EvaluationError(string_too_long(length))
        return text

    result = _VERB.sub(convert, _plain_text(spec))
    if remaining:
        raise ValueError("too many arguments")
    return result


def _verb(match: re.Match[str], remaining: list[Any]) -> str:
    """One `%...` verb of `format`, applied to the next argument."""
    if match.group(0) == "%%":
        return "%"
    flags, width, precision, verb = match.groups()
    for number in (width, precision):
        if number and (len(number) > 6 or int(number) > MAX_FORMAT_WIDTH):
            raise EvaluationError(f"format width or precision {number[:12]} is above the "
                                  f"{MAX_FORMAT_WIDTH:,} limit; not evaluated")
    value = remaining.pop(0)
    if verb in ("s", "v"):
        text = _text(value) if verb == "s" or to_text(value) is not None else _jsonencode(value)
        return f"%{flags}{width}s" % text
    if verb == "q":
        return json.dumps(_text(value))
    if verb == "t":
        return "true" if to_bool(value) else "false"
    if verb == "b":
        return format(_whole(value), "b")
    if verb in "dxXo":
        return ("%" + flags + width + verb) % _whole(value)
    if verb in "feEgG":
        dot = f".{precision}" if precision is not None else ""
        return ("%" + flags + width + dot + verb) % float(_number(value))
    raise ValueError(f"unsupported verb %{verb}")


def _formatlist(spec: Any, *lists: Any) -> list[str]:
    rows = zip(*[_list(x) for x in lists], strict=True)
    results = []
    length = 0
    for row in rows:
        results.append(_format(spec, *row))
        length += len(results[-1])
        if length > MAX_VALUE_SIZE:
            raise EvaluationError(f"formatlist builds more than {MAX_VALUE_SIZE:,} "
                                  "characters; not evaluated")
    return results


def _join(separator: Any, *lists: Any) -> str:
    texts = [_text(item) for items in _within_size(lists) for item in _list(items)]
    glue = _text(separator)
    length = sum(map(len, texts)) + len(glue) * max(len(texts) - 1, 0)
    if length > MAX_STRING:
        raise EvaluationError(string_too_long(length))
    return glue.join(texts)


def _length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | dict):
        return len(value)
    raise TypeError("no length")


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    raise ValueError("no non-null argument")


def _coalescelist(*lists: Any) -> list[Any]:
    for items in lists:
        if _list(items):
            return items
    raise ValueError("no non-empty list")


def _replace(text: Any, search: Any, replacement: Any) -> str:
    source, pattern, new = _plain_text(text), _plain_text(search), _plain_text(replacement)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        return _replace_pattern(source, _compile(pattern[1:-1]), new)
    length = len(source) + source.count(pattern) * (len(new) - len(pattern))
    if length > MAX_STRING:
        raise EvaluationError(string_too_long(length))
    return source.replace(pattern, new)


def _compile(pattern: str) -> Any:
    """A pattern in RE2 syntax, Terraform's (Go's) own; RE2 never backtracks."""
    return re2.compile(pattern, _RE2_OPTIONS)


_GO_TEMPLATE = re.compile(r"\$(?:\$|\{(\w+)\}|(\w+))")


def _replace_pattern(source: str, pattern: Any, template: str) -> str:
    """`replace` with a /regex/: `$1`, `${1}` and `${name}` in the replacement name groups
    (as in Go's Regexp.Expand), `$$` is a dollar; the result is measured as it grows."""
    length = 0

    def expand(match: Any) -> str:
        nonlocal length
        text = _GO_TEMPLATE.sub(lambda ref: _group(match, ref.group(1) or ref.group(2)),
                                template)
        length += len(text)
        if length > MAX_STRING:
            raise EvaluationError(string_too_long(length))
        return text

    return str(pattern.sub(expand, source))


def _group(match: Any, name: str | None) -> str:
    if name is None:
        return "$"
    try:
        found = match.group(int(name) if name.isdigit() else name)
    except (IndexError, KeyError, ValueError):
        return ""
    return found or ""


def _captures(match: Any) -> Any:
    """What Terraform's `regex` returns for one match: the text, or its groups as a map
    (named groups) or a list."""
    names = match.re.groupindex
    if names:
        return {name: match.group(name) for name in names}
    if match.re.groups:
        return list(match.groups())
    return match.group(0)


def _regex(pattern: Any, text: Any) -> Any:
    match = _compile(_plain_text(pattern)).search(_plain_text(text))
    if match is None:
        raise ValueError("no match")
    return _captures(match)


def _regexall(pattern: Any, text: Any) -> list[Any]:
    compiled = _compile(_plain_text(pattern))
    results = []
    for match in compiled.finditer(_plain_text(text)):
        results.append(_captures(match))
        if len(results) > MAX_VALUE_SIZE // 2:
            raise EvaluationError("regexall finds too many matches; not evaluated")
    return results


def _element(items: Any, index: Any) -> Any:
    values = _list(items)
    if not values:
        raise IndexError("empty list")
    return values[_whole(index) % len(values)]


def _flatten(items: Any) -> list[Any]:
    result: list[Any] = []
    for item in _list(items):
        result.extend(_flatten(item) if isinstance(item, list) else [item])
    return result


def _json_ready(value: Any) -> Any:
    if isinstance(value, RefValue):
        return str(value)
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in sorted(value.items())}
    return value


def _jsonencode(value: Any) -> str:
    if not is_known(value):
        raise ValueError("unknown value")
    return json.dumps(_json_ready(value), separators=(",", ":"), ensure_ascii=False)


def _substr(text: Any, offset: Any, length: Any) -> str:
    source = _plain_text(text)
    start, count = _whole(offset), _whole(length)
    if start < 0:
        start = max(len(source) + start, 0)
    return source[start:] if count < 0 else source[start:start + count]


def _range(*args: Any) -> list[int | float]:
    numbers = [_number(a) for a in args]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (
        numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else (1 if numbers[1] >= numbers[0]
                                                                     else -1))
    if step == 0 or abs((stop - start) / step) > 1024:
        raise ValueError("bad range")
    result: list[int | float] = []
    value = start
    while (value < stop) if step > 0 else (value > stop):
        result.append(value)
        value += step
    return result


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    network = ipaddress.ip_network(_plain_text(prefix), strict=False)
    if not 0 <= _whole(newbits) <= network.max_prefixlen - network.prefixlen:
        raise ValueError("newbits out of range")
    new_prefix = network.prefixlen + _whole(newbits)
    size = 2 ** (network.max_prefixlen - new_prefix)
    number = _whole(netnum)
    if not 0 <= number < 2 ** _whole(newbits):
        raise ValueError("netnum out of range")
    address = network.network_address + number * size
    return f"{address}/{new_prefix}"


def _cidrhost(prefix: Any, hostnum: Any) -> str:
    network = ipaddress.ip_network(_plain_text(prefix), strict=False)
    number = _whole(hostnum)
    return str((network.broadcast_address + 1 + number) if number < 0
               else network.network_address + number)


def _slice(items: Any, start: Any, end: Any) -> list[Any]:
    return _list(items)[_whole(start):_whole(end)]


def _index(items: Any, value: Any) -> int:
    return _list(items).index(value)


def _one(items: Any) -> Any:
    values = _list(items)
    if len(values) > 1:
        raise ValueError("more than one element")
    return values[0] if values else None


def _trim(text: Any, characters: Any) -> str:
    return _plain_text(text).strip(_plain_text(characters))


def _tostring(value: Any) -> str | None:
    return None if value is None else _text(value)


def _tonumber(value: Any) -> int | float | None:
    return None if value is None else _number(value)


def _tobool(value: Any) -> bool | None:
    if value is None:
        return None
    flag = to_bool(value)
    if flag is None:
        raise TypeError("not a bool")
    return flag


def _zipmap(keys: Any, values: Any) -> dict[str, Any]:
    names, items = _list(keys), _list(values)
    if len(names) != len(items):
        raise ValueError("lengths differ")
    return {_text(k): v for k, v in zip(names, items, strict=True)}


def _jsondecode(text: Any) -> Any:
    """JSON text → a value; a lone surrogate (`"\\udfff"`) is refused, as no writer could
    encode it."""
    value = json.loads(_plain_text(text))
    json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


def _hash(algorithm: str) -> Callable[[Any], str]:
    return lambda text: hashlib.new(algorithm, _plain_text(text).encode()).hexdigest()


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": lambda n: abs(_number(n)),
    "alltrue": lambda items: all(to_bool(i) for i in _list(items)),
    "anytrue": lambda items: any(to_bool(i) for i in _list(items)),
    "base64decode": lambda t: base64.b64decode(_plain_text(t)).decode(),
    "base64encode": lambda t: base64.b64encode(_plain_text(t).encode()).decode(),
    "ceil": lambda n: math.ceil(_number(n)),
    "chunklist": lambda items, size: [_list(items)[i:i + _whole(size)]
                                      for i in range(0, len(items), _whole(size))],
    "cidrhost": _cidrhost,
    "cidrsubnet": _cidrsubnet,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "compact": lambda items: [i for i in _list(items) if i is not None and i != ""],
    "concat": _concat,
    "contains": lambda items, value: value in _list(items),
    "distinct": _distinct,
    "element": _element,
    "endswith": lambda text, suffix: _plain_text(text).endswith(_plain_text(suffix)),
    "flatten": _flatten,
    "floor": lambda n: math.floor(_number(n)),
    "format": _format,
    "formatlist": _formatlist,
    "index": _index,
    "join": _join,
    "jsondecode": _jsondecode,
    "jsonencode": _jsonencode,
    "keys": lambda mapping: sorted(_map(mapping)),
    "length": _length,
    "lookup": _lookup,
    "lower": lambda t: _plain_text(t).lower(),
    "max": lambda *n: max(_number(x) for x in n),
    "md5": _hash("md5"),
    "merge": _merge,
    "min": lambda *n: min(_number(x) for x in n),
    "one": _one,
    "range": _range,
    "regex": _regex,
    "regexall": _regexall,
    "replace": _replace,
    "reverse": lambda items: list(reversed(_list(items))),
    "setunion": lambda *sets: _set(_concat(*sets)),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "slice": _slice,
    "sort": lambda items: sorted(_text(i) for i in _list(items)),
    "split": lambda separator, text: _plain_text(text).split(_plain_text(separator)),
    "startswith": lambda text, prefix: _plain_text(text).startswith(_plain_text(prefix)),
    "strrev": lambda t: _plain_text(t)[::-1],
    "substr": _substr,
    "sum": lambda items: sum(_number(i) for i in _list(items)),
    "title": lambda t: _plain_text(t).title(),
    "tobool": _tobool,
    "tolist": lambda items: list(_list(items)),
    "tomap": lambda mapping: dict(_map(mapping)),
    "tonumber": _tonumber,
    "toset": lambda items: _set(_list(items)),
    "tostring": _tostring,
    "trim": _trim,
    "trimprefix": lambda t, p: _plain_text(t).removeprefix(_plain_text(p)),
    "trimspace": lambda t: _plain_text(t).strip(),
    "trimsuffix": lambda t, s: _plain_text(t).removesuffix(_plain_text(s)),
    "upper": lambda t: _plain_text(t).upper(),
    "values": lambda mapping: [v for _, v in sorted(_map(mapping).items())],
    "zipmap": _zipmap,
}
