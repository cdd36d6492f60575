"""Data sent out to the internet: "10 TB of egress a month", "bandwidth of 2 TB/month",
"500 GB/day of data transfer out". FinOps reads it as a cost driver in its own right, so it
becomes `traffic.egress_gb` (GB a month) for the blueprint to price, or to say it cannot."""

from __future__ import annotations

import re

from purser.generate.reading import Reading

_SIZE = r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>mb|gb|gib|tb|tib|pb)\b"
_NOUN = (r"(?:internet |outbound |network )?(?:egress|data[- ]transfer(?:[- ]out)?|"
         r"transfer[- ]out|bandwidth|outbound (?:data|traffic|transfer))(?: traffic)?")


def _per(tag: str) -> str:
    return (rf"(?:\s*(?:(?:a|per|/|each|every)\s*(?P<p{tag}>month|mo|day|night|week)\b|"
            rf"(?P<q{tag}>monthly|daily)))")


_SCALE = {"mb": 1 / 1024, "gb": 1, "gib": 1, "tb": 1024, "tib": 1024, "pb": 1024**2}
_PER_MONTH = {"month": 1, "mo": 1, "monthly": 1, "day": 30.4, "night": 30.4, "daily": 30.4,
              "week": 4.35}


def read_egress(r: Reading) -> None:
    forms = (rf"{_SIZE}{_per('1')}?\s*(?:of\s+)?{_NOUN}{_per('2')}?",
             rf"{_NOUN}\s*(?:of|:|=|at|around|about|~)?\s*{_SIZE}{_per('3')}?")
    for form in forms:
        for match in r.find(form):
            per = _period(match)
            gb = float(match.group("n").replace(",", "")) * _SCALE[match.group("u")]
            r.set("egress_gb", round(gb * _PER_MONTH[per or "month"], 3), match, "the egress")
            if per is None:
                r.assume("the egress is monthly",
                         "the intent gives a volume of data transfer without a period")


def _period(match: re.Match[str]) -> str | None:
    """The period of a match with `_PER` written before and/or after the noun."""
    found = [value for name, value in match.groupdict().items()
             if value and name.rstrip("0123456789") in ("p", "q")]
    return found[0] if found else None
