"""Official documents as LibreOffice lays them out: each page's words and where they sit.

Used where LibreOffice (``soffice``) and poppler's ``pdftotext`` are installed; tests
that need them skip elsewhere.
"""

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from vanguard.exchange.official import LIBREOFFICE_PDF

MM = 72 / 25.4
# The bottom of the type area: 37 mm top margin and 225 mm of type area, in points.
TYPE_AREA_BOTTOM = (37 + 225) * MM
LINE = 28.95

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice and pdftotext are not installed (apt-get install "
    "libreoffice-writer-nogui poppler-utils)",
)


@dataclass
class Page:
    number: int
    words: list  # [(text, x_min, y_min, x_max, y_max)] in points from the top left

    @property
    def text(self):
        return "".join(word[0] for word in self.words)

    def lowest(self, fragment):
        """The bottom edge of the lowest word holding ``fragment``."""
        return max(word[4] for word in self.words if fragment in word[0])


def laid_out(docx_bytes):
    """The pages of a DOCX as LibreOffice prints it (blank pages it inserts included)."""
    with tempfile.TemporaryDirectory(prefix="vanguard-pdf-") as folder:
        folder = Path(folder)
        source = folder / "document.docx"
        source.write_bytes(docx_bytes)
        subprocess.run(
            [
                shutil.which("soffice"),
                "-env:UserInstallation=file://{}".format(folder / "profile"),
                "--headless",
                "--convert-to",
                LIBREOFFICE_PDF,
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        boxes = subprocess.run(
            ["pdftotext", "-bbox", str(folder / "document.pdf"), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout.decode()
    # pdftotext writes XHTML; its elements are namespaced.
    root = ET.fromstring(boxes)
    pages = []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        words = [
            (
                word.text or "",
                float(word.get("xMin")),
                float(word.get("yMin")),
                float(word.get("xMax")),
                float(word.get("yMax")),
            )
            for word in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append(Page(number, words))
    return pages


def page_number_of(page):
    """The “— N —” at the page's foot, as N, or None when the page has no number."""
    feet = sorted(
        (word for word in page.words if word[2] > TYPE_AREA_BOTTOM), key=lambda word: word[1]
    )
    text = "".join(word[0] for word in feet).replace(" ", "")
    if text.startswith("—") and text.endswith("—") and text[1:-1].isdigit():
        return int(text[1:-1])
    return None
