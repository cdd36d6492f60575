"""Evaluate the AST of `parse.py` to Python values.

Whatever cannot be evaluated (an unset variable, a missing key, a function given the wrong
arguments) becomes `UNKNOWN`, and so does everything computed from it. References to other
resources stay `RefValue`s; a template that interpolates one keeps it as `${...}` text.
The one exception raised is `limits.EvaluationError`, when a value or a loop outgrows the
bounds of `limits.py`: values are measured where they are built (collections, templates,
function results), never where they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from purser.provenance import Origin
from purser.sources.hcl import parse as ast
from purser.sources.hcl.functions import FUNCTIONS
from purser.sources.hcl.limits import (
    MAX_STRING,
    EvaluationError,
    check_integer,
    check_size,
    spend,
    string_too_long,
)
from purser.sources.hcl.values import (
    UNKNOWN,
    PartialAddress,
    RefValue,
    is_known,
    to_bool,
    to_number,
    to_text,
)


class Scope:
    """Names visible to an expression: bound names (each, count, for variables) first,
    then `resolve` for the module's namespaces (var, local, module, data, resource types).
    `origin` tells where `var.NAME` or `local.NAME` ("var", "NAME") got its value;
    `instance_origin` where `each.value.a.b` ("each", "value", "a", "b"), `each.key` or
    `count.index` of the instance being evaluated did."""

    __slots__ = ("instance_origin", "names", "origin", "resolve")

    def __init__(self, resolve: Callable[[str], Any], names: dict[str, Any] | None = None, *,
                 origin: Callable[[str, str], Origin | None] | None = None,
                 instance_origin: Callable[[tuple[Any, ...]], Origin | None] | None = None
                 ) -> None:
        self.resolve = resolve
        self.names = names or {}
        self.origin = origin or _no_origin
        self.instance_origin = instance_origin or _no_instance_origin

    def bind(self, **names: Any) -> Scope:
        return Scope(self.resolve, {**self.names, **names}, origin=self.origin,
                     instance_origin=self.instance_origin)

    def lookup(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.resolve(name)


def _no_origin(namespace: str, name: str) -> Origin | None:
    return None


def _no_instance_origin(reference: tuple[Any, ...]) -> Origin | None:
    return None


def evaluate(expr: ast.Expr, scope: Scope) -> Any:
    return _EVALUATORS[expr[0]](expr, scope)


def get_attr(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name, UNKNOWN)
    method = getattr(value, "get_attr", None)
    return method(name) if method is not None else UNKNOWN


def get_index(value: Any, key: Any) -> Any:
    if key is UNKNOWN or isinstance(key, RefValue):
        return UNKNOWN
    if isinstance(value, list):
        position = to_number(key)
        if isinstance(position, int) and 0 <= position < len(value):
            return value[position]
        return UNKNOWN
    if isinstance(value, dict):
        text = to_text(key)
        return value.get(text, UNKNOWN) if text is not None else UNKNOWN
    if isinstance(value, RefValue):
        return value.index(key)
    return UNKNOWN


def _literal(expr: ast.Expr, scope: Scope) -> Any:
    return expr[1]


def _template(expr: ast.Expr, scope: Scope) -> Any:
    pieces: list[str] = []
    length = 0
    for part in expr[1]:
        text = part if isinstance(part, str) else to_text(evaluate(part, scope))
        if text is None:
            return UNKNOWN
        pieces.append(text)
        length += len(text)
        if length > MAX_STRING:
            raise EvaluationError(string_too_long(length))
    return "".join(pieces)


def _identifier(expr: ast.Expr, scope: Scope) -> Any:
    return scope.lookup(expr[1])


def _attribute(expr: ast.Expr, scope: Scope) -> Any:
    return get_attr(evaluate(expr[1], scope), expr[2])


def _index(expr: ast.Expr, scope: Scope) -> Any:
    return get_index(evaluate(expr[1], scope), evaluate(expr[2], scope))


def _splat(expr: ast.Expr, scope: Scope) -> Any:
    value = evaluate(expr[1], scope)
    steps = expr[2]
    if value is UNKNOWN or isinstance(value, PartialAddress):
        return UNKNOWN
    if isinstance(value, RefValue):
        whole = (RefValue(value.address, value.attribute + ".*") if value.attribute
                 else RefValue(value.address + "[*]"))
        return _apply_steps(whole, steps, scope)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_apply_steps(item, steps, scope) for item in items]


def _apply_steps(value: Any, steps: tuple[ast.Expr, ...], scope: Scope) -> Any:
    for step in steps:
        if step[0] == ast.ATTR:
            value = get_attr(value, step[2])
        elif step[0] == ast.IDX:
            value = get_index(value, evaluate(step[2], scope))
        else:
            return UNKNOWN
    return value


def _call(expr: ast.Expr, scope: Scope) -> Any:
    name, arg_exprs, expand = expr[1], expr[2], expr[3]
    if name in ("try", "can"):
        return _try_or_can(name, arg_exprs, scope)
    function = FUNCTIONS.get(name)
    if function is None:
        return UNKNOWN
    args = [evaluate(a, scope) for a in arg_exprs]
    if expand and args:
        last = args.pop()
        if not isinstance(last, list):
            return UNKNOWN
        args.extend(last)
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    spend(len(args))
    try:
        result = function(*args)
    except EvaluationError:
        raise
    except Exception:  # a bad argument: Terraform would fail, statically it is unknown
        return UNKNOWN
    if isinstance(result, int) and not isinstance(result, bool):
        return check_integer(result)
    return check_size(result)


def _try_or_can(name: str, arg_exprs: tuple[ast.Expr, ...], scope: Scope) -> Any:
    """`try` returns its first argument that evaluates fully; `can` says whether one does."""
    for arg in arg_exprs:
        value = evaluate(arg, scope)
        if is_known(value):
            return True if name == "can" else value
        if name == "can":
            return False
    return UNKNOWN


def _tuple(expr: ast.Expr, scope: Scope) -> Any:
    return check_size([evaluate(item, scope) for item in expr[1]])


def _object(expr: ast.Expr, scope: Scope) -> Any:
    result: dict[str, Any] = {}
    for key_expr, value_expr in expr[1]:
        key = key_expr[1] if key_expr[0] == ast.LIT else to_text(evaluate(key_expr, scope))
        if key is None or isinstance(key, RefValue) or not isinstance(key, str):
            return UNKNOWN
        result[key] = evaluate(value_expr, scope)
    return check_size(result)


def _conditional(expr: ast.Expr, scope: Scope) -> Any:
    condition = to_bool(evaluate(expr[1], scope))
    if condition is None:
        return UNKNOWN
    return evaluate(expr[2] if condition else expr[3], scope)


def _unary(expr: ast.Expr, scope: Scope) -> Any:
    value = evaluate(expr[2], scope)
    if expr[1] == "!":
        flag = to_bool(value)
        return UNKNOWN if flag is None else not flag
    number = to_number(value)
    return UNKNOWN if number is None else -number


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _binary(expr: ast.Expr, scope: Scope) -> Any:
    operator = expr[1]
    left = evaluate(expr[2], scope)
    right = evaluate(expr[3], scope)
    if operator in ("&&", "||"):
        first, second = to_bool(left), to_bool(right)
        if first is None or second is None:
            return UNKNOWN
        return (first and second) if operator == "&&" else (first or second)
    if not (is_known(left) and is_known(right)) or isinstance(left, RefValue) or isinstance(
            right, RefValue):
        return UNKNOWN
    if operator in ("==", "!="):
        equal = _normalise(left) == _normalise(right)
        return equal if operator == "==" else not equal
    a, b = to_number(left), to_number(right)
    if a is None or b is None:
        return UNKNOWN
    try:
        result = _ARITHMETIC[operator](a, b)
    except (ArithmeticError, KeyError):
        return UNKNOWN
    if isinstance(result, float) and result.is_integer() and operator != "/":
        result = int(result)
    return check_integer(result) if type(result) is int else result


def _normalise(value: Any) -> Any:
    """Numbers compare by value whatever their Python type; bools stay distinct from 1/0."""
    if isinstance(value, bool):
        return ("bool", value)
    return value


def _for(expr: ast.Expr, scope: Scope) -> Any:
    _, key_var, value_var, collection_expr, key_expr, value_expr, cond_expr, group = expr
    collection = evaluate(collection_expr, scope)
    if isinstance(collection, dict):
        pairs: list[tuple[Any, Any]] = sorted(collection.items())
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        return UNKNOWN
    items: list[Any] = []
    mapping: dict[str, Any] = {}
    spend(len(pairs))
    for key, value in pairs:
        names = {value_var: value}
        if key_var:
            names[key_var] = key
        inner = scope.bind(**names)
        if cond_expr is not None:
            keep = to_bool(evaluate(cond_expr, inner))
            if keep is None:
                return UNKNOWN
            if not keep:
                continue
        result = evaluate(value_expr, inner)
        if key_expr is None:
            items.append(result)
            continue
        name = to_text(evaluate(key_expr, inner))
        if name is None:
            return UNKNOWN
        if group:
            mapping.setdefault(name, []).append(result)
        else:
            mapping[name] = result
    return check_size(items if key_expr is None else mapping)


def _unknown(expr: ast.Expr, scope: Scope) -> Any:
    return UNKNOWN


_EVALUATORS: dict[str, Callable[[ast.Expr, Scope], Any]] = {
    ast.LIT: _literal,
    ast.TPL: _template,
    ast.ID: _identifier,
    ast.ATTR: _attribute,
    ast.IDX: _index,
    ast.SPLAT: _splat,
    ast.CALL: _call,
    ast.TUPLE: _tuple,
    ast.OBJECT: _object,
    ast.COND: _conditional,
    ast.UNARY: _unary,
    ast.BINARY: _binary,
    ast.FOR: _for,
    ast.UNKNOWN: _unknown,
}


def traversal_text(expr: ast.Expr) -> str | None:
    """`aws_iam_role.lambda` or `module.net` written as a reference (depends_on, provider)."""
    if expr[0] == ast.ID:
        return str(expr[1])
    if expr[0] == ast.ATTR:
        head = traversal_text(expr[1])
        return f"{head}.{expr[2]}" if head else None
    return None
