"""The version a writer read, as every door names it: a body field or an If-Match header.

Every change to a versioned thing (a project, a waiting dekad report, a monthly figure)
names the version it was made on; if that is no longer the current one the change is
refused, never applied over someone else's. Pages carry it in a hidden field, workbooks
in a column, the API in a body field or in ``If-Match`` (RFC 9110), e.g.
``If-Match: "report-123"`` or ``If-Match: "7"``. Actions raise a ValidationError with
the code ``STALE``; the API answers it with 409 Conflict.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The code of a ValidationError that refuses a change made on an outdated version.
STALE = "stale"

_TAG = re.compile(r'\s*(?:W/)?"([^"]*)"\s*|\s*([^,"\s]+)\s*')


def is_stale(error):
    """True when ``error`` refuses a change because the version it names is outdated."""
    if not isinstance(error, ValidationError):
        return False
    codes = [e.code for e in error.error_list] if hasattr(error, "error_list") else []
    return getattr(error, "code", None) == STALE or STALE in codes


def if_match(request):
    """The entity tags of the request's If-Match header, unquoted; [] when it has none."""
    header = request.headers.get("If-Match", "")
    tags = []
    for part in header.split(","):
        match = _TAG.fullmatch(part)
        if match:
            tags.append(match.group(1) if match.group(1) is not None else match.group(2))
    return [t for t in tags if t]


def expected_version(request, given=None, *, prefix=""):
    """The version the caller read: ``given`` (a body field), else the If-Match header.

    A tag may carry the thing's name (``"report-123"`` with ``prefix="report"``) or be the
    bare number. Both given and different, or a tag that names no version, is refused
    (422) rather than guessed at. None: the caller named no version.
    """
    tags = if_match(request)
    if not tags:
        return given
    if len(tags) > 1 or tags[0] == "*":
        raise ValidationError(
            _('If-Match names one version, e.g. If-Match: "{example}".').format(
                example=_example(prefix)
            )
        )
    tag = tags[0]
    if prefix and tag.startswith(prefix + "-"):
        tag = tag[len(prefix) + 1 :]
    if not tag.isdigit():
        raise ValidationError(
            _('If-Match: "{tag}" names no version; send e.g. If-Match: "{example}".').format(
                tag=tags[0], example=_example(prefix)
            )
        )
    version = int(tag)
    if given is not None and int(given) != version:
        raise ValidationError(
            _("If-Match names {header} but the request body {body}: send one version.").format(
                header=version, body=given
            )
        )
    return version


def required_version(request, given, *, current, prefix="", field="version"):
    """As expected_version, for a change that must name a version: refused (422) without one.

    ``current`` is the version now, shown in the message as the one to read and name.
    """
    version = expected_version(request, given, prefix=prefix)
    if version is None:
        raise ValidationError(
            {
                field: _(
                    'Name the version you read: "{field}": {version}, or the header'
                    ' If-Match: "{tag}".'
                ).format(field=field, version=current, tag=_example(prefix, current))
            }
        )
    return version


def _example(prefix, version=1):
    return "{}-{}".format(prefix, version) if prefix else str(version)
