"""A streaming anomaly scorer for one series: each point is seen once and scored from the
past alone.

What it models. Two or three robust predictions of the next point, each with its own
error scale:
- local: the median of the last few points (a level that follows shifts within minutes);
- seasonal, one per period (a week of days for cost; a day, and a week, of metric points):
  the median of the last full cycle (a level that no phase of the cycle can move) plus the
  median, over the last few cycles, of how far the point at the same phase stood above
  the level of its own time. Measuring the offset against the level of its time keeps the
  prediction right under trend and after a level shift; taking medians keeps one past
  spike (or one missing day) from bending it.
Each residual is divided by its model's robust scale (the median absolute residual over a
trailing window, floored by a high quantile so a mostly-flat series is not infinitely
surprised by its routine steps). The surprise is the mean of these z-scores: a point is
surprising when the models agree that it is, and a model that fits the series badly has a
wide scale and so says little.

Why a likelihood, not a threshold on the surprise. A noisy series throws a large z now and
then; what marks an anomaly is that the recent points are more surprising than the
series usually is. Like Numenta's anomaly likelihood, the mean surprise of the last
`short` points is compared with the distribution of such means over a long trailing
window; its tail probability, on a log scale, is the score (0.5 at a one-in-100,000 tail).
A surprising value beyond the range seen so far (by more than `spread` of that range)
scores 1: new extremes are what operators call incidents. So does, optionally, a record
surprise: a z-score more than `record_ratio` times the largest of the last `record_points`
(a spike unlike any in the recent past, even inside the known range). After the
likelihood reaches `alarm` it is halved for `refractory` points: one drift raises one
alarm. Extremes and records are not damped: each is news, and they are rare by design.

Memory is bounded per series (a few cycles of values, a few windows of residuals, at most
`record_points` z-scores); an update costs a few small sorts and insertions into sorted windows.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass

TAIL_FLOOR = 1e-10  # the log-scaled likelihood reaches 1 at this tail probability


@dataclass(frozen=True)
class Point:
    """One scored point: `score` in [0, 1]; `expected` what the past predicted."""

    score: float
    expected: float
    observed: float
    surprise: float  # mean robust z-score of the residual over the models

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


class RollingMoments:
    """Mean and standard deviation of the last `size` values, in constant time."""

    def __init__(self, size: int) -> None:
        self.recent: deque[float] = deque()
        self.size = size
        self.total = self.squares = 0.0

    def add(self, value: float) -> None:
        self.recent.append(value)
        self.total += value
        self.squares += value * value
        if len(self.recent) > self.size:
            old = self.recent.popleft()
            self.total -= old
            self.squares -= old * old

    @property
    def mean(self) -> float:
        return self.total / len(self.recent)

    @property
    def std(self) -> float:
        mean = self.mean
        return math.sqrt(max(self.squares / len(self.recent) - mean * mean, 0.0))

    def __len__(self) -> int:
        return len(self.recent)


class RollingMax:
    """Largest of the last `size` values: a deque of the candidates, decreasing."""

    def __init__(self, size: int) -> None:
        self.candidates: deque[tuple[int, float]] = deque()
        self.size = size
        self.count = 0

    def add(self, value: float) -> None:
        while self.candidates and self.candidates[-1][1] <= value:
            self.candidates.pop()
        self.candidates.append((self.count, value))
        self.count += 1
        if self.candidates[0][0] <= self.count - 1 - self.size:
            self.candidates.popleft()

    @property
    def value(self) -> float:
        return self.candidates[0][1] if self.candidates else -math.inf


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class Scale:
    """Robust spread of a model's residuals over a trailing window."""

    def __init__(self, size: int) -> None:
        self.errors = RollingQuantiles(size)

    def spread(self) -> float:
        if not self.errors:
            return math.inf
        return max(1.4826 * self.errors.quantile(0.5), 0.5 * self.errors.quantile(0.9), 1e-9)

    def z(self, residual: float) -> float:
        return 0.0 if not self.errors else abs(residual) / self.spread()

    def add(self, residual: float) -> None:
        self.errors.add(abs(residual))


class Local:
    """The next point is the median of the last few."""

    def __init__(self, points: int) -> None:
        self.values: deque[float] = deque(maxlen=points)

    def expect(self) -> float | None:
        return median(list(self.values)) if self.values else None

    def learn(self, value: float) -> None:
        self.values.append(value)


class Seasonal:
    """The next point is the last cycle's median plus the usual offset of its phase."""

    def __init__(self, period: int, cycles: int) -> None:
        self.period = period
        self.cycles = cycles
        self.cycle = RollingQuantiles(period)
        self.offsets: deque[float] = deque(maxlen=period * cycles)

    def expect(self) -> float | None:
        if len(self.offsets) < self.period:
            return None
        usual = [self.offsets[-k * self.period] for k in range(1, self.cycles + 1)
                 if k * self.period <= len(self.offsets)]
        return self.level() + median(usual)

    def level(self) -> float:
        return self.cycle.quantile(0.5)

    def learn(self, value: float) -> None:
        if self.cycle:
            self.offsets.append(value - self.level())
        self.cycle.add(value)


class Detector:
    """Score a stream: `update(value)` returns the point's score, expected value and surprise.

    `periods` are the seasonalities in points ((7,) for daily cost; a day and a week of
    points for metrics); a period below 2 is ignored. `calm` floors the spread of the usual
    recent surprise, so a series that is always equally surprising does not alarm on a
    hair's change; `record_points` 0 turns record surprises off (the daily-cost default).
    """

    def __init__(self, *, periods: tuple[int, ...] = (7,), cycles: int = 3,
                 local_points: int = 5, scale_points: int = 1000, short: int = 10,
                 long: int = 8000, calm: float = 0.02, spread: float = 0.05,
                 extreme_surprise: float = 2.0, record_points: int = 0,
                 record_ratio: float = 2.0, alarm: float = 0.5, refractory: int = 7,
                 warmup: int = 30) -> None:
        self.models: list[Local | Seasonal] = [Local(local_points)]
        self.models += [Seasonal(p, cycles) for p in periods if p >= 2]
        self.scales = [Scale(scale_points) for _ in self.models]
        self.recent = RollingMoments(short)
        self.usual = RollingMoments(long)
        self.calm = calm
        self.spread = spread
        self.extreme_surprise = extreme_surprise
        self.records = RollingMax(record_points) if record_points > 0 else None
        self.record_ratio = record_ratio
        self.alarm = alarm
        self.refractory = refractory
        self.warmup = warmup
        self.low, self.high = math.inf, -math.inf
        self.seen = 0
        self.quiet = 0

    def update(self, value: float) -> Point:
        expected, surprise = self.predict(value)
        self.recent.add(1 - math.exp(-surprise / 3))
        likelihood = self.damp(self.likelihood())
        # a new extreme that the models expected (a trend's new high) is no news
        extreme = self.extreme(value) if surprise >= self.extreme_surprise else 0.0
        score = max(likelihood, extreme, self.record(surprise))
        self.usual.add(self.recent.mean)
        self.low, self.high = min(self.low, value), max(self.high, value)
        self.seen += 1
        return Point(score if self.seen > self.warmup else 0.0, expected, value, surprise)

    def predict(self, value: float) -> tuple[float, float]:
        """The expectation of the model that fits best so far, and the mean z-score."""
        scored = []
        best, tightest = value, math.inf
        for model, scale in zip(self.models, self.scales, strict=True):
            guess = model.expect()
            if guess is not None:
                scored.append((scale.z(value - guess), guess))
                if scale.spread() < tightest:
                    best, tightest = guess, scale.spread()
                scale.add(value - guess)
            model.learn(value)
        if not scored:
            return value, 0.0
        return best, sum(z for z, _ in scored) / len(scored)

    def likelihood(self) -> float:
        """Log-scaled tail probability of the recent mean surprise among the usual ones."""
        if len(self.usual) < 50:
            return 0.0
        sigma = max(self.usual.std, self.calm)
        tail = 0.5 * math.erfc((self.recent.mean - self.usual.mean) / (sigma * math.sqrt(2)))
        return min(1.0, math.log(tail + TAIL_FLOOR) / math.log(TAIL_FLOOR))

    def extreme(self, value: float) -> float:
        """1 for a value beyond the range seen so far by more than `spread` of it."""
        margin = self.spread * (self.high - self.low)
        beyond = self.seen > 0 and not self.low - margin <= value <= self.high + margin
        return 1.0 if beyond else 0.0

    def record(self, surprise: float) -> float:
        """1 for a surprise `record_ratio` times the largest of the last `record_points`,
        once a quarter of that window has been seen."""
        if self.records is None:
            return 0.0
        largest = self.records.value
        self.records.add(surprise)
        settled = self.seen > self.records.size // 4
        return 1.0 if settled and surprise >= 3 and surprise > self.record_ratio * largest else 0.0

    def damp(self, score: float) -> float:
        """Halve the likelihood for a while after it alarms: one drift, one alarm."""
        if self.quiet > 0:
            self.quiet -= 1
            return score / 2
        if score >= self.alarm:
            self.quiet = self.refractory
        return score
