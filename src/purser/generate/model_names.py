"""The model an AI service serves, as people name it: "a llama model", "serving
mistral-7b", "model gpt2", "the meta-llama/Llama-3-8B model", "model scorer@2.0". The name
becomes the spec's `model` (the `purser.dev/model-id` annotation); it is taken as written,
never filled in: an inference intent that names none is refused."""

from __future__ import annotations

import re
from collections.abc import Callable

from purser.generate.reading import Reading

#: Model families people name without a version ("a llama model", "serving whisper").
_FAMILY_WORDS = (
    "llama llama2 llama3 codellama mistral mixtral gemma phi qwen deepseek falcon bloom "
    "vicuna starcoder gpt2 gpt-j gpt-neox bert distilbert roberta t5 flan-t5 whisper clip "
    "sdxl stable-diffusion resnet yolo xgboost")
FAMILIES = frozenset(_FAMILY_WORDS.split())
#: Words that describe a model rather than name one ("an ML model", "the inference model").
_KIND_WORDS = (
    "a an the our my its this that ai ml llm machine learning language large small new "
    "trained custom inference prediction predictive serving deployed open source open-source "
    "hosted")
_KINDS = frozenset(_KIND_WORDS.split())
_TOKEN = r"(?P<m>[a-z0-9][a-z0-9._/:@-]{0,99})"


def read_model(r: Reading, *, reserved: Callable[[str], bool]) -> None:
    after = rf"\bmodel\s+(?:named\s+|called\s+|id\s+|:\s*|=\s*)?['\"`]?{_TOKEN}"
    serving = rf"\b(?:serving|serves?|hosting|hosts?|runs?|running|deploying)\s+{_TOKEN}"
    before = rf"\b{_TOKEN}\s+models?\b"
    for pattern, named in ((after, _any_name), (serving, _looks_like_a_model),
                           (before, _looks_like_a_model)):
        for match in r.find(pattern):
            written = r.original[match.start("m"):match.end("m")].rstrip(".:")
            if reserved(written.lower()) or not named(written.lower()):
                continue
            r.set("model", written, match, "the model")
            r.cue("ai-inference", match.group(0).strip())


def _any_name(word: str) -> bool:
    return word not in _KINDS and not word.startswith("card")


def _looks_like_a_model(word: str) -> bool:
    """A family, or a token only an id looks like (a digit, a version, an owner/path)."""
    if word in _KINDS or not word[0].isalpha():
        return "@" in word or "/" in word
    family = re.split(r"[-_.:/@]", word)[0]
    return (word in FAMILIES or family in FAMILIES or "@" in word or "/" in word
            or bool(re.search(r"[a-z]", word) and re.search(r"\d", word)))
