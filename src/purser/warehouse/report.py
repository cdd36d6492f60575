"""What an ingest did, file by file: typed results the CLI and the API render alike."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class Outcome(StrEnum):
    ingested = "ingested"  # stored (possibly with some rows refused: see `errors`)
    unchanged = "unchanged"  # this content was ingested before: nothing written
    refused = "refused"  # unreadable, or a required column missing: nothing stored


class RowError(BaseModel):
    """A refused row: the CSV line (or the Parquet row number) and the column at fault."""

    file: str
    line: int | None = None
    column: str | None = None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        column = f" {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


class FileResult(BaseModel):
    file: str
    dataset: str
    outcome: Outcome
    digest: str | None = None  # SHA-256 of the file's bytes
    rows: int = 0  # rows stored
    rejected: int = 0  # rows refused (each listed in `errors`, up to a bound)
    months: list[str] = []
    errors: list[RowError] = []  # the file's own error when refused, else its bad rows


class IngestReport(BaseModel):
    files: list[FileResult]

    @property
    def refused(self) -> bool:
        return any(result.outcome is Outcome.refused for result in self.files)

    @property
    def rejected_rows(self) -> int:
        return sum(result.rejected for result in self.files)
