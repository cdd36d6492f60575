import pytest

from purser.registry import Registry


def test_registry_refuses_a_name_twice_and_names_known_items():
    things: Registry[int] = Registry("thing")
    things.register("a")(1)
    with pytest.raises(ValueError):
        things.register("a")(2)
    with pytest.raises(KeyError) as caught:
        things.get("b")
    assert "a" in str(caught.value)
    assert list(things) == ["a"]
