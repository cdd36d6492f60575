"""The one error a warehouse operation raises for a user mistake or unusable input."""

from __future__ import annotations


class WarehouseError(Exception):
    """A warehouse that cannot be opened or a request that cannot be answered: one line."""
