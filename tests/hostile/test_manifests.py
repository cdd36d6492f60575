"""Hostile manifests, templates and plans, end to end: `purser check` reports each as the
file's own error with its line (or reads the value as text or unknown), still checks the
other files, exits 2 when input could not be checked, and never shows a traceback.

Finer variations run in process beside each reader (tests/test_safeyaml.py,
tests/test_safejson.py, tests/sources/test_kubernetes.py, test_cloudformation.py,
test_terraform_plan.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Outcome, build, run_purser

# A file beside every hostile one, whose findings must still be reported.
WITNESS = {"k8s/priv.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: priv}\nspec:\n"
                            "  containers:\n    - name: app\n      image: app:1\n"
                            "      securityContext: {privileged: true}\n"}
WITNESS_RULE = "PUR-SEC-034"  # privileged container

HUGE = "9" * 5000

PRIVILEGED_HIDDEN = """\
apiVersion: v1
kind: Pod
metadata: {name: sneaky}
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
        privileged: true
      securityContext:
        privileged: false
"""


def check(tmp_path: Path, files: dict[str, str], *options: str) -> Outcome:
    repo = build(tmp_path / "repo", {**WITNESS, **files})
    outcome = run_purser("check", repo, "--no-cost", *options)
    outcome.assert_clean()
    assert WITNESS_RULE in outcome.stdout and "k8s/priv.yaml" in outcome.stdout
    return outcome


CASES = {
    "huge integer in YAML": (
        {"k8s/big.yaml": f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n"
                         f"data: {{x: {HUGE}}}\n"},
        "k8s/big.yaml:4: number too long: 5,000 characters (at most 100)"),
    "huge integer in JSON": (
        {"cfn/t.json": '{"Resources": {"Q": {"Type": "AWS::SQS::Queue",\n'
                       f'"Properties": {{"DelaySeconds": {HUGE}}}}}}}}}'},
        "cfn/t.json:2: number too long: 5,000 characters (at most 100)"),
    "lone surrogate in YAML": (
        {"k8s/s.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'
                       'data: {x: "\\uDFFF"}\n'},
        "k8s/s.yaml:4: invalid YAML: found invalid Unicode character escape code"),
    "plan JSON nested 10,000 levels deep": (
        {"plan.json": '{\n"terraform_version": "1.7.5",\n"planned_values": '
                      + "[" * 10_000 + "]" * 10_000 + "}\n"},
        "plan.json:3: values nested more than 100 levels deep"),
    "stream of 100,000 documents": (
        {"k8s/stream.yaml": "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n" * 100_000},
        "k8s/stream.yaml:40002: more than 10,000 documents in one file"),
    "List of 100,000 items": (
        {"k8s/list.yaml": "apiVersion: v1\nkind: List\nitems:\n"
                          + "- {apiVersion: v1, kind: Pod}\n" * 100_000},
        "k8s/list.yaml:10004: more than 10,000 objects in one file"),
    "second securityContext hiding privileged": (
        {"k8s/sneaky.yaml": PRIVILEGED_HIDDEN},
        "k8s/sneaky.yaml:10: duplicate key 'securityContext' (first written on line 8)"),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_the_files_error_with_its_line(tmp_path: Path, case: str) -> None:
    files, error = CASES[case]
    outcome = check(tmp_path, files)
    assert outcome.code == 2
    assert f"  {error}" in outcome.stdout
    assert outcome.stdout.count(next(iter(files))) == 1  # one error for the file, no more


def test_an_invalid_date_stays_text_and_the_manifest_is_checked(tmp_path: Path) -> None:
    outcome = check(tmp_path, {"k8s/dated.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: dated\n"
        "  annotations: {expires: 2027-13-45}\n"
        "spec:\n  containers: [{name: app, image: 'app:1'}]\n")})
    assert outcome.code == 1
    assert "k8s/dated.yaml:1" in outcome.stdout and "0 input error(s)" in outcome.stdout


def test_select_with_an_infinite_index_is_unknown_and_the_template_is_checked(
        tmp_path: Path) -> None:
    outcome = check(tmp_path, {"cfn/t.yaml": (
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
        "    Properties: {QueueName: !Select [.inf, [a, b]]}\n")})
    assert outcome.code == 1
    assert "0 input error(s)" in outcome.stdout and "2 resource(s) checked" in outcome.stdout


@pytest.mark.parametrize("report", ["json", "sarif"])
def test_lone_surrogates_in_json_are_replaced_so_every_report_encodes(
        tmp_path: Path, report: str) -> None:
    outcome = check(tmp_path, {"cfn/t.json": (
        '{"Resources": {"Q\\udfff": {"Type": "AWS::SQS::Queue",'
        ' "Properties": {"QueueName": "q\\ud800"}}}}')}, "--format", report)
    assert outcome.code == 1
    assert "\\udfff" not in outcome.stdout.lower() and "\\ud800" not in outcome.stdout.lower()
