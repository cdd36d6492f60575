"""Waivers: accepted risks set aside, from purser.yaml or from a comment beside the resource.

A waiver in `policies.waivers` names a rule and a resource (`*` matches any run of
characters) with a reason and an optional expiry date; once expired it waives nothing and
is itself reported (PUR-WVR-001). An inline `# purser:ignore RULE-ID reason` (or `//`)
inside a resource's block, or on the line just above it, waives that rule for that
resource; one without a reason waives nothing and is reported (PUR-WVR-002), as is a
waiver in purser.yaml whose resource is here but whose rule finds nothing on it any more
(PUR-WVR-003: a stale waiver would hide the next real finding). In a shared
module, `RULE-ID@ADDRESS` waives it for the callers whose address matches only
(`# purser:ignore PUR-FIN-001@apps/a//* reason`).

Patterns are matched without regular expressions, so a pattern written by a stranger
costs time linear in what it is matched against, however many stars it holds.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from purser import safefile
from purser.config import CONFIG_FILE, Config, Waiver
from purser.model import Category, Finding, Resource, Severity, SourceRef
from purser.safeyaml import YamlError, load_documents
from purser.tree import Tree

EXPIRED_RULE = "PUR-WVR-001"
NO_REASON_RULE = "PUR-WVR-002"
UNUSED_RULE = "PUR-WVR-003"
ORIGIN = "waivers"
MAX_PARSED = 4096  # files whose directives are remembered; then the memory starts over
MARKER = b"purser:ignore"  # a file without it has no directive: never decoded
INLINE = re.compile(r"(?:#|//)\s*purser:ignore\s+(\S+)[ \t]*(.*)$")


@dataclass(frozen=True)
class InlineIgnore:
    file: str
    line: int
    rule: str
    reason: str
    resource: str = "*"  # `RULE@ADDRESS`: one caller of a shared module's resource


_PARSED: dict[tuple[str, bytes], tuple[InlineIgnore, ...]] = {}


def apply(findings: list[Finding], resources: list[Resource], config: Config, tree: Tree,
          *, today: date | None = None) -> tuple[list[Finding], list[Finding]]:
    """(kept findings, with findings about waivers themselves; waived findings).

    Waiver lines and inline ignores are read from `tree`: the state of the repository the
    findings came from (a revision's own purser.yaml and comments, not the work tree's)."""
    today = today or date.today()
    active = [(i, w) for i, w in enumerate(config.policies.waivers)
              if w.expires is None or w.expires >= today]
    expired = [(i, w) for i, w in enumerate(config.policies.waivers)
               if w.expires is not None and w.expires < today]
    lines = _waiver_lines(tree) if config.policies.waivers else {}  # for waiver findings
    ignores = _inline_ignores(tree, resources, findings)
    if active or ignores:
        kept, waived = _set_aside(findings, active, lines, ignores, resources)
    else:  # the common case: nothing can waive anything
        kept, waived = list(findings), []
    kept += _expired_findings(expired, lines)
    kept += _unused_findings(active, lines, findings, resources)
    kept += _reasonless_findings(ignores, resources)
    return kept, waived


def _set_aside(findings: list[Finding], active: list[tuple[int, Waiver]],
               lines: dict[int, int], ignores: dict[str, list[InlineIgnore]],
               resources: list[Resource]) -> tuple[list[Finding], list[Finding]]:
    by_address = {r.address: r for r in resources} if ignores else {}
    kept: list[Finding] = []
    waived: list[Finding] = []
    for finding in findings:
        reason = _waiver_reason(finding, active, lines) or _inline_reason(
            finding, by_address.get(finding.resource), ignores)
        if reason:
            waived.append(finding.model_copy(update={
                "evidence": {**finding.evidence, "waiver_reason": reason[0],
                             "waiver_source": reason[1]}}))
        else:
            kept.append(finding)
    return kept, waived


# --------------------------------------------------------------------------- matching


def matches(pattern: str, value: str) -> bool:
    """`*` matches any run of characters; everything else (brackets, quotes) is literal.

    The fixed parts are found left to right, each at its first place after the previous
    one: for `*` alone that choice never loses a match, and nothing is ever retried."""
    first, *rest = pattern.split("*")
    if not rest:
        return pattern == value
    *middle, last = rest
    end = len(value) - len(last)
    if end < len(first) or not value.startswith(first) or not value.endswith(last):
        return False
    position = len(first)
    for part in middle:
        found = value.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


def waivable_ids() -> set[str]:
    """purser's own rule ids that a finding can carry: the rules, budgets and waivers."""
    from purser.cost.budget import INCREASE_ABOVE_MAX, OVER_BUDGET
    from purser.policy.engine import rule_ids

    return rule_ids() | {OVER_BUDGET, INCREASE_ABOVE_MAX, EXPIRED_RULE, NO_REASON_RULE}


def _waiver_reason(finding: Finding, waivers: list[tuple[int, Waiver]],
                   lines: dict[int, int]) -> tuple[str, str] | None:
    for index, waiver in waivers:
        if matches(waiver.rule, finding.rule_id) and matches(waiver.resource, finding.resource):
            line = lines.get(index, 0)
            return waiver.reason, f"{CONFIG_FILE}:{line}" if line else CONFIG_FILE
    return None


def _inline_reason(finding: Finding, resource: Resource | None,
                   ignores: dict[str, list[InlineIgnore]]) -> tuple[str, str] | None:
    source = resource.source if resource else finding.source
    if source.file not in ignores:
        return None
    for ignore in _ignores_of(source, ignores):
        if ignore.reason and matches(ignore.rule, finding.rule_id) \
                and matches(ignore.resource, finding.resource):
            return ignore.reason, f"{ignore.file}:{ignore.line}"
    return None


def _ignores_of(source: SourceRef, ignores: dict[str, list[InlineIgnore]]) -> list[InlineIgnore]:
    """Directives inside the block at `source` or on the line just above it."""
    if not source.line:
        return []
    last = max(source.end_line, source.line)
    return [i for i in ignores.get(source.file, []) if source.line - 1 <= i.line <= last]


# --------------------------------------------------------------------------- inline comments


def _inline_ignores(tree: Tree, resources: list[Resource],
                    findings: list[Finding]) -> dict[str, list[InlineIgnore]]:
    """Every `purser:ignore` directive in the files the resources were read from, each file
    read once and each file's contents parsed once per process."""
    file_of = attrgetter("source.file")
    files = set(map(file_of, resources)) | set(map(file_of, findings))
    found: dict[str, list[InlineIgnore]] = {}
    for file in sorted(files):
        data = _read(tree, file)
        if data is not None and MARKER in data:
            directives = _directives(file, data)
            if directives:
                found[file] = list(directives)
    return found


def _directives(file: str, data: bytes) -> tuple[InlineIgnore, ...]:
    """The directives in one file's contents, parsed once per process: a process that
    checks again reads the same files, and only an edited one is parsed again."""
    key = (file, hashlib.sha256(data).digest())
    known = _PARSED.get(key)
    if known is None:
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        known = _PARSED[key] = _parse_directives(file, data)
    return known


def _parse_directives(file: str, data: bytes) -> tuple[InlineIgnore, ...]:
    found = []
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = INLINE.search(line)
        if match:
            reason = _without_comment_end(match.group(2))
            rule, _, resource = match.group(1).partition("@")
            found.append(InlineIgnore(file, number, rule, reason, resource or "*"))
    return tuple(found)


def _without_comment_end(text: str) -> str:
    """The reason without the `*/` or `-->` that closes a block comment."""
    text = text.strip()
    for end in ("*/", "-->"):
        text = text.removesuffix(end).rstrip()
    return text


def _read(tree: Tree, file: str) -> bytes | None:
    if not file or file == CONFIG_FILE:
        return None
    try:
        return tree.read(file)
    except safefile.Refused:  # already reported by the reader that loaded the resources
        return None


def _reasonless_findings(ignores: dict[str, list[InlineIgnore]],
                         resources: list[Resource]) -> list[Finding]:
    findings: list[Finding] = []
    if all(ignore.reason for directives in ignores.values() for ignore in directives):
        return findings
    by_file: dict[str, list[Resource]] = defaultdict(list)
    for resource in resources:
        by_file[resource.source.file].append(resource)
    for file, directives in sorted(ignores.items()):
        for ignore in directives:
            if ignore.reason:
                continue
            owner = next((r.address for r in by_file.get(file, ())
                          if ignore in _ignores_of(r.source, {file: [ignore]})), file)
            findings.append(Finding(
                rule_id=NO_REASON_RULE, title="Inline waiver without a reason",
                severity=Severity.low, category=Category.compliance, resource=owner,
                message=(f"purser:ignore {ignore.rule} gives no reason, so it waives nothing; "
                         "write why the risk is accepted after the rule id"),
                remediation="Add the reason: `# purser:ignore RULE-ID why this is accepted`.",
                source=SourceRef(file=file, line=ignore.line), origin=ORIGIN))
    return findings


def _unused_findings(active: list[tuple[int, Waiver]], lines: dict[int, int],
                     findings: list[Finding], resources: list[Resource]) -> list[Finding]:
    """Waivers that name resources checked here and set aside none of their findings. One
    naming no resource here says nothing: a scoped check may simply not have loaded it."""
    unused = []
    for index, waiver in active:
        named = next((r for r in resources if matches(waiver.resource, r.address)), None)
        if named is not None and not any(matches(waiver.rule, f.rule_id)
                                         and matches(waiver.resource, f.resource)
                                         for f in findings):
            unused.append(Finding(
                rule_id=UNUSED_RULE, title="Waiver sets aside nothing", severity=Severity.low,
                category=Category.compliance, resource=named.address,
                message=(f"waiver for {waiver.rule} on {waiver.resource} matches no finding: "
                         "the risk it accepted is gone, and the waiver would hide its return"),
                remediation="Delete the waiver.",
                source=SourceRef(file=CONFIG_FILE, line=lines.get(index, 0)),
                evidence={"rule": waiver.rule, "reason": waiver.reason}, origin=ORIGIN))
    return unused


# --------------------------------------------------------------------------- expiry


def _expired_findings(expired: list[tuple[int, Waiver]],
                      lines: dict[int, int]) -> list[Finding]:
    return [Finding(
        rule_id=EXPIRED_RULE, title="Waiver expired", severity=Severity.medium,
        category=Category.compliance, resource=waiver.resource,
        message=(f"waiver for {waiver.rule} on {waiver.resource} expired on "
                 f"{waiver.expires.isoformat() if waiver.expires else ''}"),
        remediation="Fix the finding, or renew the waiver with a new expiry date and reason.",
        source=SourceRef(file=CONFIG_FILE, line=lines.get(index, 0)),
        evidence={"rule": waiver.rule, "reason": waiver.reason,
                  "expires": waiver.expires.isoformat() if waiver.expires else None},
        origin=ORIGIN) for index, waiver in expired]


def _waiver_lines(tree: Tree) -> dict[int, int]:
    """Line of each waiver in purser.yaml, by its index in `policies.waivers`."""
    try:
        documents = load_documents(safefile.decode(tree.read(CONFIG_FILE)))
    except (safefile.Refused, YamlError):  # load_config has already refused such a file
        return {}
    if not documents or not isinstance(documents[0].data, dict):
        return {}
    waivers = (documents[0].data.get("policies") or {}).get("waivers") or []
    return {index: documents[0].line_of(["policies", "waivers", index])
            for index in range(len(waivers) if isinstance(waivers, list) else 0)}
