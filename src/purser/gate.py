"""The gate: one entry point that checks a tree (the work tree or any git revision).

`run_check` loads the tree's resources, runs the policies, prices them and judges the
budgets, all read from that one tree (sources, module folders, `purser.yaml`, waivers,
inline ignores, usage files, Rego policies), and returns a typed `CheckReport`. Every
interface (CLI, API, demo, the reconciler before it applies a revision) and the cost diff
(`diff_trees`: the gate run on both sides) call it.

Pausing the garbage collector is left to the caller: a CLI process may, a server with
threads must not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from purser.checkreport import CheckReport
from purser.config import CONFIG_FILE, Config, load_config
from purser.estimates import CostDiff
from purser.model import Finding, Resource, Severity
from purser.policy.engine import PolicyResult, evaluate
from purser.sources import load_repository, within
from purser.sources.cachestore import usable_dir
from purser.sources.worktree import WorkTree
from purser.tree import Listing, Tree

if TYPE_CHECKING:
    from purser.cost.usage import UsageSource

Step = Callable[[str], None]
PHASES = ("reading sources", "evaluating policies", "estimating cost")
DEFAULTS_NOTICE = (f"no {CONFIG_FILE}: using the defaults (every rule pack, fail on high, "
                   "no cost tags required); `purser init` writes a starter file")


@dataclass
class CheckOptions:
    fail_on: Severity | None = None  # None: purser.yaml's policies.fail_on
    variables: dict[str, str] = field(default_factory=dict)
    cost: bool = True
    policies: bool = True  # False: load and price only (each side of a cost diff)
    base: str | None = None  # git revision to diff the cost against
    # --usage: a file anywhere (the command line chose it), or usage already read;
    # None: purser.yaml's usage files, read from the tree
    usage: Path | UsageSource | None = None
    only: str | None = None  # repository-relative folder to report on
    # Parse cache folder (`cachestore.default_dir()` is the user's); None keeps it in
    # memory only. Never used when inside the repository or tracked by git.
    cache_dir: Path | None = None


def run_check(tree: Tree | Path, config: Config | None = None,
              options: CheckOptions | None = None, step: Step | None = None) -> CheckReport:
    """Gate `tree` (a `Path` is its work tree). `config` defaults to the tree's own
    purser.yaml (`ConfigError` when it is unusable); `step` is told each phase."""
    tree = ReadOnce(WorkTree(tree) if isinstance(tree, Path) else tree)
    options = options or CheckOptions()
    say = step or (lambda _phase: None)
    notices = [] if tree.exists(CONFIG_FILE) else [DEFAULTS_NOTICE]
    config = load_config(tree) if config is None else config
    say("reading sources")
    loaded = load_repository(tree, config, variables=options.variables,
                             cache_dir=usable_dir(tree.root, options.cache_dir))
    resources = within(loaded.resources, options.only)
    judged = resources + within(loaded.settings, options.only)  # settings: judged, not priced
    policy = PolicyResult()
    if options.policies:
        say("evaluating policies")
        policy = evaluate(tree, judged, config)
    scoped = (options.only or ".").strip("/") not in ("", ".")
    findings = _about_scope(policy.findings, judged) if scoped else policy.findings
    report = CheckReport.build(
        root=str(tree.root), revision=tree.revision, path=options.only, resources=resources,
        findings=findings, errors=loaded.errors + policy.errors, waived=policy.waived,
        checked=policy.checked, fail_on=options.fail_on or config.policies.fail_on,
        fail_on_input_error=config.policies.on_input_error == "fail",
        notices=notices + _under(loaded.notices, options.only), skipped=loaded.skipped)
    if options.cost:
        say("estimating cost")
        _add_cost(report, tree, config, options)
    return report


@dataclass
class ReadOnce:
    """A tree that keeps the bytes its listing read: the waivers then look for inline
    ignores in the very bytes the resources were loaded from, without reading each
    source file from disk a second time."""

    tree: Tree
    listed: dict[str, bytes] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.tree.root

    @property
    def revision(self) -> str | None:
        return self.tree.revision

    def exists(self, rel: str) -> bool:
        return rel in self.listed or self.tree.exists(rel)

    def read(self, rel: str) -> bytes:
        found = self.listed.get(rel)
        return self.tree.read(rel) if found is None else found

    def read_folder(self, rel: str) -> dict[str, bytes]:
        return self.tree.read_folder(rel)

    def files(self, exclude: Iterable[str] = ()) -> Listing:
        listing = self.tree.files(exclude)
        self.listed.update((file.rel, file.data) for file in listing.files)
        return listing

    def on_disk(self, rel: str) -> AbstractContextManager[Path]:
        return self.tree.on_disk(rel)


def _about_scope(findings: list[Finding], resources: list[Resource]) -> list[Finding]:
    """A scoped check reports an expired waiver only when it names a resource in the scope:
    one about resources elsewhere judges nothing here (the unscoped check reports it)."""
    from purser.policy.waivers import EXPIRED_RULE, matches

    addresses = [r.address for r in resources]
    return [f for f in findings if f.rule_id != EXPIRED_RULE
            or any(matches(f.resource, address) for address in addresses)]


def _under(notices: list[str], folder: str | None) -> list[str]:
    """The notices about files under `folder` (`file:line: ...`), and those about no file."""
    if not folder:
        return notices
    prefix = folder.strip("/") + "/"
    return [n for n in notices if n.startswith(prefix) or not _names_a_file(n)]


def _names_a_file(notice: str) -> bool:
    head = notice.split(":", 1)[0]
    return " " not in head and ("/" in head or "." in head)


def _add_cost(report: CheckReport, tree: Tree, config: Config, options: CheckOptions) -> None:
    from purser.cost import estimate
    from purser.cost.budget import check_budgets
    from purser.git import GitTree

    report.cost = estimate(report.resources, config, usage=usage_for(tree, config,
                                                                     options.usage))
    report.errors += report.cost.errors
    if options.base:
        base = GitTree.at(tree.root, options.base)
        report.cost_diff = diff_reports(_priced(base, config, options), report,
                                        base_label=options.base)
    if options.policies:
        report.findings += check_budgets(report.cost, config, report.cost_diff)
        report.findings.sort(key=lambda f: (-f.severity.rank, f.source.file, f.source.line,
                                            f.rule_id, f.resource))


def _priced(tree: Tree, config: Config, options: CheckOptions) -> CheckReport:
    """One side of a cost diff: the gate without policies, with the other side's config."""
    side = CheckOptions(variables=options.variables, usage=options.usage, only=options.only,
                        cache_dir=options.cache_dir, policies=False)
    return run_check(tree, config, side)


def diff_trees(base: Tree, head: Tree, config: Config, options: CheckOptions, *,
               base_label: str | None = None) -> CostDiff:
    """What the change from `base` to `head` does to the monthly cost. Both sides go through
    the gate priced with the same `config` and usage, so the diff shows what the change to
    the infrastructure code does, not a change of assumptions."""
    return diff_reports(_priced(base, config, options), _priced(head, config, options),
                        base_label=base_label)


def diff_revisions(root: Path, base_rev: str, head_rev: str | None, config: Config,
                   options: CheckOptions | None = None) -> CostDiff:
    """`diff_trees` of two git revisions (`head_rev` None: the work tree); `GitError` for
    a revision that does not exist."""
    from purser.git import GitTree

    head: Tree = GitTree.at(root, head_rev) if head_rev else WorkTree(root)
    return diff_trees(GitTree.at(root, base_rev), head, config, options or CheckOptions(),
                      base_label=base_rev)


def diff_reports(base: CheckReport, head: CheckReport, *,
                 base_label: str | None = None) -> CostDiff:
    """The cost diff of two priced reports; a base error the head lacks names the base
    (`base_label`, else its sha)."""
    from purser.cost.diff import diff, merge_errors

    if base.cost is None or head.cost is None:
        raise ValueError("both reports must be priced")
    result = diff(base.cost, head.cost)
    result.base_revision, result.head_revision = base.revision, head.revision
    result.errors = merge_errors(base.errors, head.errors,
                                 base_label or base.revision or "the work tree")
    return result


def usage_for(tree: Tree | Path, config: Config,
              explicit: Path | UsageSource | None) -> UsageSource | None:
    """`--usage` when given (any file: the command line chose it); else `cost.usage` layered
    over each application's usage file, all read from the tree."""
    from purser.cost.usage import LayeredUsage, UsageError, load_usage_file, parse_usage
    from purser.safefile import Refused

    if isinstance(explicit, Path):
        return load_usage_file(explicit)
    if explicit is not None:
        return explicit
    tree = WorkTree(tree) if isinstance(tree, Path) else tree
    names = dict.fromkeys(n for n in [config.cost.usage, *(a.usage for a in config.applications)]
                          if n)
    files = []
    for name in names:
        try:
            files.append(parse_usage(name, tree.read(name)))
        except Refused as refused:
            raise UsageError(name, refused.line, "", refused.reason) from None
    return LayeredUsage(*files) if len(files) > 1 else (files[0] if files else None)
