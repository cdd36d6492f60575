"""Daily cost anomalies, each with its root causes and the commits behind them.

1. Detection: every daily cost series (the total, each service, team, application and
   resource) goes through the streaming detector (`purser.insight.detector`, weekly
   seasonality; its seasonal model follows trend). A day is anomalous when its score
   reaches `alarm` and spend stands at least `min_impact_usd` away from what the detector
   expected. Falls are reported too (a function that stopped being called, a queue no
   longer fed): they are often an outage that the bill sees first.
2. One anomaly per episode: flags of one series within `episode_days` of each other are
   one episode, reported on its first day with its whole excess (each day against the same
   weekday of the week before, for as long as it stays at least `min_impact_usd`). A fall
   right after a rise is that rise ending and belongs to its episode. Episodes of different
   series that overlap in time and share resources are one event: it is reported on the
   most specific series (the fewest resources) whose impact explains at least
   `explain_share` of the broader one's.
3. Root cause (`purser.insight.rootcause`): the dimension values ranked by contribution to
   the change against the week before; cost against usage for the top resource.
4. Change attribution (`purser.insight.attribution`): commits in the `window_days` before
   that changed the resources behind the root causes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from purser.insight.attribution import Change, History
from purser.insight.detector import Detector
from purser.insight.rootcause import Breakdown, Cause, RootCause, UsageShift, usage_shift
from purser.warehouse.queries import UNALLOCATED, UNTAGGED

if TYPE_CHECKING:
    import pandas

    from purser.config import Config
    from purser.store import Database
    from purser.warehouse.queries import Engine

ACTOR, ACTION = "purser insight", "anomaly"


class AnomalySettings(BaseModel):
    min_impact_usd: float = Field(default=0.25, ge=0)  # purser.yaml insight.anomaly_min_impact_usd
    alarm: float = Field(default=0.5, ge=0, le=1)  # the detector's score for a one-in-100,000 day
    # Three weeks before the detector speaks: its weekly model needs a cycle and its error
    # scales a couple more; the demo's first anomaly comes four weeks into 90 days.
    warmup_days: int = Field(default=21, ge=7)
    history_days: int = Field(default=60, ge=14)  # read before --since, so the detector has it
    episode_days: int = Field(default=7, ge=1)  # the detector's refractory week
    overlap_days: int = Field(default=2, ge=0)  # series flag one event a day or two apart
    explain_share: float = Field(default=0.6, gt=0, le=1)
    baseline_days: int = Field(default=7, ge=1)  # root causes: a week, every weekday once
    window_days: int = Field(default=3, ge=0)  # commits this many days before the anomaly
    max_causes: int = Field(default=8, ge=1)


class Anomaly(BaseModel):
    date: datetime.date
    series: str  # total, or service:, team:, application:, resource: and its value
    direction: Literal["rise", "fall"] = "rise"
    impact_usd: float  # observed minus expected, that day (negative for a fall)
    # The episode's whole excess: each day's spend minus the same weekday of the week before,
    # summed from its first day for as long as it stayed at least the minimum impact.
    total_impact_usd: float = 0.0
    days: int = 1
    expected_usd: float
    observed_usd: float
    score: float
    root_causes: list[RootCause] = Field(default_factory=list)
    usage: UsageShift | None = None
    commits: list[Change] = Field(default_factory=list)
    explanation: str = ""

    @property
    def cause(self) -> Cause | None:
        return self.usage.cause if self.usage else None

    def resources(self) -> list[str]:
        """The declared resources among the root causes, largest contribution first."""
        return [c.value for c in self.root_causes if c.dimension == "resource"
                and c.value not in (UNTAGGED, UNALLOCATED) and not c.value.startswith("arn:")]

    def report(self) -> dict[str, object]:
        """The JSON of `purser anomalies --format json`."""
        return {"date": self.date.isoformat(), "series": self.series,
                "direction": self.direction, "impact_usd": self.impact_usd,
                "total_impact_usd": self.total_impact_usd, "days": self.days,
                "score": self.score,
                "root_causes": [c.model_dump() for c in self.root_causes],
                "commits": [c.model_dump(mode="json") for c in self.commits],
                "explanation": self.explanation}


@dataclass
class _Episode:
    series: str
    first: datetime.date
    last: datetime.date
    impact: float  # signed, first day
    expected: float
    observed: float
    score: float
    resources: frozenset[str]
    total: float = 0.0  # signed, the whole excess
    days: int = 1

    @property
    def sign(self) -> int:
        return 1 if self.impact >= 0 else -1

    @property
    def size(self) -> float:
        return abs(self.impact)

    def measure(self, daily: pandas.Series, min_impact: float) -> None:
        """The whole excess: from the first day on, each day's spend minus the same weekday
        of the week before the episode (the detector itself adapts to a lasting shift within
        days, so its expectation would understate a change that stays), for as long as that
        stays at least `min_impact` on the episode's side."""
        import pandas

        first = pandas.Timestamp(self.first)
        before = daily[(daily.index < first) & (daily.index >= first - pandas.Timedelta(days=7))]
        if len(before) < 7:
            self.total = self.impact
            return
        baseline = {day.dayofweek: float(value) for day, value in before.items()}
        self.total, self.days = 0.0, 0
        for day, value in daily[daily.index >= first].items():
            excess = float(value) - baseline[day.dayofweek]
            if excess * self.sign < min_impact and self.days:
                break
            self.total, self.days = self.total + excess, self.days + 1


def detect(engine: Engine, *, since: datetime.date | None = None,
           settings: AnomalySettings | None = None, root: Path | None = None,
           config: Config | None = None) -> list[Anomaly]:
    """The anomalies from `since` on, explained; with `root` and `config`, the commits of
    that repository are attributed too."""
    settings = settings or AnomalySettings()
    start = since - datetime.timedelta(days=settings.history_days) if since else None
    breakdown = Breakdown.load(engine, start)
    if breakdown.empty:
        return []
    episodes = _distinct(_episodes(breakdown, since, settings), settings)
    usage = _usage(engine)
    anomalies = [_explained(e, breakdown, usage, settings) for e in episodes]
    if root is not None and config is not None:
        history = History(root, config)
        try:
            anomalies = [_attributed(a, history, settings) for a in anomalies]
        finally:
            history.close()
    return [a.model_copy(update={"explanation": explain(a)}) for a in anomalies]


# ------------------------------------------------------------------------------ episodes

def _episodes(breakdown: Breakdown, since: datetime.date | None,
              settings: AnomalySettings) -> list[_Episode]:
    found = []
    for series, daily in breakdown.series().items():
        detector = Detector(periods=(7,), warmup=settings.warmup_days)
        current: _Episode | None = None
        for day, value in daily.items():
            point = detector.update(float(value))
            date = day.date()
            if point.score < settings.alarm or abs(point.impact) < settings.min_impact_usd:
                continue
            # A fall soon after a rise is the rise ending (a sale over, a fix merged).
            if current and (date - current.last).days <= settings.episode_days:
                current.last, current.score = date, max(current.score, point.score)
                continue
            current = _Episode(series, date, date, round(point.impact, 2),
                               round(point.expected, 2), round(point.observed, 2),
                               round(point.score, 3), breakdown.resources(series))
            found.append(current)
        for episode in found:
            if episode.series == series:
                episode.measure(daily, settings.min_impact_usd)
    # An episode begun before `since` is not new, whatever days of it fall after.
    return [e for e in found if since is None or e.first >= since]


def _distinct(episodes: list[_Episode], settings: AnomalySettings) -> list[_Episode]:
    """One episode per event, on the most specific series that explains it."""
    alive = sorted(episodes, key=lambda e: (-len(e.resources), -e.size))
    kept: list[_Episode] = []
    while alive:
        broad = alive.pop(0)
        parts = [e for e in alive if e.resources <= broad.resources and _near(e, broad, settings)
                 and e.sign == broad.sign]
        explaining = [e for e in [broad, *parts]
                      if e.size >= settings.explain_share * broad.size]
        chosen = min(explaining, key=lambda e: (len(e.resources), -e.size))
        alive = [e for e in alive if e is chosen or not (
            e.resources & chosen.resources and _near(e, chosen, settings))]
        if chosen is broad:
            kept.append(broad)
    return sorted(kept, key=lambda e: (e.first, e.series))


def _near(a: _Episode, b: _Episode, settings: AnomalySettings) -> bool:
    return abs((a.first - b.first).days) <= settings.overlap_days


# ---------------------------------------------------------------------------- explaining

def _usage(engine: Engine) -> pandas.DataFrame:
    import pandas

    from purser.insight.rootcause import USAGE_METRICS
    from purser.warehouse.queries import daily_usage

    frames = [daily_usage(engine, metric).assign(metric=metric) for metric in USAGE_METRICS]
    usage = pandas.concat(frames, ignore_index=True)
    usage["ds"] = pandas.to_datetime(usage["ds"])
    return usage


def _explained(episode: _Episode, breakdown: Breakdown, usage: pandas.DataFrame,
               settings: AnomalySettings) -> Anomaly:
    """The episode with its largest contributions in its direction (at least a tenth of the
    impact each)."""
    causes = breakdown.contributions(episode.series, episode.first,
                                     baseline_days=settings.baseline_days)
    floor = max(0.1 * episode.size, 0.01)
    top = [c for c in sorted(causes, key=lambda c: -c.contribution_usd * episode.sign)
           if c.contribution_usd * episode.sign >= floor][:settings.max_causes]
    anomaly = Anomaly(date=episode.first, series=episode.series,
                      direction="rise" if episode.sign > 0 else "fall",
                      impact_usd=episode.impact, total_impact_usd=round(episode.total, 2),
                      days=episode.days, expected_usd=episode.expected,
                      observed_usd=episode.observed, score=episode.score, root_causes=top)
    for resource in anomaly.resources()[:1]:
        anomaly.usage = usage_shift(breakdown, usage, resource, episode.first,
                                    baseline_days=settings.baseline_days)
    return anomaly


def _attributed(anomaly: Anomaly, history: History, settings: AnomalySettings) -> Anomaly:
    changes = history.changes(anomaly.date, anomaly.resources(),
                              window_days=settings.window_days)
    return anomaly.model_copy(update={"commits": changes})


def explain(anomaly: Anomaly) -> str:
    """The verdict in words: the money, where it came from, why, and which commit."""
    side = "above" if anomaly.direction == "rise" else "below"
    parts = [f"{anomaly.series} spent ${anomaly.observed_usd:,.2f} on {anomaly.date}, "
             f"${abs(anomaly.impact_usd):,.2f} {side} the expected ${anomaly.expected_usd:,.2f} "
             f"(score {anomaly.score:.2f})"]
    if anomaly.days > 1:
        parts.append(f"${abs(anomaly.total_impact_usd):,.2f} {side} over {anomaly.days} days")
    resources = [c for c in anomaly.root_causes if c.dimension == "resource"][:3]
    if resources:
        parts.append("mostly " + ", ".join(f"{c.value} ({c.contribution_usd:+,.2f} USD)"
                                           for c in resources))
    if anomaly.usage is not None:
        parts.append(f"{anomaly.usage.resource}: {anomaly.usage.sentence()}")
    if anomaly.commits:
        parts.append("began after " + "; ".join(c.sentence() for c in anomaly.commits))
    else:
        parts.append("no commit changed these resources in the days before")
    return "; ".join(parts) + "."


def record(db: Database, anomalies: list[Anomaly]) -> None:
    """Every verdict to the ledger, with its explanation and the commit it points at."""
    from purser import ledger

    for anomaly in anomalies:
        ledger.append(db, ledger.Event(
            actor=ACTOR, action=ACTION, subject=f"{anomaly.series} on {anomaly.date}",
            outcome=anomaly.cause or "unexplained", explanation=anomaly.explanation,
            revision=anomaly.commits[-1].sha if anomaly.commits else None))
