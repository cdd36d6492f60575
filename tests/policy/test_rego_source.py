"""Rego policy files: read through safefile, bounded, vetted for forbidden builtins."""

import os
from pathlib import Path

import pytest

from purser.policy import rego_source
from purser.policy.rego_source import Policy, input_paths, masked, read_policies


def test_input_paths_skip_comments_and_strings():
    policy = Policy("p.rego", '# input is whole\npackage p\ndeny["input"] {\n'
                    '  input.request.object.metadata.labels["a.b/c"] == "x"\n'
                    '  input.request.kind.kind == "Pod"\n}\n', "p")
    assert input_paths([policy]) == [
        ("request", "kind", "kind"), ("request", "object", "metadata", "labels", "a.b/c")]


def test_input_paths_give_up_on_a_bare_input():
    policy = Policy("p.rego", "package p\ndeny[x] { x := object.keys(input)[_] }\n", "p")
    assert input_paths([policy]) is None


# --------------------------------------------------------------------------- reading


def policy_folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / "policies" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "policies" / name).write_text(text, encoding="utf-8")
    return root / "policies"


GOOD = 'package good\ndeny contains "x" if { input.type == "t" }\n'


@pytest.mark.parametrize(("call", "name"), [
    ("opa.runtime().env", "opa.runtime"),
    ("opa . runtime ( ).env", "opa.runtime"),
    ('opa["runtime"]().env', "opa.runtime"),
    ("opa.\n  # a comment between\n  runtime().env", "opa.runtime"),
    ('http.send({"method": "get", "url": "http://10.0.0.1"})', "http.send"),
    ('net.lookup_ip_addr("example.com")', "net.lookup_ip_addr"),
    ('net.cidr_contains("10.0.0.0/8", "10.1.1.1")', "net.cidr_contains"),
])
def test_a_forbidden_builtin_is_refused_at_its_line(tmp_path: Path, call: str, name: str):
    folder = policy_folder(tmp_path, {"bad.rego": f"package bad\n\nx := {call}\n",
                                      "good.rego": GOOD})
    policies, errors = read_policies(folder, tmp_path)
    assert [p.file for p in policies] == ["policies/good.rego"]
    assert [(e.file, e.line) for e in errors] == [("policies/bad.rego", 3)]
    assert f"calls {name}" in errors[0].message


def test_forbidden_names_in_comments_strings_and_input_fields_are_not_calls(tmp_path: Path):
    folder = policy_folder(tmp_path, {"fine.rego": (
        "package fine\n# opa.runtime() is refused\n"
        'deny contains "do not call opa.runtime() or http.send" if {\n'
        "  input.attrs.net.cidr == data.net.cidr\n}\n")})
    policies, errors = read_policies(folder, tmp_path)
    assert (len(policies), errors) == (1, [])


def test_a_symlinked_policy_leading_outside_is_refused_and_not_read(tmp_path: Path):
    root = tmp_path / "repo"
    folder = policy_folder(root, {"good.rego": GOOD})
    secret = tmp_path / "secret.rego"
    secret.write_text("package secret\n")
    os.symlink(secret, folder / "leak.rego")
    policies, errors = read_policies(folder, root)
    assert [p.file for p in policies] == ["policies/good.rego"]
    assert [e.file for e in errors] == ["policies/leak.rego"]
    assert "outside the repository" in errors[0].message


def test_a_fifo_named_rego_is_refused_without_blocking(tmp_path: Path):
    folder = policy_folder(tmp_path, {"good.rego": GOOD})
    os.mkfifo(folder / "pipe.rego")
    policies, errors = read_policies(folder, tmp_path)
    assert [e.file for e in errors] == ["policies/pipe.rego"]
    assert len(policies) == 1


def test_symlinked_folders_and_git_are_not_walked(tmp_path: Path):
    folder = policy_folder(tmp_path, {"good.rego": GOOD, ".git/hook.rego": "package hook\n"})
    os.symlink(tmp_path / "policies", folder / "loop")
    policies, errors = read_policies(folder, tmp_path)
    assert ([p.file for p in policies], errors) == (["policies/good.rego"], [])


@pytest.mark.parametrize("folder", ["/", ".."])
def test_a_policy_folder_outside_the_repository_is_an_error_of_the_config(
        tmp_path: Path, folder: str):
    root = tmp_path / "repo"
    policy_folder(root, {"good.rego": GOOD})
    policies, errors = read_policies(root / folder, root)
    assert policies == []
    assert [e.file for e in errors] == ["purser.yaml"]
    assert "outside the repository" in errors[0].message


def test_too_many_files_is_one_error_naming_the_first_left_out(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(rego_source, "MAX_FILES", 2)
    folder = policy_folder(tmp_path, {f"p{i}.rego": f"package p{i}\n" for i in range(5)})
    policies, errors = read_policies(folder, tmp_path)
    assert [p.file for p in policies] == ["policies/p0.rego", "policies/p1.rego"]
    assert [(e.file, e.line) for e in errors] == [("policies/p2.rego", 1)]
    assert "the 2 after it were not read" in errors[0].message


def test_bytes_beyond_the_folder_bound_are_the_files_error(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(rego_source, "MAX_TOTAL_BYTES", 60)
    folder = policy_folder(tmp_path, {"a.rego": GOOD, "b.rego": GOOD.replace("good", "more")})
    policies, errors = read_policies(folder, tmp_path)
    assert [p.file for p in policies] == ["policies/a.rego"]
    assert [(e.file, e.line) for e in errors] == [("policies/b.rego", 1)]


def test_a_file_over_the_rule_bound_is_refused_at_the_first_rule_past_it(
        tmp_path: Path, monkeypatch):
    monkeypatch.setattr(rego_source, "MAX_RULES", 3)
    rules = "".join(f'r{i} if {{\n  input.x == {i}\n}}\n' for i in range(3))
    folder = policy_folder(tmp_path, {"a.rego": GOOD, "b.rego": f"package b\n{rules}"})
    policies, errors = read_policies(folder, tmp_path)
    assert [p.file for p in policies] == ["policies/a.rego"]
    assert [(e.file, e.line) for e in errors] == [("policies/b.rego", 8)]
    assert "more than 3 Rego rules" in errors[0].message


def test_rule_heads_are_counted_outside_bodies_comments_and_strings():
    code = masked('package p\nimport rego.v1\n# a comment\ndefault allow := false\n'
                  'allow if {\n  x := {"a": 1}\n  "b{" == "b{"\n}\nf(x) := y if { y := x }\n'
                  'deny contains msg if {\n  some msg in ["a"]\n}\n', strings=True)
    assert rego_source._rule_lines(code) == [4, 5, 9, 10]


def test_a_policy_without_a_package_line_is_the_files_error(tmp_path: Path):
    folder = policy_folder(tmp_path, {"nopkg.rego": "deny { true }\n"})
    assert read_policies(folder, tmp_path)[1][0].line == 1
