import pytest

from purser.safeyaml import YamlError, load_documents

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
