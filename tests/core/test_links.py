"""A list's links made once a list give what ``reverse`` gives for every value."""

import pytest
from django.urls import NoReverseMatch, reverse

from vanguard.core.links import path_of


@pytest.mark.parametrize(
    "value", ["XHA-2026-000036", "西海岸 01", "a%b", "a?b#c&d=e", "~:@!$'()*+,;", 36]
)
def test_a_path_by_code_is_what_reverse_gives(value):
    assert path_of("projects:detail")(value) == reverse("projects:detail", args=[value])


def test_a_path_by_number_is_what_reverse_gives():
    assert path_of("projects:report_detail")(36) == reverse("projects:report_detail", args=[36])
    assert path_of("projects:report_detail")("7") == "/projects/reports/7/"


@pytest.mark.parametrize(
    "name, value", [("projects:detail", "a/b"), ("projects:report_detail", "x")]
)
def test_a_value_reverse_refuses_is_refused(name, value):
    with pytest.raises(NoReverseMatch):
        path_of(name)(value)
