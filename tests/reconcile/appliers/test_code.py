"""A function's code is read only from the repository, within bounds."""

from __future__ import annotations

import pytest

from purser import safefile
from purser.config import Config
from purser.git import GitTree, commit_work_tree
from purser.reconcile.appliers import Unsupported
from purser.reconcile.appliers.aws import code
from purser.sources import load_repository
from purser.sources.worktree import WorkTree
from tests.sources.tree import write

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12}
"""


@pytest.mark.parametrize("tree_of", [WorkTree, lambda root: GitTree.at(root, "HEAD")])
def test_a_code_folder_larger_than_the_folder_limit_is_refused_not_read(
        tmp_path, monkeypatch, tree_of):
    write(tmp_path, {"template.yaml": TEMPLATE,
                     **{f"src/part{i}.py": "x" * 4000 for i in range(5)}})
    commit_work_tree(tmp_path, "a function with a large folder")
    monkeypatch.setattr(safefile, "MAX_FOLDER_BYTES", 10_000)
    tree = tree_of(tmp_path)
    [function] = load_repository(tree, Config()).resources

    with pytest.raises(Unsupported, match=r"code src: the folder's files pass the 0 MB limit"):
        code.package(function, tree)
