"""Hostile Terraform in process: every bound of hcl/limits.py trips as the error of its file
and line, module folders are read through safefile, and nothing is silently dropped."""

import json
import os
from pathlib import Path

import pytest

from purser.config import Config
from purser.model import SourceError
from purser.sources import LoadContext, Loaded, RepoFile
from purser.sources.hcl.functions import FUNCTIONS
from purser.sources.hcl.limits import MAX_INSTANCES
from purser.sources.hcl.parse import parse_hcl
from purser.sources.terraform import TerraformFormat

QUEUE = 'resource "aws_sqs_queue" "fine" {\n  name = "fine"\n}\n'


def load(root: Path, only: list[str] | None = None) -> Loaded:
    """Load the .tf files under `root` (or just `only`, as a walk that skipped the rest)."""
    reader = TerraformFormat()
    paths = [root / rel for rel in only] if only else sorted(
        p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    files = [RepoFile(p, p.relative_to(root).as_posix(), p.read_bytes()) for p in paths]
    context = LoadContext(root=root, config=Config())
    return reader.load([f for f in files if reader.claims(f)], context)


def check(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """(resource addresses, errors as "file:line: message") for a repository of `files`."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    loaded = load(tmp_path)
    return sorted(r.address for r in loaded.resources), [str(e) for e in loaded.errors]


def one_error(tmp_path: Path, main: str) -> str:
    """The single error of a main.tf beside a fine queue in other.tf, which still loads."""
    addresses, errors = check(tmp_path, {"main.tf": main, "other.tf": QUEUE})
    assert "aws_sqs_queue.fine" in addresses
    assert len(errors) == 1, errors
    return errors[0]


def resource(body: str) -> str:
    return 'resource "aws_sqs_queue" "q" {\n' + body + "\n}\n"


# Literals ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("literal", "message"), [
    ("0x10", "invalid number '0x10'"),
    ("9" * 5000, "is beyond 64 bits"),
    ("9223372036854775808", "is beyond 64 bits"),
    ("1.5e999", "number 1.5e999 is out of range"),
    ("x." + "9" * 5000, "is beyond 64 bits"),
])
def test_invalid_number_literals_are_the_files_error_with_its_line(
        tmp_path: Path, literal: str, message: str) -> None:
    error = one_error(tmp_path, resource(f"  name = {literal}"))
    assert error.startswith("main.tf:2: ") and message in error


@pytest.mark.parametrize(("literal", "value"), [
    ("1e3", 1000), ("2E+2", 200), ("5e-1", 0.5), ("[1e3, \"1e3\", 3]", [1000, "1e3", 3]),
    ("9223372036854775807", 2**63 - 1), ("007", 7)])
def test_valid_number_literals_parse_including_an_exponent_without_fraction(
        literal: str, value: object) -> None:
    body, error = parse_hcl(f"a = {literal}\n".encode())
    assert error is None and body is not None
    assert body[0]["a"][0][1] == value


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\uDFFF", "\\uD800", "\\U00110000"])
def test_escapes_of_no_character_become_the_replacement_character(escape: str) -> None:
    body, error = parse_hcl(f'a = "x{escape}y"\n'.encode())
    assert error is None and body is not None
    assert body[0]["a"][0][1] == "x\ufffdy"


def test_jsondecode_of_a_lone_surrogate_is_unknown_so_every_string_encodes(tmp_path: Path):
    addresses, errors = check(tmp_path, {"main.tf": resource(
        '  name = jsondecode("\\"\\\\udfff\\"")\n  tags = { a = jsondecode("\\"ok\\"") }')})
    loaded = load(tmp_path)
    assert errors == [] and addresses == ["aws_sqs_queue.q"]
    queue = loaded.resources[0]
    assert "name" not in queue.attrs and queue.attrs["tags"] == {"a": "ok"}
    json.dumps(queue.attrs, ensure_ascii=False).encode("utf-8")


# count and for_each -----------------------------------------------------------------------

def test_a_count_of_a_thousand_written_1e3_expands(tmp_path: Path) -> None:
    addresses, errors = check(tmp_path, {"main.tf": resource("  count = 1e3")})
    assert errors == [] and len(addresses) == 1000


@pytest.mark.parametrize(("count", "problem"), [
    ("10000000", "10,000,000 instances, above the 10,000"),
    ("1.5", "1.5 is not a whole number"),
    ("-1", "-1 is negative"),
    ('"nan"', "nan is not a number"),
    ('"1e999"', "inf is not a number"),
])
def test_a_count_terraform_refuses_or_above_the_bound_is_an_error_at_its_line(
        tmp_path: Path, count: str, problem: str) -> None:
    error = one_error(tmp_path, resource(f'  name = "q"\n  count = {count}'))
    assert error.startswith("main.tf:3: invalid count or for_each: ") and problem in error


def test_a_count_from_tfvars_is_bounded_at_the_count_line(tmp_path: Path) -> None:
    addresses, errors = check(tmp_path, {
        "main.tf": 'variable "n" {}\n' + resource("  count = var.n"),
        "terraform.tfvars": "n = 1e8\n", "other.tf": QUEUE})
    assert addresses == ["aws_sqs_queue.fine"]
    assert errors == ["main.tf:3: invalid count or for_each: 100,000,000 instances, above the "
                      f"{MAX_INSTANCES:,} purser evaluates for one resource or module call; "
                      "not evaluated"]


def test_for_each_over_a_thousand_by_thousand_product_is_an_error(tmp_path: Path) -> None:
    error = one_error(tmp_path, 'locals {\n  r = range(1000)\n'
                      '  p = flatten([for a in local.r : [for b in local.r : "${a}-${b}"]])\n}\n'
                      + resource("  for_each = toset(local.p)"))
    assert error.startswith("main.tf:3: ")


def test_a_module_counted_beyond_the_bound_is_an_error_of_the_call(tmp_path: Path) -> None:
    addresses, errors = check(tmp_path, {
        "main.tf": 'module "m" {\n  source = "./m"\n  count = 20000\n}\n',
        "m/main.tf": QUEUE, "other/main.tf": QUEUE})
    assert addresses == ["other//aws_sqs_queue.fine"]
    assert len(errors) == 1 and errors[0].startswith("main.tf:3: invalid count")


# Values, loops, functions -----------------------------------------------------------------

def doubling(step: str, steps: int = 40) -> str:
    lines = [f"  v{i + 1} = {step.format(p=f'local.v{i}')}" for i in range(steps)]
    return "locals {\n  v0 = [1, 2, 3, 4]\n" + "\n".join(lines) + "\n}\n"


@pytest.mark.parametrize("step", [
    "concat({p}, {p})", "[{p}, {p}]", '"${{jsonencode({p})}}${{jsonencode({p})}}"'])
def test_locals_that_double_at_each_step_stop_at_the_bound(tmp_path: Path, step: str) -> None:
    """Whichever trips first: the size of the value, or the work of measuring the values
    that led to it."""
    error = one_error(tmp_path, doubling(step) + resource("  name = jsonencode(local.v40)"))
    assert error.startswith("main.tf:") and error.endswith("not evaluated")
    assert int(error.split(":")[1]) > 2  # the line of the local that outgrew the bound


def test_nested_for_loops_of_a_billion_iterations_stop_at_the_work_bound(tmp_path: Path):
    error = one_error(tmp_path, resource(
        "  name = length([for a in range(1000) : [for b in range(1000) : "
        "[for c in range(1000) : c if false]]])"))
    assert error.startswith("main.tf:2: evaluation needs more than")


def test_repeated_integer_squaring_is_an_error_not_a_huge_number(tmp_path: Path) -> None:
    locals_ = "".join(f"  n{i + 1} = local.n{i} * local.n{i}\n" for i in range(30))
    error = one_error(tmp_path, "locals {\n  n0 = 3\n" + locals_ + "}\n"
                      + resource("  name = local.n30"))
    assert "an integer beyond 64 bits" in error


@pytest.mark.parametrize("call", [
    'format("%0999999999d", 1)', 'format("%.999999999f", 1)',
    'formatlist("%09999d", range(1000))', 'join("", [for i in range(200) : format("%09999d", i)])',
    'join(format("%09999d", 1), range(1000))',
    'replace(format("%09999d", 1), "0", format("%09999d", 2))',
    'replace(format("%09999d", 1), "/0/", format("%09999d", 2))',
])
def test_functions_that_amplify_are_bounded_before_they_build(tmp_path: Path, call: str):
    error = one_error(tmp_path, resource(f"  name = {call}"))
    assert error.startswith("main.tf:2: ")


def test_regular_expressions_run_in_linear_time_on_re2() -> None:
    text = "a" * 50_000 + "!"
    assert FUNCTIONS["replace"](text, "/^(a+)+$/", "x") == text
    assert FUNCTIONS["regexall"]("(a|aa)+b", text) == []
    assert FUNCTIONS["replace"]("hello world", "/(\\w+) (?P<n>\\w+)/", "${n} $1 $$") == (
        "world hello $")
    assert FUNCTIONS["regex"]("(?P<a>\\d+)-(\\d+)", "x 12-34") == {"a": "12"}
    assert FUNCTIONS["regex"]("(\\d+)-(\\d+)", "x 12-34") == ["12", "34"]


def test_an_invalid_pattern_is_unknown_and_writes_nothing_to_stderr(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    addresses, errors = check(tmp_path, {"main.tf": resource(
        '  name = replace("aa", "/(a)\\\\1/", "x")')})
    assert addresses == ["aws_sqs_queue.q"] and errors == []
    assert load(tmp_path).resources[0].unknown == ["name"]
    assert capfd.readouterr().err == ""


def test_distinct_of_a_large_list_is_linear() -> None:
    items = [str(i % 1000) for i in range(200_000)]
    assert len(FUNCTIONS["distinct"](items)) == 1000
    assert FUNCTIONS["distinct"]([[1], [1], {"a": 1}, {"a": 1}, 1, True]) == [[1], {"a": 1}, 1]


def test_cidrsubnet_with_absurd_newbits_is_unknown_at_once(tmp_path: Path) -> None:
    addresses, errors = check(tmp_path, {"main.tf": resource(
        '  name = cidrsubnet("10.0.0.0/8", 999999999999, 1)')})
    assert addresses == ["aws_sqs_queue.q"] and errors == []


# Modules ----------------------------------------------------------------------------------

def test_a_module_calling_its_own_folder_is_a_cycle_error_and_the_rest_loads(tmp_path: Path):
    addresses, errors = check(tmp_path, {
        "main.tf": 'module "x" {\n  source = "./"\n  count = 4\n}\n' + QUEUE})
    assert addresses == ["aws_sqs_queue.fine"]
    assert errors == ["main.tf:1: module cycle: '.' → '.'; not evaluated"]


def test_two_modules_calling_each_other_are_one_cycle_error_naming_the_chain(tmp_path: Path):
    addresses, errors = check(tmp_path, {
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + QUEUE,
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n' + QUEUE})
    assert addresses == ["aws_sqs_queue.fine", "module.b.aws_sqs_queue.fine"]
    assert errors == ["b/main.tf:1: module cycle: 'a' → 'b' → 'a'; not evaluated"]


def test_modules_nested_beyond_the_depth_bound_are_an_error(tmp_path: Path) -> None:
    files = {f"m{i}/main.tf": f'module "next" {{\n  source = "../m{i + 1}"\n}}\n'
             for i in range(30)}
    files["m30/main.tf"] = QUEUE
    addresses, errors = check(tmp_path, files)
    assert addresses == []
    assert len(errors) == 1 and "modules nested more than 20 deep" in errors[0]


def test_module_fan_out_is_bounded(tmp_path: Path) -> None:
    call = 'module "next" {{\n  source = "../m{n}"\n  count = 100\n}}\n'
    files = {f"m{i}/main.tf": call.format(n=i + 1) for i in range(4)}
    files["m4/main.tf"] = 'locals {\n  a = 1\n}\n'
    _, errors = check(tmp_path, files)
    assert errors and all("more than 10,000 module instances" in e for e in errors)


def test_a_module_source_outside_the_repository_is_an_error_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "main.tf").write_text(QUEUE.replace("fine", "outside"))
    addresses, errors = check(tmp_path / "repo", {
        "main.tf": 'module "m" {\n  source = "../outside"\n}\n', "other.tf": QUEUE})
    assert addresses == ["aws_sqs_queue.fine"]
    assert errors == ["main.tf:1: module 'm': source '../outside' is outside the repository; "
                      "not read"]


@pytest.fixture
def module_repo(tmp_path: Path) -> Path:
    """A root calling ./mod, whose folder the walk did not hand over (the module reader
    reads it from disk)."""
    root = tmp_path / "repo"
    (root / "mod").mkdir(parents=True)
    (root / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n' + QUEUE)
    (root / "mod" / "ok.tf").write_text(QUEUE.replace("fine", "in_module"))
    (tmp_path / "secret.txt").write_text('resource "aws_sqs_queue" "leak" {}\n')
    return root


def module_errors(root: Path) -> tuple[list[str], list[SourceError]]:
    loaded = load(root, only=["main.tf"])
    return sorted(r.address for r in loaded.resources), loaded.errors


@pytest.mark.parametrize(("target", "message"), [
    ("../../secret.txt", "resolves outside the repository"),
    ("/dev/zero", "resolves outside the repository"),
    ("/proc/self/environ", "resolves outside the repository"),
])
def test_module_files_linking_out_of_the_repository_are_refused(
        module_repo: Path, target: str, message: str) -> None:
    os.symlink(target, module_repo / "mod" / "main.tf")
    addresses, errors = module_errors(module_repo)
    assert addresses == ["aws_sqs_queue.fine", "module.m.aws_sqs_queue.in_module"]
    assert [(e.file, message in e.message) for e in errors] == [("mod/main.tf", True)]


def test_a_fifo_in_a_module_folder_is_refused_without_blocking(module_repo: Path) -> None:
    os.mkfifo(module_repo / "mod" / "pipe.tf")
    addresses, errors = module_errors(module_repo)
    assert "module.m.aws_sqs_queue.in_module" in addresses
    assert [(e.file, e.message) for e in errors] == [
        ("mod/pipe.tf", "not a regular file (a FIFO); not read")]


def test_a_module_file_above_the_size_limit_is_refused(module_repo: Path) -> None:
    (module_repo / "mod" / "big.tf").write_bytes(b"#" * (6 * 1024 * 1024))
    _, errors = module_errors(module_repo)
    assert [e.file for e in errors] == ["mod/big.tf"] and "limit" in errors[0].message


def test_a_module_folder_linking_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "main.tf").write_text(QUEUE.replace("fine", "leak"))
    os.symlink(tmp_path / "elsewhere", root / "mod")
    (root / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n' + QUEUE)
    addresses, errors = module_errors(root)
    assert addresses == ["aws_sqs_queue.fine"]
    assert [(e.file, e.message) for e in errors] == [
        ("mod", "mod resolves outside the repository; not read")]
