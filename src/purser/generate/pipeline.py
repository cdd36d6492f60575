"""Intent → spec → conventions → layout → blueprint → rendered files (with the application
registered in purser.yaml and its traffic in the usage file) → parsed back with the whole
repository → priced and fitted to the budget → gated → committed on `purser/gen-<slug>`
with provenance trailers and a ledger entry. Nothing is committed that was not parsed
back, priced and gated, and nothing that would change an existing resource's address; a
budget fit with unpriced parts is committed only when the caller accepts them by name
(`accept_unpriced`), and they are then said in the decisions, the ledger and the commit.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from purser import __version__
from purser.checkreport import CheckReport
from purser.config import CONFIG_FILE, Config, ConfigError, load_config
from purser.cost import estimate
from purser.cost.pricers import load_builtin_pricers
from purser.cost.usage import UsageError
from purser.gate import CheckOptions, run_check, usage_for
from purser.generate import handler
from purser.generate.baseline import baseline
from purser.generate.blueprints import Blueprint, blueprints
from purser.generate.conventions import Conventions, learn
from purser.generate.design import Context, Design, Sizing
from purser.generate.fit import Fit, Priced, fit, unverified_parts
from purser.generate.layout import (
    DEFAULT_FOLDER,
    Layout,
    LayoutError,
    application_parent,
    is_example_root,
    place,
)
from purser.generate.overlay import Overlay
from purser.generate.parse import PARSER_NAME, Parsed, Refused
from purser.generate.registration import RegistrationError, register, usage_file_for
from purser.generate.render import USAGE_FILE, render_files
from purser.generate.spec import Decision, IntentSpec
from purser.identity import TerraformId
from purser.model import Finding, Resource, Severity
from purser.sources import load_repository, owner, within
from purser.sources.worktree import WorkTree
from purser.tree import Tree

GENERATOR = f"purser-generate {__version__}"
BRANCH_PREFIX = "purser/gen-"
BLOCKING = Severity.high
BUDGET_RULES = ("PUR-BUD-",)


class GenerationRefused(Exception):
    """The intent cannot become code: the message says why, for the user."""


@dataclass
class Generation:
    intent_digest: str
    reader: str  # the parser's or the model's name
    spec: IntentSpec
    decisions: list[Decision]
    folder: str
    files: dict[str, str]  # text files: new ones, and purser.yaml / the usage file edited
    fit: Fit
    report: CheckReport  # the gate over the folder (or, for a module, its calling root)
    addresses: list[str] = field(default_factory=list)  # the generated resources
    artifacts: dict[str, bytes] = field(default_factory=dict)  # built files (the code zip)
    layout: Layout | None = None
    scopes: frozenset[str] = frozenset()  # budget scopes the generated resources count in
    branch: str | None = None
    commit: str | None = None
    problems: list[str] = field(default_factory=list)  # why it was not committed
    accept_unpriced: bool = False  # the caller accepts a budget fit with unpriced parts

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def findings(self) -> list[Finding]:
        """The gate's findings on the generated resources, and on the budgets they count
        in (a module's root holds other resources, whose findings are not this change's)."""
        ours = set(self.addresses) | self.scopes
        return [f for f in self.report.findings if f.resource in ours]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.at_least(BLOCKING)]

    def as_json(self) -> dict[str, Any]:
        estimate = self.fit.priced.estimate
        return {
            "spec": self.spec.model_dump(mode="json"),
            "reader": self.reader,
            "decisions": [d.model_dump() for d in self.decisions],
            "files": self.files,
            "estimate": {
                "total_monthly_cost": estimate.total_monthly_cost,
                "budget_monthly_usd": self.fit.budget_usd, "fits": self.fit.fits,
                "verified": not self.fit.unverified, "not_priced": self.fit.unverified,
                "levers": [{"lever": s.lever, "change": s.change, "before": s.before_usd,
                            "after": s.after_usd, "saved": s.saved_usd} for s in self.fit.steps],
                "explanation": self.fit.explanation,
                "resources": [{"address": r.address, "monthly_cost": r.monthly_cost}
                              for r in estimate.resources],
                "unpriced": [u.model_dump() for u in estimate.unpriced],
                "catalog_versions": estimate.catalog_versions},
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "artifacts": {path: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                          for path, data in self.artifacts.items()},
            "gate": {"passed": not self.blocking and not self.report_errors,
                     "errors": [e.model_dump(mode="json") for e in self.report_errors]},
            "problems": self.problems,
            "branch": self.branch, "commit": self.commit,
        }

    @property
    def report_errors(self) -> list[Any]:
        prefix = self.folder + "/"
        return [e for e in self.report.errors
                if e.file.startswith(prefix) or e.file in self.files or not e.file]


Reader = Callable[[str], Parsed]


def generate(intent: str, *, repo: Path, read: Reader, reader_name: str = PARSER_NAME,
             folder: str | None = None, app: str | None = None, root: str | None = None,
             dry_run: bool = False, accept_unpriced: bool = False) -> Generation:
    """Generate, check and (unless `dry_run` or refused) commit one application;
    `accept_unpriced` commits a fit whose unpriced parts would otherwise refuse it."""
    try:
        parsed = read(intent)
    except Refused as refused:
        raise GenerationRefused(f"intent refused: {refused}") from None
    try:
        config = load_config(repo)
    except ConfigError as exc:
        raise GenerationRefused(str(exc)) from None
    spec, decisions = parsed.spec, list(parsed.decisions)
    if app:
        spec = _renamed(spec, app)
    tree = WorkTree(repo)
    loaded = load_repository(tree, config)
    conventions = learn(repo, config, loaded)
    spec = _with_conventions(spec, conventions, decisions)
    decisions += _assumed(spec)
    chosen = _blueprint(spec)
    sizing, sized = baseline(spec, conventions)
    terraform = bool(chosen.design(Context(spec, conventions, sizing)).resources)
    try:
        layout = place(tree, spec, conventions, config, terraform=terraform, out=folder,
                       root=root)
    except LayoutError as exc:
        raise GenerationRefused(str(exc)) from None
    decisions += sized + _convention_notes(conventions, spec) + _layout_notes(
        layout, conventions, config)
    # Addresses that must not change: an example's are not deployed, and gain their folder
    # when a new root makes the repository one of several roots.
    existing = {r.address for r in loaded.resources
                if not (isinstance(r.id, TerraformId) and is_example_root(r.id.folder))}
    fitted = fit(spec, sizing, _pricer(chosen, spec, conventions, config, tree, layout,
                                       existing))
    built = _payload(fitted.priced)
    decisions += built.design.decisions
    decisions += [Decision(choice=s.change, reason=f"over budget: saves ${s.saved_usd:,.2f} a "
                           f"month (${s.before_usd:,.2f} → ${s.after_usd:,.2f})", source="lever")
                  for s in fitted.steps]
    if accept_unpriced and fitted.budget_usd is not None:
        decisions += [Decision(choice=f"NOT priced: {part}", reason="accepted with "
                               "--accept-unpriced: the budget fit does not cover it",
                               source="assumed") for part in fitted.unverified]
    decisions += _registration_notes(built, spec, layout, fitted.priced.estimate.resources)
    report = _gate(built, tree, layout)
    generation = Generation(intent_digest=_digest(intent), reader=reader_name, spec=spec,
                            decisions=decisions, folder=layout.folder, files=built.files,
                            fit=fitted, report=report, addresses=built.addresses,
                            artifacts=built.artifacts, layout=layout,
                            scopes=_budget_scopes(built, spec),
                            accept_unpriced=accept_unpriced)
    generation.problems = _problems(generation)
    if not dry_run:
        _record(generation, repo)
    return generation


@dataclass
class Built:
    """One priced candidate: the design, its files, the registration and what was loaded."""

    design: Design
    files: dict[str, str]
    artifacts: dict[str, bytes]
    config: Config  # purser.yaml with the application registered
    resources: list[Resource]  # the generated ones, as the gate loads them
    usage_file: str | None

    @property
    def addresses(self) -> list[str]:
        return [r.address for r in self.resources]

    def overlay(self, tree: Tree) -> Overlay:
        generated = {rel: text.encode() for rel, text in self.files.items()}
        return Overlay(tree, {**generated, **self.artifacts})


def _payload(priced: Priced) -> Built:
    assert isinstance(priced.payload, Built)
    return priced.payload


def _renamed(spec: IntentSpec, app: str) -> IntentSpec:
    try:
        # Only what the intent said stays said: the rest still takes the conventions.
        return IntentSpec.model_validate({**spec.model_dump(exclude_unset=True), "name": app,
                                          "traffic": spec.traffic.model_dump(exclude_unset=True)})
    except ValueError:
        raise GenerationRefused(f"--app {app!r}: expected a slug (lower-case letters, digits "
                                "and dashes)") from None


def _with_conventions(spec: IntentSpec, conventions: Conventions,
                      decisions: list[Decision]) -> IntentSpec:
    """Fields the intent left unsaid take the repository's habits."""
    said = spec.model_fields_set
    update: dict[str, Any] = {}
    if "region" not in said and conventions.region and spec.cloud == "aws":
        update["region"] = conventions.region
        decisions.append(Decision(choice=f"region = {conventions.region}",
                                  reason=conventions.says("region"), source="convention"))
    for name in ("team", "env"):
        value = conventions.tag_values.get(name)
        if name not in said and value:
            update[name] = value
            decisions.append(Decision(choice=f"{name} = {value}",
                                      reason=f"the {name} tag most resources carry "
                                             f"({conventions.says('tags')})",
                                      source="convention"))
    if not update:
        return spec
    try:
        return IntentSpec.model_validate({**spec.model_dump(exclude_unset=True), **update,
                                          "traffic": spec.traffic.model_dump(exclude_unset=True)})
    except ValueError:
        return spec  # a learned value the spec cannot take: keep the default


def _assumed(spec: IntentSpec) -> list[Decision]:
    said = spec.model_fields_set
    quiet = {"name", "pattern", "cloud", "components", "model", "oversight_url", "model_card_url",
             "data_lineage_url", "schedule", "traffic", "compliance", "network", "authentication"}
    if spec.pattern != "ai-inference":
        quiet.add("risk_level")
    out = [Decision(choice=f"{name} = {getattr(spec, name)}", reason="not stated in the intent: "
                    "purser's default", source="assumed")
           for name in IntentSpec.model_fields if name not in said and name not in quiet]
    if spec.budget_monthly_usd is None:
        out.append(Decision(choice="no budget", reason="the intent states none: the cost is "
                            "reported, not fitted", source="assumed"))
    return out


def _blueprint(spec: IntentSpec) -> Blueprint:
    chosen = blueprints.get(spec.pattern)()
    extra = [c for c in spec.components if c not in chosen.components]
    if extra:
        raise GenerationRefused(
            f"the {spec.pattern} blueprint ({chosen.summary}) has no {', '.join(extra)}; "
            "generate that part as its own application")
    return chosen


def _convention_notes(conventions: Conventions, spec: IntentSpec) -> list[Decision]:
    notes = []
    if spec.cloud == "aws":
        source = "convention" if "name_prefix" in conventions.learned else "assumed"
        pattern = (f"{conventions.name_prefix}-{spec.name}-<component>" if conventions.name_prefix
                   else f"{spec.name}-{{env}}-<component>")
        notes.append(Decision(choice=f"names {pattern}", reason=conventions.says("name_prefix"),
                              source=source))  # type: ignore[arg-type]
        notes.append(Decision(choice="tag keys " + ", ".join(conventions.tag_keys),
                              reason=conventions.says("tags"), source="convention" if
                              "tags" in conventions.learned else "assumed"))
        notes.append(Decision(choice=f"aws provider {conventions.aws_provider_version}, "
                              f"terraform {conventions.terraform_version}",
                              reason=conventions.says("aws_provider_version"),
                              source="convention" if "aws_provider_version" in
                              conventions.learned else "assumed"))
    if conventions.examples_only:
        notes.append(Decision(
            choice="conventions learned from examples, tests and fixtures only",
            reason="the repository has no " + " and no ".join(conventions.examples_only) +
                   " outside example, test and fixture folders: what was learned there "
                   "demonstrates code rather than deploys it; check it", source="convention"))
    if conventions.module_sources:
        notes.append(Decision(choice="plain resources, not the team's modules",
                              reason="the repository calls " + ", ".join(
                                  conventions.module_sources[:3]) + "; the blueprint writes "
                              "resources so that every one is parsed, priced and gated here",
                              source="convention"))
    return notes


def _layout_notes(layout: Layout, conventions: Conventions, config: Config) -> list[Decision]:
    if not layout.is_module:
        parent = application_parent(config)
        where = (f"most applications in purser.yaml live in {parent}/" if parent !=
                 DEFAULT_FOLDER else "purser's default folder (apps/<app>), or --out")
        why = ("the repository has no Terraform root with resources: a root of its own; "
               if not conventions.terraform_roots else
               "the repository's Terraform roots only demonstrate or test modules "
               f"({', '.join(sorted(conventions.terraform_roots))}): a root of its own, and "
               "their addresses gain their folder (examples deploy nothing); "
               if layout.root is None and conventions.terraform_roots else "")
        return [Decision(choice=f"files in {layout.folder}/", reason=why + where,
                         source="convention" if parent != DEFAULT_FOLDER else "assumed")]
    roots = ", ".join(f"{r}/" for r in conventions.terraform_roots)
    notes = [Decision(
        choice=f"a module in {layout.folder}/, called from {layout.call_file}",
        reason=f"the repository's Terraform root ({roots}) stays the only one: a second root "
               "would put its folder in front of every existing address (a public contract: "
               f"ownership tags, waivers, usage, billing joins); the new resources are "
               f"module.{layout.name}.… of {layout.root}/", source="convention"),
        Decision(choice=f"module folder {posixpath.dirname(layout.folder) or '.'}/",
                 reason=conventions.says("module_parent"),
                 source="convention" if "module_parent" in conventions.learned else "assumed")]
    return notes


def _pricer(chosen: Blueprint, spec: IntentSpec, conventions: Conventions, config: Config,
            tree: Tree, layout: Layout, existing: set[str]) -> Callable[[Sizing], Priced]:
    def price(sizing: Sizing) -> Priced:
        built = _build(chosen, Context(spec=spec, conventions=conventions, sizing=sizing),
                       config, tree, layout, existing)
        priced = estimate(built.resources, built.config, usage=_usage(built, tree))
        usage = _addressed(built.design.usage, layout.address_prefix(conventions))
        return Priced(sizing=sizing, estimate=priced, payload=built,
                      unverified=unverified_parts(priced, usage, load_builtin_pricers()))

    return price


def _build(chosen: Blueprint, context: Context, config: Config, tree: Tree, layout: Layout,
           existing: set[str]) -> Built:
    """Render, register and load back one candidate, exactly as `purser check` will read
    the branch: the whole repository with the new files laid over it."""
    spec = context.spec
    design = chosen.design(context)
    files = render_files(design, context, layout)
    artifacts: dict[str, bytes] = {}
    if any(b.labels[0] == "aws_lambda_function" for b in design.resources if b.labels):
        code = handler.source(spec)
        files[posixpath.join(layout.folder, handler.SOURCE_FILE)] = code
        artifacts[posixpath.join(layout.folder, handler.ZIP_FILE)] = handler.package(code)
    prefix = layout.address_prefix(context.conventions)
    usage = _addressed(design.usage, prefix)
    usage_file = usage_file_for(config, posixpath.join(layout.folder, USAGE_FILE))
    try:
        registration = register(
            tree, config, spec, path=layout.folder, usage=usage, usage_file=usage_file,
            kind="aws" if design.resources else "kubernetes",
            comment=f"{spec.name}: {spec.pattern} for team {spec.team}, generated by "
                    f"purser generate (spec {spec.digest()[:12]}).")
    except RegistrationError as exc:
        raise GenerationRefused(str(exc)) from None
    files[CONFIG_FILE] = registration.config_text
    if registration.usage_file and registration.usage_text is not None:
        files[registration.usage_file] = registration.usage_text
    built = Built(design=design, files=files, artifacts=artifacts, config=registration.config,
                  resources=[], usage_file=registration.usage_file)
    built.resources = _parsed_back(built, tree, layout, prefix, existing)
    return built


def _addressed(usage: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The design's usage under the addresses the repository gives its resources (a
    Kubernetes address names no folder)."""
    return {(address if address.startswith("k8s:") else prefix + address): values
            for address, values in usage.items()}


def _parsed_back(built: Built, tree: Tree, layout: Layout, prefix: str,
                 existing: set[str]) -> list[Resource]:
    """The generated resources as `purser.sources` reads the repository with them: every
    resource the design meant must be there, at the address its usage names, and every
    resource that was there must keep its address."""
    loaded = load_repository(built.overlay(tree), built.config)
    ours = [e for e in loaded.errors if e.file in built.files
            or e.file.startswith(layout.folder + "/")]
    if ours:
        raise GenerationRefused("the rendered code does not parse back (a purser bug): " +
                                "; ".join(f"{e.file}:{e.line}: {e.message}" for e in ours[:5]))
    if layout.is_module:
        resources = [r for r in loaded.resources if r.address.startswith(prefix)]
    else:
        resources = within(loaded.resources, layout.folder)
    found = {r.address.removeprefix(prefix).split("//", 1)[-1] for r in resources}
    meant = {f"{b.labels[0]}.{b.labels[1]}" for b in built.design.resources
             if b.type == "resource"}
    meant |= {_k8s_address(m) for m in built.design.manifests}
    missing = sorted(meant - found)
    if missing:
        raise GenerationRefused("the rendered code lost resources when parsed back (a purser "
                                "bug): " + ", ".join(missing))
    renamed = sorted(existing - {r.address for r in loaded.resources})
    if renamed:
        raise GenerationRefused("the generated code would change the address of existing "
                                "resources (a purser bug): " + ", ".join(renamed[:5]))
    unnamed = sorted(set(built.design.usage) - found)
    if unnamed:
        raise GenerationRefused("usage written for resources that are not there (a purser "
                                "bug): " + ", ".join(unnamed))
    return resources


def _k8s_address(manifest: dict[str, Any]) -> str:
    api = str(manifest.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else "core"
    meta = manifest.get("metadata", {})
    return f"k8s:{group}/{manifest.get('kind')}/{meta.get('namespace', '_')}/{meta.get('name')}"


def _usage(built: Built, tree: Tree) -> Any:
    """The usage `purser check` will read from the branch (purser.yaml's usage files)."""
    try:
        return usage_for(built.overlay(tree), built.config, None)
    except UsageError as exc:
        raise GenerationRefused(f"the repository's usage files cannot be read: {exc}") \
            from None


def _registration_notes(built: Built, spec: IntentSpec, layout: Layout,
                        costs: list[Any]) -> list[Decision]:
    budget = (f", budget ${spec.budget_monthly_usd:,.2f} a month" if spec.budget_monthly_usd
              is not None else ", no budget")
    notes = [Decision(choice=f"application {spec.name} in purser.yaml (path {layout.folder}, "
                      f"environment {spec.env}{budget})", reason="so that `purser check` and "
                      "`purser sync` know it and hold it to the intent's budget",
                      source="intent")]
    if built.usage_file == posixpath.join(layout.folder, USAGE_FILE):
        notes.append(Decision(choice=f"expected traffic in {built.usage_file}",
                              reason="purser.yaml names no usage file: a new one beside the "
                                     "code, named in the application's entry",
                              source="assumed"))
    elif built.usage_file:
        notes.append(Decision(choice=f"expected traffic in {built.usage_file}",
                              reason="the usage file purser.yaml reads first: the branch is "
                                     "priced at the traffic the estimate above assumed",
                              source="convention"))
    owners = sorted({c.application for c in costs if c.application} - {spec.name})
    if owners:
        notes.append(Decision(
            choice=f"cost counted under application {', '.join(owners)}",
            reason=f"purser allocates a module's resources to the application of the root "
                   f"that calls it ({layout.root}/): until allocation follows the calling "
                   f"file, {spec.name}'s budget in purser.yaml measures nothing and "
                   f"{', '.join(owners)}'s budget holds this cost", source="convention"))
    return notes


def _budget_scopes(built: Built, spec: IntentSpec) -> frozenset[str]:
    """The budget scopes (`application:…`, `tag:…`) whose totals the new resources join."""
    scopes = {f"application:{spec.name}"}
    for resource in built.resources:
        found = owner(resource, built.config)
        if found is not None:
            scopes.add(f"application:{found.name}")
    for resource in built.resources:
        scopes |= {f"tag:{key}={value}" for key, value in resource.tags.items()
                   if isinstance(value, str)}
    for key in ("env", "environment"):
        scopes.add(f"tag:{key}={spec.env}")
    scopes.add(f"tag:team={spec.team}")
    return frozenset(scopes)


def _gate(built: Built, tree: Tree, layout: Layout) -> CheckReport:
    """`purser check` of the branch-to-be, scoped to the new folder (a module's: its root),
    with purser.yaml and usage as the branch will hold them."""
    return run_check(built.overlay(tree), built.config,
                     CheckOptions(only=layout.scope, cache_dir=None))


def _problems(generation: Generation) -> list[str]:
    problems = []
    fitted = generation.fit
    if not fitted.within_budget:
        problems.append(fitted.explanation)
    elif not fitted.fits and not generation.accept_unpriced:
        problems.append(fitted.explanation + " (pass --accept-unpriced to commit it with "
                        "these parts unpriced)")
    for finding in generation.blocking:
        problems.append(f"gate: {finding.rule_id} ({finding.severity.value}) on "
                        f"{finding.resource}: {finding.message}")
    for error in generation.report_errors:
        problems.append(f"gate could not check {error.file}:{error.line}: {error.message}")
    if not generation.addresses:
        problems.append("gate: no generated resources found")
    return problems


def _unpriced_accepted(generation: Generation) -> list[str]:
    """The unpriced parts a committed budget fit accepted (--accept-unpriced)."""
    if not generation.accept_unpriced or generation.fit.budget_usd is None:
        return []
    return list(generation.fit.unverified)


def _accepted_unpriced(generation: Generation) -> str:
    parts = _unpriced_accepted(generation)
    if not parts:
        return ""
    return ("\nBudget fit unverified, accepted with --accept-unpriced; not priced:\n"
            + "".join(f"- {part}\n" for part in parts))


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def trailers(generation: Generation) -> dict[str, str]:
    key = "Model" if generation.reader != PARSER_NAME else "Parser"
    return {"Generated-By": GENERATOR, key: generation.reader,
            "Prompt-Digest": generation.intent_digest,
            "Spec-Digest": "sha256:" + generation.spec.digest()}


def _record(generation: Generation, repo: Path) -> None:
    """Commit the files on `purser/gen-<slug>` (when accepted) and write the ledger entry."""
    from purser import ledger
    from purser.git import GitError, commit_files, create_branch
    from purser.store import StoreError, database_url, open_database

    if generation.accepted:
        branch = BRANCH_PREFIX + generation.spec.name
        message = (f"generate {generation.spec.name}: {generation.spec.pattern} in "
                   f"{generation.spec.region}\n\n{generation.fit.explanation}\n"
                   + _accepted_unpriced(generation))
        try:
            create_branch(repo, branch)
            files = {rel: text.encode() for rel, text in generation.files.items()}
            generation.commit = commit_files(repo, branch, {**files, **generation.artifacts},
                                             message, trailers(generation))
        except GitError as exc:
            raise GenerationRefused(f"cannot commit: {exc} (or use --dry-run)") from None
        generation.branch = branch
    explanation = json.dumps({
        "spec": generation.spec.model_dump(mode="json"),
        "decisions": [d.model_dump() for d in generation.decisions],
        "explanation": generation.fit.explanation, "problems": generation.problems,
        "accepted_unpriced": _unpriced_accepted(generation),
        "reader": generation.reader, "branch": generation.branch}, ensure_ascii=False)
    event = ledger.Event(actor="purser generate", action="generate",
                         subject=generation.branch or f"{generation.folder} (not committed)",
                         application=generation.spec.name, revision=generation.commit,
                         inputs_digest=generation.intent_digest,
                         outcome="proposed" if generation.accepted else "refused",
                         explanation=explanation[:100_000])
    try:
        with open_database(database_url(repo)) as db:
            ledger.append(db, event)
    except StoreError as exc:
        raise GenerationRefused(f"cannot write the ledger entry: {exc}") from None
