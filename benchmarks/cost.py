"""Benchmark the cost engine: estimate 10,000 resources, and diff two 10,000-resource revisions.

Uses the same generated repository as benchmarks/gate.py, committed twice to a real git
repository (the second commit raises memory and retention in 5 % of the files). Prints
seconds and resources/s for: the estimate alone (resources already loaded; the first one
reads the price catalog, a second one has it; both with the garbage collector running, as a
library caller has it, and once paused, as `purser cost` runs it), the diff of two
estimates, and `diff_revisions` end to end (both revisions read from git, parsed, priced),
cold and with the in-memory caches warm. Each timing starts after a collection, so that no
step pays for collecting the garbage of the step before it.
Infracost, the peer for pricing, ships as a Go binary that cannot be installed here; the
figures are printed against the issue's target (1 s each).

    python benchmarks/cost.py [--size 10000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gate import generate

from purser.cli.collector import garbage_collection_paused
from purser.config import load_config
from purser.cost import estimate, load_usage_file
from purser.cost.diff import diff
from purser.gate import CheckOptions, diff_revisions
from purser.git import commit_work_tree
from purser.sources import load_repository
from purser.sources.cache import clear_memory

TARGET_SECONDS = 1.0


USAGE = """\
version: 0.1
resource_type_default_usage:
  aws_lambda_function: {monthly_requests: 2000000, request_duration_ms: 250}
  aws_cloudwatch_log_group: {storage_gb: 20, monthly_data_ingested_gb: 5}
  aws_dynamodb_table:
    {monthly_write_request_units: 1000000, monthly_read_request_units: 4000000, storage_gb: 5}
  aws_sqs_queue: {monthly_requests: 3000000}
  aws_s3_bucket: {standard: {storage_gb: 100}}
"""


def change_some_files(root: Path) -> None:
    files = sorted((root / "terraform").rglob("*.tf"))
    for path in files[:: 20]:
        text = path.read_text()
        path.write_text(text.replace("memory_size   = 512", "memory_size   = 2048")
                        .replace("retention_in_days = 30", "retention_in_days = 90"))


def line(label: str, seconds: float, count: int) -> None:
    verdict = "meets" if seconds < TARGET_SECONDS else "misses"
    print(f"  {label:<52}: {seconds:6.3f} s  {count / seconds:10,.0f} resources/s  "
          f"({verdict} the {TARGET_SECONDS:.0f} s target)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="purser-cost-bench-")) / "repo"
    generate(root, args.size)
    (root / "usage.yml").write_text(USAGE)
    (root / "purser.yaml").write_text("project: bench\ncost: {usage: usage.yml}\n"
                                      "policies: {rego: null}\n")
    commit_work_tree(root, "base")
    config = load_config(root)
    usage = load_usage_file(root / "usage.yml")
    base_resources = load_repository(root, config).resources
    change_some_files(root)
    commit_work_tree(root, "head")
    head_resources = load_repository(root, config).resources

    gc.collect()
    start = time.perf_counter()
    base = estimate(base_resources, config, usage=usage)
    estimate_seconds = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    head = estimate(head_resources, config, usage=usage)
    again_seconds = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    with garbage_collection_paused():  # as `purser cost` runs it: the CLI pauses it
        estimate(base_resources, config, usage=usage)
    paused_seconds = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    result = diff(base, head)
    diff_seconds = time.perf_counter() - start
    clear_memory()  # cold: both revisions read from git and parsed from scratch
    gc.collect()
    start = time.perf_counter()
    with garbage_collection_paused():  # as `purser cost diff` runs it: the CLI pauses it
        diff_revisions(root, "HEAD~1", "HEAD", config, CheckOptions(usage=usage))
    cold_seconds = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()  # warm: as after `purser check` has loaded the head
    with garbage_collection_paused():
        diff_revisions(root, "HEAD~1", "HEAD", config, CheckOptions(usage=usage))
    warm_seconds = time.perf_counter() - start

    count = len(base_resources)
    print(f"\n{count:,} resources; base ${base.total_monthly_cost:,.2f}/month, "
          f"head ${head.total_monthly_cost:,.2f}/month, {len(result.changed)} changed")
    line("estimate (resources loaded)", estimate_seconds, count)
    line("estimate again (catalog read)", again_seconds, count)
    line("estimate, collector paused (as `purser cost` has it)", paused_seconds, count)
    line("diff of two estimates", diff_seconds, count)
    line("diff_revisions HEAD~1..HEAD, cold (git read, parse)", cold_seconds, 2 * count)
    line("diff_revisions HEAD~1..HEAD, warm (memory caches)", warm_seconds, 2 * count)


if __name__ == "__main__":
    main()
