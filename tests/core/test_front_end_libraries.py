"""Every front-end library fetched from npm is copied for serving and used by a page."""

import json
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR).parent.parent
PACKAGE = Path(settings.BASE_DIR)


def _templates() -> dict[str, str]:
    return {
        str(path.relative_to(PACKAGE)): path.read_text(encoding="utf-8")
        for path in PACKAGE.glob("**/templates/**/*.html")
    }


def _vendor_script() -> str:
    return (ROOT / "scripts" / "vendor.sh").read_text(encoding="utf-8")


def test_every_npm_dependency_is_copied_into_the_static_folder():
    dependencies = set(json.loads((ROOT / "package.json").read_text())["dependencies"])
    copied = set(re.findall(r'"\$src"/([\w.@-]+)/', _vendor_script()))
    assert copied == dependencies


def test_every_copied_library_is_loaded_by_a_page_and_every_loaded_one_is_copied():
    copied = set(re.findall(r'"\$dst"/([\w.-]+)/', _vendor_script()))
    loaded = {
        folder
        for text in _templates().values()
        for folder in re.findall(r"""static ['"]vendor/([\w.-]+)/""", text)
    }
    assert loaded == copied


def test_htmx_is_loaded_only_by_the_pages_that_use_it():
    templates = _templates()
    loads = {name for name, text in templates.items() if "vendor/htmx/" in text}
    uses = {name for name, text in templates.items() if re.search(r"\shx-(get|post)=", text)}
    assert uses, "htmx is copied but no template uses it"
    # A page using htmx loads it itself, or includes the part that does.
    assert loads == {"templates/exchange/job.html"}
    assert all(name in loads or "_job_progress" in name for name in uses)
