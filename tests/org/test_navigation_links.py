"""The navigation's links follow each reader's rights and language, though each
combination is drawn once per process (org.templatetags.navigation)."""

import re

from django.test import Client

from vanguard.org.templatetags import navigation

REFERRALS = "/supervision/referrals/"


def page(user, path="/projects/"):
    client = Client()
    client.force_login(user)
    return client.get(path).content.decode()


def links(html):
    nav = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("\n      </ul>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_each_reader_gets_the_links_their_rights_give(leader, fgj_reporter, sysadmin):
    navigation._drawn.clear()
    as_leader = links(page(leader))
    as_reporter = links(page(fgj_reporter))
    again = links(page(leader))
    assert any(REFERRALS in href for href in as_leader)
    assert not any(REFERRALS in href for href in as_reporter)
    assert again == as_leader
    # The administrator does not take part: no map.
    as_admin = links(page(sysadmin, "/org/units/"))
    assert "/map/" in as_leader and "/map/" not in as_admin


def test_the_links_speak_the_readers_language_and_mark_the_section(login, leader):
    navigation._drawn.clear()
    client = login(leader)
    chinese = client.get("/projects/").content.decode()
    assert "一张网一张图" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/projects/").content.decode()
    assert ">One map<" in english and "一张网一张图" not in english
    oversight = client.get("/supervision/bulletins/").content.decode()
    assert 'dropdown-toggle active"' in oversight
    assert 'dropdown-toggle active"' not in english
