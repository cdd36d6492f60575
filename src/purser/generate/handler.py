"""The code a generated Lambda function starts with: a small handler source file and its
deployment zip, so that the branch can be applied as it is (`purser sync` reads the zip
the function's `filename` names from the repository).

The zip is built with fixed dates, modes and order and without compression, so the same
intent gives the same bytes on any machine (and the same `CodeSha256`: a re-generation
shows no code change in a plan).
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from purser.generate.spec import IntentSpec

SOURCE_FILE = "src/app.py"
ZIP_FILE = "build/handler.zip"
HANDLER = "app.handler"  # module `app` (app.py at the zip's top), function `handler`
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold

_SOURCE = '''"""{name}: the handler purser generate started it with ({pattern}).

Replace the body with the application's logic; rebuild build/handler.zip from this folder
(app.py at the top of the zip) when it changes.
"""

import json
import logging

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)


def handler(event, context):
    """Acknowledge what arrived: an HTTP request, queue messages, or a scheduled event."""
    records = event.get("Records") if isinstance(event, dict) else None
    if records is not None:
        LOG.info("received %d record(s)", len(records))
        return {{"batchItemFailures": []}}
    LOG.info("received %s", json.dumps(event, default=str)[:1000])
    return {{"statusCode": 200, "headers": {{"content-type": "application/json"}},
            "body": json.dumps({{"ok": True, "app": "{name}"}})}}
'''


def source(spec: IntentSpec) -> str:
    """The handler's Python source for `spec` (its name is a slug: nothing to escape)."""
    return _SOURCE.format(name=spec.name, pattern=spec.pattern)


def package(code: str) -> bytes:
    """A reproducible zip holding `code` as app.py."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        entry = zipfile.ZipInfo(posixpath.basename(SOURCE_FILE), date_time=_EPOCH)
        entry.external_attr = 0o644 << 16
        entry.create_system = 3  # unix, so the mode above is the one read back
        archive.writestr(entry, code.encode("utf-8"))
    return out.getvalue()
