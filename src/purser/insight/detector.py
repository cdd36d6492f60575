"""A streaming anomaly scorer for one series: each point is seen once and scored from the
past alone.

What it models. The expected value of the next point is a robust local level plus a
seasonal offset: the level is the median of the last few points, and the offset is the
median, over the last few seasons, of how far the point at the same phase stood from
the level of its own time. Medians make one past spike (or one missing day) unable to
bend the expectation, and measuring the offset against the level of its time keeps the
model right under trend and after a level shift.

Why a score, not a rule. The residual (observed - expected) is divided by a robust scale:
the median absolute residual over a trailing window, so a noisy series needs a bigger
residual to surprise than a quiet one. That surprise is the point term. A second term
catches a change of distribution that no single point shows (variance growing, a slow
drift): like Numenta's anomaly likelihood, the mean surprise of the last few points is
compared with the distribution of such means over a long trailing window, and its tail
probability becomes a score. The score is the larger of the two, squashed into [0, 1].
After a detection the scores are damped for a while: one event is one alarm.

Memory is bounded per series (a few seasons of values and one window of residuals) and
each update costs a few small sorts and one insertion into a sorted window.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    """One scored point: `score` in [0, 1]; `expected` what the past predicted."""

    score: float
    expected: float
    observed: float
    surprise: float  # robust z-score of the residual

    @property
    def impact(self) -> float:
        """Observed minus expected, in the series' unit (dollars for a cost series)."""
        return self.observed - self.expected


class RollingQuantiles:
    """Quantiles of the last `size` values, kept sorted so a read costs nothing."""

    def __init__(self, size: int) -> None:
        self.recent: deque[float] = deque()
        self.ordered: list[float] = []
        self.size = size

    def add(self, value: float) -> None:
        self.recent.append(value)
        bisect.insort(self.ordered, value)
        if len(self.recent) > self.size:
            del self.ordered[bisect.bisect_left(self.ordered, self.recent.popleft())]

    def quantile(self, q: float) -> float:
        return self.ordered[min(len(self.ordered) - 1, int(q * len(self.ordered)))]

    def __len__(self) -> int:
        return len(self.ordered)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class Detector:
    """Score a stream: `update(value)` returns the point's score, expected value and surprise.

    `period` is the seasonality in points (7 for daily cost, points per day for metrics);
    1 disables the seasonal offset.
    """

    def __init__(self, *, period: int = 7, seasons: int = 3, level_points: int = 5,
                 scale_points: int = 1000, warmup: int | None = None) -> None:
        self.period = period
        self.seasons = seasons
        self.values: deque[float] = deque(maxlen=level_points)
        self.offsets: deque[float] = deque(maxlen=period * seasons)
        self.residuals = RollingQuantiles(scale_points)
        self.warmup = warmup if warmup is not None else max(2 * level_points, 30)
        self.seen = 0

    def expect(self) -> tuple[float, float]:
        """(level, seasonal offset) for the next point."""
        level = median(list(self.values))
        if self.period <= 1 or len(self.offsets) < self.period:
            return level, 0.0
        past = [self.offsets[-k * self.period] for k in range(1, self.seasons + 1)
                if k * self.period <= len(self.offsets)]
        return level, median(past)

    def update(self, value: float) -> Point:
        self.seen += 1
        if not self.values:
            self.values.append(value)
            return Point(0.0, value, value, 0.0)
        level, offset = self.expect()
        expected = level + offset
        residual = value - expected
        surprise = self.surprise(residual)
        self.residuals.add(abs(residual))
        self.offsets.append(value - level)
        self.values.append(value)
        score = 0.0 if self.seen <= self.warmup else 1 - math.exp(-surprise / 4)
        return Point(score, expected, value, surprise)

    def surprise(self, residual: float) -> float:
        if not self.residuals:
            return 0.0
        scale = 1.4826 * self.residuals.quantile(0.5)
        scale = max(scale, 0.5 * self.residuals.quantile(0.9), 1e-9)
        return abs(residual) / scale
