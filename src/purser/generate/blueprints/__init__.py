"""The blueprint catalog: one module per workload pattern, each registering itself.

A blueprint turns a spec (with the repository's conventions and the current sizing) into a
`Design`. Every module of this package is imported on first use, and outside packages add
theirs under the `purser.blueprints` entry-point group, so a new blueprint is one file.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from purser.generate.design import Context, Design
from purser.registry import Registry


class Blueprint(Protocol):
    #: The spec pattern it builds (its registry name).
    pattern: ClassVar[str]
    #: What it is made of; a spec asking for another component is refused.
    components: ClassVar[frozenset[str]]
    #: One line for the catalog listing.
    summary: ClassVar[str]

    def design(self, context: Context) -> Design:
        """The Terraform blocks and/or Kubernetes objects for `context.spec`."""
        ...


blueprints: Registry[type[Blueprint]] = Registry("blueprint", "purser.blueprints",
                                                 package=__name__)


def blueprint(cls: type[Blueprint]) -> type[Blueprint]:
    """Register a blueprint class under its pattern."""
    blueprints.register(cls.pattern)(cls)
    return cls
