"""AWS Transfer Family servers: each enabled protocol's endpoint by the hour, and the data
uploaded and downloaded through the server (Infracost's `monthly_data_uploaded_gb` and
`monthly_data_downloaded_gb`). A server that names no protocol serves SFTP, AWS's default."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable

PROTOCOLS = ("SFTP", "FTPS", "FTP", "AS2")
DEFAULT_PROTOCOLS = ["SFTP"]


@prices(*kinds.types("aws.transfer.server"))
def server(ctx: PricingContext) -> None:
    for protocol in _protocols(ctx):
        ctx.fixed(f"{protocol} protocol enabled",
                  ctx.prices("transfer", meter="endpoint_hours", protocol=protocol.lower()),
                  HOURS_PER_MONTH)
    ctx.add("Data downloaded", ctx.prices("transfer", meter="data", direction="download"),
            ctx.used("monthly_data_downloaded_gb"))
    ctx.add("Data uploaded", ctx.prices("transfer", meter="data", direction="upload"),
            ctx.used("monthly_data_uploaded_gb"))


def _protocols(ctx: PricingContext) -> list[str]:
    if ctx.resource.is_unknown("protocols"):
        raise Unpriceable("enabled protocols not known statically")
    written = ctx.resource.get("protocols")
    if not written:
        return DEFAULT_PROTOCOLS
    if not isinstance(written, list) or not all(isinstance(p, str) for p in written):
        raise Unpriceable("protocols is not a list of protocol names")
    named = [p.upper() for p in written]
    strange = [p for p in named if p not in PROTOCOLS]
    if strange:
        raise Unpriceable(f"unknown Transfer Family protocol {strange[0][:20]!r}")
    return list(dict.fromkeys(named))
