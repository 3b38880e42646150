"""The monthly bulletin through its doors: drafted, edited, issued, corrected, read by units,
recomputed as issued, and its facts counted from the records as of the cut-off."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.supervision.test_bulletin_rules import RULE
from vanguard.accounts.tokens import do_create_token
from vanguard.calendar.periods import PeriodKind, period_containing
from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit
from vanguard.projects.actions import do_submit_report
from vanguard.projects.bulletin_facts import report_facts
from vanguard.projects.models import DekadReport, Project
from vanguard.supervision.bulletins.actions import recompute
from vanguard.supervision.bulletins.tasks import draft_due, month_due_date
from vanguard.supervision.lights import recompute as recompute_lights
from vanguard.supervision.models import Bulletin, BulletinState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(plan, make_project, fgj, hdjd, tmp_path):
    """Projects of a department and a street, their lights, and the campaign's scoring rule."""
    Unit.objects.create(code="jtj", name="区交通运输局", kind=UnitKind.DEPARTMENT)
    make_project(lead_unit=fgj)
    make_project(lead_unit=fgj)
    make_project(lead_unit=hdjd)
    recompute_lights(plan)
    path = tmp_path / "rule.yaml"
    path.write_text(RULE.replace("at_least: 2", "at_least: 1"), encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", plan.code, "--file", str(path), stdout=StringIO()
    )
    return plan


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _month():
    return timezone.localdate().strftime("%Y-%m")


def _draft(client):
    response = client.post("/supervision/bulletins/draft/", {"month": _month()})
    assert response.status_code == 302, response.content.decode()[:500]
    return Bulletin.objects.get(state=BulletinState.DRAFT)


def _issue(client, bulletin, number, version=None):
    return client.post(
        "/supervision/bulletins/{}/issue/".format(bulletin.pk),
        {"version": version or bulletin.version, "number": number, "issued_on": "2026-12-05"},
    )


def test_the_office_drafts_edits_and_issues_and_units_then_see_their_line(
    world, office_clerk, fgj_reporter, hdjd_reporter, leader, inspector, fgj
):
    office = _client(office_clerk)
    bulletin = _draft(office)
    assert set(bulletin.lines.values_list("unit__code", flat=True)) == {"fgj", "hdjd"}
    # A draft is the office's side's: a unit does not see it yet.
    assert (
        _client(fgj_reporter).get("/supervision/bulletins/{}/".format(bulletin.pk)).status_code
        == 404
    )
    assert _client(leader).get("/supervision/bulletins/{}/".format(bulletin.pk)).status_code == 200
    edit_url = "/supervision/bulletins/{}/edit/".format(bulletin.pk)
    form = {
        "version": bulletin.version,
        "title": "关于十二月攻坚进展情况的通报",
        "copy_to": "区委办公室",
    }
    form.update({"section_overview": "本月总体平稳。", "section_named": "通报发改局。"})
    assert office.post(edit_url, form).status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title == "关于十二月攻坚进展情况的通报"
    assert bulletin.narrative["overview"] == "本月总体平稳。"

    assert _issue(office, bulletin, "西海岸攻坚办〔2026〕011号").status_code == 400
    assert _issue(office, bulletin, "西海岸攻坚办〔2026〕11号").status_code == 302
    bulletin.refresh_from_db()
    assert (bulletin.state, bulletin.number) == (BulletinState.ISSUED, "西海岸攻坚办〔2026〕11号")

    # Issued, it is locked: the edit page sends the office back, the action refuses.
    form["version"] = bulletin.version
    office.post(edit_url, form)
    bulletin.refresh_from_db()
    assert bulletin.narrative["overview"] == "本月总体平稳。"

    page = _client(fgj_reporter).get("/supervision/bulletins/{}/".format(bulletin.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="own-line"' in html and "区发展和改革局" in html
    assert 'id="unit-fgj" class="table-info' in html
    assert 'id="unit-hdjd" class="table-info' not in html
    # Every figure links to the records behind it: the unit's page and its projects.
    assert 'href="/org/units/fgj/"' in html and 'href="/projects/?unit=fgj"' in html
    listed = _client(hdjd_reporter).get("/supervision/bulletins/").content.decode()
    assert "西海岸攻坚办〔2026〕11号" in listed
    for user in (office_clerk, leader, inspector, hdjd_reporter):
        client = _client(user)
        for path in ("", "bulletin.docx", "ranking.xlsx"):
            url = "/supervision/bulletins/{}/{}".format(bulletin.pk, path)
            assert client.get(url).status_code == 200, (user.username, url)


def test_a_number_used_twice_is_refused_and_changes_nothing(world, office_clerk):
    office = _client(office_clerk)
    first = _draft(office)
    _issue(office, first, "西海岸攻坚办〔2026〕11号")
    correction = office.post("/supervision/bulletins/{}/correct/".format(first.pk))
    assert correction.status_code == 302
    second = Bulletin.objects.get(state=BulletinState.DRAFT)
    assert second.supersedes_id == first.pk
    response = _issue(office, second, "西海岸攻坚办〔2026〕11号")
    assert response.status_code == 400
    assert "已被另一期通报使用" in response.content.decode()
    second.refresh_from_db()
    assert second.state == BulletinState.DRAFT
    # With a number of its own the correction is issued and the first is superseded.
    assert _issue(office, second, "西海岸攻坚办〔2026〕12号").status_code == 302
    first.refresh_from_db()
    assert first.state == BulletinState.SUPERSEDED


def test_two_editors_of_one_draft_one_wins_and_the_other_is_told(world, office_clerk):
    office = _client(office_clerk)
    bulletin = _draft(office)
    url = "/supervision/bulletins/{}/edit/".format(bulletin.pk)
    mine = {"version": bulletin.version, "title": "甲的标题", "section_overview": "甲"}
    theirs = {"version": bulletin.version, "title": "乙的标题", "section_overview": "乙"}
    assert office.post(url, mine).status_code == 302
    late = office.post(url, theirs)
    assert late.status_code == 409
    assert "有人修改了这期通报" in late.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.title == "甲的标题"


def test_recomputing_an_issued_bulletin_with_its_rule_and_cut_off_gives_the_same_figures(
    world, office_clerk, make_project, hdjd, tmp_path
):
    office = _client(office_clerk)
    bulletin = _draft(office)
    _issue(office, bulletin, "西海岸攻坚办〔2026〕11号")
    stored = {
        line.unit_id: (line.score, line.rank, line.listed, line.components)
        for line in bulletin.lines.all()
    }
    # After the cut-off: more projects, new lights, a new rule version.
    make_project(lead_unit=hdjd)
    recompute_lights(world)
    path = tmp_path / "rule2.yaml"
    path.write_text(RULE.replace("points: 2, cap: 6", "points: 3, cap: 9"), encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", world.code, "--file", str(path), stdout=StringIO()
    )
    bulletin.refresh_from_db()
    again = {
        line.unit_id: (line.score, line.rank, line.listed, line.components)
        for line in recompute(bulletin)
    }
    assert again == stored


def test_the_dekad_reports_are_counted_on_time_late_missing_as_of_the_cut_off(
    world, make_project, fgj, fgj_reporter
):
    project = make_project(lead_unit=fgj)
    june = datetime.date(2026, 6, 1)
    # The unit's projects were on the list before June.
    Project.objects.filter(lead_unit=fgj).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 5, 1))
    )
    for day, late in ((datetime.date(2026, 6, 5), False), (datetime.date(2026, 6, 15), True)):
        dekad = period_containing(PeriodKind.DEKAD, day)
        report = do_submit_report(
            project, actor=fgj_reporter, period=dekad.label, progress="推进", today=day
        )
        at = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=8), datetime.time(9))
        )
        DekadReport.objects.filter(pk=report.pk).update(submitted_at=at, late=late)
    cutoff = timezone.make_aware(datetime.datetime(2026, 7, 5, 9))
    facts = report_facts(world, june, datetime.date(2026, 6, 30), cutoff)
    mine = facts[fgj.pk]
    # Three projects of the unit, the dekads due in June: May's last, June's first two.
    assert mine["reports_due"] == 3 * 3
    assert (mine["reports_on_time"], mine["reports_late"]) == (1, 1)
    assert mine["reports_missing"] == 9 - 2
    # Read as of June 20, the second report is not filed yet and June's second dekad
    # not due yet.
    early = report_facts(
        world, june, datetime.date(2026, 6, 30), timezone.make_aware(datetime.datetime(2026, 6, 20))
    )
    assert early[fgj.pk]["reports_due"] == 3 * 2
    assert (early[fgj.pk]["reports_on_time"], early[fgj.pk]["reports_missing"]) == (1, 5)


def test_the_monthly_job_drafts_last_month_on_its_due_date(world):
    month = datetime.date(2026, 10, 1)
    due = month_due_date(world, month)
    assert draft_due(today=due - datetime.timedelta(days=1)) == []
    drafted = draft_due(today=due)
    assert [b.month for b in drafted] == [month]
    assert draft_due(today=due) == []


def test_the_api_lists_bulletins_with_their_lines_and_files(world, office_clerk, fgj_reporter):
    office = _client(office_clerk)
    bulletin = _draft(office)
    token = Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(fgj_reporter.username))
    assert token.get("/api/v1/bulletins").json()["items"] == []
    _issue(office, bulletin, "西海岸攻坚办〔2026〕11号")
    listed = token.get("/api/v1/bulletins").json()
    assert [b["number"] for b in listed["items"]] == ["西海岸攻坚办〔2026〕11号"]
    detail = token.get("/api/v1/bulletins/{}".format(bulletin.pk)).json()
    line = next(line for line in detail["lines"] if line["unit"] == "fgj")
    assert line["unit_url"] == "/org/units/fgj/"
    assert {c["records"] for c in line["components"]} >= {"/org/units/fgj/"}
    for kind in ("docx", "xlsx"):
        response = token.get("/api/v1/bulletins/{}/{}".format(bulletin.pk, kind))
        assert response.status_code == 200 and response.content[:2] == b"PK"


def test_orders_and_talks_count_against_the_unit_as_recorded_by_the_cut_off(
    world, office_clerk, fgj
):
    """A red order unanswered past its deadline and a talk held this month are deducted;
    an order issued after the bulletin's cut-off does not change its recomputed figures."""
    from vanguard.supervision.models import Talk
    from vanguard.supervision.orders.actions import do_issue_order

    today = timezone.localdate()
    project = Project.objects.filter(lead_unit=fgj).first()
    first_day = today.replace(day=1)
    do_issue_order(
        world,
        subject_kind="project",
        object_id=project.pk,
        problem="开工滞后",
        requirement="限期整改",
        colour="red",
        answer_working_days=1,
        actor=office_clerk,
        now=timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(9))),
    )
    Talk.objects.create(
        campaign=world,
        kind="project",
        object_id=project.pk,
        unit=fgj,
        subject_label=project.code,
        talk_type="work",
        reason="红灯",
        state="held",
        proposed_at=timezone.now(),
        held_on=first_day,
        recorded_at=timezone.now(),
    )
    office = _client(office_clerk)
    bulletin = _draft(office)
    line = bulletin.lines.get(unit=fgj)
    deducted = {c["code"]: c["count"] for c in line.components if c["kind"] == "deduction"}
    if today > first_day:  # the order's one working day has passed
        assert deducted.get("orders_unanswered") == 1
    assert deducted.get("talks") == 1
    stored = line.components
    do_issue_order(
        world,
        subject_kind="project",
        object_id=project.pk,
        problem="再次督办",
        requirement="限期整改",
        colour="red",
        answer_working_days=1,
        actor=office_clerk,
    )
    bulletin.refresh_from_db()
    again = {line.unit_id: line.components for line in recompute(bulletin)}
    assert again[fgj.pk] == stored


def test_the_office_workspace_names_the_bulletin_to_issue(world, office_clerk, leader):
    office = _client(office_clerk)
    bulletin = _draft(office)
    page = office.get("/supervision/").content.decode()
    assert 'id="bulletins-waiting"' in page
    assert "草稿待审核印发" in page and "/supervision/bulletins/{}/".format(bulletin.pk) in page
    # A leader reads the workspace but does not keep the bulletin.
    assert 'id="bulletins-waiting"' not in _client(leader).get("/supervision/").content.decode()
