"""Terraform's utility providers: resources that live only in Terraform's state.

`null`, `terraform_data`, `local`, `random`, `time` and `tls` resources run on the machine
that runs Terraform (a provisioner, a file on disk, a generated name, key or wait) and
create nothing in any cloud account, so no bill can ever name them: they are free.
"""

from __future__ import annotations

from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext

UTILITY_TYPES = (
    # Triggers and provisioners (null provider, Terraform's built-in terraform_data)
    "null_resource", "terraform_data",
    # Files written on the machine running Terraform (local provider)
    "local_file", "local_sensitive_file",
    # Values generated once and kept in state (random provider)
    "random_id", "random_pet", "random_string", "random_password", "random_integer",
    "random_uuid", "random_shuffle", "random_bytes",
    # Waits and timestamps (time provider)
    "time_sleep", "time_static", "time_rotating", "time_offset",
    # Keys and certificates computed locally (tls provider), not issued by a paid CA
    "tls_private_key", "tls_self_signed_cert", "tls_cert_request", "tls_locally_signed_cert",
)


@prices(*UTILITY_TYPES)
def terraform_utility(ctx: PricingContext) -> None:
    """No cost lines: nothing exists outside Terraform's state."""
