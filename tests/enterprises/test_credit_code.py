"""The unified social credit code's check character (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from vanguard.enterprises.credit_code import (
    check_character,
    normalise,
    problem,
    validate_credit_code,
)

# Codes printed on real business licences.
VALID = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert problem(code) is None
    assert check_character(code[:17]) == code[17]
    validate_credit_code(code)


def test_spaces_and_lower_case_are_forgiven():
    assert normalise(" 91350100m000100y43 ") == "91350100M000100Y43"
    validate_credit_code("9135 0100 m000 100y43")


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100Y44", "3"),  # a wrong check character names the right one
        ("91350100M00O100Y43", "O"),  # the letter O is not in the alphabet
        ("913501A0M000100Y43", "3"),  # the area code must be digits
    ],
)
def test_bad_codes_say_what_is_wrong(code, says):
    message = problem(code)
    assert message and says in str(message)
    with pytest.raises(ValidationError):
        validate_credit_code(code)


def test_a_single_changed_character_is_caught():
    code = VALID[0]
    for i in range(17):
        for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if ch != code[i] and (i not in range(2, 8) or ch.isdigit()):
                changed = code[:i] + ch + code[i + 1 :]
                assert problem(changed) is not None
