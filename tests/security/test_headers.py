"""Headers that keep a page's data where it belongs: no inline script, no caching."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def test_no_template_carries_an_inline_script_or_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_every_page_forbids_inline_script_and_is_not_cached(login, office_clerk):
    response = login(office_clerk).get("/org/units/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/org/people/export.xlsx", "/api/v1/units"])
def test_exports_and_the_api_are_not_cached(url, login, office_clerk):
    response = login(office_clerk).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_carries_the_policy_too(client, db):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_chart_tooltips_show_names_as_text_not_markup():
    script = (Path(settings.BASE_DIR) / "static" / "vanguard" / "project_map.js").read_text()
    formatter = re.search(r"formatter: function \(p\) \{([^}]*)\}", script).group(1)
    assert "vgEscape(p.seriesName)" in formatter and "vgEscape(p.value[1])" in formatter
