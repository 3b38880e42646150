"""A list item's page offers the office the order form with the item filled in."""

from tests.lists.conftest import signed_in


def test_the_item_page_offers_the_office_an_order_about_it(loaded):
    link = "/supervision/orders/new/?subject_kind=listitem&amp;subject=QD-FGJ-01"
    page = signed_in(loaded["office"]).get("/lists/i/QD-FGJ-01/").content.decode()
    assert 'id="issue-order"' in page and link in page
    page = signed_in(loaded["reporter_fgj"]).get("/lists/i/QD-FGJ-01/").content.decode()
    assert 'id="issue-order"' not in page
