"""Daily spend forecasts per series, the model chosen per series by rolling-origin backtest.

Input is the warehouse's long format (`unique_id`, `ds` a day, `y` the day's cost). Each
series is fitted on its last `window_days` days and its candidates are backtested from a
few origins one week apart; the candidate with the lowest MASE (scaled by the in-sample
error of last week's same day, Hyndman & Koehler 2006) forecasts it, with 80% and 95%
intervals. Every number says the model, the window and the backtest behind it.

Fitting costs are uneven (one AutoARIMA search on 120 days takes about a second here,
seasonal naive a millisecond), so the full candidate set is spent where the money is: the
`full_search` largest series by spend; the others choose among the models that cost
nothing to fit. Series shorter than two weeks fall back to seasonal naive or naive.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import pandas

WEEK = 7  # days: cloud spend follows the working week
MONTH = 30  # days: the monthly cycle (paydays, month-start fees), modelled when history allows
LEVELS = (80, 95)  # interval levels, percent
SEASONAL_NAIVE = "SeasonalNaive"


class ForecastSettings(BaseModel):
    """How much history, backtest and search each forecast gets."""

    horizon: int = Field(default=14, ge=1, le=366)
    # Four months: enough for two monthly cycles before the backtest, and short enough
    # that prices and architectures replaced since weigh nothing; fit cost grows with it.
    window_days: int = Field(default=120, ge=WEEK)
    origins: int = Field(default=3, ge=1, le=12)  # backtest forecast origins
    step: int = Field(default=WEEK, ge=1)  # days between origins: one a week
    full_search: int = Field(default=20, ge=0)  # largest series given every candidate
    jobs: int = Field(default=1, ge=-1)  # statsforecast processes (-1: one per core)

    @property
    def backtest_horizon(self) -> int:
        """The forecast horizon, held within one to two weeks: shorter says little about
        the weekly cycle, longer eats the history the earliest origin learns from."""
        return min(max(self.horizon, WEEK), 2 * WEEK)


class Interval(BaseModel):
    level: int  # percent
    lo: float
    hi: float


class Point(BaseModel):
    date: datetime.date
    mean: float
    intervals: list[Interval]

    def interval(self, level: int) -> Interval:
        return next(i for i in self.intervals if i.level == level)


class FitWindow(BaseModel):
    first: datetime.date
    last: datetime.date
    days: int


class Score(BaseModel):
    model: str
    mase: float


class Backtest(BaseModel):
    origins: int  # forecast origins, `step` days apart, the last `horizon` days before the end
    horizon: int  # days forecast from each origin
    step: int
    scores: list[Score]  # each candidate's MASE over every origin and day


class SeriesForecast(BaseModel):
    series: str
    model: str  # the chosen model, e.g. "AutoETS" or "MSTL(7,30)"
    reason: str
    window: FitWindow
    backtest: Backtest | None  # None: too short to backtest
    mase: float | None  # the chosen model's backtest MASE
    seasonal_naive_mase: float | None
    points: list[Point]  # to the horizon, or to the month's end when that is further

    @property
    def relative_mase(self) -> float | None:
        """Chosen over seasonal naive: below 1 beats it, 1 is it."""
        if self.mase is None or not self.seasonal_naive_mase:
            return None
        return self.mase / self.seasonal_naive_mase


# -- candidates ---------------------------------------------------------------------------

def _models() -> dict[str, Callable[[bool], Any]]:
    """Candidate name -> maker taking `monthly` (fit the monthly season too)."""
    from statsforecast.models import (
        MSTL,
        AutoARIMA,
        AutoETS,
        Naive,
        SeasonalNaive,
    )

    return {
        SEASONAL_NAIVE: lambda monthly: SeasonalNaive(season_length=WEEK, alias=SEASONAL_NAIVE),
        "Naive": lambda monthly: Naive(),
        "AutoETS": lambda monthly: AutoETS(season_length=WEEK),
        # Daily cost seldom needs more than two AR or MA lags and one weekly seasonal
        # term; the bounds halve the stepwise search, its cost dominating the run.
        "AutoARIMA": lambda monthly: AutoARIMA(season_length=WEEK, max_p=2, max_q=2,
                                               max_P=1, max_Q=1),
        "MSTL": lambda monthly: MSTL(season_length=[WEEK, MONTH] if monthly else WEEK),
    }


FULL = (SEASONAL_NAIVE, "AutoETS", "AutoARIMA", "MSTL")
CHEAP = (SEASONAL_NAIVE, "Naive")  # fitted in a millisecond, rolled forward by the backtest


def _label(name: str, monthly: bool) -> str:
    if name == "MSTL":
        return f"MSTL({WEEK},{MONTH})" if monthly else f"MSTL({WEEK})"
    return name


@dataclass(frozen=True)
class _Plan:
    """What a series gets, by its length and its rank by spend; equal plans fit together."""

    candidates: tuple[str, ...]
    origins: int  # 0: no backtest
    monthly: bool


def _plan(days: int, rank: int, settings: ForecastSettings) -> _Plan:
    if days < 2 * WEEK:
        return _Plan((SEASONAL_NAIVE if days >= WEEK else "Naive",), 0, False)
    h = settings.backtest_horizon
    # Each origin needs two weeks of history before it, for a weekly season to be seen twice.
    origins = min(settings.origins, (days - 2 * WEEK - h) // settings.step + 1)
    if origins < 1:
        return _Plan((SEASONAL_NAIVE,), 0, False)
    earliest = days - h - (origins - 1) * settings.step  # days before the first origin
    candidates = FULL if rank < settings.full_search else CHEAP
    return _Plan(candidates, origins, earliest >= 2 * MONTH)


def _reason(plan: _Plan, days: int, rank: int, settings: ForecastSettings) -> str:
    if plan.origins == 0 and days < 2 * WEEK:
        return (f"{days} days of history, under two weekly seasons: "
                f"{plan.candidates[0]}, not backtested")
    if plan.origins == 0:
        return (f"{days} days of history, too short to backtest "
                f"{settings.backtest_horizon} days ahead: seasonal naive")
    scope = (f"every candidate (rank {rank + 1} by spend)" if plan.candidates == FULL else
             f"the cheap candidates (rank {rank + 1} by spend, beyond the "
             f"{settings.full_search} largest given every candidate)")
    return f"lowest backtest MASE among {scope}"


# -- fitting ------------------------------------------------------------------------------

def forecast(frame: pandas.DataFrame,
             settings: ForecastSettings | None = None) -> list[SeriesForecast]:
    """Forecast every series of `frame` (`unique_id`, `ds`, `y`: every day of a series'
    span, as the warehouse's `daily_spend` gives), one result per series."""
    settings = settings or ForecastSettings()
    data = _window(frame, settings.window_days)
    if data.empty:
        return []
    stats = data.groupby("unique_id", sort=True).agg(
        size=("y", "size"), spend=("y", "sum"), first=("ds", "min"), last=("ds", "max"))
    ranks = stats["spend"].rank(method="first", ascending=False).astype(int) - 1
    rows = stats.assign(rank=ranks).to_dict("index")  # row lookups in pandas cost 0.2 ms
    plans = {uid: _plan(int(row["size"]), int(row["rank"]), settings)
             for uid, row in rows.items()}
    results = [result for plan, ids in _grouped(plans)
               for result in _forecast_group(data, plan, ids, rows, settings)]
    return sorted(results, key=lambda r: r.series)


def _forecast_group(data: pandas.DataFrame, plan: _Plan, ids: list[str],
                    rows: dict[str, dict[str, Any]],
                    settings: ForecastSettings) -> list[SeriesForecast]:
    """Backtest, choose and forecast the series sharing one plan, all at once."""
    part = data[data["unique_id"].isin(ids)]
    scores = _backtest(part, plan, settings) if plan.origins else None
    # Lowest MASE; a tie goes to the simpler model, listed first.
    chosen = {uid: plan.candidates[0] for uid in ids} if scores is None else \
        scores.idxmin(axis=1).astype(str).to_dict()
    mase = None if scores is None else scores.to_dict("index")
    points = _final(part, chosen, plan, settings)
    results = []
    for uid in ids:
        row = rows[uid]
        window = FitWindow(first=row["first"].date(), last=row["last"].date(),
                           days=int(row["size"]))
        results.append(_result(uid, window, plan, chosen[uid],
                               None if mase is None else mase[uid], points[uid],
                               _reason(plan, window.days, int(row["rank"]), settings),
                               settings))
    return results


def _window(frame: pandas.DataFrame, days: int) -> pandas.DataFrame:
    """The last `days` days of each series, sorted, `ds` as timestamps, a missing cost 0 (a
    day without a charge cost nothing)."""
    import pandas

    data = frame[["unique_id", "ds", "y"]].copy()
    data["ds"] = pandas.to_datetime(data["ds"])
    data["y"] = data["y"].astype(float).fillna(0.0)
    last = data.groupby("unique_id")["ds"].transform("max")
    data = data[data["ds"] > last - pandas.Timedelta(days=days)]
    return data.sort_values(["unique_id", "ds"], ignore_index=True)


def _grouped(plans: dict[str, _Plan]) -> Iterator[tuple[_Plan, list[str]]]:
    groups: dict[_Plan, list[str]] = {}
    for uid, plan in plans.items():
        groups.setdefault(plan, []).append(uid)
    yield from groups.items()


def _stats_forecast(models: list[Any], settings: ForecastSettings) -> Any:
    from statsforecast import StatsForecast

    return StatsForecast(models=models, freq="D", n_jobs=settings.jobs)


def _backtest(part: pandas.DataFrame, plan: _Plan,
              settings: ForecastSettings) -> pandas.DataFrame:
    """MASE per series (rows) and candidate (columns, in the plan's order).

    Parameters are estimated once at the first origin and the state rolled forward
    through the later ones (statsforecast's refit=False): a search per origin would
    multiply the dominant cost by the number of origins for little change in the ranking.
    """
    makers = _models()
    engine = _stats_forecast([makers[name](plan.monthly) for name in plan.candidates], settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the searches
        cv = engine.cross_validation(h=settings.backtest_horizon, df=part,
                                     n_windows=plan.origins, step_size=settings.step,
                                     refit=False)
    names = list(plan.candidates)
    errors = cv[names].sub(cv["y"], axis=0).abs().groupby(cv["unique_id"]).mean()
    first = cv.groupby("unique_id")["cutoff"].min()
    mase = errors.div(_scale(part, first), axis=0)
    return mase[names].fillna(float("inf"))  # a candidate that failed never wins


def _scale(part: pandas.DataFrame, first_origin: pandas.Series) -> pandas.Series:
    """MASE's denominator: the mean absolute change from the same day a week before, over
    the history before the first origin. A series that repeats exactly has none; its
    errors are then scaled by its mean absolute level (or by $1), staying comparable."""
    train = part[part["ds"] <= part["unique_id"].map(first_origin)]
    by_series = train.groupby("unique_id")["y"]
    change = (train["y"] - by_series.shift(WEEK)).abs().groupby(train["unique_id"]).mean()
    level = train["y"].abs().groupby(train["unique_id"]).mean().clip(lower=1.0)
    return change.where(change > 0, level)


def _final(part: pandas.DataFrame, chosen: dict[str, str], plan: _Plan,
           settings: ForecastSettings) -> dict[str, list[Point]]:
    """Each series forecast by its chosen model, fitted on the whole window."""
    makers = _models()
    points: dict[str, list[Point]] = {}
    for name in sorted(set(chosen.values())):
        ids = [uid for uid, model in chosen.items() if model == name]
        sub = part[part["unique_id"].isin(ids)]
        steps = max(settings.horizon, _to_month_end(sub["ds"].max()))
        engine = _stats_forecast([makers[name](plan.monthly)], settings)
        plain = name in CHEAP
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = engine.forecast(h=steps, df=sub, level=None if plain else list(LEVELS))
        if plain:
            out = _naive_intervals(sub, out, name)
        floors = sub.groupby("unique_id")["y"].min().clip(upper=0.0)
        points.update(_points(out, name, floors))
    return points


def _naive_intervals(sub: pandas.DataFrame, out: pandas.DataFrame,
                     name: str) -> pandas.DataFrame:
    """Normal intervals of naive and seasonal naive (Hyndman & Athanasopoulos, FPP3 5.5):
    sigma of the in-sample lag differences, widened by the square root of the steps (naive)
    or of the seasons (seasonal naive) ahead. statsforecast computes the same numbers but
    freezes a scipy distribution per series, most of the time of 10,000 series."""
    from statistics import NormalDist

    lag = WEEK if name == SEASONAL_NAIVE else 1
    change = sub["y"] - sub.groupby("unique_id")["y"].shift(lag)
    sigma = change.pow(2).groupby(sub["unique_id"]).mean().pow(0.5)
    ahead = out.groupby("unique_id").cumcount() // lag + 1
    spread = out["unique_id"].map(sigma).to_numpy() * ahead.to_numpy() ** 0.5
    for level in LEVELS:
        z = NormalDist().inv_cdf(0.5 + level / 200)
        out[f"{name}-lo-{level}"] = out[name] - z * spread
        out[f"{name}-hi-{level}"] = out[name] + z * spread
    return out


def _to_month_end(last: pandas.Timestamp) -> int:
    """Days from the day after `last` to the end of that day's month."""
    first = last + datetime.timedelta(days=1)
    return int(first.days_in_month - first.day + 1)


def _points(out: pandas.DataFrame, name: str, floors: pandas.Series) -> dict[str, list[Point]]:
    """statsforecast's rows as points per series; nothing below the series' floor (0, unless
    its history had credits larger than a day's charges)."""
    import numpy

    floor = out["unique_id"].map(floors).to_numpy(dtype=float)

    def column(suffix: str) -> list[float]:
        values: list[float] = numpy.maximum(out[name + suffix].to_numpy(dtype=float), floor
                                            ).tolist()
        return values

    mean = column("")
    bounds = {level: (column(f"-lo-{level}"), column(f"-hi-{level}")) for level in LEVELS}
    points: dict[str, list[Point]] = {}
    for i, (uid, day) in enumerate(zip(out["unique_id"].tolist(), out["ds"].dt.date.tolist(),
                                       strict=True)):
        # Plain dicts: pydantic validates them faster than it builds unvalidated models.
        intervals = [{"level": level, "lo": lo[i], "hi": hi[i]}
                     for level, (lo, hi) in bounds.items()]
        points.setdefault(str(uid), []).append(
            Point(date=day, mean=mean[i], intervals=intervals))  # type: ignore[arg-type]
    return points


def _result(uid: str, window: FitWindow, plan: _Plan, name: str,
            scores: dict[str, float] | None, points: list[Point], reason: str,
            settings: ForecastSettings) -> SeriesForecast:
    backtest = None if scores is None else Backtest(
        origins=plan.origins, horizon=settings.backtest_horizon, step=settings.step,
        scores=[Score(model=_label(m, plan.monthly), mase=float(scores[m])) for m in scores])
    return SeriesForecast(
        series=uid, model=_label(name, plan.monthly), reason=reason,
        window=window,
        backtest=backtest,
        mase=None if scores is None else float(scores[name]),
        seasonal_naive_mase=None if scores is None else float(scores[SEASONAL_NAIVE]),
        points=points)
