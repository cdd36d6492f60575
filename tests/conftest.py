"""Suite-wide fixtures."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_parse_cache(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI runs use a parse cache folder of the test session, never the user's own
    (~/.cache/purser), so that the suite neither reads nor litters it."""
    folder: Path = tmp_path_factory.getbasetemp() / "purser-cache"
    monkeypatch.setenv("PURSER_CACHE_DIR", str(folder))
