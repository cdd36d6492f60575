"""A function's code as Lambda takes it: a zip read from the repository tree.

The declaration names a zip file (Terraform `filename`) or a folder (SAM `CodeUri`),
relative to the Terraform root module or the template's folder. It is read only through
the `Tree` the resources were loaded from (never outside the repository, each file
bounded), and a folder is zipped with fixed dates and modes so that the same files give
the same bytes, hence the same digest, on every run. The digest is Lambda's `CodeSha256`
(base64 of the SHA-256), so a code change shows in the plan as a change of that field.
"""

from __future__ import annotations

import base64
import hashlib
import io
import posixpath
import zipfile

from purser.identity import TerraformId
from purser.model import Resource
from purser.reconcile.appliers import Unsupported
from purser.safefile import Refused
from purser.tree import Tree

MAX_ZIP_BYTES = 50 * 1024 * 1024  # Lambda's limit for a zip uploaded directly
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold


def digest(code: bytes) -> str:
    """Lambda's CodeSha256 of `code`."""
    return base64.b64encode(hashlib.sha256(code).digest()).decode()


def package(resource: Resource, tree: Tree | None) -> bytes:
    """The zip of the function's code; `Unsupported` naming the file when it cannot be."""
    if resource.is_unknown("filename"):
        raise Unsupported("the code's file name is not known before apply")
    written = resource.get("filename")
    if not isinstance(written, str) or not written:
        raise Unsupported("no code to deploy: declare `filename` (a zip in the repository) "
                          "or SAM `CodeUri` (a folder); S3 and inline code are not applied")
    if written.startswith("s3://"):
        raise Unsupported(f"code in S3 ({written}) is not applied; name a repository file")
    if tree is None:
        raise Unsupported(f"code {written}: no repository tree was given to read it from")
    rel = posixpath.normpath(posixpath.join(_base(resource), written))
    try:
        files = tree.read_folder(rel)
        code = _zip(files) if files else tree.read(rel)
    except (Refused, OSError) as refused:
        reason = refused.reason if isinstance(refused, Refused) else refused.strerror
        raise Unsupported(f"code {rel}: {reason or refused}") from None
    if len(code) > MAX_ZIP_BYTES:
        raise Unsupported(f"code {rel}: {len(code)} bytes zipped, above Lambda's "
                          f"{MAX_ZIP_BYTES // 2**20} MB for a direct upload")
    return code


def _base(resource: Resource) -> str:
    """Terraform resolves relative paths from the root module; SAM from the template."""
    if isinstance(resource.id, TerraformId):
        return resource.id.folder
    return posixpath.dirname(resource.source.file)


def _zip(files: dict[str, bytes]) -> bytes:
    """The files of a folder (those directly inside it: a tree lists no subfolders)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, files[name])
    return out.getvalue()
