"""Suite-wide fixtures."""

import os
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from purser import sandbox


@pytest.fixture(autouse=True)
def private_parse_cache(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """CLI runs use a parse cache folder of the test session, never the user's own
    (~/.cache/purser), so that the suite neither reads nor litters it."""
    folder: Path = tmp_path_factory.getbasetemp() / "purser-cache"
    monkeypatch.setenv("PURSER_CACHE_DIR", str(folder))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty state database on each backend: SQLite always; PostgreSQL on the server
    that $PURSER_TEST_POSTGRES_URL names (a role allowed to create databases; `.ci/run`
    starts one), one database per test, dropped after it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    server = os.environ.get("PURSER_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("no PostgreSQL server: set PURSER_TEST_POSTGRES_URL "
                    "(.ci/run starts one) to run the store tests on PostgreSQL too")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server)
    name = f"purser_test_{uuid.uuid4().hex[:16]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


# One real moto server process for the whole test session (started when a test first asks
# for it), and a fresh account state with AWS_* pointing at it for each test that uses it.
# Without AWS's managed policies: loading them again at every reset cost the emulator about
# four seconds of CPU per test; tests attach policies of their own (test_sandbox covers the
# managed ones).
@pytest.fixture(scope="session")
def emulator() -> Iterator[sandbox.Sandbox]:
    with sandbox.start(managed_policies=False) as running:
        yield running


@pytest.fixture
def aws(emulator: sandbox.Sandbox, monkeypatch: pytest.MonkeyPatch) -> sandbox.Sandbox:
    """The emulator, emptied (moto's reset endpoint), with AWS_* pointing at it."""
    urllib.request.urlopen(urllib.request.Request(
        f"{emulator.endpoint}/moto-api/reset", method="POST"), timeout=30).read()
    for name, value in emulator.environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return emulator
