"""AWS Directory Service directories.

A directory runs two domain controllers all month, billed by the hour at the rate of its
type and edition (Microsoft AD: Standard or Enterprise, Enterprise when not written) or size
(Simple AD and AD Connector: Small or Large, Large when not written). Infracost's usage adds
`additional_domain_controllers` at the same rate and, for Microsoft AD, `shared_accounts`
(accounts the directory is shared with) by the hour. CloudFormation's Simple AD and
Microsoft AD types are priced as their Terraform counterpart.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled

BASE_CONTROLLERS = 2
MICROSOFT_AD = "microsoftad"
CLOUDFORMATION_TYPES = {"AWS::DirectoryService::SimpleAD": "simplead",
                        "AWS::DirectoryService::MicrosoftAD": MICROSOFT_AD}
NAMES = {"microsoftad": "Microsoft AD", "simplead": "Simple AD", "adconnector": "AD Connector"}


@prices(*kinds.types("aws.ds.directory"))
def directory(ctx: PricingContext) -> None:
    directory_type = CLOUDFORMATION_TYPES.get(ctx.resource.type) or word(ctx, "type", "simplead")
    if directory_type == MICROSOFT_AD:
        size = word(ctx, "edition", "enterprise")
    else:
        size = word(ctx, "size", "large")
    if directory_type not in NAMES or size is None:
        raise Unpriceable("directory type, edition or size not known statically")
    rate = ctx.prices("directoryservice", meter="controller_hours", directory=directory_type,
                      size=size)
    ctx.fixed(f"Directory service ({NAMES[directory_type]}, {size.capitalize()})", rate,
              BASE_CONTROLLERS * HOURS_PER_MONTH)
    ctx.add("Additional domain controllers", rate,
            scaled(ctx.used("additional_domain_controllers"), HOURS_PER_MONTH))
    if directory_type == MICROSOFT_AD:
        ctx.add("Directory sharing",
                ctx.prices("directoryservice", meter="shared_account_hours", size=size),
                scaled(ctx.used("shared_accounts"), HOURS_PER_MONTH))
