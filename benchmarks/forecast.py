"""Forecast benchmark (issue 13): out-of-sample accuracy of the per-series model choice, and
the time to forecast 10,000 series.

    python benchmarks/forecast.py [--series 10000] [--nab DIR] [--skip-large]

Accuracy: each series' last 14 days are held out; `forecast` sees the rest (where it runs
its own rolling-origin backtest and picks a model), and its forecast of the held-out days
is scored against seasonal naive and AutoETS fitted on the same history. Errors are MASE
(scaled by the in-sample seasonal-naive error); ratios are summarised by their geometric
mean, the usual mean of relative errors. Series:
  - generated daily cost: weekly and monthly seasonality, growth, a price change, noise;
  - the demo shop's billing (purser demo-data), by service, team and application;
  - NAB (realAWSCloudwatch, realKnownCause, realTraffic): minute data averaged per hour,
    each hour one step, so the weekly season is wrong for them: a robustness check.
Speed: 10,000 generated series of 120 days through `forecast` with default settings.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from purser.insight.forecast import WEEK, ForecastSettings, forecast

HOLDOUT = 14  # days scored out of sample
NAB = Path(__file__).resolve().parents[2] / "shared" / "bench" / "nab" / "data"
END = pd.Timestamp("2026-11-20")


def generated(count: int, days: int, seed: int = 13) -> pd.DataFrame:
    """Daily cost: a base level, weekday/weekend shape, a month-start bump, compound growth,
    a price change (-30% to +30%) on a random day, multiplicative noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    dates = pd.date_range(end=END, periods=days, freq="D")
    base = rng.lognormal(3, 1.5, (count, 1))
    weekly = 1 + rng.uniform(0, 0.4, (count, 1)) * np.where(dates.dayofweek >= 5, -1, 0.4)
    monthly = 1 + rng.uniform(0, 0.3, (count, 1)) * np.exp(-(dates.day.to_numpy() - 1) / 3)
    growth = np.exp(rng.uniform(-0.001, 0.006, (count, 1)) * t)
    change = rng.integers(days // 3, days - HOLDOUT, (count, 1))
    price = np.where(t >= change, rng.uniform(0.7, 1.3, (count, 1)), 1.0)
    noise = rng.lognormal(0, rng.uniform(0.02, 0.15, (count, 1)), (count, days))
    y = base * weekly * monthly * growth * price * noise
    return pd.DataFrame({"unique_id": np.repeat([f"g{i:05d}" for i in range(count)], days),
                         "ds": np.tile(dates, count), "y": y.ravel()})


def demo_series() -> pd.DataFrame:
    """The demo shop's daily spend by service, team and application."""
    from purser.warehouse import Warehouse, ingest_focus
    from purser.warehouse.queries import daily_spend

    out = Path(tempfile.mkdtemp(prefix="purser-forecast-bench-"))
    subprocess.run([sys.executable, "-m", "purser", "demo-data", "--out", str(out),
                    "--days", "180", "--end", END.date().isoformat()],
                   check=True, capture_output=True)
    store = Warehouse.of_repository(out / "shop")
    ingest_focus(store, [out / "billing.csv"])
    frames = [daily_spend(store, by).assign(unique_id=lambda f, by=by: by + ":" + f.unique_id)
              for by in ("service", "team", "app")]
    return pd.concat(frames, ignore_index=True)


def nab_series(folder: Path) -> pd.DataFrame:
    frames = []
    for sub in ("realAWSCloudwatch", "realKnownCause", "realTraffic"):
        for path in sorted((folder / sub).glob("*.csv")):
            raw = pd.read_csv(path, parse_dates=["timestamp"])
            hourly = raw.set_index("timestamp")["value"].resample("h").mean().interpolate()
            frames.append(pd.DataFrame({
                "unique_id": f"{sub}/{path.stem}", "y": hourly.to_numpy(),
                "ds": pd.date_range(end=END, periods=len(hourly), freq="D")}))
    return pd.concat(frames, ignore_index=True)


def holdout_ratios(frame: pd.DataFrame) -> dict[str, float]:
    """Out-of-sample MASE of the chosen model, seasonal naive and AutoETS on the last
    HOLDOUT days of each series (fitted on the 120 days before them)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    frame = frame.sort_values(["unique_id", "ds"], ignore_index=True)
    last = frame.groupby("unique_id")["ds"].transform("max")
    held = frame["ds"] > last - pd.Timedelta(days=HOLDOUT)
    train, test = frame[~held], frame[held]
    settings = ForecastSettings(horizon=HOLDOUT, full_search=10**6)
    started = time.perf_counter()
    results = {r.series: r for r in forecast(train, settings)}
    took = time.perf_counter() - started
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        window = train[train["ds"] > train.groupby("unique_id")["ds"].transform("max")
                       - pd.Timedelta(days=settings.window_days)]
        ets = StatsForecast(models=[AutoETS(season_length=WEEK)], freq="D", n_jobs=1
                            ).forecast(h=HOLDOUT, df=window)
    chosen, naive, auto_ets, models = [], [], [], []
    for uid, truth in test.groupby("unique_id"):
        history = window[window["unique_id"] == uid]["y"].to_numpy()
        actual = truth["y"].to_numpy()
        scale = np.mean(np.abs(history[WEEK:] - history[:-WEEK])) or 1.0
        result = results[str(uid)]
        mine = np.array([p.mean for p in result.points[:HOLDOUT]])
        same_day = np.resize(history[-WEEK:], HOLDOUT)  # last week's same day, repeated
        theirs = ets[ets["unique_id"] == uid]["AutoETS"].to_numpy()
        chosen.append(np.mean(np.abs(actual - mine)) / scale)
        naive.append(np.mean(np.abs(actual - same_day)) / scale)
        auto_ets.append(np.mean(np.abs(actual - theirs)) / scale)
        models.append(result.model)
    mase = np.array(chosen), np.array(naive), np.array(auto_ets)
    return {"series": len(chosen), "seconds": took,
            "mase_chosen": float(np.mean(mase[0])), "mase_naive": float(np.mean(mase[1])),
            "mase_ets": float(np.mean(mase[2])),
            "vs_naive": _geomean(mase[0], mase[1]), "vs_ets": _geomean(mase[0], mase[2]),
            "beats_naive": float(np.mean(mase[0] <= mase[1])),
            "models": pd.Series(models).value_counts().to_dict()}


def _geomean(mine: np.ndarray, theirs: np.ndarray) -> float:
    keep = (mine > 0) & (theirs > 0)
    return float(math.exp(np.mean(np.log(mine[keep] / theirs[keep]))))


def report(name: str, row: dict[str, float]) -> None:
    print(f"{name}: {row['series']} series, forecast in {row['seconds']:.1f} s "
          f"({row['seconds'] / row['series']:.2f} s a series, every candidate)")
    print(f"  out-of-sample MASE (mean): chosen {row['mase_chosen']:.3f}, seasonal naive "
          f"{row['mase_naive']:.3f}, AutoETS {row['mase_ets']:.3f}")
    print(f"  chosen / seasonal naive {row['vs_naive']:.3f} (geometric mean), chosen / AutoETS "
          f"{row['vs_ets']:.3f}; chosen <= seasonal naive on {row['beats_naive']:.0%} of series")
    print(f"  models chosen: {row['models']}")


def timing(count: int, jobs: int) -> float:
    frame = generated(count, 120, seed=7)
    started = time.perf_counter()
    results = forecast(frame, ForecastSettings(jobs=jobs))
    took = time.perf_counter() - started
    assert len(results) == count
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--generated", type=int, default=24)
    parser.add_argument("--nab", type=Path, default=NAB)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    report("generated daily cost (134 days)",
           holdout_ratios(generated(args.generated, 120 + HOLDOUT)))
    report("demo shop billing (by service, team, app)", holdout_ratios(demo_series()))
    if args.nab.is_dir():
        report("NAB hourly means", holdout_ratios(nab_series(args.nab)))
    if not args.skip_large:
        for jobs in (1, 2):
            took = timing(args.series, jobs)
            print(f"{args.series:,} series x 120 days, default settings (the 20 largest by "
                  f"spend given every candidate), {jobs} process(es): {took:.1f} s "
                  f"(target < 60 s)")


if __name__ == "__main__":
    main()
