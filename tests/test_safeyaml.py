from datetime import date

import pytest

from purser import safeyaml
from purser.safeyaml import MAX_DEPTH, YamlError, load_documents

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_documents_keep_their_lines():
    docs = load_documents("a: 1\n---\nkind: X\nspec:\n  items:\n    - name: one\n")
    assert [d.line for d in docs] == [1, 3]
    assert docs[1].line_of(["spec", "items", 0, "name"]) == 6
    assert docs[1].line_of(["spec", "absent"]) == 4


def test_alias_bomb_is_refused():
    with pytest.raises(YamlError) as caught:
        load_documents(BOMB)
    assert "alias" in caught.value.message


def test_small_aliases_are_fine():
    docs = load_documents("base: &b {cpu: 1}\nweb: *b\n")
    assert docs[0].data["web"] == {"cpu": 1}


def test_cloudformation_short_tags_become_long_forms():
    docs = load_documents("A: !Ref Bucket\nB: !GetAtt Fn.Arn\nC: !Sub 'x-${Env}'\n"
                          "D: !Join ['-', [a, !Ref E]]\n", cloudformation_tags=True)
    data = docs[0].data
    assert data["A"] == {"Ref": "Bucket"}
    assert data["B"] == {"Fn::GetAtt": ["Fn", "Arn"]}
    assert data["C"] == {"Fn::Sub": "x-${Env}"}
    assert data["D"] == {"Fn::Join": ["-", ["a", {"Ref": "E"}]]}


def test_unknown_tags_are_refused_by_the_safe_loader():
    with pytest.raises(YamlError):
        load_documents("a: !!python/object:os.system {}\n")


def test_syntax_error_has_a_line():
    with pytest.raises(YamlError) as caught:
        load_documents("a: 1\nb: [1, 2\nc: 3\n")
    assert caught.value.line >= 2


# -- hostile input: every surprise is a YamlError with a line ------------------------------

def error_of(text: str, **options: bool) -> tuple[int, str]:
    with pytest.raises(YamlError) as caught:
        load_documents(text, **options)
    return caught.value.line, caught.value.message


def test_a_key_written_twice_is_an_error_on_the_second_line():
    text = ("spec:\n  securityContext:\n    privileged: true\n"
            "  securityContext:\n    privileged: false\n")
    line, message = error_of(text)
    assert line == 4
    assert message == "duplicate key 'securityContext' (first written on line 2)"


@pytest.mark.parametrize("text", [
    "anchor: &a {x: 1}\nspec: {privileged: true, privileged: false}\n",  # anchors: slow path
    "a: !!map {k: 1, k: 2}\n",  # explicit tag: the safe constructor's path
    "a: {1: x, 0x1: y}\n",  # equal once read
])
def test_duplicate_keys_are_refused_on_every_path(text: str):
    assert "duplicate key" in error_of(text)[1]


def test_duplicate_keys_inside_cloudformation_short_forms_are_refused():
    line, message = error_of("A: !Sub\n  - '${X}'\n  - {X: a,\n     X: b}\n",
                             cloudformation_tags=True)
    assert (line, message.split(" (")[0]) == (4, "duplicate key 'X'")


def test_merge_keys_may_still_be_overridden():
    docs = load_documents("base: &b {cpu: 1, mem: 2}\nweb:\n  <<: *b\n  cpu: 4\n")
    assert docs[0].data["web"] == {"cpu": 4, "mem": 2}


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "9" * 5000, "1_" * 60 + "1",
                                    ":".join(["1"] * 100_000)])
def test_integers_too_long_to_be_real_are_an_error_with_a_line(number: str):
    line, message = error_of(f"a: 1\nb: {number}\n")
    assert line == 2 and message.startswith("number too long")


def test_integers_read_as_yaml_reads_them():
    assert load_documents("a: 0123\nb: 1_000\nc: 42\nd: 0\n")[0].data == {
        "a": 83, "b": 1000, "c": 42, "d": 0}


def test_an_invalid_date_stays_the_text_written_and_a_valid_one_a_date():
    data = load_documents("bad: 2027-13-45\ngood: 2027-01-31\n")[0].data
    assert data == {"bad": "2027-13-45", "good": date(2027, 1, 31)}


@pytest.mark.parametrize("text", ["a: !!int abc\n", "a: !!bool maybe\n", "a: !!float x\n",
                                  "a: !!int ''\n"])
def test_values_the_safe_constructor_cannot_read_are_errors_with_a_line(text: str):
    assert error_of("ok: 1\n" + text)[0] == 2


@pytest.mark.parametrize("escape", ["\\uDFFF", "\\ud800", "\\U0000DFFF"])
def test_lone_surrogate_escapes_never_reach_the_data(escape: str):
    assert error_of(f'a: "{escape}"\n')[0] == 1


@pytest.mark.parametrize("text", [
    "a: " + "[" * 150 + "]" * 150 + "\n",
    "".join("  " * i + "k:\n" for i in range(150)) + "  " * 150 + "v: 1\n",
    "x: &x 1\na: " + "[" * 150 + "]" * 150 + "\n",  # anchors: slow path
    "a: !!seq " + "[" * 150 + "]" * 150 + "\n",  # explicit tag: handed to the constructor
])
def test_nesting_past_the_bound_is_an_error_with_a_line(text: str):
    line, message = error_of(text)
    assert line >= 1 and message == f"values nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize("prefix", ["", "x: &x 1\n"])
def test_nesting_up_to_the_bound_is_read(prefix: str):
    lists = MAX_DEPTH - 1  # inside the document's own mapping
    data = load_documents(prefix + "a: " + "[" * lists + "]" * lists + "\n")[0].data
    assert str(data["a"]) == "[" * lists + "]" * lists


def test_a_stream_of_too_many_documents_is_one_error_at_the_first_extra(
        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(safeyaml, "MAX_DOCUMENTS", 5)
    assert len(load_documents("---\na: 1\n" * 5)) == 5
    line, message = error_of("---\na: 1\n" * 100_000)
    assert (line, message) == (12, "more than 5 documents in one file")

