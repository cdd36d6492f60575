"""A container as the Kubernetes blueprints write it: requests and limits, non-root,
read-only root filesystem, no privilege escalation, every capability dropped."""

from __future__ import annotations

from typing import Any

from purser.generate.design import Context

UNPINNED_IMAGE_NOTE = ("replace the image with your build, pinned by digest "
                       "(registry/name@sha256:...)")


def labels(ctx: Context) -> dict[str, str]:
    """Cost-allocation labels: the repository's tag keys with the spec's or learned values."""
    found: dict[str, str] = {"app.kubernetes.io/name": ctx.spec.name}
    for key, value in tag_values(ctx).items():
        if _label_ok(key) and _label_ok(value):
            found[key] = value
    return found


def tag_values(ctx: Context) -> dict[str, str]:
    spec, conventions = ctx.spec, ctx.conventions
    values = {key: conventions.tag_values.get(key, "") for key in conventions.tag_keys}
    values.update({"team": spec.team, "env": spec.env, "managed-by": "purser"})
    values.setdefault("cost-center", "unassigned")
    return {k: v or "unassigned" for k, v in values.items()}


def _label_ok(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?",
                             text))


def container(name: str, image: str, *, cpu: str, memory_mib: int, port: int) -> dict[str, Any]:
    return {
        "name": name, "image": image, "ports": [{"containerPort": port}],
        "resources": {"requests": {"cpu": cpu, "memory": f"{memory_mib}Mi"},
                      "limits": {"cpu": cpu, "memory": f"{memory_mib}Mi"}},
        "securityContext": {"runAsNonRoot": True, "runAsUser": 10001,
                            "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]},
                            "seccompProfile": {"type": "RuntimeDefault"}},
    }
