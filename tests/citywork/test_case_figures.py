"""Case figures per unit (结案率, 按期结案率, 返工, 超期, 退单) and the bulletin's section on them.

Last month's cases are made through the case actions and then moved back in time
together with their flow records, as if they had run then: Huangdao street (the grid's
office) worked eleven of them, one postponed, one reworked, one returned and kept, one
returned and sent on to the enforcement bureau, which has three; two more of the
street's came this month. Lateness is made by moving a case's time limit into the past
before its reply, as the clock would have.
"""

import datetime
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone
from docx import Document

from tests.citywork.cases_world import HERE, category
from tests.supervision.test_bulletin_rules import RULE
from vanguard.citywork.actions import cases as actions
from vanguard.citywork.models import Case, CaseEvent
from vanguard.citywork.models.cases import CaseSource
from vanguard.citywork.queries.case_figures import MIN_SAMPLE, CaseFigures, case_figures, total
from vanguard.supervision.models import Bulletin

pytestmark = pytest.mark.django_db
TIMES = (
    "reported_at",
    "registered_at",
    "dispatched_at",
    "due_at",
    "warn_at",
    "signed_at",
    "handled_at",
    "checked_at",
    "closed_at",
)


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


def last_month():
    """(first day, last day) of last month."""
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _move_to_last_month(cases):
    """Every time of ``cases`` and of their steps moved back to the middle of last month."""
    anchor = timezone.make_aware(
        datetime.datetime.combine(last_month()[0].replace(day=12), datetime.time(10))
    )
    back = timezone.now() - anchor
    ids = [c.pk for c in cases]
    Case.objects.filter(pk__in=ids).update(**{name: F(name) - back for name in TIMES})
    CaseEvent.objects.filter(case_id__in=ids).update(at=F("at") - back)


@pytest.fixture
def months(cast, grid):
    """The cases of last month and this month (module docstring); returns the cast."""
    tf, hdjd_reporter = cast["tf_citywork"], cast["reporter_hdjd"]
    then = [_close(cast, _dispatched(cast, n)) for n in range(4)]  # closed in time
    then.append(_close(cast, _late(_dispatched(cast, 4))))  # closed late
    postponed = _dispatched(cast, 5)
    postponed = actions.do_ask_postponement(
        postponed,
        actor=hdjd_reporter,
        until=postponed.due_at + datetime.timedelta(days=2),
        reason="需协调产权单位",
    )
    postponed = actions.do_decide_postponement(postponed, actor=tf, approve=True)
    then.append(_close(cast, postponed))  # postponed, then closed: left out of 按期结案率
    then += [_dispatched(cast, n) for n in (6, 7, 8)]  # never replied to: overdue
    reworked = actions.do_handle(_dispatched(cast, 9), actor=hdjd_reporter, reply="已处理")
    reworked = actions.do_check(reworked, actor=tf, passed=False, note="仍有残留")
    then.append(_close(cast, reworked))  # reworked once, then closed in time
    kept = actions.do_return(_dispatched(cast, 10), actor=hdjd_reporter, reason="属地不符")
    then.append(actions.do_decide_return(kept, actor=tf, uphold=False, note="网格属黄岛街道"))
    sent_on = actions.do_return(_dispatched(cast, 11), actor=hdjd_reporter, reason="权属不清")
    then.append(actions.do_decide_return(sent_on, actor=tf, uphold=True, unit=cast["zfj"]))
    # The enforcement bureau: one closed late, one never replied to.
    then.append(_close(cast, _late(_dispatched(cast, 12, cast["zfj"])), "reporter_zfj"))
    then.append(_dispatched(cast, 13, cast["zfj"]))
    _move_to_last_month(then)
    # This month: one open within its time limit, one replied to and awaiting its check.
    _dispatched(cast, 14)
    actions.do_handle(_dispatched(cast, 15), actor=hdjd_reporter, reply="已处理")
    return cast


def test_each_unit_gets_its_rates_with_postponed_cases_left_out(months):
    found = case_figures(months["campaign"], *last_month())
    hdjd, zfj = found[months["hdjd"].pk], found[months["zfj"].pk]
    assert (hdjd.dispatched, hdjd.due, hdjd.closed, hdjd.closed_timed) == (11, 11, 7, 6)
    assert (hdjd.closed_on_time, hdjd.closed_late, hdjd.overdue_open) == (5, 1, 4)
    assert (hdjd.overdue, hdjd.rework, hdjd.returned) == (5, 1, 2)
    assert hdjd.close_rate == Decimal("63.6")
    # 5 of 6: the postponed case counts neither as in time nor in the denominator.
    assert hdjd.on_time_rate == Decimal("83.3")
    assert (zfj.dispatched, zfj.due, zfj.closed, zfj.closed_on_time, zfj.overdue) == (3, 3, 1, 0, 3)
    assert (zfj.close_rate, zfj.on_time_rate, zfj.returned) == (Decimal("33.3"), Decimal("0.0"), 0)
    assert total(found.values()).dispatched == 14


def test_this_month_answers_for_its_own_cases_and_still_names_the_overdue_ones(months):
    today = timezone.localdate()
    found = case_figures(months["campaign"], today.replace(day=1), today)
    hdjd = found[months["hdjd"].pk]
    # Nothing of this month is due yet; last month's overdue cases are 超期 until closed.
    assert (hdjd.dispatched, hdjd.due, hdjd.closed, hdjd.close_rate) == (2, 0, 0, None)
    assert (hdjd.overdue, hdjd.returned) == (4, 0)
    assert found[months["zfj"].pk].overdue == 2


def test_a_cutoff_before_the_cases_counts_nothing(months):
    before = timezone.now() - datetime.timedelta(days=400)
    assert case_figures(months["campaign"], *last_month(), cutoff=before) == {}


def test_the_cases_a_user_may_see_narrow_the_figures(months):
    from vanguard.org import access

    cases = access.narrow_cases(
        access.restrict(Case.objects.all(), months["reporter_zfj"]), months["reporter_zfj"]
    )
    found = case_figures(months["campaign"], *last_month(), cases=cases)
    assert found[months["zfj"].pk].dispatched == 3
    # Of the street's work, only its return of the case the bureau now has.
    assert found[months["hdjd"].pk] == CaseFigures(returned=1)


def _bulletin(cast, tmp_path):
    """The office loads a scoring rule and drafts last month's bulletin through its page."""
    path = tmp_path / "rule.yaml"
    path.write_text(RULE, encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", cast["campaign"].code, "--file", str(path),
        stdout=StringIO(),
    )  # fmt: skip
    office = Client()
    office.force_login(cast["office"])
    response = office.post(
        "/supervision/bulletins/draft/", {"month": last_month()[0].strftime("%Y-%m")}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return office, Bulletin.objects.get()


def test_the_bulletin_names_the_unit_with_the_lowest_on_time_rate_and_the_most_overdue(
    months, tmp_path
):
    office, bulletin = _bulletin(months, tmp_path)
    facts = bulletin.lines.get(unit=months["hdjd"]).facts
    assert (facts["cases_closed_on_time"], facts["cases_closed_timed"]) == (5, 6)
    assert (facts["cases_closed"], facts["cases_due"], facts["cases_overdue"]) == (7, 11, 5)
    text = bulletin.narrative["cases"]
    assert "派遣城市管理案件14件，应结案14件，结案8件，结案率57.1%；按期结案率71.4%" in text
    assert "按期结案率最低的单位（结案{}件以上）：黄岛街道83.3%".format(MIN_SAMPLE) in text
    assert "超期案件最多的单位（超期{}件以上）：黄岛街道5件".format(MIN_SAMPLE) in text
    # The enforcement bureau's 0 % of one case and its three overdue are not a pattern.
    assert "区综合行政执法局" not in text

    page = office.get("/supervision/bulletins/{}/".format(bulletin.pk)).content.decode()
    assert "data-section-table" in page and "83.3%" in page and "63.6%" in page
    assert "城市管理案件" in page or "City cases" in page
    # The unit's row leads to its cases, the list filtered to that unit.
    assert 'href="/city/cases/?unit=hdjd"' in page
    listed = office.get("/city/cases/?unit=hdjd")
    assert listed.status_code == 200
    shown = {case.unit.code for case in listed.context["cases"]}
    assert shown == {"hdjd"}

    response = office.get("/supervision/bulletins/{}/bulletin.docx".format(bulletin.pk))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "城市管理案件" in paragraphs and "按期结案率最低的单位" in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"黄岛街道", "63.6%", "83.3%", "合计", "57.1%"} <= cells


def test_a_unit_below_the_minimum_sample_is_never_named(cast, grid, tmp_path):
    # One case of the street, closed late: 0 % in time, but one case is not a pattern.
    _move_to_last_month([_close(cast, _late(_dispatched(cast, 0)))])
    _office, bulletin = _bulletin(cast, tmp_path)
    text = bulletin.narrative["cases"]
    assert "按期结案率0.0%" in text and "黄岛街道" not in text and "本月不点名" in text
