"""Responsible-AI pack: documentation, traceability and oversight of model-serving workloads.

An AI inference workload is recognised by what it is, not only by a label: a KServe
InferenceService; a Kubernetes workload or Knative service that requests a GPU or runs a
model-serving image or runtime (vLLM, Text Generation Inference, Triton, KServe, TorchServe,
TensorFlow Serving, Ollama, llama.cpp, SGLang, Seldon); or one labelled
`app: ai-model-inference` or annotated `purser.dev/ai-model`. The annotations it must
declare map to EU AI Act obligations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from purser.model import Category, Resource, Severity
from purser.policy.rule import Rule, RuleContext, Violation, rule
from purser.policy.workloads import (
    WORKLOAD_TYPES,
    container_name,
    containers,
    pod_template_metadata,
)

AI_APP_LABEL = "ai-model-inference"
AI_MODEL = "purser.dev/ai-model"
MODEL_ID = "purser.dev/model-id"
DATA_LINEAGE = "purser.dev/data-lineage-url"
MODEL_CARD = "purser.dev/model-card-url"
RISK_LEVEL = "purser.dev/risk-level"
HUMAN_OVERSIGHT = "purser.dev/human-oversight"
GPU = "nvidia.com/gpu"
GPU_RESOURCES = frozenset({GPU, "amd.com/gpu", "gpu.intel.com/i915"})
INFERENCE_SERVICE = "serving.kserve.io/InferenceService"
AI_TYPES = (*WORKLOAD_TYPES, INFERENCE_SERVICE)
# Images of model servers, by repository name (any registry, any tag).
MODEL_SERVER_IMAGE = re.compile(
    r"(^|/)(vllm-openai|vllm|text-generation-inference|tgi-gaudi|tritonserver|"
    r"kserve[\w-]*|torchserve|tensorflow/serving|ollama|llama\.cpp|"
    r"sglang|seldon[\w-]*|mlserver|triton[\w-]*|huggingface-pytorch-tgi-inference)"
    r"(:|@|$)", re.IGNORECASE)


def _template(resource: Resource, key: str) -> dict[str, Any]:
    return _mapping(pod_template_metadata(resource).get(key))


def _mapping(value: Any) -> dict[str, Any]:
    """A manifest block that should be a mapping; any other shape counts as not set."""
    return value if isinstance(value, dict) else {}


def declared_annotations(resource: Resource) -> dict[str, Any]:
    """Metadata annotations overlaid with the pod template's."""
    return {**resource.annotations, **_template(resource, "annotations")}


def is_ai_workload(resource: Resource) -> bool:
    if resource.type == INFERENCE_SERVICE:
        return True
    if resource.type not in WORKLOAD_TYPES:
        return False
    labels = {**_template(resource, "labels"), **resource.tags}
    return labels.get("app") == AI_APP_LABEL or AI_MODEL in declared_annotations(resource) \
        or any(_serves_models(container) for container in containers(resource, init=False))


def _serves_models(container: dict[str, Any]) -> bool:
    """A GPU request or limit, or a model-serving image."""
    resources = _mapping(container.get("resources"))
    if any(key in GPU_RESOURCES for part in ("requests", "limits")
           for key in _mapping(resources.get(part))):
        return True
    return bool(MODEL_SERVER_IMAGE.search(str(container.get("image") or "")))


class _DeclaredAnnotation(Rule):
    """An AI workload must declare `annotation` with a non-empty value."""

    annotation: str
    why: str
    category = Category.responsible_ai
    pack = "responsible-ai"
    resource_types = AI_TYPES

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        if is_ai_workload(resource) and not str(
                declared_annotations(resource).get(self.annotation) or "").strip():
            yield f"AI inference workload without the {self.annotation} annotation: {self.why}"


@rule
class ModelIdDeclared(_DeclaredAnnotation):
    id = "PUR-AI-001"
    title = "AI workload does not identify its model"
    severity = Severity.high
    frameworks = ("EU AI Act art. 12",)
    annotation = MODEL_ID
    why = "predictions cannot be traced back to the model version that made them"
    remediation = f"Annotate the workload with {MODEL_ID}: <registry name>@<version>."


@rule
class DataLineageDeclared(_DeclaredAnnotation):
    id = "PUR-AI-002"
    title = "AI workload without data lineage"
    severity = Severity.medium
    frameworks = ("EU AI Act art. 11",)
    annotation = DATA_LINEAGE
    why = "the training data behind the model is undocumented"
    remediation = f"Annotate the workload with {DATA_LINEAGE} pointing at the dataset record."


@rule
class ModelCardDeclared(_DeclaredAnnotation):
    id = "PUR-AI-003"
    title = "AI workload without a model card"
    severity = Severity.medium
    frameworks = ("EU AI Act art. 13", "EU AI Act art. 11")
    annotation = MODEL_CARD
    why = "users and operators cannot read the model's intended use and limitations"
    remediation = f"Publish a model card and annotate the workload with {MODEL_CARD}."


@rule
class RiskLevelDeclared(_DeclaredAnnotation):
    id = "PUR-AI-004"
    title = "AI workload without a risk classification"
    severity = Severity.low
    frameworks = ("EU AI Act art. 6",)
    annotation = RISK_LEVEL
    why = "nobody has decided whether it is a high-risk system"
    remediation = f"Annotate the workload with {RISK_LEVEL}: minimal | limited | high."


@rule
class ModelImagePinned(Rule):
    id = "PUR-AI-005"
    title = "Model-serving image not pinned by digest"
    severity = Severity.medium
    category = Category.responsible_ai
    pack = "responsible-ai"
    resource_types = AI_TYPES
    frameworks = ("EU AI Act art. 12",)
    remediation = "Reference the image as registry/name@sha256:<digest>."
    equivalents = {"checkov": ("CKV_K8S_43",)}

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        if not is_ai_workload(resource):
            return
        for container in containers(resource):
            image = str(container.get("image") or "")
            if "@sha256:" not in image:
                who = f"container {container['name']}" if container.get("name") else "it"
                yield Violation(f"{who} runs {image or 'no image'} by tag: the served model "
                                "can change without a deploy record", evidence={"image": image})


@rule
class GpuLimits(Rule):
    id = "PUR-AI-006"
    title = "GPU requested without limits"
    severity = Severity.medium
    frameworks = ("FinOps Framework: Workload Optimization",)
    category = Category.responsible_ai
    pack = "responsible-ai"
    resource_types = AI_TYPES
    remediation = (f"Put {GPU} in resources.limits (Kubernetes schedules GPUs by limit) with "
                   "cpu and memory limits beside it.")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for container in containers(resource):
            resources = _mapping(container.get("resources"))
            requests = _mapping(resources.get("requests"))
            limits = _mapping(resources.get("limits"))
            if GPU not in requests and GPU not in limits:
                continue
            missing = [key for key in (GPU, "cpu", "memory") if not limits.get(key)]
            if missing:
                name = container_name(container)
                yield Violation(f"GPU container {name} has no limits for {', '.join(missing)}",
                                evidence={"container": name, "missing": missing})


@rule
class HumanOversight(Rule):
    id = "PUR-AI-007"
    title = "High-risk AI workload without human oversight"
    severity = Severity.high
    category = Category.responsible_ai
    pack = "responsible-ai"
    resource_types = AI_TYPES
    frameworks = ("EU AI Act art. 14",)
    remediation = (f"Annotate {HUMAN_OVERSIGHT} with how a person reviews or overrides its "
                   "decisions (a runbook or review-queue URL).")

    def check(self, resource: Resource, context: RuleContext) -> Iterator[str]:
        declared = declared_annotations(resource)
        if (is_ai_workload(resource) and str(declared.get(RISK_LEVEL, "")).lower() == "high"
                and not str(declared.get(HUMAN_OVERSIGHT) or "").strip()):
            yield f"{RISK_LEVEL} is high but no {HUMAN_OVERSIGHT} is declared"
