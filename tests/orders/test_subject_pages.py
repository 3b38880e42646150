"""A lagging subject's page offers the office the order form with the subject filled in."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_project_page_offers_the_office_an_order_about_it(
    lit, login, client, office_clerk, fgj_reporter
):
    page = login(office_clerk).get("/projects/p/XHA-0001/").content.decode()
    assert 'id="issue-order"' in page and "交办督办单" in page
    link = "/supervision/orders/new/?subject_kind=project&subject=XHA-0001"
    assert link.replace("&", "&amp;") in page
    form = client.get(link).content.decode()
    assert 'value="XHA-0001"' in form
    client.logout()
    page = login(fgj_reporter).get("/projects/p/XHA-0001/").content.decode()
    assert 'id="issue-order"' not in page
