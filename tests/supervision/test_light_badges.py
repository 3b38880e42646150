"""A light's dot, as every page draws it (supervision.templatetags.light_badges)."""

from django.template import Context, Template
from django.utils import translation


def draw(light):
    return Template("{% load light_badges %}{{ light|light_badge }}").render(
        Context({"light": light})
    )


def test_a_dot_names_its_light_in_the_readers_language():
    with translation.override("zh-hans"):
        red = draw("red")
    with translation.override("en"):
        english = draw("red")
    assert 'class="vg-light vg-light-red"' in red and 'aria-label="红灯"' in red
    assert 'aria-label="Red"' in english and 'title="Red"' in english


def test_no_light_draws_nothing_and_an_unknown_word_draws_no_data():
    assert draw("") == "" and draw(None) == ""
    with translation.override("en"):
        odd = draw('x" onmouseover="alert(1)')
    assert "vg-light-grey" in odd and "onmouseover" not in odd and "No data" in odd
