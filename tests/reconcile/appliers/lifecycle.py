"""A declared repository driven through one handler's whole life against the emulator:
plan, create, discover, no-op, update one field, no-op, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from purser.config import Application, Config
from purser.model import Resource
from purser.reconcile.appliers import Applier, Live, applier_for
from purser.reconcile.ownership import ownership_tags
from purser.reconcile.plan import Action, Plan, make_plan, resolved
from purser.sources import load_repository
from purser.sources.worktree import WorkTree
from tests.sources.tree import write

APP = "shop"


def applier(root: Path | None = None) -> Applier:
    """The application's applier, reading repository files from `root`."""
    return applier_for(Application(name=APP), Config(),
                       tree=WorkTree(root) if root is not None else None)


def load(root: Path) -> list[Resource]:
    loaded = load_repository(WorkTree(root), Config())
    assert not loaded.errors, loaded.errors
    return loaded.resources


def plan(target: Applier, root: Path, *, prune: bool = False) -> Plan:
    return make_plan(target, APP, "test", load(root), target.discover(APP), prune=prune)


def apply(target: Applier, planned: Plan) -> dict[str, Live]:
    """Carry the plan out in its order, references filled from what is live or written."""
    lives = {live.address: live for live in target.discover(APP)}
    outputs: dict[str, dict[str, Any]] = {a: live.outputs for a, live in lives.items()}
    # As `apply_plan`: a child matched by identity (an API's route) is known by its step.
    outputs.update({s.address: s.live.outputs for s in planned.steps if s.live is not None})
    addresses = frozenset(s.address for s in planned.steps if s.desired is not None)
    for step in planned.steps:
        if step.action is Action.delete and step.live is not None:
            target.delete(step.live)
            continue
        if step.desired is None or step.action is Action.noop:
            continue
        desired = resolved(target, step.desired, outputs, addresses)
        tags = ownership_tags(APP, step.address)
        if step.action is Action.create:
            live = target.create(desired, tags)
        elif step.action is Action.update and step.live is not None:
            live = target.update(step.live, desired, set(step.changes), tags)
        else:
            raise AssertionError(f"unexpected {step.action} of {step.address}: {step.changes}")
        lives[step.address] = live
        outputs[step.address] = live.outputs
    return lives


def actions(planned: Plan) -> dict[str, str]:
    return {step.address: step.action.value for step in planned.steps}


def changes(planned: Plan) -> dict[str, set[str]]:
    return {step.address: set(step.changes) for step in planned.steps if step.changes}


def lifecycle(root: Path, files: dict[str, str], edited: dict[str, str],
              expected: dict[str, set[str]]) -> list[Live]:
    """Create `files`, then edit to `edited`: the update must touch exactly `expected`
    (address → fields). Returns what was live after the create."""
    write(root, files)
    target = applier(root)
    first = plan(target, root)
    assert set(actions(first).values()) == {"create"}, first.as_json()
    apply(target, first)
    created = target.discover(APP)
    assert {live.address for live in created} == set(actions(first))
    for live in created:
        assert live.tags["purser:application"] == APP
        assert "purser:application" not in live.fields.get("tags", {})
    assert_in_sync(target, root)
    write(root, edited)
    second = plan(target, root)
    assert changes(second) == expected, second.as_json()
    assert {a for a, act in actions(second).items() if act != "no-op"} == set(expected)
    apply(target, second)
    assert_in_sync(target, root)
    for path in files:
        (root / path).unlink()
    write(root, {"empty.tf": ""})
    apply(target, plan(target, root, prune=True))
    assert target.discover(APP) == []
    return created


def assert_in_sync(target: Applier, root: Path) -> None:
    planned = plan(target, root)
    assert set(actions(planned).values()) == {"no-op"}, planned.as_json()


# A CloudFormation role that Lambda may assume, for the templates' `Resources:`.
CFN_LAMBDA_ROLE = """\
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: sts:AssumeRole, Principal: {Service: lambda.amazonaws.com}}
"""
