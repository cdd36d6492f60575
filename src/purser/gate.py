"""`purser check` as a function: load the repository, run the policies, price it, judge budgets.

Every interface (CLI, API, demo) calls `run_check` and renders the `CheckReport` it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from purser.config import Config
from purser.model import Severity
from purser.policy.engine import evaluate
from purser.report import CheckReport
from purser.sources import garbage_collection_paused, load_repository, within
from purser.sources.cachestore import usable_dir

if TYPE_CHECKING:
    from purser.cost.usage import UsageSource


@dataclass
class CheckOptions:
    fail_on: Severity | None = None  # None: purser.yaml's policies.fail_on
    variables: dict[str, str] = field(default_factory=dict)
    cost: bool = True
    base: str | None = None  # git revision to diff the cost against
    usage: Path | None = None
    only: str | None = None  # repository-relative folder to report on
    # Parse cache folder (`cachestore.default_dir()` is the user's); None keeps it in
    # memory only. Never used when inside the repository or tracked by git.
    cache_dir: Path | None = None


Step = Callable[[str], None]
PHASES = ("reading sources", "evaluating policies", "estimating cost")


def run_check(root: Path, config: Config, options: CheckOptions,
              step: Step | None = None) -> CheckReport:
    """Gate the repository at `root`; `step` is told each phase (for a progress display)."""
    with garbage_collection_paused():
        return _check(root, config, options, step or (lambda _phase: None))


def _check(root: Path, config: Config, options: CheckOptions, say: Step) -> CheckReport:
    say("reading sources")
    loaded = load_repository(root, config, variables=options.variables,
                             cache_dir=usable_dir(root, options.cache_dir))
    resources = within(loaded.resources, options.only)
    say("evaluating policies")
    policy = evaluate(root, resources, config)
    report = CheckReport(
        root=str(root), resources=resources, findings=policy.findings,
        errors=loaded.errors + policy.errors, waived=policy.waived, checked=policy.checked,
        fail_on=options.fail_on or config.policies.fail_on,
        fail_on_input_error=config.policies.on_input_error == "fail")
    if options.cost:
        say("estimating cost")
        _add_cost(report, root, config, options)
    return report


def _add_cost(report: CheckReport, root: Path, config: Config, options: CheckOptions) -> None:
    from purser.cost import estimate
    from purser.cost.budget import check_budgets
    from purser.cost.diff import diff_revisions

    usage = usage_for(root, config, options.usage)
    report.cost = estimate(report.resources, config, usage=usage)
    report.errors += report.cost.errors
    if options.base:
        report.cost_diff = diff_revisions(root, options.base, None, config, usage,
                                          variables=options.variables,
                                          cache_dir=options.cache_dir, only=options.only)
    report.findings += check_budgets(report.cost, config, report.cost_diff)
    report.findings.sort(key=lambda f: (-f.severity.rank, f.source.file, f.source.line,
                                        f.rule_id, f.resource))


def usage_for(root: Path, config: Config, explicit: Path | None) -> UsageSource | None:
    """`--usage` when given (any file: the command line chose it); else `cost.usage` layered
    over each application's usage file, all inside the repository."""
    from purser.cost.usage import LayeredUsage, load_usage_file, read_usage_file

    if explicit:
        return load_usage_file(explicit)
    names = [config.cost.usage, *(a.usage for a in config.applications)]
    files = [read_usage_file(root, name) for name in dict.fromkeys(n for n in names if n)]
    return LayeredUsage(*files) if len(files) > 1 else (files[0] if files else None)
