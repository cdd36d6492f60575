"""The streaming anomaly detector on daily cost series with weekly seasonality and trend."""

from __future__ import annotations

import numpy as np
import pytest

from purser.insight.detector import Detector, Point

DAYS = 150
ALARM = 0.5


def weekly_cost(days: int = DAYS, seed: int = 1, noise: float = 0.03) -> np.ndarray:
    """Daily spend: $100 growing 0.3 %/day, weekends at 60 %, a few % of noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    weekday = np.where(t % 7 >= 5, 0.6, 1.0)
    return 100 * (1.003**t) * weekday * (1 + noise * rng.standard_normal(days))


def scores(values: np.ndarray) -> list[Point]:
    detector = Detector(periods=(7,))
    return [detector.update(float(v)) for v in values]


def test_spike_in_a_seasonal_series_is_found_on_its_day() -> None:
    values = weekly_cost()
    values[120] *= 2.5
    points = scores(values)
    assert points[120].score >= ALARM
    assert points[120].expected == pytest.approx(values[120] / 2.5, rel=0.1)
    assert points[120].impact > 0.5 * values[120]


def test_clean_weekly_seasonal_series_with_trend_raises_no_alarm() -> None:
    for seed in range(5):
        points = scores(weekly_cost(seed=seed))
        assert max(p.score for p in points) < ALARM


def test_weekend_dip_is_expected_not_surprising() -> None:
    points = scores(weekly_cost())
    saturdays = [p for i, p in enumerate(points) if i > 60 and i % 7 == 5]
    assert all(abs(p.impact) < 0.15 * p.observed for p in saturdays)


def test_level_shift_is_found_within_three_days() -> None:
    values = weekly_cost()
    values[110:] *= 1.6
    points = scores(values)
    assert max(p.score for p in points[110:113]) >= ALARM
    assert max(p.score for p in points[40:110]) < ALARM


def test_scores_stay_in_unit_interval_on_wild_input() -> None:
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.standard_cauchy(500), np.zeros(200), 1e9 * rng.random(100)])
    assert all(0.0 <= p.score <= 1.0 for p in scores(values))


def test_scores_use_only_the_past() -> None:
    values = weekly_cost()
    values[90] *= 3
    whole = scores(values)
    for cut in (35, 91, 120):
        assert scores(values[:cut]) == whole[:cut]


def test_record_surprise_flags_a_spike_inside_the_known_range() -> None:
    rng = np.random.default_rng(5)
    values = 100 + rng.standard_normal(3000)
    values[100] = 1000.0  # an old outage widens the range: the later spike is no extreme
    values[2500] = 130.0

    def score_at_spike(**settings: int) -> float:
        detector = Detector(periods=(), **settings)
        return [detector.update(float(v)) for v in values][2500].score

    assert score_at_spike() < ALARM
    assert score_at_spike(record_points=1000) == 1.0


def test_record_surprise_adds_no_alarm_on_clean_noise() -> None:
    values = 100 + np.random.default_rng(6).standard_normal(5000)

    def alarms(**settings: int) -> list[int]:
        detector = Detector(periods=(), **settings)
        points = [detector.update(float(v)) for v in values]
        return [i for i, p in enumerate(points) if p.score >= ALARM]

    assert alarms(record_points=1000) == alarms()
