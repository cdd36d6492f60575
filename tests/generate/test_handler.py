"""A generated Lambda function ships with its code: a handler source file and a zip of it
built with fixed dates and order, so the same intent gives the same bytes, committed on the
branch where the AWS applier reads it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from purser.config import load_config
from purser.generate import Generation, generate, parse_intent
from purser.generate.handler import ZIP_FILE
from purser.git import GitTree, commit_work_tree, load_revision, read_file
from purser.reconcile.appliers.aws import code

INTENT = "scheduled job every hour to prune sessions, 20 seconds each, $10 a month"
ZIP = f"apps/prune-sessions/{ZIP_FILE}"
SOURCE = "apps/prune-sessions/src/app.py"


def _repo(root: Path) -> Path:
    root.mkdir()
    (root / "README.md").write_text("infrastructure\n")
    commit_work_tree(root, "start")
    return root


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generation, Generation]:
    base = tmp_path_factory.mktemp("handler")
    first = _repo(base / "a")
    return (first, generate(INTENT, repo=first, read=parse_intent),
            generate(INTENT, repo=_repo(base / "b"), read=parse_intent, dry_run=True))


def test_the_same_intent_gives_the_same_zip_bytes(
        twice: tuple[Path, Generation, Generation]) -> None:
    _, first, second = twice
    assert set(first.artifacts) == {ZIP}
    assert first.artifacts[ZIP] == second.artifacts[ZIP]


def test_the_zip_holds_the_handler_the_function_names(
        twice: tuple[Path, Generation, Generation]) -> None:
    _, result, _ = twice
    with zipfile.ZipFile(io.BytesIO(result.artifacts[ZIP])) as archive:
        assert archive.namelist() == ["app.py"]
        assert archive.read("app.py").decode() == result.files[SOURCE]
        assert archive.getinfo("app.py").date_time == (1980, 1, 1, 0, 0, 0)
    main = result.files["apps/prune-sessions/main.tf"]
    assert 'handler                        = "app.handler"' in main
    assert '"${path.module}/build/handler.zip"' in main


def test_the_handler_answers_a_queue_batch_and_an_http_request(
        twice: tuple[Path, Generation, Generation]) -> None:
    _, result, _ = twice
    namespace: dict[str, Any] = {}
    exec(compile(result.files[SOURCE], SOURCE, "exec"), namespace)  # our own output
    assert namespace["handler"]({"Records": [{}, {}]}, None) == {"batchItemFailures": []}
    assert namespace["handler"]({"rawPath": "/"}, None)["statusCode"] == 200


def test_the_applier_reads_the_committed_zip_from_the_branch(
        twice: tuple[Path, Generation, Generation]) -> None:
    repo, result, _ = twice
    assert result.branch
    assert read_file(repo, result.branch, ZIP) == result.artifacts[ZIP]
    tree = GitTree.at(repo, result.branch)
    function = next(r for r in load_revision(repo, result.branch, load_config(tree)).resources
                    if r.type == "aws_lambda_function")
    assert code.package(function, tree) == result.artifacts[ZIP]
