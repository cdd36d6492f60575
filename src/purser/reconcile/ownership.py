"""The ownership tags purser writes on everything it creates, and the names it gives.

A live resource belongs to purser only when it carries both tags: the application and the
resource's stable address (`purser.identity`). Anything else is never modified or
deleted. Tag values allow letters, digits, spaces and `_.:/=+-@` only and at most 256
characters, so an address is written with every other character as `+XX` (its UTF-8 bytes
in hex; `+` itself too) and, when still too long, cut and sealed with a digest. The
warehouse joins billing rows on `address_tag(resource.address)`.
"""

from __future__ import annotations

import hashlib
import re

APP_TAG = "purser:application"
ADDRESS_TAG = "purser:address"
TAG_VALUE_LIMIT = 256
_ALLOWED = re.compile(r"[A-Za-z0-9 _.:/=\-@]")


def address_tag(address: str) -> str:
    """The tag value that stands for `address` (reversible unless it had to be cut)."""
    written = "".join(c if _ALLOWED.fullmatch(c) else
                      "".join(f"+{b:02X}" for b in c.encode()) for c in address)
    if len(written) <= TAG_VALUE_LIMIT:
        return written
    return written[:TAG_VALUE_LIMIT - 17] + "+" + _digest(address, 16)


def address_from_tag(value: str) -> str:
    """The address a tag value stands for (a cut one comes back as it was written)."""
    out = bytearray()
    index = 0
    while index < len(value):
        if value[index] == "+" and re.fullmatch(r"[0-9A-F]{2}", value[index + 1:index + 3]):
            out.append(int(value[index + 1:index + 3], 16))
            index += 3
        else:
            out += value[index].encode()
            index += 1
    return out.decode("utf-8", errors="replace")


def ownership_tags(application: str, address: str) -> dict[str, str]:
    return {APP_TAG: application[:TAG_VALUE_LIMIT], ADDRESS_TAG: address_tag(address)}


def owner(tags: dict[str, str]) -> tuple[str, str] | None:
    """(application, address) when `tags` carry both ownership tags, else None."""
    application, written = tags.get(APP_TAG), tags.get(ADDRESS_TAG)
    if not application or not written:
        return None
    return application, address_from_tag(written)


def physical_name(application: str, address: str, *, limit: int,
                  allowed: str = r"[A-Za-z0-9_-]", lower: bool = False) -> str:
    """A stable name for a resource whose declaration gives none (CloudFormation without a
    name, Terraform's `name_prefix`): the application and the resource's own name, cut to
    `limit`, and a digest of the address so that two never collide."""
    tail = address.rsplit("#", 1)[-1].rsplit(".", 1)[-1]
    stem = "".join(c if re.fullmatch(allowed, c) else "-" for c in f"{application}-{tail}")
    stem = stem.lower() if lower else stem
    digest = _digest(f"{application}\0{address}", 8)
    return f"{stem[:limit - len(digest) - 1].strip('-')}-{digest}"


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]
