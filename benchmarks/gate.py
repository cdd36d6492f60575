"""Benchmark `purser check` on generated repositories of 1,000 and 10,000 resources.

The repositories mirror the peer measurement in shared/bench/README.md: Terraform files of
20 resources each (Lambda, log groups, DynamoDB, SQS, S3, security groups, with variables
and locals) and Kubernetes Deployments. For each size it prints

* cold: a fresh `purser check` process with no parse cache,
* warm, one file changed: a fresh process after one Terraform file was edited,
* in-process: the same two cases through `purser.gate.run_check` (no interpreter start-up),

and, when a `checkov` executable is on PATH (or named by --checkov; keep it in its own
virtual environment), Checkov on the same tree in the same run, with the ratio.

    python benchmarks/gate.py [--sizes 1000 10000] [--checkov PATH]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TF_SHARE = 0.8  # the rest are Kubernetes Deployments
PER_TF_FILE = 20
PER_K8S_FILE = 10

_TF_HEADER = """\
variable "env_{n}" {{
  default = "prod"
}}
locals {{
  tags_{n} = merge({{ team = "payments", "cost-center" = "cc-{n}" }}, {{ env = var.env_{n} }})
  prefix_{n} = "svc-{n}"
}}
"""

_TF_BLOCKS = [
    """resource "aws_lambda_function" "fn_{n}_{i}" {{
  function_name = "${{local.prefix_{n}}}-fn-{i}"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  memory_size   = {memory}
  timeout       = 30
  architectures = ["x86_64"]
  environment {{
    variables = {{ STAGE = var.env_{n} }}
  }}
  tags = local.tags_{n}
}}
""",
    """resource "aws_cloudwatch_log_group" "logs_{n}_{i}" {{
  name              = "/aws/lambda/${{local.prefix_{n}}}-{i}"
  retention_in_days = {retention}
  tags              = local.tags_{n}
}}
""",
    """resource "aws_dynamodb_table" "table_{n}_{i}" {{
  name         = "${{local.prefix_{n}}}-table-{i}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = {pitr}
  }}
  tags = merge(local.tags_{n}, {{ "data-classification" = "internal" }})
}}
""",
    """resource "aws_sqs_queue" "queue_{n}_{i}" {{
  name                    = "${{local.prefix_{n}}}-queue-{i}"
  sqs_managed_sse_enabled = {sse}
  tags                    = local.tags_{n}
}}
""",
    """resource "aws_s3_bucket" "bucket_{n}_{i}" {{
  bucket = "${{local.prefix_{n}}}-bucket-{i}"
  tags   = local.tags_{n}
}}
""",
    """resource "aws_security_group" "sg_{n}_{i}" {{
  name = "${{local.prefix_{n}}}-sg-{i}"
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
  tags = local.tags_{n}
}}
""",
]

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{n}-{i}
  namespace: shop
  labels: {{app: web-{n}-{i}, team: storefront, env: prod, cost-center: cc-{n}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web-{n}-{i}}}
  template:
    metadata:
      labels: {{app: web-{n}-{i}}}
    spec:
      containers:
        - name: web
          image: {image}
          resources:
            requests: {{cpu: 250m, memory: 256Mi}}
            limits: {{cpu: 500m, memory: 512Mi}}
          securityContext:
            runAsNonRoot: true
            readOnlyRootFilesystem: {readonly}
            allowPrivilegeEscalation: false
"""


def terraform_file(n: int, count: int) -> str:
    blocks = [_TF_HEADER.format(n=n)]
    for i in range(count):
        template = _TF_BLOCKS[i % len(_TF_BLOCKS)]
        blocks.append(template.format(
            n=n, i=i, memory=3008 if i % 7 == 0 else 512, retention=0 if i % 5 == 0 else 30,
            pitr="false" if i % 3 == 0 else "true", sse="false" if i % 4 == 0 else "true",
            port=22 if i % 4 == 1 else 443, cidr="0.0.0.0/0" if i % 3 == 2 else "10.0.0.0/8"))
    return "\n".join(blocks)


def kubernetes_file(n: int, count: int) -> str:
    return "---\n".join(
        _DEPLOYMENT.format(n=n, i=i, image="shop/web:latest" if i % 4 == 0 else "shop/web:1.4.2",
                           readonly="false" if i % 3 == 0 else "true")
        for i in range(count))


def generate(root: Path, resources: int) -> None:
    """Write a repository of about `resources` resources under `root`."""
    tf_resources = int(resources * TF_SHARE)
    for n in range(tf_resources // PER_TF_FILE):
        folder = root / "terraform" / f"stack{n // 50:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"svc{n:04d}.tf").write_text(terraform_file(n, PER_TF_FILE))
    k8s = root / "k8s"
    k8s.mkdir(parents=True, exist_ok=True)
    for n in range((resources - tf_resources) // PER_K8S_FILE):
        (k8s / f"web{n:04d}.yaml").write_text(kubernetes_file(n, PER_K8S_FILE))
    (root / "purser.yaml").write_text("project: bench\npolicies:\n  rego: null\n")


def edit_one_file(root: Path) -> None:
    first = sorted((root / "terraform").rglob("*.tf"))[0]
    first.write_text(first.read_text().replace("memory_size   = 512", "memory_size   = 1024", 1))


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start, done


def purser_process(root: Path) -> float:
    """A fresh process with a parse cache of its own beside the repository (not the user's)."""
    purser = Path(sys.executable).with_name("purser")
    seconds, done = timed([str(purser), "check", str(root), "--format", "json", "--no-cost",
                           "--cache-dir", str(root.parent / "cache"),
                           "--output", str(root.parent / "report.json")])
    if done.returncode not in (0, 1):
        sys.exit(f"purser check failed: {done.stderr.decode()[-2000:]}")
    return seconds


def purser_in_process(root: Path) -> tuple[float, int, int]:
    """`run_check` as the CLI calls it: the collector paused by the caller, not the library."""
    from purser.cli.collector import garbage_collection_paused
    from purser.config import load_config
    from purser.gate import CheckOptions, run_check

    config = load_config(root)
    start = time.perf_counter()
    with garbage_collection_paused():
        report = run_check(root, config, CheckOptions(cost=False))
    return time.perf_counter() - start, len(report.resources), len(report.findings)


def checkov(root: Path, executable: str) -> float:
    seconds, _ = timed([executable, "-d", str(root), "--quiet", "--compact", "-o", "json",
                        "--skip-download"])
    return seconds


def bench(size: int, checkov_exe: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"purser-bench-{size}-"))
    root = work / "repo"
    generate(root, size)
    cold = purser_process(root)
    edit_one_file(root)
    warm = purser_process(root)
    cold_in, resources, findings = purser_in_process(root)
    edit_one_file(root)
    warm_in, _, _ = purser_in_process(root)
    print(f"\n{resources:,} resources ({findings:,} findings), {root}")
    print(f"  purser check, new process, cold        : {cold:6.2f} s  "
          f"{resources / cold:9,.0f} resources/s")
    print(f"  purser check, new process, 1 file edit : {warm:6.2f} s  "
          f"{resources / warm:9,.0f} resources/s")
    print(f"  purser check, in process, cold         : {cold_in:6.2f} s  "
          f"{resources / cold_in:9,.0f} resources/s")
    print(f"  purser check, in process, 1 file edit  : {warm_in:6.2f} s  "
          f"{resources / warm_in:9,.0f} resources/s")
    if checkov_exe:
        peer = checkov(root, checkov_exe)
        print(f"  checkov -d (same tree, same run)       : {peer:6.2f} s  "
              f"→ purser is {peer / cold:.0f}× faster cold")
    else:
        print("  checkov: not on PATH; peer figures from shared/bench/README.md on this machine "
              "class: 9.5–11.4 s (1,000), 115.7 s (10,000)")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--checkov", default=shutil.which("checkov"))
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.checkov)


if __name__ == "__main__":
    main()
