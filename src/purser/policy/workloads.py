"""Kubernetes workload accessors shared by the rules: where the pod spec lives per kind."""

from __future__ import annotations

from typing import Any

from purser.model import Resource, dig

# Resource type → path of the pod spec inside the manifest.
POD_SPEC_PATHS: dict[str, str] = {
    "core/Pod": "spec",
    "apps/Deployment": "spec.template.spec",
    "apps/StatefulSet": "spec.template.spec",
    "apps/DaemonSet": "spec.template.spec",
    "apps/ReplicaSet": "spec.template.spec",
    "core/ReplicationController": "spec.template.spec",
    "batch/Job": "spec.template.spec",
    "batch/CronJob": "spec.jobTemplate.spec.template.spec",
    "serving.knative.dev/Service": "spec.template.spec",
}

WORKLOAD_TYPES: tuple[str, ...] = tuple(POD_SPEC_PATHS)


def pod_spec(resource: Resource) -> dict[str, Any]:
    path = POD_SPEC_PATHS.get(resource.type)
    spec = dig(resource.attrs, path) if path else None
    return spec if isinstance(spec, dict) else {}


def containers(resource: Resource, *, init: bool = True) -> list[dict[str, Any]]:
    """The containers (and init containers) of a workload, each a manifest dict."""
    spec = pod_spec(resource)
    kinds = ("containers", "initContainers") if init else ("containers",)
    return [c for kind in kinds for c in manifest_list(spec.get(kind)) if isinstance(c, dict)]


def manifest_list(value: Any) -> list[Any]:
    """A manifest list; any other shape (the reader reports it) holds nothing."""
    return value if isinstance(value, list) else []


def pod_template_metadata(resource: Resource) -> dict[str, Any]:
    """Labels and annotations of the pod template (where Knative keeps minScale)."""
    path = POD_SPEC_PATHS.get(resource.type, "")
    if not path.endswith(".spec") or path == "spec":
        return {}
    meta = dig(resource.attrs, path[: -len(".spec")] + ".metadata")
    return meta if isinstance(meta, dict) else {}


def container_name(container: dict[str, Any]) -> str:
    """A container's name for messages; Knative lets a single container go unnamed."""
    return str(container.get("name") or container.get("image") or "(unnamed)")


def knative_autoscaling(resource: Resource, *names: str) -> Any:
    """A Knative autoscaling annotation of the revision template, by its first present name
    (`knative_autoscaling(r, "min-scale", "minScale")`)."""
    annotations = pod_template_metadata(resource).get("annotations")
    if not isinstance(annotations, dict):
        return None
    for name in names:
        value = annotations.get(f"autoscaling.knative.dev/{name}")
        if value is not None:
            return value
    return None
