"""Name → implementation maps that the engines look things up in.

Rules, source formats, priced resource types and appliers register themselves by name;
outside packages add their own under an entry-point group (e.g. `purser.rules`) without
touching the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, entry_point_group: str | None = None) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self._items: dict[str, T] = {}
        self._plugins_loaded = False

    def register(self, name: str) -> Callable[[T], T]:
        def add(item: T) -> T:
            if name in self._items:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._items[name] = item
            return item

        return add

    def get(self, name: str) -> T:
        self._load_plugins()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items))
            raise KeyError(f"unknown {self.kind} {name!r} (known: {known})") from None

    def __contains__(self, name: str) -> bool:
        self._load_plugins()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        self._load_plugins()
        return iter(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        self._load_plugins()
        return sorted(self._items.items())

    def _load_plugins(self) -> None:
        """Import outside packages once; importing them registers their items."""
        if self._plugins_loaded or not self.entry_point_group:
            return
        self._plugins_loaded = True
        for entry in entry_points(group=self.entry_point_group):
            entry.load()
