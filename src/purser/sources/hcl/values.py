"""The values an HCL expression evaluates to, besides plain Python data.

Plain values are str, int, float, bool, None, list (tuples, lists and sets) and dict
(maps and objects). Three more stand for what cannot be known statically:

* `UNKNOWN`: no value (a data source, an unset variable, `timestamp()`...); anything
  computed from it is unknown too.
* `RefValue`: another resource's attribute, kept as a reference.
* `PartialAddress`: `aws_iam_role` or `data.aws_vpc` on the way to a full address.

`Namespace` objects (`var`, `local`, `module`...) are not values either: they only answer
attribute access.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


class RefValue:
    """`aws_iam_role.lambda.arn` → RefValue("aws_iam_role.lambda", "arn")."""

    __slots__ = ("address", "attribute")

    def __init__(self, address: str, attribute: str = "") -> None:
        self.address = address
        self.attribute = attribute

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RefValue) and other.address == self.address
                and other.attribute == self.attribute)

    def __hash__(self) -> int:
        return hash((self.address, self.attribute))

    def __repr__(self) -> str:
        return f"RefValue({self.address!r}, {self.attribute!r})"

    def __str__(self) -> str:
        dotted = f"{self.address}.{self.attribute}" if self.attribute else self.address
        return "${" + dotted + "}"

    def get_attr(self, name: str) -> RefValue:
        return RefValue(self.address, f"{self.attribute}.{name}" if self.attribute else name)

    def index(self, key: Any) -> RefValue:
        if not self.attribute:  # an instance of a counted or for_each resource
            return RefValue(f"{self.address}[{instance_key(key)}]")
        return RefValue(self.address, f"{self.attribute}.{key}")


class PartialAddress:
    """The first words of a resource address; `labels` more words complete it."""

    __slots__ = ("labels", "on_complete", "prefix")

    def __init__(self, prefix: str, labels: int, on_complete: Any = None) -> None:
        self.prefix = prefix
        self.labels = labels
        self.on_complete = on_complete  # called with the full address (records a dependency)

    def get_attr(self, name: str) -> Any:
        address = f"{self.prefix}.{name}"
        if self.labels > 1:
            return PartialAddress(address, self.labels - 1, self.on_complete)
        if self.on_complete is not None:
            self.on_complete(address)
        return RefValue(address)


class Namespace:
    """`var`, `local`, `module`, `data`, a module's outputs: attribute access by name."""

    __slots__ = ("lookup",)

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self.lookup = lookup

    def get_attr(self, name: str) -> Any:
        return self.lookup(name)


def for_each_items(value: Any) -> list[tuple[str, Any]] | None:
    """A map's entries in key order, or a set of strings as (s, s); None when unknown."""
    if isinstance(value, dict):
        return sorted(value.items())
    if isinstance(value, list):
        keys = [to_text(item) for item in value]
        known = [k for k in keys if k is not None and not k.startswith("${")]
        if len(known) != len(keys):
            return None
        return [(k, k) for k in sorted(set(known))]
    return None


def instance_key(key: Any) -> str:
    """How Terraform writes an instance key in an address: `[0]` or `["a"]`."""
    if isinstance(key, bool):
        return f'"{str(key).lower()}"'
    if isinstance(key, int | float):
        return str(int(key)) if float(key).is_integer() else str(key)
    return '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_known(value: Any) -> bool:
    """True when the value holds no unknown anywhere inside it."""
    if value is UNKNOWN or isinstance(value, PartialAddress):
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


def to_text(value: Any) -> str | None:
    """A primitive as Terraform converts it to a string; None for collections and unknowns."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, RefValue):
        return str(value)
    return None


def to_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in value else number
    return None


def to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return None
