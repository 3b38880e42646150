"""The base of the API's input schemas (text arrives without control characters) and the
type of a time the API answers in Beijing time."""

import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, field_validator

from vanguard.core.text import clean_text


def _cleaned(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    return value


class InputSchema(Schema):
    """A request body whose every text (in lists and mappings too) is cleaned on the way in."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value):
        return _cleaned(value)


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


# A stored time as the district reads it: Asia/Shanghai, written with its +08:00.
LocalDateTime = Annotated[datetime.datetime, AfterValidator(_local)]


def aware(moment):
    """A time given without a zone is Beijing time (+08:00); one with a zone stays as it is."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment
