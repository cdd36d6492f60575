"""boto3 clients for one target, and the retries botocore does not do itself.

Endpoint and credentials follow boto3's usual chain (`AWS_ENDPOINT_URL`, profiles, the
instance role); a target's `endpoint` in purser.yaml overrides the endpoint. botocore's
"standard" retry mode already retries throttling and transient errors with exponential
backoff and full jitter; `with_retries` adds the errors that are transient only in the
reconciler's eyes, such as a role that IAM has not yet propagated to Lambda.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import boto3
import botocore.session
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from botocore.loaders import create_loader

from purser.reconcile.appliers import ApplyError

T = TypeVar("T")
MAX_ATTEMPTS = 6
BASE_DELAY_S = 0.2
MAX_DELAY_S = 5.0
# (error code, text in the message) that mean "try again shortly", beyond botocore's own.
EVENTUALLY_CONSISTENT = (
    ("InvalidParameterValueException", "cannot be assumed"),
    ("ResourceConflictException", "in progress"),
    ("ResourceInUseException", ""),
    ("ConflictException", ""),
    ("OperationAborted", ""),
)
# Service models are parsed once per process: a new session would parse each service's
# JSON model again (tens of milliseconds per client), and a controller makes a target's
# clients on every sync. The loader only caches files read from botocore's own data.
_MODELS = create_loader()


class Aws:
    """Clients for one region and endpoint, shared by the applier's threads (boto3
    clients are thread-safe; making them is not, hence the lock)."""

    def __init__(self, region: str, endpoint: str | None = None) -> None:
        self.region = region
        self.endpoint = endpoint
        core = botocore.session.get_session()
        core.register_component("data_loader", _MODELS)
        self._session = boto3.session.Session(botocore_session=core, region_name=region)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._config = BotoConfig(retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
                                  max_pool_connections=32, connect_timeout=10,
                                  read_timeout=60)

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service, endpoint_url=self.endpoint, config=self._config)
            return self._clients[service]


def error_code(error: BaseException) -> str:
    return error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) \
        else ""


def is_not_found(error: BaseException) -> bool:
    code = error_code(error)
    return "NotFound" in code or code in ("NoSuchEntity", "NoSuchBucket",
                                          "AWS.SimpleQueueService.NonExistentQueue",
                                          "ResourceNotFoundException", "NotFoundException")


def with_retries(call: Callable[[], T], *, what: str,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """`call()`, again after an exponentially growing, jittered pause while the error is
    one of `EVENTUALLY_CONSISTENT`; any other error becomes `ApplyError` naming `what`."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return call()
        except ClientError as error:
            message = error.response.get("Error", {}).get("Message", "") or ""
            transient = any(error_code(error) == code and text in message
                            for code, text in EVENTUALLY_CONSISTENT)
            if not transient or attempt == MAX_ATTEMPTS - 1:
                raise ApplyError(f"{what}: {error_code(error)}: {' '.join(message.split())}"
                                 ) from error
        except BotoCoreError as error:  # unreachable endpoint, a value the API refuses
            raise ApplyError(f"{what}: {' '.join(str(error).split())}") from error
        sleep(min(MAX_DELAY_S, BASE_DELAY_S * 2 ** attempt) * random.uniform(0.5, 1.0))
    raise AssertionError("unreachable")


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Reads (botocore already retried what is transient): any error becomes `ApplyError`."""
    try:
        yield
    except ClientError as error:
        message = error.response.get("Error", {}).get("Message", "") or ""
        raise ApplyError(f"{what}: {error_code(error)}: {' '.join(message.split())}"
                         ) from error
    except BotoCoreError as error:
        raise ApplyError(f"{what}: {' '.join(str(error).split())}") from error
