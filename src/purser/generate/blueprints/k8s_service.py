"""Kubernetes Deployment with a HorizontalPodAutoscaler and FinOps annotations: a
ClusterIP Service, a PodDisruptionBudget when highly available, cost-allocation labels."""

from __future__ import annotations

from typing import Any, ClassVar

from purser.generate.blueprints import blueprint, containers
from purser.generate.design import Context, Design, k8s_name

CPU = "500m"
MAX_REPLICAS = 10


@blueprint
class KubernetesService:
    pattern: ClassVar[str] = "k8s-service"
    components: ClassVar[frozenset[str]] = frozenset({"kubernetes"})
    summary: ClassVar[str] = "Deployment + Service + HPA (+ PodDisruptionBudget when HA)"

    def design(self, ctx: Context) -> Design:
        design = Design()
        spec = ctx.spec
        name, namespace = k8s_name(spec.name), k8s_name(spec.team)
        labels = containers.labels(ctx)
        selector = {"app.kubernetes.io/name": spec.name}
        minimum = ctx.sizing.min_scale
        finops = {"purser.dev/owner": spec.team,
                  "purser.dev/budget-monthly-usd": f"{spec.budget_monthly_usd:g}"
                  if spec.budget_monthly_usd else "none"}
        image = f"registry.example.com/{namespace}/{name}:1.0.0"
        objects: list[dict[str, Any]] = [
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": name, "namespace": namespace, "labels": labels,
                          "annotations": finops},
             "spec": {"replicas": minimum, "selector": {"matchLabels": selector},
                      "template": {
                          "metadata": {"labels": {**labels, **selector}},
                          "spec": {"automountServiceAccountToken": False,
                                   "securityContext": {
                                       "runAsNonRoot": True,
                                       "seccompProfile": {"type": "RuntimeDefault"}},
                                   "containers": [containers.container(
                                       name, image, cpu=CPU, memory_mib=ctx.sizing.memory_mb,
                                       port=8080)]}}}},
            {"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": name, "namespace": namespace, "labels": labels},
             "spec": {"type": "ClusterIP", "selector": selector,
                      "ports": [{"port": 80, "targetPort": 8080}]}},
            {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
             "metadata": {"name": name, "namespace": namespace, "labels": labels},
             "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                         "name": name},
                      "minReplicas": minimum, "maxReplicas": MAX_REPLICAS,
                      "metrics": [{"type": "Resource", "resource": {
                          "name": "cpu", "target": {"type": "Utilization",
                                                    "averageUtilization": 70}}}]}},
        ]
        if spec.availability == "high":
            objects.append({
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": {"name": name, "namespace": namespace, "labels": labels},
                "spec": {"minAvailable": 1, "selector": {"matchLabels": selector}}})
            design.decide("a PodDisruptionBudget keeps one pod up during node drains",
                          "highly available", "intent")
        design.manifests += objects
        design.usage[f"k8s:apps/Deployment/{namespace}/{name}"] = {"expected_replicas": minimum}
        design.decide(f"HPA {minimum}–{MAX_REPLICAS} replicas at 70 % CPU",
                      "highly available: at least two pods" if spec.availability == "high"
                      else "one pod when idle")
        design.decide(f"priced at {minimum} replica(s)", "the autoscaler's floor is the "
                      "expected steady state until telemetry says otherwise", "assumed")
        design.decide(f"image {image}", containers.UNPINNED_IMAGE_NOTE, "assumed")
        return design
