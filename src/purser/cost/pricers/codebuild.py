"""AWS CodeBuild projects: build minutes on on-demand EC2 compute (Infracost's
`monthly_build_mins`), at the rate of the environment's operating system and compute type.
Lambda compute and reserved capacity fleets are not in the catalog."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import PricingContext, Unpriceable

COMPUTE_PREFIX = "build_general1_"
# environment type → (operating system, compute family) in the catalog
ENVIRONMENTS = {
    "linux_container": ("linux", "general1"),
    "arm_container": ("linux", "arm1"),
    "linux_gpu_container": ("linux", "gpu1"),
    "windows_container": ("windows", "general1"),
    "windows_server_2019_container": ("windows", "general1"),
    "windows_server_2022_container": ("windows", "general1"),
}


@prices(*kinds.types("aws.codebuild.project"))
def project(ctx: PricingContext) -> None:
    environment = word(ctx, "environment.type")
    compute = word(ctx, "environment.compute_type")
    if environment is None or compute is None:
        raise Unpriceable("build environment not known statically")
    if environment not in ENVIRONMENTS or not compute.startswith(COMPUTE_PREFIX):
        raise Unpriceable(f"no price model for CodeBuild {environment[:40]} "
                          f"{compute[:40]} compute")
    system, family = ENVIRONMENTS[environment]
    size = f"{family}.{compute.removeprefix(COMPUTE_PREFIX)}"
    ctx.add(f"{system.capitalize()} ({size})",
            ctx.prices("codebuild", meter="build_minutes", os=system, compute=size),
            ctx.used("monthly_build_mins"))
