"""The rule engine isolates a rule that raises: an error naming rule, resource, file and line."""

from collections.abc import Iterator
from typing import Any

import pytest

from purser.config import Config
from purser.model import Resource, SourceRef
from purser.policy.engine import load_packs, run_rules
from purser.policy.rule import rules

# Values a hostile or careless manifest can put where a rule expects something else.
WRONG_SHAPES: list[Any] = [[], [1, None], {}, {"a": {"b": 1}}, 7, -1, None, True, 2.5,
                           "x" * 10_000, [{"a": 1}, 3], {"resources": [1]}]


def resource(address: str, type_: str, attrs: dict[str, Any], line: int = 3) -> Resource:
    provider = "kubernetes" if "/" in type_ else "aws"
    return Resource(address=address, type=type_, provider=provider, name=address,
                    attrs=attrs, source=SourceRef(file="infra/main.tf", line=line))


def rule_types() -> list[str]:
    load_packs()
    return sorted({t for _, cls in rules.items() for t in cls.resource_types if t != "*"})


def shaped(value: Any) -> dict[str, Any]:
    """Every attribute a rule is likely to read, and the nested places Kubernetes keeps them,
    set to `value`."""
    container = {"name": "app", "resources": value, "env": value, "image": value,
                 "securityContext": value, "ports": value}
    pod = {"containers": [container], "initContainers": value, "volumes": value,
           "securityContext": value}
    flat = {key: value for key in ("runtime", "Runtime", "acl", "AccessControl", "policy",
                                   "PolicyDocument", "tags", "Tags", "ingress", "egress",
                                   "environment", "Environment", "memory_size", "MemorySize",
                                   "statement", "Properties", "rules", "annotations")}
    return {**flat, "metadata": {"annotations": value, "labels": value},
            "spec": {**pod, "rules": value,
                     "template": {"metadata": {"annotations": value}, "spec": pod},
                     "jobTemplate": {"spec": {"template": {"spec": pod}}}}}


@pytest.mark.parametrize("value", WRONG_SHAPES, ids=lambda v: type(v).__name__)
def test_no_rule_lets_a_wrong_shaped_value_escape_the_engine(value):
    resources = [resource(f"{t}.wrong", t, shaped(value)) for t in rule_types()]
    result = run_rules(resources, Config())
    for error in result.errors:
        assert error.message.startswith("rule PUR-"), error
        assert (error.file, error.line) == ("infra/main.tf", 3)


def test_a_kubernetes_resources_list_is_a_finding_not_a_crash():
    manifest = {"spec": {"containers": [{"name": "app", "image": "nginx@sha256:" + "a" * 64,
                                         "resources": [{"limits": {"cpu": 1}}]}]}}
    result = run_rules([resource("core/Pod/default/web", "core/Pod", manifest)], Config())
    assert result.errors == []
    assert "PUR-FIN-015" in {f.rule_id for f in result.findings}


@pytest.mark.parametrize("attrs", [{"runtime": {"python": "2.7"}}, {"runtime": ["go1.x"]}])
def test_a_mapping_where_the_runtime_string_belongs_is_no_crash(attrs):
    fn = resource("aws_lambda_function.fn", "aws_lambda_function", attrs)
    assert run_rules([fn], Config()).errors == []


def test_a_rule_that_raises_is_an_error_and_the_rest_is_still_checked(monkeypatch):
    load_packs()
    broken = rules.get("PUR-SEC-009")

    def explode(self: Any, target: Resource, context: Any) -> Iterator[str]:
        if target.address.endswith("bad"):
            raise KeyError("nowhere")
        yield "deprecated"

    monkeypatch.setattr(broken, "check", explode)
    bad = resource("aws_lambda_function.bad", "aws_lambda_function", {}, line=7)
    good = resource("aws_lambda_function.good", "aws_lambda_function", {}, line=20)
    result = run_rules([bad, good], Config())
    assert [str(e) for e in result.errors] == [
        "infra/main.tf:7: rule PUR-SEC-009 raised on aws_lambda_function.bad: "
        "KeyError: 'nowhere'"]
    assert ("PUR-SEC-009", "aws_lambda_function.good") in {f.key for f in result.findings}
    other_rules = {f.rule_id for f in result.findings if f.resource == bad.address}
    assert other_rules  # the other rules still judged the resource the broken one raised on
    assert ("PUR-SEC-009", bad.address) in {(c.rule_id, c.resource) for c in result.checked}


def test_a_huge_exception_message_is_cut_to_a_readable_length(monkeypatch):
    load_packs()

    def explode(self: Any, target: Resource, context: Any) -> Iterator[str]:
        raise ValueError("v" * 1_000_000)
        yield ""

    monkeypatch.setattr(rules.get("PUR-SEC-009"), "check", explode)
    fn = resource("aws_lambda_function.fn", "aws_lambda_function", {})
    (error,) = run_rules([fn], Config()).errors
    assert len(error.message) < 500 and error.message.endswith("…")
