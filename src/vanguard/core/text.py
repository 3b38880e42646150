"""Free text as it may be stored and written to documents: without control characters.

Text pasted from Word carries a vertical tab for each Shift+Enter, and other programs
leave stray control characters behind. XML (and so every Excel workbook and Word
document) cannot hold them, so they are cleaned where text comes in (forms, the API,
workbooks) and again where it goes out.
"""

import re
import unicodedata

# Line and page breaks of other programs become ordinary new lines.
_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
# Every other control character except tab, new line and carriage return; the C1
# range; and the two code points XML forbids outright.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# A lone surrogate cannot be encoded and makes any writer fail.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Characters that copy and paste leave in names and numbers: zero-width spaces and
# joiners, the byte-order mark, soft hyphens.
INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
# Full-width minus and the mathematical minus sign are minus signs.
_SIGNS = str.maketrans({"－": "-", "−": "-", "﹣": "-", "＋": "+"})
# Thousands separators (the full-width comma too) and spaces inside a typed number.
_NUMBER_GAPS = re.compile(r"[,，\s]+")


def clean_text(value):
    """``value`` without control characters; line breaks of other programs become "\\n"."""
    if not isinstance(value, str) or value.isprintable():
        return value
    value = _BREAKS.sub("\n", value)
    value = _CONTROLS.sub("", value)
    return _SURROGATES.sub("", value)


def display_width(text):
    """Columns ``text`` takes in a fixed-width layout: Chinese characters count as two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def number_text(text):
    """A typed number as Decimal reads it: "－1，234.5" -> "-1234.5".

    Without invisible characters, thousands separators or spaces, and with plain signs.
    """
    return _NUMBER_GAPS.sub("", INVISIBLE.sub("", text).translate(_SIGNS))
