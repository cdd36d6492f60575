"""Where AWS Price List files are read from: a local copy or an https address.

A local folder is laid out as AWS publishes the files (`offers/v1.0/aws/<Offer>/...`), so
the same relative paths work offline and online. Every path comes from a file that may
have been tampered with (a `region_index.json` names the per-region files), so a path
must look like a Price List path, stays inside the folder, and every read is bounded in
size and, online, in time; https only, also after a redirect.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from purser.safefile import Refused, read

#: The public, credential-free home of AWS's bulk offer files; a local copy cites it.
AWS_PRICE_LIST = "https://pricing.us-east-1.amazonaws.com"
#: Largest file read (the largest regional offer, EC2 in us-east-1, is a few hundred MB).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 120.0

_PATH = re.compile(r"/offers/v1\.0/aws/(?:[A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+\.(?:json|csv)")
_CHUNK = 1024 * 1024


class SourceError(ValueError):
    """A file that could not be read: names the file and why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


class PriceListSource:
    """Reads Price List files by their published path from a folder or an https base."""

    def __init__(self, location: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.max_bytes, self.timeout = max_bytes, timeout
        if "://" in location:
            parts = urlsplit(location)
            if parts.scheme != "https" or not parts.hostname:
                raise SourceError(location, "only https:// addresses are read")
            self.base_url: str | None = location.rstrip("/")
            self.folder: Path | None = None
        else:
            folder = Path(location)
            if not folder.is_dir():
                raise SourceError(location, "not a folder")
            self.base_url, self.folder = None, folder

    def cite(self, path: str) -> str:
        """The address a price read from `path` cites: the file it came from, or, for a
        local copy, the place AWS publishes that same file."""
        return (self.base_url or AWS_PRICE_LIST) + path

    def read(self, path: str) -> bytes:
        if not _PATH.fullmatch(path) or "/../" in path or "/./" in path:
            raise SourceError(path, "not a Price List path (/offers/v1.0/aws/...json|csv)")
        if self.folder is not None:
            try:
                return read(self.folder, path.lstrip("/"), self.max_bytes)
            except Refused as refused:
                raise SourceError(path, refused.reason) from None
        return self._download(path)

    def _download(self, path: str) -> bytes:
        url = f"{self.base_url}{path}"
        opener = urllib.request.build_opener(_HttpsOnlyRedirects)
        deadline = time.monotonic() + self.timeout
        try:
            with opener.open(url, timeout=self.timeout) as response:
                chunks: list[bytes] = []
                size = 0
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise SourceError(url, f"larger than {self.max_bytes:,} bytes; not read")
                    if time.monotonic() > deadline:
                        raise SourceError(url, f"not read within {self.timeout:.0f} s")
                    chunks.append(chunk)
        except urllib.error.HTTPError as exc:
            raise SourceError(url, f"HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            if isinstance(exc, SourceError):
                raise
            reason = getattr(exc, "reason", exc)
            raise SourceError(url, f"cannot download: {reason}") from None
        return b"".join(chunks)


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def,unused-ignore]
        if urlsplit(newurl).scheme != "https":
            raise SourceError(req.full_url, f"redirected to a non-https address {newurl[:200]}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)
