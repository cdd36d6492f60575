"""The one way purser reads a file that a repository names: confined, regular, bounded.

A repository under review may be written by an attacker, so every layer that opens a file
it names (the walk, module folders, `purser.yaml`, usage files, Rego policies, ignore
files) reads through here. A read is refused, never attempted, when the path resolves
outside the repository (symlinks followed first), when it is not a regular file (a FIFO
would block, `/dev/zero` never ends), or when it is larger than the bound.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePath

#: Largest file purser reads; infrastructure code is far smaller than this.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Most bytes read from one folder at once (a Terraform module, a function's code): a
#: folder of many files each under the file limit must not fill memory.
MAX_FOLDER_BYTES = 64 * 1024 * 1024

_MB = 1024 * 1024
_FIRST_READ = 64 * 1024


def check_folder_total(total: int, folder: str) -> None:
    """OSError (EFBIG) once the files read from `folder` pass MAX_FOLDER_BYTES."""
    if total > MAX_FOLDER_BYTES:
        raise OSError(errno.EFBIG, f"the folder's files pass the {MAX_FOLDER_BYTES // _MB} MB "
                                   f"limit for one folder ({folder}); not read")


class Refused(Exception):
    """A file purser will not read; `reason` says why in words fit for a report."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


def inside(root: Path | str, rel: str | PurePath) -> Path:
    """The real path of `rel` under `root`; `Refused` when it leaves the repository.

    `rel` must be relative: an absolute path written in a repository file is refused (the
    command line may name one; its caller then uses `read_path` directly)."""
    if PurePath(rel).is_absolute():
        raise Refused(f"absolute path {str(rel)!r} is not allowed here; paths are "
                      "relative to the repository")
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, rel))
    if not is_within(target, base):
        raise Refused(f"{rel} resolves outside the repository; not read")
    return Path(target)


def read(root: Path | str, rel: str | PurePath, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the repository file `rel`, confined to `root`."""
    return read_path(inside(root, rel), limit)


def read_text(root: Path | str, rel: str | PurePath, limit: int = MAX_FILE_BYTES) -> str:
    """`read` decoded as UTF-8; invalid bytes are refused with their line."""
    return decode(read(root, rel, limit))


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Refused(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); skipped",
                      line) from None


def read_path(path: Path | str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Opened without blocking, so a
    FIFO is refused instead of waiting for a writer; devices and sockets are refused too."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise Refused(f"cannot read: {reason(exc)}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"not a regular file ({_kind(info.st_mode)}); not read")
        if info.st_size > limit:
            raise Refused(too_big(info.st_size, limit))
        return _read_bounded(descriptor, info.st_size, limit)
    except OSError as exc:
        raise Refused(f"cannot read: {reason(exc)}") from None
    finally:
        os.close(descriptor)


def _read_bounded(descriptor: int, size: int, limit: int) -> bytes:
    """Read to the end, but never more than `limit` bytes even if the file grows."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(descriptor, max(size + 1 - total, _FIRST_READ))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise Refused(too_big(total, limit))
    return b"".join(chunks)


def too_big(size: int, limit: int) -> str:
    return (f"file is {size / _MB:.1f} MB, above the {limit / _MB:g} MB limit; skipped"
            if size >= _MB else f"file is {size} bytes, above the {limit} byte limit; skipped")


def is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"
