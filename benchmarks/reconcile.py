"""Benchmark the reconciler against the AWS emulator: 1,000 declared resources.

Mostly log groups, queues and tables (40 % / 40 % / 20 %), 20 to a file. Prints, for one
application holding all of them:
  - the initial sync (gate, plan, 1,000 creates journaled), and its write calls;
  - the plan when live state already follows git;
  - a no-op sync, and its write calls (must be 0);
beside the peer: a plain boto3 loop making the same 1,000 creates with no gate, no plan, no
journal and no ownership checks (the floor the emulator sets), and what that loop writes
when run a second time ("apply again" without a plan: 1,000 writes).
Then the same resources as ten applications of 100, synced by one controller process and
by two side by side (`purser controller --once`), each sync counted in the state database.

Terraform and the AWS provider, the natural peer, cannot be installed on this machine.
Writes are counted by the emulator's own request recorder.

    python benchmarks/reconcile.py [--resources 1000]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from sqlalchemy import func, select

from purser import sandbox
from purser.git import commit_work_tree
from purser.reconcile.sync import Reconciler, plan_for, sync
from purser.store import open_database
from purser.store.schema import Application, Sync, SyncPhase

PER_FILE = 20
READS = ("Get", "List", "Describe", "Head")


def resource(index: int) -> str:
    kind = index % 5
    if kind in (0, 1):
        return (f'resource "aws_cloudwatch_log_group" "g{index}" {{\n'
                f'  name = "/bench/g{index}"\n  retention_in_days = 30\n'
                f'  tags = {{team = "bench"}}\n}}\n')
    if kind in (2, 3):
        return (f'resource "aws_sqs_queue" "q{index}" {{\n  name = "bench-q{index}"\n'
                f'  visibility_timeout_seconds = 60\n  tags = {{team = "bench"}}\n}}\n')
    return (f'resource "aws_dynamodb_table" "t{index}" {{\n  name = "bench-t{index}"\n'
            f'  billing_mode = "PAY_PER_REQUEST"\n  hash_key = "id"\n'
            f'  attribute {{\n    name = "id"\n    type = "S"\n  }}\n'
            f'  tags = {{team = "bench"}}\n}}\n')


def write_repository(root: Path, count: int, applications: int) -> None:
    per_app = count // applications
    lines = ["applications:"]
    for app in range(applications):
        folder = root / f"app{app}"
        folder.mkdir(parents=True)
        lines += [f"  - name: app{app}", f"    path: app{app}", "    sync: {auto: true}"]
        first = app * per_app
        for start in range(first, first + per_app, PER_FILE):
            body = "".join(resource(i) for i in range(start, min(start + PER_FILE,
                                                                 first + per_app)))
            (folder / f"r{start:05}.tf").write_text(body)
    lines.append("policies: {fail_on: critical}")
    (root / "purser.yaml").write_text("\n".join(lines) + "\n")
    commit_work_tree(root, "benchmark resources")


class Recorder:
    """The emulator's request recorder: how many writes a block of work made."""

    def __init__(self, emulator: sandbox.Sandbox) -> None:
        self.base = f"{emulator.endpoint}/moto-api/recorder"

    def _post(self, what: str) -> bytes:
        method = "GET" if what == "download-recording" else "POST"
        request = urllib.request.Request(f"{self.base}/{what}", method=method)
        with urllib.request.urlopen(request, timeout=60) as response:
            return bytes(response.read())

    def start(self) -> None:
        self._post("reset-recording")
        self._post("start-recording")

    def writes(self) -> int:
        self._post("stop-recording")
        count = 0
        for line in self._post("download-recording").decode().splitlines():
            request = json.loads(line)
            if "/moto-api/" in request.get("url", ""):
                continue
            target = (request.get("headers") or {}).get("X-Amz-Target", "")
            body = request.get("body") or ""
            if request.get("body_encoded"):
                body = base64.b64decode(body).decode(errors="replace")
            action = target.rsplit(".", 1)[-1] if target else next(
                (p[7:] for p in body.split("&") if p.startswith("Action=")),
                request.get("method", ""))
            count += not action.startswith(READS) and action not in ("GET", "HEAD")
        return count


def reset(emulator: sandbox.Sandbox) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{emulator.endpoint}/moto-api/reset",
                                                  method="POST"), timeout=60).read()


def timed(label: str, work: Callable[[], Any], recorder: Recorder | None = None) -> Any:
    if recorder:
        recorder.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    writes = f"  {recorder.writes():>6,} write calls" if recorder else ""
    print(f"  {label:<58}: {seconds:7.2f} s{writes}")
    return result


def boto3_loop(count: int) -> None:
    """The peer: the same creates, one after another, nothing else."""
    logs, sqs, dynamodb = (boto3.client(s) for s in ("logs", "sqs", "dynamodb"))
    for index in range(count):
        kind = index % 5
        if kind in (0, 1):
            with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
                logs.create_log_group(logGroupName=f"/peer/g{index}", tags={"team": "bench"})
            logs.put_retention_policy(logGroupName=f"/peer/g{index}", retentionInDays=30)
        elif kind in (2, 3):
            sqs.create_queue(QueueName=f"peer-q{index}", tags={"team": "bench"},
                             Attributes={"VisibilityTimeout": "60"})
        else:
            with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
                dynamodb.create_table(
                    TableName=f"peer-t{index}", BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                    Tags=[{"Key": "team", "Value": "bench"}])


def one_application(emulator: sandbox.Sandbox, count: int, folder: Path) -> None:
    repo = folder / "one"
    write_repository(repo, count, 1)
    recorder = Recorder(emulator)
    print(f"One application of {count:,} resources (log groups, queues, tables):")
    with open_database(f"sqlite:///{folder / 'one.db'}") as db:
        reconciler = Reconciler(repo, db, actor="benchmark")
        first = timed("purser sync, initial (gate, plan, creates journaled)",
                      lambda: sync(reconciler, "app0"), recorder)
        assert first.phase is SyncPhase.succeeded, first.message
        timed("purser plan, in sync", lambda: plan_for(reconciler, "app0", "HEAD"))
        again = timed("purser sync, nothing changed", lambda: sync(reconciler, "app0"),
                      recorder)
        assert again.phase is SyncPhase.succeeded
    timed("peer: boto3 loop, the same creates", lambda: boto3_loop(count), recorder)
    timed("peer: boto3 loop run again (no plan)", lambda: boto3_loop(count), recorder)


def controllers(emulator: sandbox.Sandbox, count: int, folder: Path, processes: int) -> None:
    reset(emulator)
    repo = folder / f"ten-{processes}"
    write_repository(repo, count, 10)
    url = f"sqlite:///{folder / f'ten-{processes}.db'}"
    open_database(url).close()  # migrate once, before the processes race to
    started = time.perf_counter()
    children = [subprocess.Popen(
        [sys.executable, "-m", "purser", "controller", str(repo), "--db", url, "--once",
         "--id", f"bench-{n}"], env=os.environ.copy(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) for n in range(processes)]
    for child in children:
        child.wait()
    seconds = time.perf_counter() - started
    with open_database(url) as db, db.session() as session:
        synced = session.scalar(select(func.count()).select_from(Application)
                                .where(Application.synced_revision.is_not(None)))
        succeeded = session.scalars(select(Sync.controller).where(
            Sync.phase == SyncPhase.succeeded)).all()
    print(f"  {processes} controller process(es), one round              "
          f"        : {seconds:7.2f} s  {synced}/10 applications synced, "
          f"{len(succeeded)} syncs by {len(set(succeeded))} controller(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000)
    count = parser.parse_args().resources
    with sandbox.start() as emulator, tempfile.TemporaryDirectory() as folder:
        os.environ.update(emulator.environment)
        one_application(emulator, count, Path(folder))
        print(f"Ten applications of {count // 10:,}, synced by controllers "
              "(SQLite state database; one emulator process serves every call):")
        for processes in (1, 2):
            controllers(emulator, count, Path(folder), processes)


if __name__ == "__main__":
    main()
