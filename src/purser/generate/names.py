"""Names an intent gives: "called checkout", "named search-api", "the orders table",
"exports the orders table". Whatever the intent writes, the name that leaves this module is
a safe identifier: lower-case letters, digits and hyphens, starting with a letter, at most
`MAX_NAME` characters (it becomes a folder, a module label, resource names and a branch)."""

from __future__ import annotations

import re
from collections.abc import Callable

from purser.generate.reading import Reading

MAX_NAME = 40  # spec.SLUG: a letter, up to 38 more, a letter or digit

#: Things an intent may point at by name ("the orders table"): the noun is read with the
#: name, since "the orders table" names something that exists rather than asks for one.
_THINGS = (r"tables?|buckets?|queues?|topics?|streams?|datasets?|databases?|db|collections?|"
           r"indexes|index|feeds?|logs")
#: Verbs whose object names the job: "exports the orders table" → orders-export.
_VERBS = {"export": "export", "exports": "export", "exporting": "export", "sync": "sync",
          "syncs": "sync", "syncing": "sync", "copies": "copy", "copy": "copy",
          "copying": "copy", "replicate": "replica", "replicates": "replica",
          "snapshot": "snapshot", "snapshots": "snapshot", "compact": "compaction",
          "compacts": "compaction", "aggregate": "aggregation", "aggregates": "aggregation"}


def safe_name(text: str) -> str:
    """A slug from `text` ("" when nothing usable is left): only [a-z0-9-], a letter first,
    bounded to `MAX_NAME` characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = re.sub(r"^[^a-z]+", "", slug)[:MAX_NAME].strip("-")
    return slug if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug) else ""


def read_names(r: Reading, *, reserved: Callable[[str], bool]) -> None:
    """Explicit names ("called X", "named X") set the name; a thing pointed at ("the orders
    table") is kept as the subject, the name when the intent gives no other."""
    quoted = r"(['\"`])(?P<q>[^'\"`\n]{1,200})\1"
    for match in r.find(rf"\b(?:named|called)\s+(?:{quoted}|(?P<w>[^\s,;:!?()'\"`]{{1,200}}))"):
        group = "q" if match.group("q") else "w"
        written = r.original[match.start(group):match.end(group)].rstrip(".")
        name = safe_name(written)
        if not name:
            r.take(match)
            r.problems.append(f'"{written}" cannot be a name: use letters, digits and hyphens, '
                              "starting with a letter")
            continue
        r.set("name", name, match, "the name")
        if name != written.lower():
            r.assume(f"name {name}", f'"{written}" made a safe identifier (lower-case letters, '
                     f"digits and hyphens, at most {MAX_NAME} characters)")
    verbs = "|".join(_VERBS)
    for match in r.find(rf"\b(?:(?P<verb>{verbs})\s+)?(?:the|our|my|its)\s+"
                        rf"(?P<name>[a-z][a-z0-9_-]{{0,60}})\s+(?P<thing>{_THINGS})\b"):
        word = match.group("name")
        if reserved(word):
            continue
        subject = safe_name(word)
        if not subject:
            continue
        verb = match.group("verb")
        subject = safe_name(f"{subject}-{_VERBS[verb]}") if verb else subject
        r.take(match)
        if "subject" not in r.fields:
            r.fields["subject"] = (subject, match.group(0).strip())
