"""Forecasts: model choice by backtest, intervals, short-series fallback, month-end
projection and budget burn. Series are few and short: statsforecast's searches cost about
a second a series on this machine."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.config import Config
from purser.insight.burn import budgets_for, project
from purser.insight.forecast import (
    FitWindow,
    ForecastSettings,
    Interval,
    Point,
    SeriesForecast,
    forecast,
)

LAST = datetime.date(2026, 11, 10)


def series(values: np.ndarray | list[float], name: str = "s", last: datetime.date = LAST
           ) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": name, "y": np.asarray(values, dtype=float),
                         "ds": pd.date_range(end=last, periods=len(values), freq="D")})


def weekly(days: int) -> np.ndarray:
    """A working-week shape: weekdays busy, weekends quiet."""
    return np.array([30.0, 32, 31, 33, 29, 12, 10])[np.arange(days) % 7]


def test_chosen_model_beats_or_equals_seasonal_naive_on_seasonal_series_with_trend() -> None:
    days = np.arange(120)
    noise = np.random.default_rng(13).normal(0, 1.5, days.size)
    (result,) = forecast(series(100 + 0.4 * days + weekly(days.size) + noise))
    assert result.backtest is not None
    assert [s.model for s in result.backtest.scores] == [
        "SeasonalNaive", "AutoETS", "AutoARIMA", "MSTL(7,30)"]  # 120 days: monthly season too
    assert result.mase is not None and result.seasonal_naive_mase is not None
    assert result.mase == min(s.mase for s in result.backtest.scores)
    assert result.relative_mase is not None and result.relative_mase < 1  # trend: naive lags
    assert result.window == FitWindow(first=LAST - datetime.timedelta(days=119), last=LAST,
                                      days=120)


def test_intervals_contain_the_truth_on_a_noiseless_series() -> None:
    history = weekly(63)
    (result,) = forecast(series(history), ForecastSettings(horizon=14))
    truth = weekly(63 + len(result.points))[63:]
    assert len(result.points) >= 14
    for point, actual in zip(result.points, truth, strict=True):
        for interval in point.intervals:
            assert interval.lo - 1e-6 <= actual <= interval.hi + 1e-6
        assert point.mean == pytest.approx(actual, abs=1e-6)


def test_short_series_fall_back_and_say_so() -> None:
    frame = pd.concat([series(weekly(10), "ten"), series([5.0, 6.0, 5.0], "three")])
    ten, three = forecast(frame)  # sorted by name
    assert (ten.model, three.model) == ("SeasonalNaive", "Naive")
    assert ten.backtest is None and ten.mase is None
    assert "10 days of history, under two weekly seasons" in ten.reason
    assert "not backtested" in three.reason
    assert ten.points[0].mean == weekly(11)[10]  # the same weekday last week


def test_series_beyond_the_full_search_choose_among_cheap_models() -> None:
    frame = pd.concat([series(weekly(40) * 10, "big"), series(weekly(40), "small")])
    big, small = forecast(frame, ForecastSettings(full_search=1))
    assert big.backtest is not None and len(big.backtest.scores) == 4
    assert small.backtest is not None
    assert [s.model for s in small.backtest.scores] == ["SeasonalNaive", "Naive"]
    assert "rank 2 by spend" in small.reason


def linear_forecast(start: datetime.date, days: int) -> SeriesForecast:
    """Day k after the history costs 10 + k dollars, the 80% interval ±2."""
    points = [Point(date=start + datetime.timedelta(days=k - 1), mean=10.0 + k,
                    intervals=[Interval(level=80, lo=8.0 + k, hi=12.0 + k),
                               Interval(level=95, lo=7.0 + k, hi=13.0 + k)])
              for k in range(1, days + 1)]
    return SeriesForecast(series="payments-api", model="AutoETS", reason="test",
                          window=FitWindow(first=LAST, last=LAST, days=1), backtest=None,
                          mase=None, seasonal_naive_mase=None, points=points)


def test_budget_burn_date_on_a_linear_series() -> None:
    # November 1-10 cost $10 a day: $100 spent; the forecast from the 11th is 10 + k.
    history = series([10.0] * 10, "payments-api")
    result = linear_forecast(datetime.date(2026, 11, 11), 20)
    month = project(result, history, budget_usd=250)
    # The remaining $150 is exceeded after m days when 10m + m(m+1)/2 > 150: m = 10
    # (135 at m = 9, 155 at m = 10), the 20th. Upper bound 12m + m(m+1)/2 > 150: m = 9
    # (153), the 19th. Lower bound 8m + m(m+1)/2 > 150: m = 11 (154; 135 at m = 10), the 21st.
    assert month.budget is not None
    assert month.budget.crosses == datetime.date(2026, 11, 20)
    assert month.budget.earliest == datetime.date(2026, 11, 19)
    assert month.budget.latest == datetime.date(2026, 11, 21)
    # 20 forecast days: 100 + sum(10 + k, k = 1..20) = 100 + 200 + 210.
    assert month.projected_usd == pytest.approx(510)
    assert month.sentence() == ("payments-api will exceed its $250 budget on 2026-11-20, "
                                "80% interval 11-19 … 11-21 (2026-11 projected at $510.00)")


def test_budget_not_crossed_says_within_budget_with_the_projected_total() -> None:
    month = project(linear_forecast(datetime.date(2026, 11, 11), 20),
                    series([10.0] * 10, "payments-api"), budget_usd=1000)
    assert month.budget is not None and month.budget.crosses is None
    assert month.sentence() == ("payments-api within its $1,000 budget "
                                "(2026-11 projected at $510.00)")


def test_budget_burn_end_to_end_on_a_constant_series() -> None:
    history = series([10.0] * 70, "c")  # to November 10: $100 spent this month
    (result,) = forecast(history)
    month = project(result, history, budget_usd=255)
    assert month.budget is not None  # 100 + 15 x 10 = 250, 260 on the 16th day: the 26th
    assert month.budget.crosses == datetime.date(2026, 11, 26)
    assert month.projected_usd == pytest.approx(300)


def test_results_are_typed_json() -> None:
    (result,) = forecast(series(weekly(30)), ForecastSettings(full_search=0))
    payload = json.loads(result.model_dump_json())
    assert {"series", "model", "reason", "window", "backtest", "mase",
            "seasonal_naive_mase", "points"} <= payload.keys()
    day = float(weekly(31)[30])  # noiseless: the interval is the value itself
    assert payload["points"][0]["intervals"][0] == {
        "level": 80, "lo": pytest.approx(day), "hi": pytest.approx(day)}
    assert SeriesForecast.model_validate_json(result.model_dump_json()) == result


def test_budgets_come_from_applications_and_tag_budgets() -> None:
    config = Config.model_validate({
        "applications": [{"name": "payments-api", "budget": {"monthly_usd": 500}},
                         {"name": "web"}],
        "budgets": [{"tag": "team", "value": "payments", "monthly_usd": 900}]})
    assert budgets_for(config, "app") == {"payments-api": 500}
    assert budgets_for(config, "team") == {"payments": 900}
    assert budgets_for(config, "total") == {}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with 90 days of its generated billing ingested."""
    from purser.warehouse import Warehouse, ingest_focus

    out = tmp_path_factory.mktemp("demo")
    made = CliRunner().invoke(app, ["demo-data", "--out", str(out), "--days", "90",
                                    "--end", LAST.isoformat()])
    assert made.exit_code == 0, made.output
    ingest_focus(Warehouse.of_repository(out / "shop"), [out / "billing.csv"])
    # The full model search on the largest series only: it costs about a second a series.
    with (out / "shop" / "purser.yaml").open("a") as config:
        config.write("\ninsight:\n  forecast_full_search: 2\n")
    return out / "shop"


def test_cli_forecasts_each_application_with_its_budget_burn(shop: Path) -> None:
    result = CliRunner().invoke(app, ["forecast", str(shop), "--by", "app", "--horizon", "7",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    by_series = {entry["series"]: entry for entry in json.loads(result.output)}
    payments = by_series["payments-api"]
    assert len(payments["points"]) == 7
    assert payments["window"]["last"] == LAST.isoformat()
    assert payments["relative_mase"] <= 1
    assert payments["month"]["budget"]["budget_usd"] == 400  # examples/shop/purser.yaml
    assert payments["summary"].startswith("payments-api ")
    from purser import ledger
    from purser.store import database_url, open_database

    with open_database(database_url(shop, create=False)) as db:
        recorded = {e.subject.split(" in ")[0]: e for e in ledger.entries(db)}
    assert recorded["payments-api"].explanation.startswith(payments["summary"])


def test_cli_table_names_model_window_and_mase(shop: Path) -> None:
    result = CliRunner().invoke(app, ["forecast", str(shop), "--by", "team"])
    assert result.exit_code == 0, result.output
    assert "MASE" in result.output and "payments" in result.output
    assert "payments within its $600 budget" in result.output or \
        "payments will exceed its $600 budget" in result.output


def test_a_history_ending_on_the_last_day_of_a_month_projects_the_next_month_from_zero():
    import datetime

    import pandas

    from purser.insight.burn import project
    from purser.insight.forecast import ForecastSettings, forecast

    days = pandas.date_range("2024-09-01", "2024-09-30", freq="D")
    history = pandas.DataFrame({"unique_id": "total", "ds": days, "y": 2.0})
    [result] = forecast(history, ForecastSettings(horizon=7))

    month = project(result, history, None)

    assert month.month == "2024-10" and month.actual_usd == 0.0
    assert month.actual_through is None
    assert result.points[0].date == datetime.date(2024, 10, 1)
    assert month.projected_usd == pytest.approx(sum(p.mean for p in result.points))


def test_budget_verdicts_are_recorded_in_the_ledger_and_unbudgeted_series_are_not(
        tmp_path: Path) -> None:
    from purser import ledger
    from purser.insight.burn import ACTION, ACTOR, record
    from purser.store import open_database

    history = series([10.0] * 10, "payments-api")
    result = linear_forecast(datetime.date(2026, 11, 11), 20)
    over, within, free = (project(result, history, budget_usd=250),
                          project(result, history, budget_usd=1000),
                          project(result, history, budget_usd=None))
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        assert record(db, [result] * 3, [over, within, free]) == 2
        entries = ledger.entries(db)
        assert ledger.verify(db).problem is None
    assert [(e.actor, e.action, e.subject, e.outcome) for e in entries] == [
        (ACTOR, ACTION, "payments-api in 2026-11", "will exceed"),
        (ACTOR, ACTION, "payments-api in 2026-11", "within budget")]
    assert entries[0].explanation.startswith(over.sentence())
    assert "AutoETS" in entries[0].explanation
