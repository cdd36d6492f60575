"""Terraform built-in functions, evaluated statically (table-driven)."""

from typing import Any

import pytest

from purser.sources.hcl.evaluate import Scope, evaluate
from purser.sources.hcl.parse import parse_expression
from purser.sources.hcl.values import UNKNOWN, RefValue

NAMES = {"ref": RefValue("aws_s3_bucket.b", "arn"), "m": {"a": 1, "b": 2}}


def value(text: str) -> Any:
    expr = parse_expression(text)
    assert expr is not None, text
    return evaluate(expr, Scope(lambda name: NAMES.get(name, UNKNOWN)))


@pytest.mark.parametrize(("text", "expected"), [
    ('merge({a = 1, b = 1}, {b = 2}, null)', {"a": 1, "b": 2}),
    ('lookup(m, "a")', 1),
    ('lookup(m, "z", 0)', 0),
    ('concat([1], [2, 3], [])', [1, 2, 3]),
    ('format("%s-%03d %.1f %v %q %t %%", "x", 7, 1.25, 2, "q", true)', 'x-007 1.2 2 "q" true %'),
    ('join("-", ["a", "b"], ["c"])', "a-b-c"),
    ('tomap({a = "1"})', {"a": "1"}),
    ('tolist(["a"])', ["a"]),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('length("abc")', 3),
    ('length({a = 1})', 1),
    ('length([1, 2])', 2),
    ('try(m.z, m.a)', 1),
    ('try(m.z, "fallback")', "fallback"),
    ('can(m.a)', True),
    ('can(m.z)', False),
    ('coalesce(null, "", "x")', "x"),
    ('keys({b = 1, a = 2})', ["a", "b"]),
    ('values({b = 1, a = 2})', [2, 1]),
    ('lower("AbC")', "abc"),
    ('upper("AbC")', "ABC"),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("a1b22", "/[0-9]+/", "#")', "a#b#"),
    ('split(",", "a,b")', ["a", "b"]),
    ('contains(["a", "b"], "b")', True),
    ('contains(["a"], "z")', False),
    ('element(["a", "b"], 3)', "b"),
    ('flatten([[1, [2]], 3])', [1, 2, 3]),
    ('distinct([1, 2, 1])', [1, 2]),
    ('jsonencode({b = [1, true, null], a = "x"})', '{"a":"x","b":[1,true,null]}'),
    ('jsonencode({Resource = ref})', '{"Resource":"${aws_s3_bucket.b.arn}"}'),
    ('min(3, 1, 2)', 1),
    ('max(3, 1, 2)', 3),
    ('abs(-4)', 4),
    ('ceil(1.2)', 2),
    ('floor(1.8)', 1),
    ('substr("hello", 1, 3)', "ell"),
    ('substr("hello", -3, -1)', "llo"),
    ('trimspace("  x \\n")', "x"),
    ('startswith("arn:aws", "arn:")', True),
    ('endswith("file.py", ".js")', False),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ('range(3)', [0, 1, 2]),
    ('range(1, 7, 2)', [1, 3, 5]),
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
    ('compact(["a", "", null])', ["a"]),
    ('coalescelist([], [1])', [1]),
    ('tostring(5)', "5"),
    ('tonumber("5")', 5),
    ('tobool("true")', True),
    ('trimprefix("prefix-x", "prefix-")', "x"),
    ('trimsuffix("x.tf", ".tf")', "x"),
    ('title("hello world")', "Hello World"),
    ('reverse([1, 2])', [2, 1]),
    ('sort(["b", "a"])', ["a", "b"]),
    ('slice(["a", "b", "c"], 1, 3)', ["b", "c"]),
    ('index(["a", "b"], "b")', 1),
    ('one(["x"])', "x"),
    ('sum([1, 2.5])', 3.5),
    ('alltrue([true, true])', True),
    ('anytrue([false])', False),
    ('jsondecode("{\\"a\\": 1}")', {"a": 1}),
    ('base64encode("hi")', "aGk="),
    ('base64decode("aGk=")', "hi"),
    ('sha256("")', "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ('formatlist("%s=%s", ["a", "b"], ["1", "2"])', ["a=1", "b=2"]),
    ('setunion(["b"], ["a", "b"])', ["a", "b"]),
    ('chunklist([1, 2, 3], 2)', [[1, 2], [3]]),
    ('merge([{a = 1}, {b = 2}]...)', {"a": 1, "b": 2}),
])
def test_function_result(text: str, expected: Any):
    assert value(text) == expected


@pytest.mark.parametrize("text", [
    "timestamp()",
    "uuid()",
    'file("x.txt")',
    'lower(ref)',
    'length(ref)',
    'max("a")',
    'element([], 0)',
    'lookup(m, "z")',
    'upper(unset)',
    'jsonencode({a = unset})',
    'cidrsubnet("10.0.0.0/16", 8, 999)',
    'format("%s %s", "only one")',
    'provider::aws::arn_parse("x")',
])
def test_function_without_a_static_answer_is_unknown(text: str):
    assert value(text) is UNKNOWN
