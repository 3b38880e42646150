"""Case figures per unit (结案率, 按期结案率, 返工, 超期, 退单) and the bulletin's section on them.

A month of cases is made through the case actions: Huangdao street (the grid's office)
works eleven, one of them postponed, one reworked, one returned and kept, one returned
and sent on to the enforcement bureau, which has three of its own. Lateness is made by
moving a case's time limit into the past before its reply, as the clock would have.
"""

import datetime
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from docx import Document

from tests.citywork.cases_world import HERE, category
from tests.supervision.test_bulletin_rules import RULE
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.models import Case
from vanguard.citywork.models.cases import CaseSource
from vanguard.citywork.queries.cases import MIN_SAMPLE, CaseFigures, case_figures, total
from vanguard.supervision.models import Bulletin

pytestmark = pytest.mark.django_db


def _patrol(cast, n=0):
    tf = cast["tf_citywork"]
    return actions.do_report_case(
        campaign=cast["campaign"],
        source=CaseSource.PATROL,
        category=category("exposed-garbage"),
        lon=HERE[0] + n * 0.0001,
        lat=HERE[1],
        description="路边垃圾堆放",
        actor=tf,
    )


def _dispatched(cast, n, unit=None):
    return actions.do_dispatch(_patrol(cast, n), actor=cast["tf_citywork"], unit=unit)


def _late(case):
    """Its time limit passed an hour ago (as if dispatched long enough before)."""
    past = timezone.now() - datetime.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(due_at=past, warn_at=past)
    case.refresh_from_db()
    return case


def _close(cast, case, reporter="reporter_hdjd"):
    case = actions.do_handle(case, actor=cast[reporter], reply="已清理完毕")
    return actions.do_check(case, actor=cast["tf_citywork_2"], passed=True)


@pytest.fixture
def month(cast, grid):
    """The month's cases (module docstring); returns the cast."""
    tf, hdjd_reporter = cast["tf_citywork"], cast["reporter_hdjd"]
    for n in range(4):  # closed in time
        _close(cast, _dispatched(cast, n))
    _close(cast, _late(_dispatched(cast, 4)))  # closed late
    postponed = _dispatched(cast, 5)
    postponed = actions.do_ask_postponement(
        postponed,
        actor=hdjd_reporter,
        until=postponed.due_at + datetime.timedelta(days=7),
        reason="需协调产权单位",
    )
    postponed = actions.do_decide_postponement(postponed, actor=tf, approve=True)
    _close(cast, postponed)  # postponed, then closed: left out of 按期结案率
    _late(_dispatched(cast, 6))  # open past its time limit
    _dispatched(cast, 7)  # open, within its time limit
    actions.do_handle(_dispatched(cast, 8), actor=hdjd_reporter, reply="已处理")  # awaiting check
    reworked = actions.do_handle(_dispatched(cast, 9), actor=hdjd_reporter, reply="已处理")
    reworked = actions.do_check(reworked, actor=tf, passed=False, note="仍有残留")
    _close(cast, reworked)  # reworked once, then closed in time
    kept = actions.do_return(_dispatched(cast, 10), actor=hdjd_reporter, reason="属地不符")
    actions.do_decide_return(kept, actor=tf, uphold=False, note="网格属黄岛街道")
    sent_on = actions.do_return(_dispatched(cast, 11), actor=hdjd_reporter, reason="权属不清")
    actions.do_decide_return(sent_on, actor=tf, uphold=True, unit=cast["zfj"])
    # The enforcement bureau: one closed late, one open past due (too few to be named).
    _close(cast, _late(_dispatched(cast, 12, cast["zfj"])), "reporter_zfj")
    _late(_dispatched(cast, 13, cast["zfj"]))
    return cast


def _this_month():
    today = timezone.localdate()
    return today.replace(day=1), today


def test_each_unit_gets_its_rates_with_postponed_cases_left_out(month):
    found = case_figures(month["campaign"], *_this_month())
    hdjd, zfj = found[month["hdjd"].pk], found[month["zfj"].pk]
    assert (hdjd.dispatched, hdjd.closed, hdjd.closed_timed, hdjd.closed_on_time) == (11, 7, 6, 5)
    assert (hdjd.closed_late, hdjd.overdue_open, hdjd.due, hdjd.overdue) == (1, 1, 8, 2)
    assert (hdjd.rework, hdjd.returned) == (1, 2)
    assert hdjd.close_rate == Decimal("87.5")
    # 5 of 6: the postponed case counts neither as in time nor in the denominator.
    assert hdjd.on_time_rate == Decimal("83.3")
    assert (zfj.dispatched, zfj.closed, zfj.closed_on_time, zfj.overdue, zfj.due) == (3, 1, 0, 2, 2)
    assert (zfj.close_rate, zfj.on_time_rate, zfj.returned) == (Decimal("50.0"), Decimal("0.0"), 0)
    assert total(found.values()).dispatched == 14


def test_a_period_before_the_cases_counts_nothing_and_a_cutoff_before_them_neither(month):
    today = timezone.localdate()
    last_year = today.replace(year=today.year - 1)
    assert case_figures(month["campaign"], last_year, last_year) == {}
    before = timezone.now() - datetime.timedelta(days=400)
    assert case_figures(month["campaign"], *_this_month(), cutoff=before) == {}


def test_the_cases_a_user_may_see_narrow_the_figures(month):
    from vanguard.org import access

    cases = access.narrow_cases(
        access.restrict(Case.objects.all(), month["reporter_zfj"]), month["reporter_zfj"]
    )
    found = case_figures(month["campaign"], *_this_month(), cases=cases)
    assert found[month["zfj"].pk].dispatched == 3
    # Of the street's work, only its return of the case the bureau now has.
    assert found[month["hdjd"].pk] == CaseFigures(returned=1)


def _bulletin(cast, tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(RULE, encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", cast["campaign"].code, "--file", str(path),
        stdout=StringIO(),
    )  # fmt: skip
    office = Client()
    office.force_login(cast["office"])
    response = office.post(
        "/supervision/bulletins/draft/", {"month": timezone.localdate().strftime("%Y-%m")}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return office, Bulletin.objects.get()


def test_the_bulletin_names_the_unit_with_the_lowest_on_time_rate_and_the_most_overdue(
    month, tmp_path
):
    office, bulletin = _bulletin(month, tmp_path)
    facts = bulletin.lines.get(unit=month["hdjd"]).facts
    assert (facts["cases_closed_on_time"], facts["cases_closed_timed"]) == (5, 6)
    assert (facts["cases_closed"], facts["cases_due"], facts["cases_overdue"]) == (7, 8, 2)
    text = bulletin.narrative["cases"]
    assert "派遣城市管理案件14件" in text and "结案率80.0%" in text
    assert "按期结案率最低的单位（结案{}件以上）：黄岛街道83.3%".format(MIN_SAMPLE) in text
    assert "超期案件最多的单位（应结案{}件以上）：黄岛街道2件".format(MIN_SAMPLE) in text
    # The enforcement bureau's 0 % of one case is not a pattern: it is not named.
    assert "区综合行政执法局" not in text

    page = office.get("/supervision/bulletins/{}/".format(bulletin.pk)).content.decode()
    assert "City cases" in page or "城市管理案件" in page
    assert "data-section-table" in page and "83.3%" in page and "87.5%" in page

    response = office.get("/supervision/bulletins/{}/bulletin.docx".format(bulletin.pk))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "城市管理案件" in paragraphs and "按期结案率最低的单位" in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"黄岛街道", "83.3%", "合计"} <= cells


def test_a_unit_below_the_minimum_sample_is_never_named(cast, grid, tmp_path):
    # One case of the street, closed late: 0 % in time, but one case is not a pattern.
    _close(cast, _late(_dispatched(cast, 0)))
    _office, bulletin = _bulletin(cast, tmp_path)
    text = bulletin.narrative["cases"]
    assert "按期结案率0.0%" in text and "黄岛街道" not in text and "本月不点名" in text
