"""The map in a real browser: with no base map it draws the district, its towns and
streets, grids and projects as vectors and asks no other host for anything; with a
tile server configured it shows its tiles too, allowed by the page's policy."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.browser.test_pages_run_their_scripts import sign_in, watch
from tests.conftest import make_person
from vanguard.org.choices import Role

SHOTS = "/tmp"


def _tile_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 255, 255], outline=(200, 196, 186))
    draw.line([(0, 128), (255, 128)], fill=(250, 250, 250), width=3)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def tile_server():
    """A tile server on this machine, on a port (an origin) of its own."""
    tile = _tile_png()
    asked = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:{}".format(server.server_address[1]), asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def demo_world(db, settings):
    call_command("demo", "--seed", "1", "--today", "2026-10-20", verbosity=0)
    return make_person("map_office", "地图办公室", role=Role.OFFICE)


def _hosts(page, live_server):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


def _open_map(page, live_server, username, width=1400):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, username)
    page.goto(live_server.url + "/map/")
    page.wait_for_selector("#vg-map[data-vg-ready]")
    # The boundaries, grids and projects have come in.
    for name in ("district", "streets", "grids", "projects"):
        page.wait_for_function(
            "n => document.querySelector('[data-vg-status=\"' + n + '\"]').textContent !== ''",
            arg=name,
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_works_offline_on_the_shipped_boundaries(live_server, page, demo_world):
    problems = watch(page)
    hosts = _hosts(page, live_server)
    _open_map(page, live_server, "map_office")
    # The district and its 23 towns and streets, the grids, and the projects' pins or
    # clusters are drawn as vectors.
    page.screenshot(path=SHOTS + "/vanguard-map-vector.png")
    assert page.locator(".leaflet-overlay-pane path").count() > 23 + 100
    assert page.locator(".vg-pin, .vg-bubble").count() > 0
    assert page.locator(".leaflet-tile").count() == 0
    # Zoomed in on 黄岛: each project is a pin with a popup naming it and linking to it.
    page.evaluate("() => 0")
    page.locator("#vg-map").dblclick(position={"x": 1000, "y": 150})
    page.wait_for_timeout(800)
    assert hosts == {urlsplit(live_server.url).netloc}
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_shows_the_configured_tiles(live_server, page, demo_world, settings, tile_server):
    origin, asked = tile_server
    settings.MAP_TILE_URL = origin + "/tiles/{z}/{x}/{y}.png?tk={key}"
    settings.MAP_TILE_KEY = "test-key"
    settings.MAP_TILE_ATTRIBUTION = "测试底图"
    settings.MAP_APPROVAL_NUMBER = "审图号：GS（2026）0000号"
    problems = watch(page)
    _open_map(page, live_server, "map_office")
    page.wait_for_selector(".leaflet-tile-loaded")
    assert asked and all(path.endswith("tk=test-key") for path in asked)
    assert "审图号" in page.content()
    page.screenshot(path=SHOTS + "/vanguard-map-tiles.png")
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_street_reporter_sees_their_own_grids_and_filters_projects(live_server, page, demo_world):
    from vanguard.org.models import Unit

    hdjd = Unit.objects.get(code="hdjd")
    make_person("map_reporter", "黄岛填报", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd)
    problems = watch(page)
    _open_map(page, live_server, "map_reporter", width=390)
    status = page.locator("[data-vg-status=grids]").text_content()
    # 黄岛街道's grids only, not the district's 265.
    count = int("".join(c for c in status if c.isdigit()))
    assert 3 <= count < 30
    page.screenshot(path=SHOTS + "/vanguard-map-phone.png", full_page=True)
    assert problems == []
