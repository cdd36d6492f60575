"""The AWS applier (boto3): see `applier`. One module per kind registers its handler."""

from __future__ import annotations

from purser.config import Application, Config
from purser.reconcile.appliers import Applier, appliers
from purser.tree import Tree


@appliers.register("aws")
def aws_applier(application: Application, config: Config, tree: Tree | None = None) -> Applier:
    from purser.reconcile.appliers.aws.applier import AwsApplier

    return AwsApplier(application, config, tree)
