"""The garbage collector, paused for the length of one command.

A check builds hundreds of thousands of acyclic objects (ASTs, manifests, findings):
collector passes over them cost a third of a large check and free nothing. Pausing it is
the process's decision, so only the command-line entry points make it; the library never
does (an API server checks in several threads of one process).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
