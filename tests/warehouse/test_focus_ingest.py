"""FOCUS ingest: real files, versions 1.0 to 1.3, bad rows and bad files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from purser.warehouse import Outcome, Warehouse, ingest_focus
from tests.warehouse.conftest import write_focus


def _totals(warehouse: Warehouse) -> tuple[float, float, float, int]:
    row = warehouse.frame("SELECT ROUND(SUM(BilledCost), 2) b, ROUND(SUM(EffectiveCost), 2) e, "
                          "ROUND(SUM(ListCost), 2) l, COUNT(*) n FROM billing").iloc[0]
    return float(row.b), float(row.e), float(row.l), int(row.n)


def test_sample_totals_match_its_readme(warehouse: Warehouse, sample: Path) -> None:
    report = ingest_focus(warehouse, [sample])
    [result] = report.files
    assert (result.outcome, result.rows, result.rejected) == (Outcome.ingested, 1000, 0)
    assert _totals(warehouse) == (20.52, 14.98, 20.39, 1000)


def test_sample_is_partitioned_by_billing_month(warehouse: Warehouse, sample: Path) -> None:
    [result] = ingest_focus(warehouse, [sample]).files
    months = {p.parent.name for p in (warehouse.folder / "billing").glob("*/*.parquet")}
    assert months == {f"month={m}" for m in result.months}
    frame = warehouse.frame("SELECT month, MIN(BillingPeriodStart) AS s FROM billing GROUP BY 1")
    assert all(row.month == row.s.strftime("%Y-%m") for row in frame.itertuples())


def test_reingesting_the_same_file_changes_nothing(warehouse: Warehouse, sample: Path,
                                                     tmp_path: Path) -> None:
    ingest_focus(warehouse, [sample])
    files = sorted((warehouse.folder / "billing").rglob("*.parquet"))
    copy = shutil.copy(sample, tmp_path / "renamed.csv")
    again = ingest_focus(warehouse, [sample, Path(copy)])
    assert [r.outcome for r in again.files] == [Outcome.unchanged, Outcome.unchanged]
    assert sorted((warehouse.folder / "billing").rglob("*.parquet")) == files
    assert _totals(warehouse)[3] == 1000


def test_gzip_and_parquet_inputs_give_the_same_rows(warehouse: Warehouse, sample: Path,
                                                    tmp_path: Path, repo: Path) -> None:
    packed = tmp_path / "sample.csv.gz"
    packed.write_bytes(gzip.compress(sample.read_bytes()))
    [result] = ingest_focus(warehouse, [packed]).files
    assert (result.rows, result.rejected) == (1000, 0)
    parquet = tmp_path / "sample.parquet"
    with warehouse.session(sample) as con:
        con.execute(f"COPY (SELECT * FROM read_csv('{sample}', nullstr='NULL')) TO "
                    f"'{warehouse.folder}/x.parquet' (FORMAT parquet)")
    (warehouse.folder / "x.parquet").replace(parquet)
    other = Warehouse.of_repository(repo, tmp_path / "second")
    [from_parquet] = ingest_focus(other, [parquet]).files
    assert (from_parquet.rows, from_parquet.rejected) == (1000, 0)
    assert _totals(other) == _totals(warehouse) == (20.52, 14.98, 20.39, 1000)


def test_focus_1_2_and_1_3_toolkit_files(warehouse: Warehouse,
                                          toolkit_files: dict[str, Path]) -> None:
    report = ingest_focus(warehouse, [toolkit_files["1.2"], toolkit_files["1.3"]])
    assert [r.outcome for r in report.files] == [Outcome.ingested, Outcome.ingested]
    assert all(r.rejected == 0 and r.rows == 200 for r in report.files)
    providers = warehouse.frame("SELECT COUNT(*) n FROM billing WHERE ServiceProviderName = 'AWS'")
    assert int(providers.n[0]) == 400  # 1.2's ProviderName and 1.3's ServiceProviderName
    host = warehouse.frame("SELECT COUNT(HostProviderName) n FROM billing")
    assert int(host.n[0]) == 200  # only the 1.3 file has it


def test_missing_required_columns_refuse_the_file_and_name_them(warehouse: Warehouse,
                                                                tmp_path: Path) -> None:
    header = ["BilledCost", "BillingCurrency", "ServiceName"]
    bad = write_focus(tmp_path / "short.csv", [{}], header=header)
    [result] = ingest_focus(warehouse, [bad]).files
    assert result.outcome is Outcome.refused
    message = result.errors[0].message
    assert "EffectiveCost" in message and "ServiceProviderName (or ProviderName)" in message
    assert "BilledCost," not in message
    assert not (warehouse.folder / "billing").exists()


def test_bad_rows_are_named_by_line_and_column_and_good_rows_kept(warehouse: Warehouse,
                                                                  tmp_path: Path) -> None:
    rows = [{}, {"BilledCost": "twelve"}, {"ChargeDescription": "two\nlines"},
            {"ChargePeriodStart": "yesterday"}, {"Tags": "{not json"}, {"EffectiveCost": ""},
            {"BilledCost": "2.5"}]
    path = write_focus(tmp_path / "mixed.csv", rows)
    [result] = ingest_focus(warehouse, [path]).files
    assert (result.outcome, result.rows, result.rejected) == (Outcome.ingested, 3, 4)
    found = [(e.line, e.column) for e in result.errors]
    # the description of the row on line 4 spans two lines: lines are counted, not rows
    assert found == [(3, "BilledCost"), (6, "ChargePeriodStart"), (7, "Tags"),
                     (8, "EffectiveCost")]
    assert str(result.errors[0]) == f"{path}:3: BilledCost: 'twelve' is not a number"
    assert result.errors[3].message == "a value is required"
    assert _totals(warehouse)[0] == 4.5


def test_one_bad_file_never_stops_the_others(warehouse: Warehouse, sample: Path,
                                              tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "noise.parquet"
    binary.write_bytes(b"PAR1" + b"\x00" * 64)
    report = ingest_focus(warehouse, [empty, tmp_path / "absent.csv", binary, tmp_path, sample])
    assert [r.outcome for r in report.files] == [Outcome.refused] * 4 + [Outcome.ingested]
    assert all(len(r.errors) == 1 and "\n" not in r.errors[0].message
               for r in report.files[:4])


def test_an_overlong_line_is_refused_and_the_rows_around_it_kept(warehouse: Warehouse,
                                                                  tmp_path: Path) -> None:
    path = write_focus(tmp_path / "long.csv", [{}, {"ServiceName": "x" * (8 << 20)}, {}])
    [result] = ingest_focus(warehouse, [path]).files
    assert (result.outcome, result.rows, result.rejected) == (Outcome.ingested, 2, 1)
    assert (result.errors[0].line, result.errors[0].message) == (3, "a line longer than "
                                                                    "1048576 bytes")


def test_a_file_that_is_one_overlong_line_is_refused_in_one_line(warehouse: Warehouse,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"BilledCost," + b"x" * (8 << 20))
    [result] = ingest_focus(warehouse, [path]).files
    assert result.outcome is Outcome.refused and "\n" not in result.errors[0].message


def test_a_focus_1_3_contract_commitment_file_is_named_as_such(warehouse: Warehouse,
                                                               toolkit_files: dict[str, Path],
                                                               tmp_path: Path) -> None:
    [commitments] = toolkit_files["1.3"].parent.glob("*contract_commitment*.csv")
    parquet = tmp_path / "commitments.parquet"
    with warehouse.session(commitments) as con:
        con.execute(f"COPY (SELECT * FROM read_csv('{commitments}')) TO "
                    f"'{warehouse.folder}/c.parquet' (FORMAT parquet)")
    (warehouse.folder / "c.parquet").replace(parquet)
    report = ingest_focus(warehouse, [commitments, parquet])
    for result in report.files:
        assert result.outcome is Outcome.refused
        message = result.errors[0].message
        assert message.startswith("a FOCUS 1.3 Contract Commitment dataset (")
        assert "not a cost and usage dataset" in message and "missing" not in message
    assert not (warehouse.folder / "billing").exists()


def test_columns_not_stored_leave_required_values_checked(warehouse: Warehouse,
                                                          tmp_path: Path) -> None:
    # DuckDB 2.0.1 applies force_not_null to the wrong columns once it prunes unread ones:
    # provider columns before a required one must not let its empty value through.
    header = ["x_First", "BilledCost", "x_Second", "EffectiveCost", "BillingAccountId",
              "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart",
              "ChargePeriodEnd", "ChargeCategory", "x_Third", "ServiceName", "ProviderName",
              "ListCost", "ContractedCost"]
    path = write_focus(tmp_path / "extra.csv", [{}, {"EffectiveCost": ""}, {"BilledCost": ""}],
                       header=header)
    [result] = ingest_focus(warehouse, [path]).files
    assert (result.rows, result.rejected) == (1, 2)
    assert [(e.line, e.column) for e in result.errors] == [(3, "EffectiveCost"),
                                                           (4, "BilledCost")]
