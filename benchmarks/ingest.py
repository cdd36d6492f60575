"""Benchmark FOCUS CSV ingest: rows per second beside pandas and DuckDB's bare reader.

The input is the FOCUS 1.0 sample (`../shared/bench/focus/focus_1_0_sample.csv`, real
anonymised billing) repeated to 1,000,000 rows (10,000,000 with --large), each copy's costs
scaled a little and its charge hours shifted so that no two copies are equal. In one run,
on the same file:
  - pandas `read_csv` (the peer to beat by 3x);
  - DuckDB's bare `read_csv` into a table, types sniffed, nothing checked (the floor; the
    five columns that mix numbers and text are named VARCHAR, or the sniffer fails at 10 M);
  - purser's screen alone: the one pass that takes the digest and bounds size, rows and
    record length before DuckDB reads anything;
  - purser's validation alone: the typed read with every row checked and errors kept,
    materialised in a table as the bare read is;
  - purser's whole ingest: screen, then one read from CSV straight to Parquet partitioned
    by month, with validation and join columns in the same scan (targets: at least 3x
    pandas, within 1.2x of the bare read).
Each reader runs in a process of its own, so its peak memory is printed beside its time;
pandas under an address-space cap (--pandas-gb, 12 by default: at 10 M rows it would take
most of a small machine's memory), reported as over the cap when it needs more.
The machine may be shared: compare the figures of one run with each other.

    python benchmarks/ingest.py [--rows N | --large] [--keep DIR] [--pandas-gb N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from queue import Empty

import duckdb

from purser.config import IngestLimits
from purser.warehouse import Warehouse, ingest_focus
from purser.warehouse.bounds import screen
from purser.warehouse.focus import FOCUS
from purser.warehouse.reader import rows_of

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "bench" / "focus" / \
    "focus_1_0_sample.csv"


def generate(rows: int, target: Path) -> None:
    """The sample repeated to `rows` rows, each copy perturbed."""
    copies = -(-rows // 1000)
    duckdb.execute(
        f"COPY (SELECT * REPLACE (BilledCost * (1 + (c % 97) / 1000.0) AS BilledCost, "
        f"EffectiveCost * (1 + (c % 89) / 1000.0) AS EffectiveCost, "
        f"ChargePeriodStart + INTERVAL (c % 24) HOUR AS ChargePeriodStart) "
        f"FROM read_csv('{SAMPLE}', nullstr = 'NULL'), range({copies}) AS r(c) "
        f"LIMIT {rows}) TO '{target}' (HEADER, DELIMITER ',')")


Figure = tuple[float, float] | None  # seconds and peak resident MiB, None when over the cap


def timed(work: Callable[[], object], cap_gb: float | None = None) -> Figure:
    """Run `work` in a fresh process (spawned: nothing inherited from this one)."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_measure, args=(work, cap_gb, answers))
    child.start()
    child.join()
    try:
        return answers.get(timeout=1)
    except Empty:
        return None


def _measure(work: Callable[[], object], cap_gb: float | None,
             answers: multiprocessing.Queue) -> None:
    if cap_gb is not None:
        cap = int(cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    start = time.perf_counter()
    try:
        work()
    except MemoryError:
        answers.put(None)
        return
    seconds = time.perf_counter() - start
    answers.put((seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def pandas_read(path: Path) -> None:
    import pandas

    pandas.read_csv(path)


# Columns of the sample holding both numbers and text: the sniffer, sampling 20,480 rows,
# can take them for numbers and then fail on a later row (it does at 10 M rows).
MIXED = ("AvailabilityZone", "BillingAccountId", "SkuId", "SkuPriceId", "SubAccountId")


def duckdb_bare(path: Path) -> None:
    types = ", ".join(f"'{name}': 'VARCHAR'" for name in MIXED)
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', types = {{{types}}})")


def purser_screen(path: Path) -> None:
    screen(path, IngestLimits())


def purser_validate(path: Path, folder: Path) -> None:
    limits = IngestLimits()
    screened = screen(path, limits)
    with Warehouse(folder).session(path) as con:
        rows = rows_of(con, path, FOCUS, str(path), screened, limits)
        con.execute(f"CREATE TEMP TABLE staged AS {rows.query}")
        assert rows.rejected(con, 0).rows == 0


def purser_ingest(path: Path, folder: Path) -> None:
    [result] = ingest_focus(Warehouse(folder), [path]).files
    assert result.rejected == 0 and result.rows > 0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--large", action="store_true", help="10,000,000 rows")
    parser.add_argument("--keep", type=Path, help="folder for the generated file")
    parser.add_argument("--pandas-gb", type=float, default=12.0,
                        help="address-space cap for pandas, GiB")
    args = parser.parse_args()
    rows = 10_000_000 if args.large else args.rows
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        path = folder / f"focus-{rows}.csv"
        if not path.exists():
            print(f"generating {rows:,} rows ...", flush=True)
            generate(rows, path)
        size = path.stat().st_size / 2**20
        print(f"{path.name}: {rows:,} rows, {size:,.0f} MiB", flush=True)
        figures = {
            "pandas read_csv": timed(partial(pandas_read, path), args.pandas_gb),
            "DuckDB bare read_csv": timed(partial(duckdb_bare, path)),
            "purser screen (digest and bounds)": timed(partial(purser_screen, path)),
            "purser validation (screen, typed read)":
                timed(partial(purser_validate, path, Path(scratch) / "v")),
            "purser ingest (screen, one pass to Parquet)":
                timed(partial(purser_ingest, path, Path(scratch) / "w")),
        }
        _print(figures, rows, args.pandas_gb)


def _print(figures: dict[str, Figure], rows: int, pandas_gb: float) -> None:
    bare = figures["DuckDB bare read_csv"]
    pandas_figure = figures["pandas read_csv"]
    ingest = figures["purser ingest (screen, one pass to Parquet)"]
    if bare is None or ingest is None:
        print("a reader failed (its error is above): no comparison")
        return
    print(f"{'reader':46} {'seconds':>8} {'rows/s':>12} {'peak MiB':>9} {'vs bare':>8} "
          f"{'vs pandas':>10}")
    for name, figure in figures.items():
        if figure is None:
            print(f"{name:46} {'over the ' + str(pandas_gb) + ' GiB cap':>31}")
            continue
        seconds, peak = figure
        versus = f"{pandas_figure[0] / seconds:9.2f}x" if pandas_figure else f"{'n/a':>10}"
        print(f"{name:46} {seconds:8.2f} {rows / seconds:12,.0f} {peak:9,.0f} "
              f"{seconds / bare[0]:7.2f}x {versus}")
    against_pandas = f"{pandas_figure[0] / ingest[0]:.2f}x pandas" if pandas_figure else \
        "pandas over its cap"
    print(f"targets: ingest {against_pandas} (at least 3x), {ingest[0] / bare[0]:.2f}x the bare "
          "read's time (at most 1.2x)")


if __name__ == "__main__":
    main()
