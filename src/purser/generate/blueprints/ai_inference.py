"""Knative AI inference service: scales with requests (to zero unless availability asks
otherwise), with the responsible-AI annotations the EU AI Act obligations map to: the
model's id, its data lineage and model card when given, its risk level, and human
oversight for a high-risk model."""

from __future__ import annotations

from typing import ClassVar

from purser.generate.blueprints import blueprint, containers
from purser.generate.design import Context, Design, k8s_name

DEFAULT_PREDICTIONS = 1_000_000
DEFAULT_DURATION_MS = 200
CONCURRENCY = 10
CPU = "1"
AI_MODEL = "purser.dev/ai-model"


@blueprint
class AiInference:
    pattern: ClassVar[str] = "ai-inference"
    components: ClassVar[frozenset[str]] = frozenset({"knative", "kubernetes"})
    summary: ClassVar[str] = "Knative inference service with responsible-AI annotations"

    def design(self, ctx: Context) -> Design:
        design = Design()
        spec = ctx.spec
        name, namespace = k8s_name(spec.name), k8s_name(spec.team)
        annotations = {AI_MODEL: spec.model or "", "purser.dev/model-id": spec.model or ""}
        for key, value in (("purser.dev/model-card-url", spec.model_card_url),
                           ("purser.dev/data-lineage-url", spec.data_lineage_url),
                           ("purser.dev/risk-level", spec.risk_level),
                           ("purser.dev/human-oversight", spec.oversight_url)):
            if value:
                annotations[key] = value
            else:
                design.decide(f"no {key} annotation", "the intent does not give it; the gate "
                              "reports what is missing rather than purser inventing it",
                              "assumed")
        scale = {"autoscaling.knative.dev/min-scale": str(ctx.sizing.min_scale),
                 "autoscaling.knative.dev/max-scale": "10"}
        if ctx.sizing.min_scale > 0:
            scale["purser.dev/justification"] = ("highly available: instances kept warm so a "
                                                 "request never waits for a cold start")
        image = f"registry.example.com/models/{name}:{_tag(spec.model)}"
        service = {
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": name, "namespace": namespace,
                         "labels": {**containers.labels(ctx), "app": "ai-model-inference"},
                         "annotations": annotations},
            "spec": {"template": {
                "metadata": {"annotations": scale},
                "spec": {"containerConcurrency": CONCURRENCY,
                         "automountServiceAccountToken": False,
                         "containers": [containers.container(
                             "model", image, cpu=CPU, memory_mib=ctx.sizing.memory_mb,
                             port=8080)]}}},
        }
        design.manifests.append(service)
        design.usage[f"k8s:serving.knative.dev/Service/{namespace}/{name}"] = {
            "monthly_requests": spec.traffic.monthly_requests or DEFAULT_PREDICTIONS,
            "request_duration_ms": spec.traffic.request_duration_ms or DEFAULT_DURATION_MS}
        design.decide(f"namespace {namespace}", "the owning team's namespace")
        design.decide(f"min-scale {ctx.sizing.min_scale}, max-scale 10, {CONCURRENCY} "
                      "requests per instance",
                      "highly available: one instance always warm" if spec.availability == "high"
                      else "scales to zero when idle")
        design.decide(f"image {image}", containers.UNPINNED_IMAGE_NOTE, "assumed")
        return design


def _tag(model: str | None) -> str:
    import re

    version = (model or "").rpartition("@")[2] or "latest-model"
    tag = re.sub(r"[^A-Za-z0-9_.-]", "-", version)[:128]
    return tag if tag and tag != "latest" else "model"
