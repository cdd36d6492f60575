"""Intent → spec → conventions → blueprint → rendered files → parsed back → priced and
fitted to the budget → gated → committed on `purser/gen-<slug>` with provenance trailers
and a ledger entry. Nothing is committed that was not parsed back, priced and gated.
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
from purser.config import Application, Budget, Config, ConfigError, load_config
from purser.cost import estimate
from purser.cost.usage import UsageError, parse_usage
from purser.gate import CheckOptions, run_check
from purser.generate.baseline import baseline
from purser.generate.blueprints import Blueprint, blueprints
from purser.generate.conventions import Conventions, learn
from purser.generate.design import Context, Design, Sizing
from purser.generate.fit import Fit, Priced, fit
from purser.generate.overlay import Overlay
from purser.generate.parse import PARSER_NAME, Parsed, Refused
from purser.generate.render import USAGE_FILE, render_files
from purser.generate.spec import Decision, IntentSpec
from purser.model import Resource, Severity
from purser.sources import LoadContext, load_files, load_repository, within
from purser.sources.worktree import WorkTree
from purser.tree import RepoFile

GENERATOR = f"purser-generate {__version__}"
BRANCH_PREFIX = "purser/gen-"
DEFAULT_FOLDER = "apps"
BLOCKING = Severity.high


class GenerationRefused(Exception):
    """The intent cannot become code: the message says why, for the user."""


@dataclass
class Generation:
    intent_digest: str
    reader: str  # the parser's or the model's name
    spec: IntentSpec
    decisions: list[Decision]
    folder: str
    files: dict[str, str]
    fit: Fit
    report: CheckReport
    branch: str | None = None
    commit: str | None = None
    problems: list[str] = field(default_factory=list)  # why it was not committed

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def blocking(self) -> list[Any]:
        return [f for f in self.report.findings if f.severity.at_least(BLOCKING)]

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
                "levers": [{"lever": s.lever, "change": s.change, "before": s.before_usd,
                            "after": s.after_usd, "saved": s.saved_usd} for s in self.fit.steps],
                "explanation": self.fit.explanation,
                "resources": [{"address": r.address, "monthly_cost": r.monthly_cost}
                              for r in estimate.resources],
                "unpriced": [u.model_dump() for u in estimate.unpriced],
                "catalog_versions": estimate.catalog_versions},
            "findings": [f.model_dump(mode="json") for f in self.report.findings],
            "gate": {"passed": not self.blocking and not self.report_errors,
                     "errors": [e.model_dump(mode="json") for e in self.report_errors]},
            "problems": self.problems,
            "branch": self.branch, "commit": self.commit,
        }

    @property
    def report_errors(self) -> list[Any]:
        prefix = self.folder + "/"
        return [e for e in self.report.errors if e.file.startswith(prefix) or not e.file]


Reader = Callable[[str], Parsed]


def generate(intent: str, *, repo: Path, read: Reader, reader_name: str = PARSER_NAME,
             folder: str | None = None, app: str | None = None,
             dry_run: bool = False) -> Generation:
    """Generate, check and (unless `dry_run` or refused) commit one application."""
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
    conventions = learn(repo, config)
    spec = _with_conventions(spec, conventions, decisions)
    decisions += _assumed(spec)
    chosen = _blueprint(spec)
    folder = _folder(repo, folder, spec, config)
    sizing, sized = baseline(spec, conventions)
    decisions += sized + _convention_notes(conventions, spec)
    fitted = fit(spec, sizing, _pricer(chosen, spec, conventions, config, repo, folder))
    design, files = _payload(fitted.priced)
    decisions += design.decisions
    decisions += [Decision(choice=s.change, reason=f"over budget: saves ${s.saved_usd:,.2f} a "
                           f"month (${s.before_usd:,.2f} → ${s.after_usd:,.2f})", source="lever")
                  for s in fitted.steps]
    files = _usage_keyed_for_repository(files, design, spec, conventions, config, repo, folder)
    report = _gate(files, spec, config, repo, folder)
    generation = Generation(intent_digest=_digest(intent), reader=reader_name, spec=spec,
                            decisions=decisions, folder=folder, files=files, fit=fitted,
                            report=report)
    generation.problems = _problems(generation)
    if not dry_run:
        _record(generation, repo)
    return generation


def _payload(priced: Priced) -> tuple[Design, dict[str, str]]:
    payload: tuple[Design, dict[str, str]] = priced.payload  # type: ignore[assignment]
    return payload


def _renamed(spec: IntentSpec, app: str) -> IntentSpec:
    try:
        return IntentSpec.model_validate({**spec.model_dump(), "name": app})
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


def _folder(repo: Path, folder: str | None, spec: IntentSpec, config: Config) -> str:
    rel = (folder or posixpath.join(DEFAULT_FOLDER, spec.name)).strip().strip("/")
    normal = posixpath.normpath(rel) if rel else ""
    if (not normal or normal == "." or normal.startswith("../") or normal == ".."
            or posixpath.isabs(rel) or normal.split("/")[0] == ".git"):
        raise GenerationRefused(f"--out {folder!r}: expected a folder inside the repository")
    target = repo / normal
    if target.exists() and any(target.iterdir()):
        raise GenerationRefused(f"{normal}/ already holds files; choose another --out")
    if any(a.name == spec.name for a in config.applications):
        raise GenerationRefused(f"purser.yaml already has an application named {spec.name}; "
                                "choose another name with --app")
    return normal


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
    if conventions.module_sources:
        notes.append(Decision(choice="plain resources, not the team's modules",
                              reason="the repository calls " + ", ".join(
                                  conventions.module_sources[:3]) + "; the blueprint writes "
                              "resources so that every one is parsed, priced and gated here",
                              source="convention"))
    return notes


def _pricer(chosen: Blueprint, spec: IntentSpec, conventions: Conventions, config: Config,
            repo: Path, folder: str) -> Callable[[Sizing], Priced]:
    def price(sizing: Sizing) -> Priced:
        context = Context(spec=spec, conventions=conventions, sizing=sizing)
        design = chosen.design(context)
        files = render_files(design, context, folder, design.usage)
        resources = _parsed_back(files, design, config, repo, folder)
        usage = _usage(files, folder)
        priced = estimate(resources, config, usage=usage)
        return Priced(sizing=sizing, estimate=priced, payload=(design, files))

    return price


def _parsed_back(files: dict[str, str], design: Design, config: Config, repo: Path,
                 folder: str) -> list[Resource]:
    """The rendered files read by `purser.sources`, as the gate will read them; the
    resources the design meant must all be there."""
    listing = [RepoFile(path=repo / rel, rel=rel, data=text.encode()) for rel, text in
               files.items() if not rel.endswith(USAGE_FILE)]
    loaded = load_files(listing, LoadContext(root=repo, config=config))
    if loaded.errors:
        raise GenerationRefused("the rendered code does not parse back (a purser bug): " +
                                "; ".join(f"{e.file}:{e.line}: {e.message}" for e in
                                          loaded.errors[:5]))
    found = {r.address.split("//", 1)[-1] for r in loaded.resources}
    meant = {f"{b.labels[0]}.{b.labels[1]}" for b in design.resources if b.type == "resource"}
    meant |= {_k8s_address(m) for m in design.manifests}
    missing = sorted(meant - found)
    if missing:
        raise GenerationRefused("the rendered code lost resources when parsed back (a purser "
                                "bug): " + ", ".join(missing))
    return loaded.resources


def _k8s_address(manifest: dict[str, Any]) -> str:
    api = str(manifest.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else "core"
    meta = manifest.get("metadata", {})
    return f"k8s:{group}/{manifest.get('kind')}/{meta.get('namespace', '_')}/{meta.get('name')}"


def _usage(files: dict[str, str], folder: str) -> Any:
    name = posixpath.join(folder, USAGE_FILE)
    if name not in files:
        return None
    try:
        return parse_usage(name, files[name].encode())
    except UsageError as exc:
        raise GenerationRefused(f"the rendered usage file is invalid (a purser bug): {exc}") \
            from None


def _usage_keyed_for_repository(files: dict[str, str], design: Design, spec: IntentSpec,
                                conventions: Conventions, config: Config, repo: Path,
                                folder: str) -> dict[str, str]:
    """In a repository with other Terraform roots, addresses carry their root's folder
    (`apps/x//aws_lambda_function.fn`): the usage file must name them so."""
    overlay = Overlay(WorkTree(repo), {k: v.encode() for k, v in files.items()})
    loaded = load_repository(overlay, config)
    rename = {r.address.split("//", 1)[-1]: r.address for r in within(loaded.resources, folder)
              if "//" in r.address}
    if not rename:
        return files
    usage = {rename.get(address, address): value for address, value in design.usage.items()}
    sizing_context = Context(spec=spec, conventions=conventions,
                             sizing=Sizing("x86_64", 0, 0, 0, "balanced", 0))
    rerendered = render_files(Design(usage=usage), sizing_context, folder, usage)
    return {**files, **rerendered}


def _gate(files: dict[str, str], spec: IntentSpec, config: Config, repo: Path,
          folder: str) -> CheckReport:
    budget = Budget(monthly_usd=spec.budget_monthly_usd) if spec.budget_monthly_usd else None
    application = Application(name=spec.name, path=folder, environment=spec.env, budget=budget)
    gated = config.model_copy(update={"applications": [*config.applications, application]})
    overlay = Overlay(WorkTree(repo), {k: v.encode() for k, v in files.items()})
    return run_check(overlay, gated, CheckOptions(only=folder, usage=_usage(files, folder),
                                                  cache_dir=None))


def _problems(generation: Generation) -> list[str]:
    problems = []
    if not generation.fit.fits:
        problems.append(generation.fit.explanation)
    for finding in generation.blocking:
        problems.append(f"gate: {finding.rule_id} ({finding.severity.value}) on "
                        f"{finding.resource}: {finding.message}")
    for error in generation.report_errors:
        problems.append(f"gate could not check {error.file}:{error.line}: {error.message}")
    if not generation.report.resources:
        problems.append("gate: no resources found in the generated folder")
    return problems


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
                   f"{generation.spec.region}\n\n{generation.fit.explanation}\n")
        try:
            create_branch(repo, branch)
            generation.commit = commit_files(
                repo, branch, {rel: text.encode() for rel, text in generation.files.items()},
                message, trailers(generation))
        except GitError as exc:
            raise GenerationRefused(f"cannot commit: {exc} (or use --dry-run)") from None
        generation.branch = branch
    explanation = json.dumps({
        "spec": generation.spec.model_dump(mode="json"),
        "decisions": [d.model_dump() for d in generation.decisions],
        "explanation": generation.fit.explanation, "problems": generation.problems,
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
