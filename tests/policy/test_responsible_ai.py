from typing import Any

import pytest

from purser.config import Config
from purser.model import Category, Resource, SourceRef
from purser.policy.packs import responsible_ai  # noqa: F401  (registers the pack)
from purser.policy.rule import RuleContext, Violation, rules

DIGEST = "registry.example.com/models/ranker@sha256:" + "a" * 64
DOCUMENTED = {
    "purser.dev/model-id": "ranker@3",
    "purser.dev/data-lineage-url": "https://lineage.example.com/ranker/3",
    "purser.dev/model-card-url": "https://models.example.com/ranker/3/card",
    "purser.dev/risk-level": "limited",
}
SIZED = {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "4Gi"}}


def workload(*, labels: dict[str, str] | None = None, annotations: dict[str, str] | None = None,
             template_annotations: dict[str, str] | None = None,
             container: dict[str, Any] | None = None, kind: str = "apps/Deployment") -> Resource:
    labels = {"app": "ai-model-inference"} if labels is None else labels
    annotations = DOCUMENTED if annotations is None else annotations
    container = container or {"name": "model", "image": DIGEST, "resources": SIZED}
    manifest = {"metadata": {"name": "ranker", "labels": labels, "annotations": annotations},
                "spec": {"template": {"metadata": {"annotations": template_annotations or {}},
                                      "spec": {"containers": [container]}}}}
    return Resource(address=f"k8s:{kind}/shop/ranker", type=kind, provider="kubernetes",
                    name="ranker", format="kubernetes", attrs=manifest, tags=labels,
                    annotations=annotations, source=SourceRef(file="k8s.yaml", line=1))


def check(rule_id: str, resource: Resource) -> list[Violation]:
    outcomes = rules.get(rule_id)().check(resource, RuleContext([resource], Config()))
    return [o if isinstance(o, Violation) else Violation(o) for o in outcomes]


def without(key: str) -> dict[str, str]:
    return {k: v for k, v in DOCUMENTED.items() if k != key}


def test_every_ai_rule_belongs_to_the_pack():
    ids = [i for i in rules if i.startswith("PUR-AI-")]
    assert len(ids) >= 7
    for rule_id in ids:
        cls = rules.get(rule_id)
        assert cls.pack == "responsible-ai" and cls.category is Category.responsible_ai


def test_documented_pinned_workload_passes_every_ai_rule():
    resource = workload()
    for rule_id in (i for i in rules if i.startswith("PUR-AI-")):
        assert check(rule_id, resource) == [], rule_id


@pytest.mark.parametrize(("rule_id", "annotation", "article"), [
    ("PUR-AI-001", "purser.dev/model-id", "EU AI Act art. 12"),
    ("PUR-AI-002", "purser.dev/data-lineage-url", "EU AI Act art. 11"),
    ("PUR-AI-003", "purser.dev/model-card-url", "EU AI Act art. 13"),
    ("PUR-AI-004", "purser.dev/risk-level", "EU AI Act art. 6"),
])
def test_missing_declaration_is_named_in_the_finding(rule_id, annotation, article):
    [violation] = check(rule_id, workload(annotations=without(annotation)))
    assert annotation in violation.message
    assert article in rules.get(rule_id).frameworks


def test_declarations_on_the_pod_template_count():
    resource = workload(annotations={}, template_annotations=DOCUMENTED)
    assert check("PUR-AI-001", resource) == []


def test_non_ai_workload_needs_no_model_declarations():
    assert check("PUR-AI-001", workload(labels={"app": "web"}, annotations={})) == []


def test_ai_model_annotation_marks_a_workload_as_ai():
    resource = workload(labels={"app": "ranker"}, annotations={"purser.dev/ai-model": "ranker"})
    assert check("PUR-AI-003", resource)


def test_knative_service_is_an_ai_workload_too():
    resource = workload(annotations={}, kind="serving.knative.dev/Service")
    assert check("PUR-AI-001", resource)


def test_model_image_must_be_pinned_by_digest():
    tagged = workload(container={"name": "model", "image": "ranker:latest", "resources": SIZED})
    [violation] = check("PUR-AI-005", tagged)
    assert violation.evidence == {"image": "ranker:latest"}


def test_gpu_request_without_gpu_limit():
    container = {"name": "model", "image": DIGEST, "resources": {
        "requests": {"nvidia.com/gpu": 1, "cpu": "2", "memory": "8Gi"},
        "limits": {"cpu": "4", "memory": "16Gi"}}}
    [violation] = check("PUR-AI-006", workload(container=container))
    assert violation.evidence["missing"] == ["nvidia.com/gpu"]


def test_gpu_limit_with_cpu_and_memory_limits_passes():
    container = {"name": "model", "image": DIGEST, "resources": {
        "limits": {"nvidia.com/gpu": 1, "cpu": "4", "memory": "16Gi"}}}
    assert check("PUR-AI-006", workload(container=container)) == []


def test_high_risk_needs_human_oversight():
    high = {**DOCUMENTED, "purser.dev/risk-level": "high"}
    [violation] = check("PUR-AI-007", workload(annotations=high))
    assert "purser.dev/human-oversight" in violation.message
    overseen = {**high, "purser.dev/human-oversight": "https://runbooks.example.com/ranker"}
    assert check("PUR-AI-007", workload(annotations=overseen)) == []


def test_unpinned_image_is_named_once_for_an_unnamed_knative_container():
    tagged = workload(kind="serving.knative.dev/Service",
                      container={"image": "ranker:3", "resources": SIZED})
    [violation] = check("PUR-AI-005", tagged)
    assert violation.message.startswith("it runs ranker:3 by tag")
