"""Rego policy files: read through safefile, bounded, vetted for forbidden builtins."""

from purser.policy.rego_source import Policy, input_paths


def test_input_paths_skip_comments_and_strings():
    policy = Policy("p.rego", '# input is whole\npackage p\ndeny["input"] {\n'
                    '  input.request.object.metadata.labels["a.b/c"] == "x"\n'
                    '  input.request.kind.kind == "Pod"\n}\n', "p")
    assert input_paths([policy]) == [
        ("request", "kind", "kind"), ("request", "object", "metadata", "labels", "a.b/c")]


def test_input_paths_give_up_on_a_bare_input():
    policy = Policy("p.rego", "package p\ndeny[x] { x := object.keys(input)[_] }\n", "p")
    assert input_paths([policy]) is None
