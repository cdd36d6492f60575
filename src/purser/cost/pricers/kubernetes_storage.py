"""Which EBS volume a Kubernetes volume claim provisions: its StorageClass, read from the tree.

A claim names its class in `storageClassName`; without one it gets the cluster's default
class (a StorageClass annotated `storageclass.kubernetes.io/is-default-class: "true"`).
A class in the repository decides the volume: the EBS CSI driver (`ebs.csi.aws.com`,
gp3 unless `parameters.type` says otherwise) or the in-tree provisioner
(`kubernetes.io/aws-ebs`, gp2 unless told), with `iops`, `iopsPerGB` and `throughput`.
A class that is not in the repository but is named after a volume type (EKS creates `gp2`)
is taken as that type; any other, and a claim without a class where no default is in the
repository, is assumed to be gp3, and the line says so. A class provisioning something other
than EBS has no price model here: the claim is unpriced with the provisioner named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from purser.cost.pricers.context import PricingContext, ResourceIndex, Unpriceable
from purser.model import Resource, dig, number

STORAGE_CLASS = "storage.k8s.io/StorageClass"
DEFAULT_CLASS_ANNOTATIONS = ("storageclass.kubernetes.io/is-default-class",
                             "storageclass.beta.kubernetes.io/is-default-class")
CSI_DRIVER, IN_TREE = "ebs.csi.aws.com", "kubernetes.io/aws-ebs"
PROVISIONER_DEFAULT_TYPES = {CSI_DRIVER: "gp3", IN_TREE: "gp2"}
EBS_TYPES = frozenset({"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"})
ASSUMED_TYPE = "gp3"


@dataclass(frozen=True)
class ClaimVolume:
    volume_type: str
    label: str  # how the type was found, shown in the line's name
    iops: float | None = None
    throughput: float | None = None


def claim_volume(ctx: PricingContext, claim_spec: Any, size_gib: float | None) -> ClaimVolume:
    """The EBS volume a claim (or a volume claim template) with `claim_spec` provisions."""
    name = claim_spec.get("storageClassName") if isinstance(claim_spec, dict) else None
    if name in (None, ""):
        found = ctx.index.memo("default-storage-class", _default_class)
        if found is None:
            return ClaimVolume(ASSUMED_TYPE, f"as {ASSUMED_TYPE} (default storage class assumed)")
        return _from_class(found, size_gib, "default storage class")
    name = str(name)[:100]
    found = ctx.index.find(STORAGE_CLASS, "metadata.name", name)
    if found is not None:
        return _from_class(found, size_gib, f"storage class {name}")
    if name in EBS_TYPES:
        return ClaimVolume(name, f"as {name} (storage class {name}, by its name)")
    return ClaimVolume(ASSUMED_TYPE, f"as {ASSUMED_TYPE} (storage class {name} not in the "
                                     f"repository; {ASSUMED_TYPE} assumed)")


def _default_class(index: ResourceIndex) -> Resource | None:
    for resource in index.by_address.values():
        if resource.type == STORAGE_CLASS:
            annotations = dig(resource.attrs, "metadata.annotations")
            if isinstance(annotations, dict) and any(
                    str(annotations.get(a)).lower() == "true" for a in DEFAULT_CLASS_ANNOTATIONS):
                return resource
    return None


def _from_class(storage_class: Resource, size_gib: float | None, which: str) -> ClaimVolume:
    provisioner = str(storage_class.get("provisioner") or "")[:60]
    if provisioner not in PROVISIONER_DEFAULT_TYPES:
        raise Unpriceable(f"{which} provisions with {provisioner or 'no provisioner'!r}: "
                          "no price model")
    parameters = storage_class.get("parameters")
    parameters = parameters if isinstance(parameters, dict) else {}
    volume_type = str(parameters.get("type") or PROVISIONER_DEFAULT_TYPES[provisioner]).lower()
    iops = _positive(parameters.get("iops"))
    per_gb = _positive(parameters.get("iopsPerGB"))
    if iops is None and per_gb is not None and size_gib is not None:
        iops = per_gb * size_gib
    return ClaimVolume(volume_type, f"as {volume_type} ({which})", iops,
                       _positive(parameters.get("throughput")))


def _positive(value: Any) -> float | None:
    parsed = number(value)
    return parsed if parsed is not None and 0 <= parsed <= 1e6 else None
