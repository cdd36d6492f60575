"""Tags as the handlers compare and write them: the user's own apart from purser's.

`fields["tags"]` of a live resource holds the user's tags only (what git declares);
`Live.tags` holds them all, ownership included, since that is what ownership is read
from. A tag update writes the wanted set and removes only keys no longer wanted.
"""

from __future__ import annotations

from typing import Any

from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG

OWNERSHIP = (APP_TAG, ADDRESS_TAG)
# On a parent whose children are declared as resources of their own (a role's separate
# inline policies and attachments, `iam_role_policy`): purser's, so neither a user's tag
# nor removed when the parent's tags are rewritten.
SEPARATE_CHILDREN_TAG = "purser:children"
PURSERS = (*OWNERSHIP, SEPARATE_CHILDREN_TAG)


def user_tags(tags: dict[str, str]) -> dict[str, str]:
    """`tags` without purser's own tags."""
    return {key: value for key, value in tags.items() if key not in PURSERS}


def wanted_tags(fields: dict[str, Any], ownership: dict[str, str]) -> dict[str, str]:
    """The declared tags and the ownership tags, as they should be live."""
    return {**{str(k): str(v) for k, v in fields.get("tags", {}).items()}, **ownership}


def stale_keys(live: dict[str, str], wanted: dict[str, str]) -> list[str]:
    """Keys live has that are no longer wanted (to untag)."""
    return sorted(key for key in live if key not in wanted and key != SEPARATE_CHILDREN_TAG)


def as_list(tags: dict[str, str]) -> list[dict[str, str]]:
    """`[{"Key": k, "Value": v}]`, the shape most AWS APIs take."""
    return [{"Key": key, "Value": value} for key, value in tags.items()]


def from_list(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {tag["Key"]: tag.get("Value", "") for tag in tags or []}
