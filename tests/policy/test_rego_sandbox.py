"""The Rego sandbox: a child process with no environment, stopped past its limits, whose
failures are the culprit policy's error while the other policies still run."""

from __future__ import annotations

import pytest

from purser.policy import rego_sandbox
from purser.policy.rego_sandbox import evaluate
from purser.policy.rego_source import Policy

CANARY = "rego-sandbox-canary-0b7e"
GOOD = Policy("policies/good.rego",
              'package good\nimport rego.v1\ndeny contains input.name if { input.name }\n', "good")
DOCUMENTS = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
LABELS = ["r.a", "r.b", "r.c"]


def bad(body: str) -> Policy:
    return Policy("policies/bad.rego", f"package bad\nimport rego.v1\n{body}\n", "bad")


def good_results(evaluation: rego_sandbox.Evaluation) -> list[str]:
    return [entry for (index, package), found in sorted(evaluation.results.items())
            if package == "good" for _, entry in found]


def test_the_worker_sees_no_environment_even_through_a_missed_builtin(monkeypatch):
    monkeypatch.setenv("PURSER_CANARY", CANARY)
    spy = bad('deny contains sprintf("%v", [opa.runtime().env]) if { true }')
    evaluation = evaluate([spy], DOCUMENTS[:1], LABELS[:1])
    assert evaluation.errors == []
    assert evaluation.results == {(0, "bad"): [("deny", "{}")]}


def test_a_runaway_step_is_stopped_and_the_other_package_still_runs(monkeypatch):
    monkeypatch.setattr(rego_sandbox, "STEP_SECONDS", 1.0)
    slow = bad(f'deny contains "x" if {{ regex.match("^(a+)+$", "{"a" * 40}b") }}')
    evaluation = evaluate([slow, GOOD], DOCUMENTS, LABELS)
    assert [(e.file, e.line) for e in evaluation.errors] == [("policies/bad.rego", 3)]
    assert "stopped on r.a" in evaluation.errors[0].message
    assert "1 s limit" in evaluation.errors[0].message
    assert good_results(evaluation) == ["a", "b", "c"]


def test_a_policy_growing_past_the_memory_bound_is_stopped_on_its_input(monkeypatch):
    monkeypatch.setattr(rego_sandbox, "MEMORY_BYTES", 300 * 1024**2)
    greedy = bad('deny contains "x" if {\n  input.name == "b"\n'
                 "  count(numbers.range(1, 100000000)) > 0\n}")
    evaluation = evaluate([GOOD, greedy], DOCUMENTS, LABELS)
    assert [(e.file, e.line) for e in evaluation.errors] == [("policies/bad.rego", 3)]
    assert "stopped on r.b: it used more than" in evaluation.errors[0].message
    assert good_results(evaluation) == ["a", "b", "c"]
    assert evaluation.results[0, "bad"] == []  # evaluated before the input that blew up


def test_an_evaluation_error_names_the_recursive_rule():
    looping = bad("a if { b }\nb if { a }\ndeny contains \"x\" if { a }")
    evaluation = evaluate([looping, GOOD], DOCUMENTS, LABELS)
    assert [(e.file, e.line) for e in evaluation.errors] == [("policies/bad.rego", 3)]
    assert "Recursion detected" in evaluation.errors[0].message
    assert good_results(evaluation) == ["a", "b", "c"]


def test_a_file_that_crashes_the_compiler_is_found_and_left_out():
    depth = 20000
    crashing = bad("x := " + "[" * depth + "]" * depth + '\ndeny contains "x" if { x }')
    helpers = [Policy(f"policies/lib{i}.rego", f"package lib{i}\nf(x) := x\n", f"lib{i}")
               for i in range(3)]
    evaluation = evaluate([*helpers, crashing, GOOD], DOCUMENTS, LABELS)
    assert [(e.file, e.line) for e in evaluation.errors] == [("policies/bad.rego", 4)]
    assert "crashed the Rego engine (SIGSEGV)" in evaluation.errors[0].message
    assert good_results(evaluation) == ["a", "b", "c"]


def test_when_restarts_run_out_the_packages_left_are_errors_not_silence(monkeypatch):
    monkeypatch.setattr(rego_sandbox, "STEP_SECONDS", 1.0)
    monkeypatch.setattr(rego_sandbox, "MAX_RESTARTS", 0)
    slow = bad(f'deny contains "x" if {{ regex.match("^(a+)+$", "{"a" * 40}b") }}')
    evaluation = evaluate([slow, GOOD], DOCUMENTS, LABELS)
    assert [e.file for e in evaluation.errors] == ["policies/bad.rego", "policies/good.rego"]
    assert "was not evaluated on every resource" in evaluation.errors[1].message


@pytest.mark.parametrize(("last", "skip", "expected"), [
    (None, set(), (0, "a")),
    ((0, "a"), set(), (0, "b")),
    ((0, "b"), set(), (1, "a")),
    ((0, "a"), {"a"}, (0, "b")),  # `a` failed on document 0: `b` comes next
    ((1, "b"), set(), None),
])
def test_the_step_running_when_a_child_stops_follows_the_reporting_order(last, skip, expected):
    run = rego_sandbox._Run(packages=["a", "b"], last=last)
    assert run.next_step(2, skip) == expected
