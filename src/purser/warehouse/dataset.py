"""What a dataset in the warehouse is: its columns and types, the older names each column
is accepted under, which columns a file must carry, and which values may not be empty."""

from __future__ import annotations

from dataclasses import dataclass, field

# What a value of each stored type must look like, for row errors.
EXPECTED = {"DOUBLE": "a number", "TIMESTAMP": "a date-time", "JSON": "JSON text"}


@dataclass(frozen=True)
class Dataset:
    """A table of the warehouse, stored as Parquet under `<warehouse>/<name>/month=YYYY-MM/`."""

    name: str
    columns: dict[str, str]  # stored name -> DuckDB type the input is read as
    required: frozenset[str]  # a file without one of these is refused as a whole
    not_null: frozenset[str] = frozenset()  # typed columns whose empty value is a row error
    aliases: dict[str, str] = field(default_factory=dict)  # accepted older name -> stored name
    month_of: str = ""  # the timestamp column whose month partitions the rows
    stored_as: dict[str, str] = field(default_factory=dict)  # stored type when not the read type

    def stored_type(self, column: str) -> str:
        return self.stored_as.get(column, self.columns[column])

    def source_columns(self, header: list[str]) -> dict[str, str]:
        """Stored name -> the header column it is read from (a current name wins over an
        older one when a file carries both)."""
        chosen: dict[str, str] = {}
        for name in header:
            if name in self.columns:
                chosen[name] = name
        for name in header:
            target = self.aliases.get(name)
            if target is not None and target not in chosen:
                chosen[target] = name
        return chosen

    def missing(self, header: list[str]) -> list[str]:
        present = self.source_columns(header)
        return sorted(column for column in self.required if column not in present)

    def describe_missing(self, missing: list[str]) -> str:
        older = {target: alias for alias, target in self.aliases.items()}
        names = [f"{name} (or {older[name]})" if name in older else name for name in missing]
        return "missing required column" + ("s" if len(names) > 1 else "") + ": " + \
            ", ".join(names)

    def expected(self, column: str) -> str:
        kind = self.columns.get(column, "VARCHAR")
        if kind.startswith("ENUM"):
            return "one of " + kind[5:-1].replace("'", "")
        return EXPECTED.get(kind, "text")
