"""Small repositories for the source tests, written into a temporary folder."""

from pathlib import Path


def write(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (repository-relative path → text) under `root` and return it."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
