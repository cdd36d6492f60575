"""The one error the store raises for anything a user can fix (a bad URL, an unreachable
server, a database written by a newer purser); the CLI prints it as one line."""

from __future__ import annotations


class StoreError(Exception):
    pass
