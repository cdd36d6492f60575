"""Score purser's streaming anomaly detector on the Numenta Anomaly Benchmark.

Runs `purser.insight.detector` over every series of ../shared/bench/nab (58 files, about
366k points), scores it with NAB's rules (benchmarks/nabscore.py) for the three profiles,
on the whole corpus and on the realAWSCloudwatch subset (at the corpus's threshold), and
prints the scores beside the published ones. `--check` first validates the scorer: the
perfect detector must score 100, the null one 0, and a re-implementation of NAB's
Windowed Gaussian baseline should land near its published score.

    python benchmarks/nab.py [--nab PATH] [--check]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from nabscore import Outcome, Profile, Series, load_corpus, load_profiles, score_at, sweep

from purser.insight.detector import Detector

NAB = Path(__file__).resolve().parents[2] / "shared" / "bench" / "nab"
SUBSET = "realAWSCloudwatch/"
TARGET = 74.9
DAY = np.timedelta64(1, "D")

Scores = dict[str, np.ndarray]


def points_per_day(series: Series) -> int:
    """The daily period in points, from the median sampling interval (domain knowledge)."""
    step = np.median(np.diff(series.timestamps))
    return max(1, round(DAY / step))


def purser(series: Series) -> np.ndarray:
    """One parameter set for the whole corpus (NAB's rule); only the daily period comes
    from the series, from its sampling interval. Likelihood of the last 12 points'
    surprise among the last 5,000 such means, record surprises over the last 8,000
    points, a refractory of 100 points after a likelihood alarm."""
    detector = Detector(periods=(points_per_day(series),), short=12, long=5000, calm=0.05,
                        extreme_surprise=1.5, record_points=8000, record_ratio=2.0,
                        refractory=100)
    return np.array([detector.update(float(v)).score for v in series.values])


def perfect(series: Series) -> np.ndarray:
    scores = np.zeros(len(series.values))
    scores[[start for start, _ in series.windows]] = 1.0
    return scores


def null(series: Series) -> np.ndarray:
    return np.zeros(len(series.values))


def windowed_gaussian(series: Series, size: int = 6400, step: int = 100) -> np.ndarray:
    """NAB's Windowed Gaussian baseline, from its description: 1 - the normal tail
    probability of each value under the mean and deviation of a trailing window that
    grows to `size` points, then slides by `step`."""
    scores = np.zeros(len(series.values))
    window: list[float] = []
    pending: list[float] = []
    mean, std = 0.0, 1.0
    for i, value in enumerate(series.values):
        if window:
            z = abs(value - mean) / std
            scores[i] = 1 - 0.5 * math.erfc(z / math.sqrt(2))
        if len(window) < size:
            window.append(value)
        else:
            pending.append(value)
            if len(pending) < step:
                continue
            window = window[step:] + pending
            pending = []
        mean, std = float(np.mean(window)), float(np.std(window)) or 1e-6
    return scores


def run(corpus: list[Series], detector: Callable[[Series], np.ndarray]) -> Scores:
    return {series.name: detector(series) for series in corpus}


def evaluate(corpus: list[Series], scores: Scores,
             profiles: list[Profile]) -> dict[str, tuple[Outcome, Outcome]]:
    subset = [s for s in corpus if s.name.startswith(SUBSET)]
    results = {}
    for profile in profiles:
        whole = sweep(corpus, scores, profile)
        results[profile.name] = (whole, score_at(subset, scores, profile, whole.threshold))
    return results


def check(corpus: list[Series], profiles: list[Profile], published: dict) -> None:
    for name, detector in [("perfect", perfect), ("null", null),
                           ("windowedGaussian", windowed_gaussian)]:
        results = evaluate(corpus, run(corpus, detector), profiles)
        line = "  ".join(f"{p}: {whole.normalised:6.1f}"
                         for p, (whole, _) in results.items())
        known = published.get(name, {})
        print(f"check {name:<17} {line}   published: "
              + "  ".join(f"{p}: {v:.1f}" for p, v in known.items()))


PEERS = {"ARTime": "ARTime", "numenta": "Numenta HTM", "contextOSE": "CAD OSE"}


def report(results: dict[str, tuple[Outcome, Outcome]], published: dict) -> None:
    """purser beside the published detectors, profile by profile. The threshold is
    optimised per profile over the whole corpus, as NAB's own optimiser does; the AWS
    subset is scored at the corpus threshold (NAB publishes whole-corpus scores only)."""
    peers = [(label, published[key]) for key, label in PEERS.items() if key in published]
    print(f"\n{'profile':<20} {'purser':>7} {'AWS':>7} {'threshold':>10}"
          + "".join(f" {label:>12}" for label, _ in peers))
    for profile, (whole, aws) in results.items():
        print(f"{profile:<20} {whole.normalised:7.1f} {aws.normalised:7.1f} "
              f"{whole.threshold:10.4f}"
              + "".join(f" {scores.get(profile, math.nan):12.1f}" for _, scores in peers))
    print("(threshold: NAB's rule, one per profile maximising the whole corpus's score; "
          "published figures are whole-corpus)")
    standard = results["standard"][0].normalised
    verdict = "above" if standard > TARGET else "below"
    print(f"\nstandard profile: {standard:.1f}, {verdict} the {TARGET} target (ARTime)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab", type=Path, default=NAB)
    parser.add_argument("--check", action="store_true", help="validate the scorer first")
    args = parser.parse_args()
    corpus, profiles = load_corpus(args.nab), load_profiles(args.nab)
    results_file = args.nab / "results" / "final_results.json"
    published = json.loads(results_file.read_text()) if results_file.exists() else {}
    if args.check:
        check(corpus, profiles, published)
    started = time.perf_counter()
    scores = run(corpus, purser)
    seconds = time.perf_counter() - started
    points = sum(len(s.values) for s in corpus)
    print(f"purser detector: {points:,} points in {seconds:.1f} s "
          f"({points / seconds:,.0f} points/s)")
    report(evaluate(corpus, scores, profiles), published)


if __name__ == "__main__":
    main()
