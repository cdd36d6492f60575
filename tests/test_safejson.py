"""Strict, bounded JSON: every hostile value is a JsonError with a line, or U+FFFD."""

import pytest

from purser.safejson import JsonError, loads
from purser.safeyaml import MAX_DEPTH


def error_of(text: str) -> tuple[int, str]:
    with pytest.raises(JsonError) as caught:
        loads(text)
    return caught.value.line, caught.value.message


def test_plain_json_reads_as_json_loads_reads_it():
    assert loads('{"a": [1, 2.5, true, null, "x"], "b": {"c": "[{not nesting}]"}}') == {
        "a": [1, 2.5, True, None, "x"], "b": {"c": "[{not nesting}]"}}


def test_a_key_written_twice_is_an_error_on_the_second_line():
    text = '{\n "spec": {\n  "privileged": true,\n  "other": {"privileged": 1},\n' \
           '  "privileged": false\n }\n}'
    assert error_of(text) == (5, "duplicate key 'privileged' (first written on line 3)")


def test_equal_keys_in_different_objects_are_fine():
    assert loads('[{"a": 1}, {"a": 2}]') == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize("number", ["9" * 5000, "-" + "9" * 5000, "9" * 101, "1" * 200 + ".5"])
def test_numbers_too_long_to_be_real_are_an_error_with_a_line(number: str):
    line, message = error_of('{"a": 1,\n "b": ' + number + "}")
    assert line == 2 and message.startswith("number too long")


def test_long_digit_strings_are_only_strings():
    assert loads('{"id": "' + "9" * 5000 + '"}')["id"] == "9" * 5000


@pytest.mark.parametrize("opening", ["[", '{"a": '])
def test_nesting_past_the_bound_is_an_error_with_its_line(opening: str):
    closing = "]" if opening == "[" else "}"
    text = "{\n\"x\":\n" + opening * 10_000 + "1" + closing * 10_000 + "}"
    assert error_of(text) == (3, f"values nested more than {MAX_DEPTH} levels deep")


def test_brackets_and_escaped_quotes_inside_strings_do_not_count_as_nesting():
    text = '{"a": "' + '\\"[' * 500 + '\\\\", "b": ' + "[" * (MAX_DEPTH - 1) \
        + "]" * (MAX_DEPTH - 1) + "}"
    assert loads(text)["a"] == '"[' * 500 + "\\"


def test_lone_surrogates_become_the_replacement_character():
    value = loads('{"a": "\\udfff", "\\ud800k": ["x\\udc00"], "ok": "\\ud83d\\ude00"}')
    assert value == {"a": "\ufffd", "\ufffdk": ["x\ufffd"], "ok": "\U0001F600"}
    value["a"].encode("utf-8")


def test_syntax_errors_keep_their_line():
    assert error_of('{\n "a": 1,\n "b": ,\n}') == (3, "invalid JSON: Expecting value")
