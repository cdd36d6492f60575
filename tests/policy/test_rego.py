"""User Rego policies run with regopy in a sandboxed child: classic and v1 syntax, admission
input."""

from pathlib import Path
from typing import Any

import pytest

from purser.model import Category, Resource, Severity, SourceRef
from purser.policy import rego

SEED = """package kubernetes.admission.ai_policy
deny[msg] {
input.request.kind.kind == "Deployment"
input.request.object.metadata.labels.app == "ai-model-inference"
not input.request.object.metadata.annotations["ai.apexlogic.com/model-id"]
msg := "AI model deployments must include 'ai.apexlogic.com/model-id' annotation for traceability."
}
"""

V1_FINOPS = """# input is one purser resource
package purser.finops

import rego.v1

deny contains msg if {
\tinput.type == "aws_lambda_function"
\tinput.attrs.memory_size >= 3008
\tmsg := sprintf("%s asks for %v MB", [input.address, input.attrs.memory_size])
}

warn contains "no team tag" if {
\tnot input.tags.team
}
"""


def deployment(name: str, annotations: dict[str, str] | None = None,
               app: str = "ai-model-inference") -> Resource:
    metadata: dict[str, Any] = {"name": name, "namespace": "ml", "labels": {"app": app}}
    if annotations is not None:
        metadata["annotations"] = annotations
    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
                "spec": {"template": {"spec": {"containers": [{"image": "m:1"}]}}}}
    return Resource(address=f"k8s:apps/Deployment/ml/{name}", type="apps/Deployment",
                    provider="kubernetes", name=name, format="kubernetes", attrs=manifest,
                    tags=metadata["labels"], annotations=annotations or {},
                    source=SourceRef(file="k8s/ml.yaml", line=1))


def function(address: str, memory: int, tags: dict[str, str] | None = None) -> Resource:
    return Resource(address=address, type="aws_lambda_function", provider="aws",
                    name=address.split(".")[1], format="terraform",
                    attrs={"memory_size": memory}, tags=tags if tags is not None else {"team": "a"},
                    source=SourceRef(file="main.tf", line=3, end_line=9))


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    return folder


def test_seed_admission_policy_fires_on_unannotated_ai_deployment(tmp_path, policies):
    (policies / "ai_model.rego").write_text(SEED)
    findings, errors = rego.evaluate(policies, tmp_path, [
        deployment("scorer"), deployment("ranker", {"ai.apexlogic.com/model-id": "r-7"})])
    assert errors == []
    assert [f.resource for f in findings] == ["k8s:apps/Deployment/ml/scorer"]
    finding = findings[0]
    assert finding.rule_id == "REGO:kubernetes.admission.ai_policy"
    assert finding.message.startswith("AI model deployments must include")
    assert finding.severity is Severity.high
    assert finding.category is Category.responsible_ai
    assert finding.origin == "rego"
    assert finding.source == SourceRef(file="k8s/ml.yaml", line=1)
    assert finding.evidence["policy"] == "policies/ai_model.rego"


def test_seed_policy_ignores_other_apps(tmp_path, policies):
    (policies / "ai_model.rego").write_text(SEED)
    findings, _ = rego.evaluate(policies, tmp_path, [deployment("web", app="web")])
    assert findings == []


def test_admission_request_carries_kind_namespace_and_operation(tmp_path, policies):
    (policies / "shape.rego").write_text("""package shape
deny[msg] {
  input.request.kind.group == "apps"
  input.request.kind.version == "v1"
  input.request.operation == "CREATE"
  msg := sprintf("%s/%s", [input.request.namespace, input.request.name])
}
""")
    findings, errors = rego.evaluate(policies, tmp_path, [deployment("scorer")])
    assert errors == []
    assert [f.message for f in findings] == ["ml/scorer"]


def test_v1_policy_reads_the_ir_and_keeps_quotes_in_messages(tmp_path, policies):
    (policies / "finops.rego").write_text(V1_FINOPS)
    findings, errors = rego.evaluate(policies, tmp_path, [
        function('aws_lambda_function.fn["big"]', 4096),
        function("aws_lambda_function.small", 512)])
    assert errors == []
    denies = [f for f in findings if f.severity is Severity.high]
    assert [f.message for f in denies] == ['aws_lambda_function.fn["big"] asks for 4096 MB']
    assert denies[0].category is Category.finops
    assert denies[0].rule_id == "REGO:purser.finops"


def test_warn_rule_gives_a_low_finding(tmp_path, policies):
    (policies / "finops.rego").write_text(V1_FINOPS)
    findings, _ = rego.evaluate(policies, tmp_path, [
        function("aws_lambda_function.untagged", 128, tags={})])
    assert [(f.severity, f.message, f.evidence["rule"]) for f in findings] == [
        (Severity.low, "no team tag", "warn")]


def test_violation_objects_use_msg_and_keep_details(tmp_path, policies):
    (policies / "gk.rego").write_text("""package compliance.labels
import rego.v1
violation contains {"msg": "missing owner label", "details": {"missing": ["owner"]}} if {
  not input.request.object.metadata.labels.owner
}
""")
    findings, _ = rego.evaluate(policies, tmp_path, [deployment("scorer")])
    assert [f.message for f in findings] == ["missing owner label"]
    assert findings[0].category is Category.compliance
    assert findings[0].evidence["details"] == {"missing": ["owner"]}


def test_prefixed_rules_and_boolean_deny_are_findings(tmp_path, policies):
    (policies / "sec.rego").write_text("""package team.checks
deny_public[msg] { input.attrs.public == true; msg := "public" }
deny { input.attrs.public == true }
""")
    bucket = Resource(address="aws_s3_bucket.b", type="aws_s3_bucket", provider="aws", name="b",
                      attrs={"public": True}, source=SourceRef(file="s3.tf", line=1))
    findings, errors = rego.evaluate(policies, tmp_path, [bucket])
    assert errors == []
    assert sorted(f.evidence["rule"] for f in findings) == ["deny", "deny_public"]
    assert {f.category for f in findings} == {Category.security}


def test_policy_reading_the_whole_input_sees_every_field(tmp_path, policies):
    (policies / "whole.rego").write_text("""package whole
deny[msg] { x := input; x.region == "eu-west-1"; msg := x.address }
""")
    resource = function("aws_lambda_function.eu", 128)
    resource.region = "eu-west-1"
    findings, _ = rego.evaluate(policies, tmp_path, [resource])
    assert [f.message for f in findings] == ["aws_lambda_function.eu"]


def test_broken_file_is_one_error_with_its_line_and_good_policies_still_run(tmp_path, policies):
    (policies / "a_broken.rego").write_text("package broken\n\ndeny[msg] {\n  msg := \"x\"\n")
    (policies / "ai_model.rego").write_text(SEED)
    findings, errors = rego.evaluate(policies, tmp_path, [deployment("scorer")])
    assert [(e.file, e.line) for e in errors] == [("policies/a_broken.rego", 3)]
    assert "Rego" in errors[0].message
    assert [f.rule_id for f in findings] == ["REGO:kubernetes.admission.ai_policy"]


def test_file_that_parses_but_does_not_compile_is_left_out(tmp_path, policies, capfd):
    (policies / "cycle.rego").write_text("package cycle\ndeny[msg] {\n  input.x ==\n"
                                         "  msg := \"y\"\n}\n")
    (policies / "finops.rego").write_text(V1_FINOPS)
    findings, errors = rego.evaluate(policies, tmp_path, [function("aws_lambda_function.f", 4096)])
    assert [(e.file, e.line) for e in errors] == [("policies/cycle.rego", 3)]
    assert any(f.rule_id == "REGO:purser.finops" for f in findings)
    assert capfd.readouterr().out == ""  # the compiler's own report stays off stdout


def test_policies_may_use_helpers_from_another_file(tmp_path, policies):
    (policies / "lib.rego").write_text("package lib\nis_big(r) { r.attrs.memory_size > 2048 }\n")
    (policies / "nested").mkdir()
    (policies / "nested" / "use.rego").write_text(
        "package use\nimport data.lib\ndeny[\"big\"] { lib.is_big(input) }\n")
    findings, errors = rego.evaluate(policies, tmp_path, [function("aws_lambda_function.f", 4096)])
    assert errors == []
    assert [(f.rule_id, f.message) for f in findings] == [("REGO:use", "big")]
    assert findings[0].evidence["policy"] == "policies/nested/use.rego"


def test_missing_folder_gives_nothing(tmp_path):
    assert rego.evaluate(tmp_path / "nope", tmp_path, [function("aws_lambda_function.f", 1)]) == (
        [], [])


def test_opa_unit_test_files_are_not_policies(tmp_path, policies):
    (policies / "ai_model_test.rego").write_text("package x\ndeny[\"always\"] { true }\n")
    findings, errors = rego.evaluate(policies, tmp_path, [deployment("scorer")])
    assert (findings, errors) == ([], [])


def test_a_huge_message_is_cut_and_counted(tmp_path, policies):
    (policies / "loud.rego").write_text(
        'package loud\nimport rego.v1\ndeny contains concat("", [x | some i in numbers.range(1, '
        '5000); x := "abcdefgh"]) if { true }\n')
    findings, errors = rego.evaluate(policies, tmp_path, [function("aws_lambda_function.a", 1)])
    assert errors == []
    assert len(findings[0].message) < rego.MAX_MESSAGE + 50
    assert findings[0].message.endswith("… (40,000 characters in all)")
