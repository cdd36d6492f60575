"""Kubernetes Services of type LoadBalancer, priced as the AWS load balancer they create.

On AWS a LoadBalancer Service gets a Network Load Balancer when the AWS Load Balancer
Controller handles it (`spec.loadBalancerClass: service.k8s.aws/nlb`, or the annotation
`service.beta.kubernetes.io/aws-load-balancer-type: external`) or when the in-tree cloud
provider is asked for one (`nlb`; `nlb-ip` in older controllers); without either, the
in-tree provider creates a Classic Load Balancer. The Service is then priced by the load
balancer's own price model, with the same usage keys (capacity units for a Network Load
Balancer, `monthly_data_processed_gb` for a Classic one). Another load balancer class, or
another annotation value, is not an AWS load balancer purser can price: unpriced, with the
value named. Other Services cost nothing.
"""

from __future__ import annotations

from dataclasses import replace

from purser.cost.pricers import pricers, prices
from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.model import dig

TYPE_ANNOTATION = "service.beta.kubernetes.io/aws-load-balancer-type"
NETWORK_ANNOTATION_VALUES = frozenset({"nlb", "external", "nlb-ip"})
AWS_NETWORK_CLASS = "service.k8s.aws/nlb"
NETWORK: tuple[str, dict[str, str]] = ("aws_lb", {"load_balancer_type": "network"})
CLASSIC: tuple[str, dict[str, str]] = ("aws_elb", {})


@prices("core/Service")
def service(ctx: PricingContext) -> None:
    if ctx.resource.get("spec.type") != "LoadBalancer":
        return
    balancer_type, attrs = _load_balancer(ctx)
    stand_in = ctx.resource.model_copy(update={
        "type": balancer_type, "provider": "aws", "attrs": attrs, "unknown": []})
    pricers.get(balancer_type)(replace(ctx, resource=stand_in, provider="aws",
                                       lines=ctx.lines, misused=ctx.misused))


def _load_balancer(ctx: PricingContext) -> tuple[str, dict[str, str]]:
    """The Terraform type and attributes of the load balancer the Service creates."""
    balancer_class = ctx.resource.get("spec.loadBalancerClass")
    if balancer_class is not None:
        if balancer_class == AWS_NETWORK_CLASS:
            return NETWORK
        raise Unpriceable(f"load balancer class {str(balancer_class)[:60]!r}: no price model")
    annotations = dig(ctx.resource.attrs, "metadata.annotations")
    value = annotations.get(TYPE_ANNOTATION) if isinstance(annotations, dict) else None
    if value in (None, ""):
        return CLASSIC
    if str(value).lower() in NETWORK_ANNOTATION_VALUES:
        return NETWORK
    raise Unpriceable(f"{TYPE_ANNOTATION} {str(value)[:40]!r}: no price model")
