"""An enterprise's monthly figure is versioned as an indicator's observation is (0020).

A revision through the page or the API adds a row and keeps the one it replaced; a
stale revision is refused with the same words in both domains; the page and the pack
read the figure in force; the migration keeps existing rows, each current.
"""

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.indicators.conftest import OCTOBER, TODAY
from vanguard.core.figures import StaleVersion
from vanguard.core.money import WAN, format_wan
from vanguard.enterprises.actions import do_submit_enterprise_month
from vanguard.enterprises.models import EnterpriseMonth
from vanguard.enterprises.pack import sector_table
from vanguard.indicators.actions import StaleObservation, do_submit_observation
from vanguard.indicators.pack import gather

pytestmark = [pytest.mark.usefixtures("english")]

STALE_WORDS = re.compile(
    r"^(?P<where>.+) was revised to version 2 by (?P<who>\S+) at \d{4}-\d\d-\d\d \d\d:\d\d"
    r" after version 1 you revised; reload it and enter your change again\.$"
)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.mark.django_db
def test_a_revision_through_the_page_keeps_the_old_row_and_the_page_shows_the_new(
    login, enterprise, hdjd_reporter
):
    do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=9_876_000, last_year_yuan=9_000_000, actor=hdjd_reporter
    )
    url = "/indicators/enterprises/{}/".format(enterprise.credit_code)
    client = login(hdjd_reporter)

    response = client.post(
        url,
        {
            "form": "figure",
            "month": "2026-10",
            "value_wan": "1234.5",
            "last_year_wan": "900",
            "revises": "1",
            "reason": "企业更正",
        },
    )

    assert response.status_code == 302
    rows = EnterpriseMonth.objects.order_by("version")
    assert [(r.version, r.value_yuan, r.is_current, r.source) for r in rows] == [
        (1, 9_876_000, False, "form"),
        (2, 12_345_000, True, "form"),
    ]
    assert rows[1].supersedes == rows[0] and rows[1].reason == "企业更正"
    page = client.get(url).content.decode()
    assert format_wan(12_345_000) in page
    assert format_wan(9_876_000) not in page
    assert 'name="revises" value="2"' in page


@pytest.mark.django_db
def test_a_stale_revision_is_refused_with_the_same_words_for_both_kinds_of_figure(
    enterprise, hdjd_reporter, indicators_member, indicator, area, tjj_reporter
):
    do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=WAN, actor=hdjd_reporter)
    do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=2 * WAN, revises=1, actor=indicators_member
    )
    retail, district = indicator("retail_sales"), area("district")
    do_submit_observation(retail, district, OCTOBER, actor=tjj_reporter, growth_pct=5, today=TODAY)
    do_submit_observation(
        retail, district, OCTOBER, actor=indicators_member, growth_pct=6, revises=1, today=TODAY
    )

    with pytest.raises(StaleVersion) as firm:
        do_submit_enterprise_month(
            enterprise, OCTOBER, value_yuan=3 * WAN, revises=1, actor=hdjd_reporter
        )
    with pytest.raises(StaleObservation) as figure:
        do_submit_observation(
            retail, district, OCTOBER, actor=tjj_reporter, growth_pct=7, revises=1, today=TODAY
        )

    assert StaleObservation is StaleVersion
    words = [STALE_WORDS.match(e.value.messages[0]) for e in (firm, figure)]
    assert all(words), [e.value.messages[0] for e in (firm, figure)]
    assert [w["who"] for w in words] == ["孙专班", "孙专班"]
    assert [w["where"] for w in words] == [
        "{}·2026年10月".format(enterprise.name),
        "{}·{}·2026年10月".format(retail.name, district.name),
    ]
    assert EnterpriseMonth.objects.count() == 2


@pytest.mark.django_db
def test_the_pack_sums_the_figures_in_force_only(plan, enterprise, hdjd_reporter):
    do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=100 * WAN, last_year_yuan=100 * WAN, actor=hdjd_reporter
    )
    do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=120 * WAN, last_year_yuan=100 * WAN, revises=1,
        actor=hdjd_reporter,
    )  # fmt: skip

    pack = gather(plan, hdjd_reporter, datetime.date(2026, 10, 1), TODAY)
    _headers, sectors = sector_table(pack.parts["enterprises"])

    # Counting the replaced row as well would say 220 against 200: 10 %.
    assert sectors[0][5] == pytest.approx(20.0)


BEFORE = [("enterprises", "0002_change_log_labels")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_months_stay_current_with_their_versions_through_the_migration(
    enterprise, hdjd_reporter
):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE).get_model("enterprises", "EnterpriseMonth")
        for month, version in ((9, 1), (10, 3)):
            old.objects.create(
                enterprise_id=enterprise.pk,
                month=datetime.date(2026, month, 1),
                value_yuan=month * WAN,
                version=version,
            )
    finally:
        _migrate(latest)

    rows = EnterpriseMonth.objects.order_by("month")
    assert [(r.month.month, r.version, r.is_current, r.source, r.supersedes_id) for r in rows] == [
        (9, 1, True, "form", None),
        (10, 3, True, "form", None),
    ]
    done = do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=11 * WAN, revises=3, actor=hdjd_reporter
    )
    assert (done.figure.version, done.figure.supersedes.version) == (4, 3)
    assert EnterpriseMonth.objects.current().count() == 2
    assert EnterpriseMonth.objects.count() == 3
