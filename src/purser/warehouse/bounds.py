"""What one input file may weigh, checked in the pass that takes its digest.

Before DuckDB opens a file, one pass over its bytes takes the SHA-256 that makes a re-ingest
idempotent and, in the same pass, refuses a file over the size bound (a gzip file inflated
too), one with more rows than the row bound, and a CSV holding a record so long that
DuckDB's reader would need hundreds of MB for it. Past half its read buffer DuckDB 2.0.1
also mishandles such a record: it drops a long line without a word, or splits a long quoted
value into bogus rows, so the bound is kept here, before it reads. A record longer than the
line bound but under that hard cap is left to DuckDB, which refuses it as a row.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from purser.config import IngestLimits
from purser.warehouse.errors import WarehouseError

CHUNK = 4 << 20
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
# A record over this many times the line bound refuses the file; DuckDB is given a read
# buffer of BUFFER_LINES lines, more than twice the cap.
HARD_CAP_LINES = 15
BUFFER_LINES = 32


class Refused(WarehouseError):
    """The whole file is refused (unreadable, over a bound, missing columns)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Kind(StrEnum):
    csv = "csv"
    gzip = "gzip"
    parquet = "parquet"


@dataclass(frozen=True)
class Screened:
    digest: str  # SHA-256 of the file's bytes as stored (compressed, for gzip)
    kind: Kind
    records: int  # CSV records that are not blank, the header included; 0 for Parquet


def line_bytes(limits: IngestLimits) -> int:
    return limits.max_line_kb << 10


def screen(path: Path, limits: IngestLimits) -> Screened:
    """The file's digest and kind, once it is known to be within `limits`."""
    size = path.stat().st_size
    if size > limits.max_file_mb << 20:
        raise Refused(f"the file is {size >> 20} MB, over the bound of {limits.max_file_mb} MB "
                      "(warehouse.ingest.max_file_mb in purser.yaml)")
    with path.open("rb") as stream:
        magic = stream.read(4)
    kind = Kind.parquet if magic == PARQUET_MAGIC else \
        Kind.gzip if magic[:2] == GZIP_MAGIC else Kind.csv
    if kind is Kind.csv:
        return _screen_csv(path, limits)
    digest = _digest(path)
    if kind is Kind.parquet:
        return Screened(digest, kind, 0)
    return Screened(digest, kind, _inflated_records(path, limits))


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _screen_csv(path: Path, limits: IngestLimits) -> Screened:
    """Digest and records in one read; the digest on a second thread (hashlib lets go of
    the interpreter lock on large buffers), so the two cost little more than the slower."""
    sha, records = hashlib.sha256(), Records(limits)
    with path.open("rb") as stream, ThreadPoolExecutor(1) as hasher:
        hashed: Future[None] | None = None
        while chunk := stream.read(CHUNK):
            if hashed is not None:
                hashed.result()
            hashed = hasher.submit(sha.update, chunk)
            records.feed(chunk)
        if hashed is not None:
            hashed.result()
    return Screened(sha.hexdigest(), Kind.csv, records.finish())


def _inflated_records(path: Path, limits: IngestLimits) -> int:
    """The records of a gzip file, inflated a chunk at a time and never past the size bound
    (a few MB can inflate to terabytes)."""
    records, inflated, bound = Records(limits), 0, limits.max_file_mb << 20
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                inflated += len(chunk)
                if inflated > bound:
                    raise Refused(f"the file inflates to more than {limits.max_file_mb} MB "
                                  "(warehouse.ingest.max_file_mb in purser.yaml)")
                records.feed(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise Refused(f"not a readable gzip file: {exc}") from exc
    return records.finish()


class Records:
    """Counts CSV records a chunk at a time and bounds their length and number, with numpy
    over each chunk rather than Python over each line. Quote-aware: a newline after an odd
    number of quotes (an escaped quote is doubled) is inside a value and ends no record."""

    def __init__(self, limits: IngestLimits) -> None:
        self.cap = HARD_CAP_LINES * line_bytes(limits)
        self.max_rows = limits.max_rows
        self.offset = 0  # bytes fed before this chunk
        self.end = -1  # offset of the newline that ended the last record
        self.start_line = 1  # line the record after it begins on
        self.quoted = False  # inside a quoted value at the end of the bytes fed
        self.lines = 0  # newlines fed
        self.last = 0  # the last byte fed
        self.count = 0

    def feed(self, chunk: bytes) -> None:
        import numpy

        data = numpy.frombuffer(chunk, dtype=numpy.uint8)
        quotes = numpy.flatnonzero(data == ord('"'))
        newlines = numpy.flatnonzero(data == ord("\n"))
        inside = (numpy.searchsorted(quotes, newlines) + self.quoted) & 1
        ends = newlines[inside == 0]
        if len(ends):
            starts = numpy.concatenate(([self.end - self.offset], ends[:-1]))
            lengths = ends - starts
            longest = int(lengths.argmax())
            if lengths[longest] > self.cap:
                begun = int(starts[longest])
                self._refuse(self.start_line if begun < 0 else self.lines + 1 +
                             int(numpy.searchsorted(newlines, begun, side="right")))
            before = numpy.where(ends > 0, data[numpy.maximum(ends - 1, 0)], self.last)
            blank = (lengths == 1) | ((lengths == 2) & (before == ord("\r")))
            self._counted(len(ends) - int(blank.sum()))
            self.end = self.offset + int(ends[-1])
            self.start_line = self.lines + 2 + int(numpy.searchsorted(newlines, ends[-1]))
        self.quoted = bool((len(quotes) + self.quoted) & 1)
        self.lines += len(newlines)
        self.offset += len(chunk)
        self.last = chunk[-1]
        if self.offset - 1 - self.end > self.cap:
            self._refuse(self.start_line)

    def finish(self) -> int:
        """The number of records, once the whole file has been fed."""
        if self.offset - 1 > self.end:  # a last record without a newline
            self._counted(1)
        return self.count

    def _counted(self, records: int) -> None:
        self.count += records
        if self.count - 1 > self.max_rows:
            raise Refused(f"more than {self.max_rows:,} rows (warehouse.ingest.max_rows in "
                          "purser.yaml)")

    def _refuse(self, line: int) -> None:
        raise Refused(f"the record beginning on line {line} is longer than {self.cap:,} bytes, "
                      f"the bound for one line ({self.cap // HARD_CAP_LINES:,} bytes, "
                      f"warehouse.ingest.max_line_kb in purser.yaml) {HARD_CAP_LINES} times over; "
                      "nothing stored", line)
