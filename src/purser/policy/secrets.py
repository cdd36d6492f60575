"""Is this value a secret written in clear? Judged by the value, helped by its name.

A known credential format (AWS access key id, GitHub, Slack, Stripe and Google keys, a
private key, a JWT) is a secret whatever the variable is called. A name that says secret
(`DB_PASSWORD`) makes a value one only when the value looks like one: placeholders
(`${…}`, `{{…}}`, `<…>`, `changeme`), references to Secrets Manager or SSM, numbers
(`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: "2773"`), switches and constant-like names
(`GOOGLE_API_KEY_VAL`) are not. Text with no telling name counts only when it is long
and as random as a generated key.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from purser.model import Severity

# (what it is, pattern): formats that are credentials by construction.
CREDENTIAL_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{60,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe secret key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("a JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[\w-]{8,}")),
    # The secret half of an AWS key pair, when written beside its name.
    ("an AWS secret access key", re.compile(
        r"(?i)aws_?secret_?(?:access_?)?key\W{0,4}[A-Za-z0-9/+]{40}\b")),
)

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|"
                         r"CREDENTIAL", re.IGNORECASE)
# Names that point at a secret or configure its client rather than hold it.
NOT_A_VALUE_NAME = re.compile(
    r"_(ARN|NAME|ID|URL|URI|PATH|FILE|PARAM|PARAMETER|REF|PORT|HOST|ENDPOINT|REGION|TTL|"
    r"TIMEOUT|SIZE|ENABLED|HEADER|LENGTH|VERSION|TYPE|FIELD|KEY_ID)$", re.IGNORECASE)
SWITCH_VALUES = frozenset({"0", "1", "true", "false", "yes", "no", "on", "off", "none",
                           "null", "enabled", "disabled"})
PLACEHOLDER = re.compile(
    r"\$\{.*\}|\{\{.*\}\}|^<.*>$|^\$[A-Z_]+$|^%[A-Z_]+%$|^your[-_ ]|"
    r"(^|[^a-z])(change[-_ ]?me|replace[-_ ]?me|example|placeholder|dummy|redacted|todo|mock|"
    r"fake)"
    r"([^a-z]|$)|^x+$|^\*+$|^secret$|^password$",
    re.IGNORECASE)
# Documentation and test values written in capitals and glued to other words
# (`DUMMYEXAMPLEKEY`, AWS's own `AKIAIOSFODNN7EXAMPLE`): a real generated key never spells
# one of these words in capitals, so they are examples even in a credential's format.
DOCUMENTATION_MARKER = re.compile(r"EXAMPLE|DUMMY|PLACEHOLDER|CHANGEME|REPLACEME|FAKE|MOCK")
REFERENCE = re.compile(
    r"^arn:|resolve:(secretsmanager|ssm)|/aws/reference/secretsmanager|^ssm:|^secretsmanager:|"
    r"^vault:|^sm://|^projects/[^/]+/secrets/", re.IGNORECASE)
CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")  # GOOGLE_API_KEY_VAL
NUMBER = re.compile(r"^[0-9.:-]+$")
MIN_NAMED_LENGTH = 6
# Unnamed text: a generated key is long and spreads over many symbols (base64: ~6 bits).
MIN_RANDOM_LENGTH = 32
MIN_RANDOM_BITS = 4.5


@dataclass(frozen=True)
class Judgement:
    why: str
    severity: Severity


def judge(name: str, value: object) -> Judgement | None:
    """Why `value` (of a variable or setting called `name`) is a secret in clear, or None."""
    if not isinstance(value, str) or not value.strip() or DOCUMENTATION_MARKER.search(value):
        return None
    for what, pattern in CREDENTIAL_FORMATS:
        if pattern.search(value):
            return Judgement(what, Severity.critical)
    if _not_a_secret(value):
        return None
    if SECRET_NAME.search(name) and not NOT_A_VALUE_NAME.search(name) \
            and len(value) >= MIN_NAMED_LENGTH:
        return Judgement("a literal value", Severity.critical)
    if _random_looking(value):
        # Without a telling name it may be an id or a digest: worth a look, not a block.
        return Judgement("a long random-looking value", Severity.medium)
    return None


def _not_a_secret(value: str) -> bool:
    text = value.strip()
    return (text.lower() in SWITCH_VALUES or bool(NUMBER.match(text))
            or bool(PLACEHOLDER.search(text)) or bool(REFERENCE.search(text))
            or bool(CONSTANT_NAME.match(text)))


def _random_looking(value: str) -> bool:
    if len(value) < MIN_RANDOM_LENGTH or re.search(r"\s|://|^/", value):
        return False
    classes = sum(bool(re.search(p, value)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes == 3 and entropy(value) >= MIN_RANDOM_BITS


def entropy(value: str) -> float:
    """Shannon entropy of the characters of `value`, in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def mask(value: str) -> str:
    """Enough of a value to find it, never the secret itself."""
    return value[:4] + "…" if len(value) > 8 else "…"
