"""An intent while the offline parser reads it: which characters each phrase consumed and
what each said, so that what is left over can be named in a refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from purser.generate.spec import Decision


class Refused(Exception):
    """An intent that cannot be turned into a spec; the message says what was not
    understood and how to say it."""


@dataclass
class Reading:
    """The intent while it is read: what each phrase said, and which characters are read."""

    text: str  # lower-cased, same length as the intent
    original: str
    read: list[bool] = field(init=False)
    fields: dict[str, Any] = field(default_factory=dict)
    said: list[Decision] = field(default_factory=list)
    cues: dict[str, list[str]] = field(default_factory=dict)  # pattern → words
    components: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.read = [False] * len(self.text)

    def find(self, pattern: str) -> list[re.Match[str]]:
        """Matches of `pattern` over characters not read yet."""
        found = []
        for match in re.finditer(pattern, self.text):
            if not any(self.read[match.start():match.end()]):
                found.append(match)
        return found

    def take(self, match: re.Match[str], group: int | str = 0) -> str:
        for index in range(match.start(group), match.end(group)):
            self.read[index] = True
        return self.original[match.start(group):match.end(group)].strip()

    def set(self, name: str, value: Any, match: re.Match[str], what: str) -> None:
        words = self.take(match)
        if name in self.fields and self.fields[name] != value:
            self.problems.append(f"{what} is given twice ({self.fields[name]!r} and "
                                 f"{value!r}); say it once")
            return
        self.fields[name] = value
        self.said.append(Decision(choice=f"{name} = {value}", reason=f'the intent says "{words}"',
                                  source="intent"))

    def assume(self, choice: str, reason: str) -> None:
        self.said.append(Decision(choice=choice, reason=reason, source="assumed"))

    def cue(self, pattern: str, words: str) -> None:
        self.cues.setdefault(pattern, []).append(words)

    def component(self, name: str) -> None:
        if name not in self.components:
            self.components.append(name)
