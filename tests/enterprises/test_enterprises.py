"""Sectors, key enterprises, their monthly figures and visits: the actions and their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.enterprises.fixtures import credit_code
from tests.indicators.conftest import OCTOBER, SEPTEMBER, TODAY
from vanguard.audit.log import history_of
from vanguard.blockers.actions import do_resolve_blocker
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.core.money import WAN
from vanguard.enterprises.actions import (
    StaleVersion,
    do_create_enterprise,
    do_create_sector,
    do_record_visit,
    do_set_expectation,
    do_submit_enterprise_month,
    do_update_enterprise,
    do_update_sector,
)
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise
from vanguard.enterprises.queries import days_open
from vanguard.org.access import restrict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def register(plan, sector, unit, actor, code, name="青岛某某有限公司"):
    return do_create_enterprise(
        plan, name=name, credit_code=code, sector=sector, serving_unit=unit, actor=actor
    )


# --- credit codes -------------------------------------------------------------------------


def test_a_credit_code_with_a_wrong_check_character_is_refused_naming_the_field(
    plan, industry, hdjd, indicators_member
):
    good = credit_code(7)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    with pytest.raises(ValidationError) as refused:
        register(plan, industry, hdjd, indicators_member, wrong)

    message = refused.value.message_dict["credit_code"][0]
    assert wrong in message
    assert "check character {}, not {}".format(good[17], wrong[17]) in message
    assert not KeyEnterprise.objects.exists()


def test_a_credit_code_of_the_wrong_length_or_with_a_forbidden_letter_says_so(
    plan, industry, hdjd, indicators_member
):
    with pytest.raises(ValidationError) as short:
        register(plan, industry, hdjd, indicators_member, "91370211MA3C")
    assert "18 characters; this one has 12" in short.value.message_dict["credit_code"][0]

    with pytest.raises(ValidationError) as letter:
        register(plan, industry, hdjd, indicators_member, "91370211MA3CIOSV0Z")
    assert "“I” cannot appear" in letter.value.message_dict["credit_code"][0]


def test_a_credit_code_is_stored_as_written_on_the_licence(plan, industry, hdjd, indicators_member):
    code = credit_code(8)
    spaced = " {} {} ".format(code[:9], code[9:]).lower()

    enterprise = register(plan, industry, hdjd, indicators_member, spaced)

    assert KeyEnterprise.objects.get(pk=enterprise.pk).credit_code == code


def test_one_credit_code_is_one_enterprise_in_a_campaign(
    enterprise, industry, fgj, plan, indicators_member
):
    with pytest.raises(ValidationError) as refused:
        register(plan, industry, fgj, indicators_member, enterprise.credit_code, name="另一家公司")
    assert enterprise.name in refused.value.message_dict["credit_code"][0]


def test_only_the_task_force_or_the_office_registers_enterprises(
    plan, industry, hdjd, hdjd_reporter
):
    with pytest.raises(PermissionDenied):
        register(plan, industry, hdjd, hdjd_reporter, credit_code(9))


# --- sectors ----------------------------------------------------------------------------------


def test_a_sector_feeds_the_indicator_of_the_same_sector_name(industry, plan, gxj, office_clerk):
    assert industry.indicator.code == "industrial_value_added"

    wholesale = do_create_sector(plan, name="批发零售", responsible_unit=gxj, actor=office_clerk)
    assert wholesale.indicator is None
    # The indicator's own free-text sector is left as it was.
    assert industry.indicator.sector == "工业"


def test_an_edit_of_a_sector_changed_meanwhile_is_refused(
    industry, indicators_member, office_clerk
):
    do_update_sector(
        industry, actor=office_clerk, expected_version=1, measures="新增：专精特新企业培育。"
    )

    with pytest.raises(StaleVersion):
        do_update_sector(
            industry, actor=indicators_member, expected_version=1, measures="覆盖别人改过的内容"
        )
    industry.refresh_from_db()
    assert industry.measures == "新增：专精特新企业培育。"
    assert industry.version == 2


def test_a_reporter_may_not_keep_sectors(industry, hdjd_reporter):
    with pytest.raises(PermissionDenied):
        do_update_sector(industry, actor=hdjd_reporter, measures="x")


# --- monthly figures ------------------------------------------------------------------------


def test_the_serving_units_reporter_enters_a_months_figure(enterprise, hdjd_reporter):
    done = do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=1200 * WAN, last_year_yuan=1000 * WAN, actor=hdjd_reporter
    )
    assert done.created
    assert (done.figure.value_yuan, done.figure.version) == (12_000_000, 1)


def test_a_reporter_of_another_unit_may_not_enter_figures_or_visits(enterprise, fgj_reporter):
    with pytest.raises(PermissionDenied):
        do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=1, actor=fgj_reporter)
    with pytest.raises(PermissionDenied):
        do_record_visit(enterprise, visited_on=TODAY, visitors="张三", actor=fgj_reporter)
    with pytest.raises(PermissionDenied):
        do_set_expectation(enterprise, amount_yuan=1, actor=fgj_reporter)


def test_a_month_not_over_yet_is_refused(enterprise, hdjd_reporter):
    for month in (NOVEMBER, datetime.date(2027, 2, 1)):
        with pytest.raises(ValidationError) as refused:
            do_submit_enterprise_month(enterprise, month, value_yuan=WAN, actor=hdjd_reporter)
        assert "is not over yet" in refused.value.message_dict["month"][0]
    assert not EnterpriseMonth.objects.exists()


def test_a_negative_figure_is_refused(enterprise, hdjd_reporter):
    with pytest.raises(ValidationError) as refused:
        do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=-5, actor=hdjd_reporter)
    assert "value_yuan" in refused.value.message_dict


def test_a_revision_must_name_the_version_in_force_and_keeps_the_old_figure_as_a_row(
    enterprise, hdjd_reporter, indicators_member
):
    do_submit_enterprise_month(enterprise, SEPTEMBER, value_yuan=900 * WAN, actor=hdjd_reporter)

    with pytest.raises(StaleVersion):
        do_submit_enterprise_month(enterprise, SEPTEMBER, value_yuan=1, actor=indicators_member)
    done = do_submit_enterprise_month(
        enterprise,
        SEPTEMBER,
        value_yuan=950 * WAN,
        revises=1,
        reason="企业更正",
        actor=indicators_member,
    )
    with pytest.raises(StaleVersion) as stale:
        do_submit_enterprise_month(
            enterprise, SEPTEMBER, value_yuan=1, revises=1, actor=hdjd_reporter
        )

    assert "version 2" in str(stale.value.messages[0])
    figure = EnterpriseMonth.objects.current().get()
    assert (figure.value_yuan, figure.version, figure.reason) == (9_500_000, 2, "企业更正")
    old = figure.supersedes
    assert (old.value_yuan, old.version, old.is_current) == (9_000_000, 1, False)
    assert history_of(figure)[0].after["value_yuan"] == 9_500_000
    assert history_of(figure)[0].reason == "企业更正"
    assert history_of(old)[0].after == {"is_current": False}
    assert done.changed and not done.created


def test_the_same_figures_again_change_nothing(enterprise, hdjd_reporter):
    do_submit_enterprise_month(enterprise, OCTOBER, value_yuan=WAN, actor=hdjd_reporter)
    again = do_submit_enterprise_month(
        enterprise, OCTOBER, value_yuan=WAN, revises=1, actor=hdjd_reporter
    )
    assert not again.changed
    assert again.figure.version == 1


def test_an_expectation_set_on_a_stale_version_is_refused(enterprise, hdjd_reporter, office_clerk):
    do_set_expectation(enterprise, amount_yuan=3000 * WAN, actor=hdjd_reporter, expected_version=1)
    do_update_enterprise(enterprise, actor=office_clerk, expected_version=2, contact_name="刘经理")

    with pytest.raises(StaleVersion):
        do_set_expectation(
            enterprise, amount_yuan=2000 * WAN, actor=hdjd_reporter, expected_version=2
        )
    enterprise.refresh_from_db()
    assert (enterprise.expectation_yuan, enterprise.expectation_on) == (30_000_000, TODAY)
    assert enterprise.contact_name == "刘经理"


def test_an_expectation_given_in_the_future_is_refused(enterprise, hdjd_reporter):
    with pytest.raises(ValidationError) as refused:
        do_set_expectation(
            enterprise,
            amount_yuan=WAN,
            given_on=TODAY + datetime.timedelta(days=1),
            actor=hdjd_reporter,
        )
    assert "expectation_on" in refused.value.message_dict


# --- visits and blockers ---------------------------------------------------------------------


def test_a_visit_in_the_future_is_refused(enterprise, hdjd_reporter):
    with pytest.raises(ValidationError) as refused:
        do_record_visit(
            enterprise,
            visited_on=TODAY + datetime.timedelta(days=2),
            visitors="赵街道",
            blockers=["用电指标不足"],
            actor=hdjd_reporter,
        )
    assert "is in the future" in refused.value.message_dict["visited_on"][0]
    assert not Blocker.objects.exists()


def test_problems_found_on_a_visit_become_open_blockers_of_the_serving_unit_unless_named(
    enterprise, hdjd_reporter, gxj
):
    visit = do_record_visit(
        enterprise,
        visited_on=datetime.date(2026, 11, 6),
        visitors="赵街道、钱统计",
        findings="订单充足，用工紧张。",
        blockers=["招工难，缺技术工人", ("技改项目配套电力扩容", "需供电公司协调", gxj)],
        actor=hdjd_reporter,
    )

    blockers = {b.title: b for b in Blocker.objects.all()}
    assert set(blockers) == {"招工难，缺技术工人", "技改项目配套电力扩容"}
    assert blockers["招工难，缺技术工人"].unit == enterprise.serving_unit
    assert blockers["技改项目配套电力扩容"].unit == gxj
    for blocker in blockers.values():
        assert (blocker.state, blocker.raised_on) == (BlockerState.OPEN, visit.visited_on)
        assert (blocker.occasion, blocker.source_object) == (visit, enterprise)


def test_a_blocker_counts_its_days_open_until_it_is_resolved(enterprise, hdjd_reporter):
    do_record_visit(
        enterprise,
        visited_on=datetime.date(2026, 11, 6),
        visitors="赵街道",
        blockers=["融资担贷款到期续贷"],
        actor=hdjd_reporter,
    )
    blocker = Blocker.objects.get()
    assert days_open(blocker, TODAY) == 20

    do_resolve_blocker(
        blocker,
        resolution="协调银行续贷",
        actor=hdjd_reporter,
        today=datetime.date(2026, 11, 16),
    )
    blocker.refresh_from_db()
    assert days_open(blocker, TODAY) == 10


# --- access ---------------------------------------------------------------------------------


def test_a_reporter_sees_only_the_enterprises_their_unit_serves(
    enterprise, other_enterprise, hdjd_reporter, fgj_reporter, leader, indicators_member
):
    def seen(user):
        return set(restrict(KeyEnterprise.objects.all(), user).values_list("name", flat=True))

    assert seen(hdjd_reporter) == {enterprise.name}
    assert seen(fgj_reporter) == {other_enterprise.name}
    assert seen(leader) == seen(indicators_member) == {enterprise.name, other_enterprise.name}
