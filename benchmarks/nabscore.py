"""NAB's scoring, written from the rules in ../shared/bench/nab/README.md.

A detection is a point after the probationary period whose score reaches the threshold.
In a window only the earliest detection counts, worth tp × scaled sigmoid of its position
(≈ +1 at the window's start, 0 at its end); a window without one costs -fn. A detection
outside every window costs fp × scaled sigmoid of its distance past the preceding window
(-1 × fp when far away or when no window precedes it). The threshold is the one value
that maximises the summed score of the whole corpus; the normalised score puts the null
detector (never detects) at 0 and the perfect one (detects each window's first point)
at 100. The probationary period is NAB's: min(15 % of the series, 750 points).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

PROBATION_SHARE = 0.15


@dataclass(frozen=True)
class Profile:
    name: str
    tp: float
    fn: float
    fp: float


@dataclass(frozen=True)
class Series:
    """One labelled NAB file with its per-point scoring weights."""

    name: str
    timestamps: np.ndarray
    values: np.ndarray
    windows: list[tuple[int, int]]
    probation: int
    window_of: np.ndarray  # window index per point, -1 outside every window
    tp_value: np.ndarray  # scaled sigmoid of the point's position in its window
    fp_value: np.ndarray  # scaled sigmoid of the point's distance past the last window


@dataclass(frozen=True)
class Outcome:
    threshold: float
    raw: float
    null: float
    perfect: float

    @property
    def normalised(self) -> float:
        return 100 * (self.raw - self.null) / (self.perfect - self.null)


def scaled_sigmoid(position: float) -> float:
    """NAB's weighting: +1 early in a window, 0 at its end, -1 far beyond it."""
    if position > 3.0:
        return -1.0
    return 2 / (1 + math.exp(5 * position)) - 1


def probation_length(n: int) -> int:
    return min(math.floor(PROBATION_SHARE * n), int(PROBATION_SHARE * 5000))


def load_profiles(root: Path) -> list[Profile]:
    raw = json.loads((root / "config" / "profiles.json").read_text())
    return [Profile(name, c["tpWeight"], c["fnWeight"], c["fpWeight"])
            for name, c in ((n, p["CostMatrix"]) for n, p in raw.items())]


def load_corpus(root: Path) -> list[Series]:
    labels = json.loads((root / "labels" / "combined_windows.json").read_text())
    return [load_series(root / "data" / name, name, spans) for name, spans in labels.items()]


def load_series(path: Path, name: str, spans: list[list[str]]) -> Series:
    frame = pd.read_csv(path, parse_dates=["timestamp"])
    stamps = frame["timestamp"].to_numpy()
    windows = [(int(np.searchsorted(stamps, np.datetime64(pd.Timestamp(a)))),
                int(np.searchsorted(stamps, np.datetime64(pd.Timestamp(b)))))
               for a, b in spans]
    window_of, tp_value, fp_value = point_weights(len(stamps), windows)
    return Series(name, stamps, frame["value"].to_numpy(float), windows,
                  probation_length(len(stamps)), window_of, tp_value, fp_value)


def point_weights(n: int, windows: list[tuple[int, int]]) -> tuple[np.ndarray, ...]:
    window_of = np.full(n, -1)
    tp_value = np.zeros(n)
    fp_value = np.full(n, -1.0)
    previous: tuple[int, int] | None = None
    for w, (start, end) in enumerate(windows):
        width = end - start + 1
        for i in range(start, end + 1):
            window_of[i] = w
            tp_value[i] = scaled_sigmoid(-(end - i + 1) / width)
        previous = (end, width)
        following = windows[w + 1][0] if w + 1 < len(windows) else n
        for i in range(end + 1, following):
            fp_value[i] = scaled_sigmoid((i - previous[0]) / (previous[1] - 1))
    return window_of, tp_value, fp_value


def events(series: Series, scores: np.ndarray, profile: Profile) -> tuple[np.ndarray, ...]:
    """(score, change in total) pairs: the total at threshold t sums changes with score ≥ t."""
    scores = np.asarray(scores, float)
    live = np.arange(len(scores)) >= series.probation
    outside = live & (series.window_of < 0)
    keys = [scores[outside]]
    deltas = [profile.fp * series.fp_value[outside]]
    for w in range(len(series.windows)):
        inside = np.flatnonzero(live & (series.window_of == w))
        order = inside[np.argsort(-scores[inside], kind="stable")]
        best = np.maximum.accumulate(series.tp_value[order])
        gain = np.diff(np.concatenate([[-profile.fn / profile.tp], best])) * profile.tp
        keys.append(scores[order])
        deltas.append(gain)
    return np.concatenate(keys), np.concatenate(deltas)


def bounds(corpus: Iterable[Series], profile: Profile) -> tuple[float, float]:
    """Raw scores of the null and the perfect detector."""
    null = perfect = 0.0
    for series in corpus:
        for start, _ in series.windows:
            null -= profile.fn
            perfect += profile.tp * series.tp_value[max(start, series.probation)]
    return null, perfect


def sweep(corpus: list[Series], scores: Mapping[str, np.ndarray], profile: Profile) -> Outcome:
    """The corpus-wide threshold that maximises the raw score, and that score."""
    pairs = [events(s, scores[s.name], profile) for s in corpus]
    keys = np.concatenate([k for k, _ in pairs])
    deltas = np.concatenate([d for _, d in pairs])
    order = np.argsort(-keys, kind="stable")
    keys, totals = keys[order], np.cumsum(deltas[order])
    last_of_tie = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))
    null, perfect = bounds(corpus, profile)
    best = int(np.argmax(totals[last_of_tie]))
    if totals[last_of_tie][best] <= 0:
        return Outcome(math.inf, null, null, perfect)
    return Outcome(float(keys[last_of_tie][best]), null + float(totals[last_of_tie][best]),
                   null, perfect)


def score_at(corpus: list[Series], scores: Mapping[str, np.ndarray], profile: Profile,
             threshold: float) -> Outcome:
    """The raw and normalised score of a fixed threshold (for a subset of the corpus)."""
    null, perfect = bounds(corpus, profile)
    raw = null
    for series in corpus:
        keys, deltas = events(series, scores[series.name], profile)
        raw += float(deltas[keys >= threshold].sum())
    return Outcome(threshold, raw, null, perfect)
