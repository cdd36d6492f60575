"""The rows of one input file as a query over it, their bad rows apart.

CSV (plain or gzip) is read by DuckDB's own reader with every stored column's type given
up front (no sniffing), a bounded line length and `store_rejects`: a value that does not
convert makes its row a row error with its line, and every other row is kept. The query is
not run here: the caller streams it straight into Parquet, so that the file is read once,
and asks for the bad rows afterwards. Parquet is checked with TRY_CAST expressions in the
query's own WHERE clause. Nothing here evaluates the input: it is data for a reader that
the session limits to the one file.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from purser.config import IngestLimits
from purser.warehouse.bounds import BUFFER_LINES, Kind, Refused, Screened, line_bytes
from purser.warehouse.dataset import Dataset
from purser.warehouse.report import RowError

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

REPORTED = 100  # row errors listed per file; the count covers them all
RECORDED = 10_000  # rejected rows DuckDB keeps per file (each with up to 10,000 bytes of line)
NULLS = ["", "NULL"]  # the FOCUS sample writes NULL bare
REJECTS = "purser_rejects"

HeaderCheck = Callable[[list[str]], None]


@dataclass
class Rejected:
    rows: int  # rows refused
    errors: list[RowError]  # the first REPORTED of them


class Rows(Protocol):
    """A query over one file's good rows (the dataset's stored columns), and, once it has
    run, its bad rows."""

    query: str

    def rejected(self, con: DuckDBPyConnection, stored: int) -> Rejected: ...


def rows_of(con: DuckDBPyConnection, path: Path, dataset: Dataset, label: str,
            screened: Screened, limits: IngestLimits,
            check_header: HeaderCheck | None = None) -> Rows:
    """The rows of `path` as `dataset`; `Refused` when the file as a whole is unusable."""
    if screened.kind is Kind.parquet:
        return ParquetRows(con, path, dataset, label, limits, check_header)
    return CsvRows(path, dataset, label, screened, limits, check_header)


class CsvRows:
    def __init__(self, path: Path, dataset: Dataset, label: str, screened: Screened,
                 limits: IngestLimits, check_header: HeaderCheck | None) -> None:
        self.path, self.dataset, self.label = path, dataset, label
        self.gzipped = screened.kind is Kind.gzip
        self.records = screened.records
        self.max_line = line_bytes(limits)
        header = csv_header(path, gzipped=self.gzipped, max_line=self.max_line)
        self.sources = _checked_sources(dataset, header, check_header)
        read_as = {name: "VARCHAR" for name in header}
        for column, source in self.sources.items():
            read_as[source] = dataset.columns[column]
        forced = [self.sources[c] for c in sorted(dataset.not_null) if c in self.sources]
        # Every column is read: when DuckDB prunes unread columns, it applies force_not_null
        # to the wrong ones (seen on 2.0.1), so the columns not stored are named in a
        # condition that always holds (a hash is never NULL) and nothing is pruned.
        used = set(self.sources.values())
        rest = [_ident(name) for name in header if name not in used]
        kept = f" WHERE hash({', '.join(rest)}) IS NOT NULL" if rest else ""
        not_null = f"force_not_null = {_list(forced)}, " if forced else ""
        self.query = (
            f"SELECT {_select(dataset, self.sources)} FROM read_csv({literal(str(path))}, "
            f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {_struct(read_as)}, nullstr = {_list(NULLS)}, "
            f"{not_null}store_rejects = true, rejects_table = '{REJECTS}', "
            f"rejects_scan = '{REJECTS}_scans', rejects_limit = {RECORDED}, "
            f"max_line_size = {self.max_line}, buffer_size = {BUFFER_LINES * self.max_line}, "
            f"compression = '{'gzip' if self.gzipped else 'none'}'){kept}")

    def rejected(self, con: DuckDBPyConnection, stored: int) -> Rejected:
        entries = number(con, f"SELECT count(*) FROM {REJECTS}")
        lines = number(con, f"SELECT count(DISTINCT line) FROM {REJECTS}")
        rejects = con.execute(
            f"SELECT line, line_byte_position, column_name, CAST(error_type AS VARCHAR), "
            f"error_message FROM {REJECTS} ORDER BY line, column_idx LIMIT {REPORTED}").fetchall()
        found = physical_lines(self.path, self.gzipped, sorted({r[1] for r in rejects}))
        inverse = {source: column for column, source in self.sources.items()}
        errors = [RowError(file=self.label, line=found.get(position, line), column=column,
                           message=_message(self.dataset, inverse.get(column or "", ""), kind,
                                            text, self.max_line))
                  for line, position, column, kind, text in rejects]
        if entries >= RECORDED:  # DuckDB stopped recording: count what was not stored
            lines = max(lines, self.records - 1 - stored)
        return Rejected(rows=lines, errors=errors)


class ParquetRows:
    def __init__(self, con: DuckDBPyConnection, path: Path, dataset: Dataset, label: str,
                 limits: IngestLimits, check_header: HeaderCheck | None) -> None:
        self.dataset, self.label = dataset, label
        self.source = (f"read_parquet({literal(str(path))}, file_row_number = true, "
                       "hive_partitioning = false)")
        header = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {self.source}")
                  .fetchall() if row[0] != "file_row_number"]
        self.sources = _checked_sources(dataset, header, check_header)
        counted = number(con, f"SELECT count(*) FROM {self.source}")  # from the metadata
        if counted > limits.max_rows:
            raise Refused(f"{counted:,} rows, more than {limits.max_rows:,} "
                          "(warehouse.ingest.max_rows in purser.yaml)")
        self.max_line = line_bytes(limits)
        self.checks = self._checks()
        # NULL is no verdict: a condition on a missing value counts as passed.
        self.bad = " OR ".join(f"coalesce({condition}, false)"
                               for _, _, condition in self.checks) or "false"
        self.query = (f"SELECT {_select(dataset, self.sources, cast=True)} FROM {self.source} "
                      f"WHERE NOT ({self.bad})")

    def _checks(self) -> list[tuple[str, str, str]]:
        """(column, why, condition) for each check a row must pass."""
        checks = []
        for column, source in self.sources.items():
            kind, name = self.dataset.columns[column], _ident(source)
            if column in self.dataset.not_null:
                checks.append((column, "required", f"{name} IS NULL"))
            if kind != "VARCHAR":
                checks.append((column, "type", f"{name} IS NOT NULL AND "
                                               f"TRY_CAST({name} AS {kind}) IS NULL"))
            if kind in ("VARCHAR", "JSON"):
                checks.append((column, "long", f"strlen(TRY_CAST({name} AS VARCHAR)) > "
                                               f"{self.max_line}"))
        return checks

    def rejected(self, con: DuckDBPyConnection, stored: int) -> Rejected:
        counted = number(con, f"SELECT count(*) FROM {self.source} WHERE {self.bad}")
        listed = " UNION ALL ".join(
            f"SELECT file_row_number, {literal(column)} AS col, {literal(why)} AS why "
            f"FROM {self.source} WHERE {condition}" for column, why, condition in self.checks)
        bad = con.execute(f"SELECT * FROM ({listed}) ORDER BY 1, 2 LIMIT {REPORTED}").fetchall() \
            if self.checks else []
        messages = {"required": "a value is required",
                    "long": f"a value longer than {self.max_line} bytes"}
        errors = [RowError(file=self.label, line=row + 1, column=self.sources[column],
                           message=messages.get(why, f"not {self.dataset.expected(column)}"))
                  for row, column, why in bad]
        return Rejected(rows=counted, errors=errors)


def csv_header(path: Path, *, gzipped: bool, max_line: int) -> list[str]:
    """The column names of the first line, read with a bounded length."""
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline(max_line + 1)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise Refused(f"cannot read the header line: {exc}") from exc
    if len(first) > max_line:
        raise Refused(f"the header line is longer than {max_line} characters")
    names = next(csv.reader([first]), [])
    if not names or names == [""]:
        raise Refused("empty file: no header line")
    return names


def _checked_sources(dataset: Dataset, header: list[str],
                     check_header: HeaderCheck | None) -> dict[str, str]:
    if check_header is not None:
        check_header(header)
    if any(not name or re.search(r"[\x00-\x1f]", name) for name in header):
        raise Refused("a column name in the header is empty or holds control characters")
    seen = [name for name in header if header.count(name) > 1]
    if seen:
        raise Refused(f"column {seen[0]!r} appears more than once in the header")
    missing = dataset.missing(header)
    if missing:
        raise Refused(dataset.describe_missing(missing))
    return dataset.source_columns(header)


def physical_lines(path: Path, gzipped: bool, positions: list[int]) -> dict[int, int]:
    """Line number (1-based, counting newlines inside quoted values) at each byte position
    of the decoded stream: one pass up to the last position, only when rows were refused."""
    found: dict[int, int] = {}
    if not positions:
        return found
    opener = gzip.open if gzipped else open
    newlines, offset, pending = 0, 0, list(positions)
    with opener(path, "rb") as stream:
        while pending and (chunk := stream.read(1 << 20)):
            while pending and pending[0] < offset + len(chunk):
                found[pending[0]] = newlines + chunk.count(b"\n", 0, pending[0] - offset) + 1
                pending.pop(0)
            newlines += chunk.count(b"\n")
            offset += len(chunk)
    return found


def _message(dataset: Dataset, column: str, kind: str, text: str, max_line: int) -> str:
    if kind == "CAST":
        value = re.search(r'Could not convert string "(.*)" to', text, re.DOTALL)
        shown = value.group(1) if value else ""
        if shown in NULLS:
            return "a value is required"
        return f"{shown[:60]!r} is not {dataset.expected(column)}"
    problems = {"MISSING COLUMNS": "fewer values than header columns",
                "TOO MANY COLUMNS": "more values than header columns",
                "UNQUOTED VALUE": "a quote inside an unquoted value",
                "INVALID UNICODE": "not valid UTF-8",
                "LINE SIZE OVER MAXIMUM": f"a line longer than {max_line} bytes"}
    return problems.get(kind, kind.lower())


def _select(dataset: Dataset, sources: dict[str, str], *, cast: bool = False) -> str:
    parts = []
    for column in dataset.columns:
        stored = dataset.stored_type(column)
        if column not in sources:
            parts.append(f"CAST(NULL AS {stored}) AS {_ident(column)}")
        elif cast:
            read = dataset.columns[column]
            value = f"CAST({_ident(sources[column])} AS {read})"
            parts.append(f"CAST({value} AS {stored}) AS {_ident(column)}")
        elif stored != dataset.columns[column]:
            parts.append(f"CAST({_ident(sources[column])} AS {stored}) AS {_ident(column)}")
        else:
            parts.append(f"{_ident(sources[column])} AS {_ident(column)}")
    return ", ".join(parts)


def number(con: DuckDBPyConnection, sql: str) -> int:
    """The one number `sql` answers (every row fetched: DuckDB 2 keeps a result open until
    it has been read to the end)."""
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal (names from a file header are attacker-written)."""
    return "'" + text.replace("'", "''") + "'"


def _struct(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in mapping.items()) + "}"


def _list(items: list[str]) -> str:
    return "[" + ", ".join(literal(item) for item in items) + "]"
