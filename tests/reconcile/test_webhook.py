"""The push webhook: a signed push wakes the controller; anything else is turned away."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from purser.reconcile.controller import Controller
from purser.reconcile.webhook import MAX_BODY, Webhook, signed
from purser.store import open_database
from tests.reconcile.controllers import commit_apps, syncs

SECRET = b"s3cret"
PUSH = json.dumps({"ref": "refs/heads/main", "after": "0" * 40}).encode()


@pytest.fixture
def woken() -> Iterator[tuple[Webhook, threading.Event]]:
    event = threading.Event()
    hook = Webhook(event.set, secret=SECRET, branch="main").start()
    yield hook, event
    hook.stop()


def post(port: int, body: bytes, headers: dict[str, str] | None = None,
         path: str = "/hooks/push", method: str = "POST") -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_github_signed_push_wakes_the_controller(woken):
    hook, event = woken
    status, body = post(hook.port, PUSH, {"X-Hub-Signature-256": signed(SECRET, PUSH)})
    assert (status, body) == (202, b"round scheduled\n")
    assert event.is_set()


def test_a_gitlab_token_push_wakes_the_controller(woken):
    hook, event = woken
    assert post(hook.port, PUSH, {"X-Gitlab-Token": SECRET.decode()})[0] == 202
    assert event.is_set()


def test_a_bad_or_missing_signature_is_401_and_wakes_nothing(woken):
    hook, event = woken
    assert post(hook.port, PUSH, {"X-Hub-Signature-256": signed(b"other", PUSH)})[0] == 401
    assert post(hook.port, PUSH, {"X-Hub-Signature-256": "sha256=zz\u00e9"})[0] == 401
    assert post(hook.port, PUSH, {"X-Gitlab-Token": "guess"})[0] == 401
    assert post(hook.port, PUSH)[0] == 401
    assert not event.is_set()


def test_a_body_over_the_bound_is_413_and_never_echoed(woken):
    hook, event = woken
    connection = http.client.HTTPConnection("127.0.0.1", hook.port, timeout=10)
    connection.putrequest("POST", "/hooks/push")
    connection.putheader("Content-Length", str(MAX_BODY + 1))
    connection.endheaders()  # answered before a byte of the body is sent
    response = connection.getresponse()
    assert (response.status, response.read()) == (413, b"payload too large\n")
    connection.close()
    assert post(hook.port, b"<script>", {"X-Gitlab-Token": "guess"}) == (401, b"bad signature\n")
    assert not event.is_set()


def test_a_push_to_another_branch_or_path_wakes_nothing(woken):
    hook, event = woken
    other = json.dumps({"ref": "refs/heads/feature"}).encode()
    status, body = post(hook.port, other, {"X-Hub-Signature-256": signed(SECRET, other)})
    assert (status, body) == (202, b"ignored: a push to another branch\n")
    assert post(hook.port, PUSH, path="/other")[0] == 404
    assert post(hook.port, b"", method="GET")[0] == 405
    assert not event.is_set()


def test_an_empty_push_without_a_secret_is_accepted() -> None:
    event = threading.Event()
    hook = Webhook(event.set).start()
    try:
        assert post(hook.port, b"")[0] == 202
    finally:
        hook.stop()
    assert event.is_set()


def test_a_push_starts_a_round_before_the_interval_ends(tmp_path: Path, aws):
    first = commit_apps(tmp_path, {"orders": []})
    with open_database(f"sqlite:///{tmp_path / 'state.db'}") as db:
        controller = Controller(tmp_path, db, "c1", interval=3600)
        hook = Webhook(controller.wake).start()
        runner = threading.Thread(target=controller.run, kwargs={"rounds": 2})
        runner.start()
        try:
            while not controller.metrics.registry.get_sample_value("purser_rounds_total"):
                runner.join(0.05)
            second = commit_apps(tmp_path, {"orders": []}, generation=1)
            assert post(hook.port, PUSH)[0] == 202
            runner.join(60)  # woken: the second round starts now, not in an hour
        finally:
            controller.stop()
            runner.join()
            hook.stop()
            controller.close()
        assert not runner.is_alive()
        assert syncs(db) == {("orders", first): 1, ("orders", second): 1}
