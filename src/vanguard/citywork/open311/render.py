"""Open311 GeoReport v2 answers in XML (required by the spec) and JSON.

The XML is the spec's: a UTF-8 declaration, no namespace, one element per field, lists
as a plural root with one child per item (``services``/``service``,
``service_requests``/``request``, ``errors``/``error``). The JSON is the same data by the
"Spark convention": lists of flat objects. Every code and id is a string (the spec's
own examples write numbers with leading zeros, which JSON forbids); times carry their
zone (+08:00).
"""

import json

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
CONTENT_TYPES = {XML: "text/xml; charset=utf-8", JSON: "application/json; charset=utf-8"}
# The element of one item under each list's root.
ITEM_OF = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def moment(value):
    """A W3C date and time with its zone, or "" for none."""
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _escaped(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _write(out, name, value):
    """Append ``value`` as the element ``name`` to the list of strings ``out``.

    Written as text rather than through ElementTree: a page of 1,000 requests is 18,000
    elements, and building and serialising a tree of them cost more than the rest of the
    answer. An element with no text or children is written empty (``<name />``).
    """
    if isinstance(value, dict | list):
        inner = []
        if isinstance(value, dict):
            for key, item in value.items():
                _write(inner, key, item)
        else:
            child = ITEM_OF.get(name, "item")
            for item in value:
                _write(inner, child, item)
        out.append("<{0}>{1}</{0}>".format(name, "".join(inner)) if inner else "<%s />" % name)
        return
    text = _text(value)
    out.append("<{0}>{1}</{0}>".format(name, _escaped(text)) if text else "<%s />" % name)


def to_xml(root, data):
    """``data`` (a list or a dict) under the element ``root``, as the spec's XML."""
    out = []
    _write(out, root, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + "".join(out).encode("utf-8")


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_jsonable(inner) for inner in value]
    if isinstance(value, bool | float) or value is None:
        return value
    return str(value)


def respond(fmt, root, data, status=200, headers=None):
    """The answer in ``fmt`` (xml or json)."""
    if fmt == XML:
        body = to_xml(root, data)
    else:
        body = json.dumps(_jsonable(data), ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def errors(fmt, status, *problems):
    """The spec's error list: several ``(code, description)`` may be returned at once."""
    return respond(
        fmt,
        "errors",
        [{"code": str(code), "description": str(text)} for code, text in problems],
        status=status,
    )
