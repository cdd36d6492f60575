"""Schedules as people say them: "every 15 minutes", "hourly", "nightly", "at 2am UTC",
"daily at 03:30". Rates become `rate(...)`; a time of day becomes a daily EventBridge
`cron(M H * * ? *)` in UTC ("nightly" alone is 02:00 UTC, said as assumed)."""

from __future__ import annotations

import re

from purser.generate.reading import Reading

NIGHTLY_HOUR = 2  # UTC: after the day's traffic in Europe and the Americas' evening
_UNITS = {"minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
          "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day",
          "days": "day", "night": "night", "nights": "night", "week": "week", "weeks": "week"}
_RATES = {"hourly": "rate(1 hour)", "once an hour": "rate(1 hour)",
          "every half hour": "rate(30 minutes)", "every other day": "rate(2 days)",
          "twice a day": "rate(12 hours)", "twice daily": "rate(12 hours)",
          "weekly": "rate(7 days)", "once a week": "rate(7 days)"}
_DAILY = (r"nightly|every night|each night|at night|overnight|daily|every day|each day|"
          r"once a day|once daily|every morning|each morning")
_TIME = (r"\b(?:at|@)\s+(?:(?P<word>midnight|noon)|(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*"
         r"(?P<ap>am|pm|a\.m\.|p\.m\.|o'clock)?)(?:\s*(?P<tz>utc|gmt|z)\b)?"
         r"(?:\s*(?P<other>cet|cest|pst|pdt|est|edt|cst|cdt|bst|ist|jst|aest)\b)?")


def read_schedule(r: Reading) -> None:
    _time_of_day(r)
    for match in r.find(rf"\b(?:{'|'.join(_RATES)})\b"):
        r.set("schedule", _RATES[match.group(0)], match, "the schedule")
        r.cue("scheduled-job", match.group(0))
    for match in r.find(r"\b(?:every|each)\s+(?:(?P<n>\d{1,3})\s*)?(?P<u>minutes?|mins?|hours?|"
                        r"hrs?|days?|nights?|weeks?)\b"):
        count, unit = int(match.group("n") or 1), _UNITS[match.group("u")]
        if unit == "night" and count == 1:
            continue  # nightly: a time of day, below
        unit, count = {"night": ("day", count), "week": ("day", count * 7)}.get(
            unit, (unit, count))
        if count < 1:
            r.take(match)
            r.problems.append(f'"{match.group(0)}" is not a schedule')
            continue
        r.set("schedule", f"rate({count} {unit}{'s' if count > 1 else ''})", match,
              "the schedule")
        r.cue("scheduled-job", match.group(0))
    for match in r.find(rf"\b(?:{_DAILY})\b"):
        words = match.group(0)
        night = words in ("nightly", "every night", "each night", "at night", "overnight")
        if night:
            r.set("schedule", f"cron(0 {NIGHTLY_HOUR} * * ? *)", match, "the schedule")
            r.assume(f"nightly runs at {NIGHTLY_HOUR:02d}:00 UTC",
                     f'the intent says "{words}" without a time; say "at 1am UTC" to choose')
        else:
            r.set("schedule", "rate(1 day)", match, "the schedule")
        r.cue("scheduled-job", words)


def _time_of_day(r: Reading) -> None:
    for match in r.find(_TIME):
        if not (match.group("word") or match.group("m") or match.group("ap")
                or match.group("tz") or match.group("other")):
            continue  # "at 2" alone is not a time
        r.take(match)
        if match.group("other"):
            r.problems.append(f'schedules are read in UTC: give "{match.group(0).strip()}" '
                              "in UTC")
            continue
        hour, minute = _clock(match)
        if hour is None:
            r.problems.append(f'"{match.group(0).strip()}" is not a time of day')
            continue
        for daily in r.find(rf"\b(?:{_DAILY})\b"):
            r.take(daily)  # "nightly at 1am": one schedule, said once
        r.set("schedule", f"cron({minute} {hour} * * ? *)", match, "the schedule")
        r.cue("scheduled-job", match.group(0).strip())
        if not match.group("tz"):
            r.assume("the time of day is UTC", f'the intent says "{match.group(0).strip()}" '
                     "without a time zone; EventBridge schedules run in UTC")


def _clock(match: re.Match[str]) -> tuple[int | None, int]:
    word = match.group("word")
    if word:
        return (0 if word == "midnight" else 12), 0
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    suffix = (match.group("ap") or "").replace(".", "")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None, 0
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None, 0
    return hour, minute
