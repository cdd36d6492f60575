"""A push webhook: `POST /hooks/push` starts the controller's next round at once.

GitHub and GitLab push payloads (or an empty body) are accepted. With a shared secret,
a request must carry GitHub's `X-Hub-Signature-256` (HMAC-SHA256 of the body) or GitLab's
`X-Gitlab-Token`; anything else is 401. The body is bounded (413 past `MAX_BODY`), read
only to check its signature and its branch, and never echoed: answers are fixed words.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/hooks/push"
MAX_BODY = 1 << 20
READ_SECONDS = 10  # a client that stalls mid-request loses its connection


def signed(secret: bytes, body: bytes) -> str:
    """GitHub's X-Hub-Signature-256 value for `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verified(secret: bytes | None, headers: Message, body: bytes) -> bool:
    if secret is None:
        return True
    signature = headers.get("X-Hub-Signature-256")
    if signature is not None:
        return hmac.compare_digest(signed(secret, body).encode(), signature.encode())
    token = headers.get("X-Gitlab-Token")
    return token is not None and hmac.compare_digest(secret, token.encode())


def concerns(branch: str | None, body: bytes) -> bool:
    """False only for a payload that names another branch than the tracked one."""
    if not branch or branch == "HEAD":
        return True
    try:
        ref = json.loads(body).get("ref")
    except (ValueError, AttributeError):
        return True  # not a push payload we can read: a round costs little
    return not isinstance(ref, str) or ref in (branch, f"refs/heads/{branch}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], wake: Callable[[], None],
                 secret: bytes | None, branch: str | None) -> None:
        super().__init__(address, _Handler)
        self.wake, self.secret, self.branch = wake, secret, branch


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = READ_SECONDS

    def do_POST(self) -> None:
        if self.path.partition("?")[0] != PATH:
            return self._answer(404, "not found")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._answer(400, "bad Content-Length")
        if length < 0 or length > MAX_BODY:
            return self._answer(413, "payload too large")
        body = self.rfile.read(length)
        if not verified(self.server.secret, self.headers, body):
            return self._answer(401, "bad signature")
        if not concerns(self.server.branch, body):
            return self._answer(202, "ignored: a push to another branch")
        self.server.wake()
        return self._answer(202, "round scheduled")

    def do_GET(self) -> None:
        self._answer(405 if self.path.partition("?")[0] == PATH else 404, "POST only")

    def _answer(self, status: int, word: str) -> None:
        if status >= 400:
            self.close_connection = True  # an unread body must not be taken as a request
        data = (word + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the controller logs what it does; request lines would only be noise


class Webhook:
    """The endpoint, served from a thread until `stop`."""

    def __init__(self, wake: Callable[[], None], *, port: int = 0, host: str = "127.0.0.1",
                 secret: bytes | None = None, branch: str | None = None) -> None:
        self._server = _Server((host, port), wake, secret, branch)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="purser-webhook")

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> Webhook:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
