"""Name → implementation maps that the engines look things up in.

Rules, source formats, priced resource types and appliers register themselves by name.
Built-ins register exactly as outside plugins do: every module of the registry's package
is imported (so a new built-in is one file dropped in that folder), then every module of
its entry-point group (e.g. `purser.rules`), so outside packages add their own without
touching the core.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, entry_point_group: str | None = None, *,
                 package: str | None = None) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self.package = package  # built-in modules live here, e.g. "purser.cost.pricers"
        self._items: dict[str, T] = {}
        self._discovered = False

    def register(self, name: str) -> Callable[[T], T]:
        def add(item: T) -> T:
            if name in self._items:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = item
            return item

        return add

    def get(self, name: str) -> T:
        self.discover()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items))
            raise KeyError(f"unknown {self.kind} {name!r} (known: {known})") from None

    def __contains__(self, name: str) -> bool:
        self.discover()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        self.discover()
        return iter(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        self.discover()
        return sorted(self._items.items())

    def discover(self) -> None:
        """Import the built-in modules and the outside packages, once; importing a module
        registers its items."""
        if self._discovered:
            return
        self._discovered = True
        if self.package:
            import_modules(self.package)
        if self.entry_point_group:
            for entry in entry_points(group=self.entry_point_group):
                entry.load()


def import_modules(package: str) -> list[str]:
    """Import every module and subpackage found in the folders of `package`, in name order
    (so registration order, and any error it raises, is the same on every machine)."""
    folders = importlib.import_module(package).__path__
    names = sorted(found.name for found in pkgutil.iter_modules(folders))
    for name in names:
        importlib.import_module(f"{package}.{name}")
    return names
