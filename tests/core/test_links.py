"""A list's links made once a list give what ``reverse`` gives for every value."""

import pytest
from django.urls import NoReverseMatch, reverse

from vanguard.core.links import path_of


@pytest.mark.parametrize(
    "value", ["XHA-2026-000036", "西海岸 01", "a%b", "a?b#c&d=e", "~:@!$'()*+,;", 36]
)
def test_a_path_is_what_reverse_gives(value):
    assert path_of("projects:detail")(value) == reverse("projects:detail", args=[value])


def test_a_value_reverse_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        path_of("projects:detail")("a/b")
