"""Reading one input file into a staged table of a dataset's columns, row errors apart.

CSV (plain or gzip) is read by DuckDB's own reader with every stored column's type given
up front (no sniffing), a bounded line length and `store_rejects`: a value that does not
convert is a row error with its line, and every other row is kept. Parquet is read whole
and each typed column checked with TRY_CAST. Nothing here evaluates the input: it is data
for a reader that the session limits to the one file.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from purser.warehouse.dataset import Dataset
from purser.warehouse.errors import WarehouseError
from purser.warehouse.report import RowError

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MAX_LINE = 1 << 20  # a longer CSV line is hostile or not CSV: the file is refused
REPORTED = 100  # row errors listed per file; the count covers them all
NULLS = ["", "NULL"]  # the FOCUS sample writes NULL bare
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"


class Refused(WarehouseError):
    """The whole file is refused (unreadable, missing columns, a line over the bound)."""


@dataclass
class Staged:
    rows: int
    rejected: int
    errors: list[RowError]


def stage(con: DuckDBPyConnection, path: Path, dataset: Dataset, table: str,
          label: str) -> Staged:
    """Read `path` into the temporary table `table` holding `dataset`'s stored columns."""
    with path.open("rb") as stream:
        magic = stream.read(4)
    if magic == PARQUET_MAGIC:
        return _stage_parquet(con, path, dataset, table, label)
    return _stage_csv(con, path, dataset, table, label, gzipped=magic[:2] == GZIP_MAGIC)


def _stage_csv(con: DuckDBPyConnection, path: Path, dataset: Dataset, table: str, label: str,
               *, gzipped: bool) -> Staged:
    header = csv_header(path, gzipped=gzipped)
    sources = _checked_sources(dataset, header)
    read_as = {name: "VARCHAR" for name in header}
    for column, source in sources.items():
        read_as[source] = dataset.columns[column]
    forced = [sources[c] for c in sorted(dataset.not_null) if c in sources]
    # Every column is selected: when DuckDB prunes unread columns, it applies
    # force_not_null to the wrong ones (seen on 2.0.1), so nothing may be pruned.
    used = set(sources.values())
    rest = "".join(f", {_ident(name)} AS {_ident(f'unused {i}')}"
                   for i, name in enumerate(header) if name not in used)
    not_null = f"force_not_null = {_list(forced)}, " if forced else ""
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT {_select(dataset, sources)}{rest} FROM read_csv(?, "
        f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {_struct(read_as)}, nullstr = {_list(NULLS)}, "
        f"{not_null}store_rejects = true, "
        f"rejects_table = '{table}_rejects', rejects_scan = '{table}_scans', "
        f"max_line_size = {MAX_LINE}, compression = '{'gzip' if gzipped else 'none'}')",
        [str(path)])
    rows = _count(con, table)
    rejects = con.execute(
        f"SELECT line, line_byte_position, column_name, CAST(error_type AS VARCHAR), "
        f"error_message FROM {table}_rejects ORDER BY line, column_idx").fetchall()
    rejected = len({line for line, *_ in rejects})
    lines = physical_lines(path, gzipped, sorted({r[1] for r in rejects[:REPORTED]}))
    inverse = {source: column for column, source in sources.items()}
    errors = [RowError(file=label, line=lines.get(position, line), column=column,
                       message=_message(dataset, inverse.get(column or "", ""), kind, text))
              for line, position, column, kind, text in rejects[:REPORTED]]
    return Staged(rows=rows, rejected=rejected, errors=errors)


def _stage_parquet(con: DuckDBPyConnection, path: Path, dataset: Dataset, table: str,
                   label: str) -> Staged:
    con.execute(f"CREATE TEMP TABLE {table}_raw AS SELECT * FROM read_parquet(?, "
                "file_row_number = true)", [str(path)])
    header = [row[0] for row in con.execute(f"DESCRIBE {table}_raw").fetchall()
              if row[0] != "file_row_number"]
    sources = _checked_sources(dataset, header)
    checks = []
    for column, source in sources.items():
        kind, name = dataset.columns[column], _ident(source)
        if column in dataset.not_null:
            checks.append(f"SELECT file_row_number, '{column}' AS col, 'required' AS why "
                          f"FROM {table}_raw WHERE {name} IS NULL")
        if kind != "VARCHAR":
            checks.append(f"SELECT file_row_number, '{column}', 'type' FROM {table}_raw "
                          f"WHERE {name} IS NOT NULL AND TRY_CAST({name} AS {kind}) IS NULL")
    bad = con.execute(" UNION ALL ".join(checks) + " ORDER BY 1, 2").fetchall() if checks else []
    rejected_rows = sorted({row for row, _, _ in bad})
    con.execute(f"CREATE TEMP TABLE {table}_bad (n BIGINT)")
    if rejected_rows:
        con.executemany(f"INSERT INTO {table}_bad VALUES (?)", [[n] for n in rejected_rows])
    con.execute(f"CREATE TEMP TABLE {table} AS SELECT {_select(dataset, sources, cast=True)} "
                f"FROM {table}_raw WHERE file_row_number NOT IN (SELECT n FROM {table}_bad)")
    errors = [RowError(file=label, line=row + 1, column=sources[column],
                       message="a value is required" if why == "required"
                       else f"not {dataset.expected(column)}")
              for row, column, why in bad[:REPORTED]]
    return Staged(rows=_count(con, table), rejected=len(rejected_rows), errors=errors)


def csv_header(path: Path, *, gzipped: bool) -> list[str]:
    """The column names of the first line, read with a bounded length."""
    opener = gzip.open if gzipped else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline(MAX_LINE + 1)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise Refused(f"cannot read the header line: {exc}") from exc
    if len(first) > MAX_LINE:
        raise Refused(f"the header line is longer than {MAX_LINE} characters")
    names = next(csv.reader([first]), [])
    if not names or names == [""]:
        raise Refused("empty file: no header line")
    return names


def _checked_sources(dataset: Dataset, header: list[str]) -> dict[str, str]:
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


def _message(dataset: Dataset, column: str, kind: str, text: str) -> str:
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
                "LINE SIZE OVER MAXIMUM": f"a line longer than {MAX_LINE} bytes"}
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


def _count(con: DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal (names from a file header are attacker-written)."""
    return "'" + text.replace("'", "''") + "'"


def _struct(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in mapping.items()) + "}"


def _list(items: list[str]) -> str:
    return "[" + ", ".join(literal(item) for item in items) + "]"
