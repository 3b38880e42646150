"""One pool of problems that any source feeds through ``do_raise_blockers``.

A dekad report raises problems about its project, a visit about its key enterprise, and
a source registered later (here a key node of a project, as a supervision order would
be) plugs in by registering, with no foreign key from the pool into its app: its
problems are listed, named, scoped and handled like the others.
"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.test import Client

from tests.conftest import PASSWORD, make_person
from tests.enterprises.fixtures import credit_code
from vanguard.accounts.tokens import do_create_token
from vanguard.blockers import sources
from vanguard.blockers.actions import do_dispatch_blocker, do_raise_blockers
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.enterprises.actions import (
    do_create_enterprise,
    do_create_sector,
    do_record_visit,
)
from vanguard.org.access import SYSTEM
from vanguard.org.choices import Battle, Role
from vanguard.org.models import Campaign
from vanguard.projects.actions import do_create_project, do_submit_report
from vanguard.projects.models import DekadReport

pytestmark = pytest.mark.django_db

MARCH_5 = datetime.date(2026, 3, 5)


@pytest.fixture
def plan(db, settings):
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    return Campaign.objects.get(code="xihaian-2026")


@pytest.fixture
def projects_member(plan, fgj):
    return make_person(
        "tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER,
        task_force=plan.task_forces.get(battle=Battle.PROJECTS),
    )  # fmt: skip


@pytest.fixture
def project(plan, fgj, office_clerk):
    return do_create_project(
        campaign=plan, code="XHA-0001", name="海洋装备产业园", lead_unit=fgj,
        investment_yuan=1_200_000_000, actor=office_clerk,
    )  # fmt: skip


@pytest.fixture
def enterprise(plan, hdjd, office_clerk):
    sector = do_create_sector(plan, name="工业", responsible_unit=hdjd, actor=office_clerk)
    return do_create_enterprise(
        plan, name="青岛海工装备有限公司", credit_code=credit_code(1), sector=sector,
        serving_unit=hdjd, actor=office_clerk,
    )  # fmt: skip


@pytest.fixture
def node_source():
    """A source registered after the others: problems about a project's key node, handled by
    the city-work task force, answered for by the project's lead unit."""
    source = sources.register_source(
        sources.Source(
            key="node",
            model="projects.milestone",
            battle=Battle.CITYWORK,
            label="关键节点",
            unit_field="project__lead_unit",
            campaign_field="project__campaign",
            describe=lambda milestone, occasion: [
                ("{} {}".format(milestone.project.code, milestone.node.name), "")
            ],
            reference=lambda milestone, occasion: {"project": milestone.project.code},
            select_related=("project", "node"),
        )
    )
    yield source
    del sources.SOURCES["node"]
    pre_delete.disconnect(sender="projects.milestone", dispatch_uid="blockers-protect-node")


def browser(user):
    client = Client()
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code
    return client


def rows(user, query=""):
    content = browser(user).get("/problems/" + query).content.decode()
    found = re.findall(r'<tr data-blocker="(\d+)">(.*?)</tr>', content, re.S)
    return {re.search(r"<td><a [^>]*>([^<]+)</a>", html).group(1): html for _pk, html in found}


def test_a_report_raises_its_problems_about_its_project_in_the_report(project, fgj_reporter):
    report = do_submit_report(
        project, actor=fgj_reporter, progress="施工", blockers=["征迁未完成"], today=MARCH_5
    )
    blocker = Blocker.objects.get()
    assert (blocker.source_kind, blocker.source_id, blocker.occasion_id) == (
        "project", project.pk, report.pk,
    )  # fmt: skip
    assert (blocker.source_object, blocker.occasion, blocker.unit_id) == (
        project, report, project.lead_unit_id,
    )  # fmt: skip
    assert list(report.blockers.all()) == [blocker]
    assert Blocker.objects.about(project).get() == blocker


def test_a_visit_raises_its_problems_about_its_enterprise_on_the_visit(
    enterprise, hdjd_reporter, fgj
):
    visit = do_record_visit(
        enterprise, visited_on=MARCH_5, visitors="走访组", actor=hdjd_reporter,
        blockers=["用工缺口", ("蒸汽管网接入", "需热电公司配合", fgj), "用工缺口"],
    )  # fmt: skip
    raised = list(Blocker.objects.about(enterprise).order_by("pk"))
    # A visit's problems are each their own, even a title found twice.
    assert [b.title for b in raised] == ["用工缺口", "蒸汽管网接入", "用工缺口"]
    assert {(b.source_kind, b.occasion_id, b.raised_on) for b in raised} == {
        ("enterprise", visit.pk, MARCH_5)
    }
    assert [b.unit_id for b in raised] == [
        enterprise.serving_unit_id,
        fgj.pk,
        enterprise.serving_unit_id,
    ]


def test_only_those_answerable_for_the_thing_raise_problems_about_it(
    project, enterprise, fgj_reporter, hdjd_reporter, leader, projects_member, office_clerk
):
    for user in (hdjd_reporter, leader, None):
        with pytest.raises(PermissionDenied):
            do_raise_blockers(project, ["征迁未完成"], unit=project.lead_unit, actor=user)
    # The projects task force keeps the projects' problems, not the key enterprises'.
    with pytest.raises(PermissionDenied):
        do_raise_blockers(
            enterprise, ["用工缺口"], unit=enterprise.serving_unit, actor=projects_member
        )
    assert not Blocker.objects.exists()
    for user in (fgj_reporter, projects_member, office_clerk, SYSTEM):
        do_raise_blockers(project, ["问题"], unit=project.lead_unit, actor=user)
    assert Blocker.objects.count() == 1  # the same open title, named again, is that problem


def test_a_problem_naming_an_unknown_owner_unit_is_refused(project, fgj_reporter):
    with pytest.raises(ValidationError):
        do_raise_blockers(
            project, [("问题", "", 987654)], unit=project.lead_unit, actor=fgj_reporter
        )
    assert not Blocker.objects.exists()


def test_a_source_registered_later_feeds_the_same_pool_pages_and_api(
    node_source, project, fgj_reporter, hdjd_reporter, projects_member, office_clerk, hdjd
):
    milestone = project.milestones.select_related("node").get(node__code="land_use")
    (blocker,) = do_raise_blockers(
        milestone, ["用地预审材料缺失"], unit=project.lead_unit, actor=fgj_reporter
    )
    assert (blocker.source_kind, blocker.source_id, blocker.battle) == (
        "node", milestone.pk, Battle.CITYWORK,
    )  # fmt: skip

    row = rows(office_clerk, "?source=node")["用地预审材料缺失"]
    assert "关键节点" in row and "XHA-0001 用地手续办理" in row
    assert rows(office_clerk, "?source=project") == {}
    # The projects task force sees it but keeps only its own battle's problems.
    with pytest.raises(PermissionDenied):
        do_dispatch_blocker(blocker, unit=hdjd, actor=projects_member)
    do_dispatch_blocker(blocker, unit=hdjd, actor=office_clerk)
    # Dispatched away, it stays in sight of the unit answerable for the key node.
    assert "用地预审材料缺失" in rows(fgj_reporter)
    assert "用地预审材料缺失" in rows(hdjd_reporter)

    headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(office_clerk.username)}
    listed = Client().get("/api/v1/problems?source=node", **headers).json()["items"]
    assert [(p["title"], p["source"], p["project"], p["enterprise"]) for p in listed] == [
        ("用地预审材料缺失", "node", "XHA-0001", None)
    ]


def test_the_problems_page_and_api_cost_the_same_queries_for_more_sources_and_problems(
    project, enterprise, fgj_reporter, hdjd_reporter, office_clerk, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_submit_report(project, actor=fgj_reporter, progress="施工", blockers=["一"], today=MARCH_5)
    do_record_visit(
        enterprise, visited_on=MARCH_5, visitors="走访组", actor=hdjd_reporter, blockers=["二"]
    )
    client = browser(office_clerk)
    headers = {"HTTP_AUTHORIZATION": "Bearer " + do_create_token(office_clerk.username)}
    # The navigation's queue count is kept a minute per session: both measures use it kept.
    client.get("/problems/")
    with CaptureQueriesContext(connection) as few:
        client.get("/problems/")
    with CaptureQueriesContext(connection) as few_api:
        Client().get("/api/v1/problems", **headers)
    do_submit_report(
        project, actor=fgj_reporter, progress="施工", blockers=["一", "三", "四"], today=MARCH_5,
        replaces=DekadReport.objects.get().pk,
    )  # fmt: skip
    do_record_visit(
        enterprise,
        visited_on=MARCH_5,
        visitors="走访组",
        actor=hdjd_reporter,
        blockers=["五", "六"],
    )
    with CaptureQueriesContext(connection) as many:
        content = client.get("/problems/").content.decode()
    with CaptureQueriesContext(connection) as many_api:
        items = Client().get("/api/v1/problems", **headers).json()["items"]
    assert content.count("<tr data-blocker=") == len(items) == 6
    assert len(many) == len(few)
    assert len(many_api) <= len(few_api) + 1  # the token check may write its last use


def test_a_thing_with_problems_cannot_be_deleted_and_a_deleted_occasion_is_forgotten(
    node_source, project, fgj_reporter
):
    milestone = project.milestones.get(node__code="land_use")
    do_raise_blockers(milestone, ["材料缺失"], unit=project.lead_unit, actor=fgj_reporter)
    with pytest.raises(ProtectedError), transaction.atomic():
        milestone.delete()
    assert Blocker.objects.about(milestone).exists()

    report = do_submit_report(
        project, actor=fgj_reporter, progress="施工", blockers=["征迁未完成"], today=MARCH_5
    )
    report.blockers.clear()
    DekadReport.objects.filter(pk=report.pk).delete()
    blocker = Blocker.objects.get(title="征迁未完成")
    assert (blocker.source_id, blocker.occasion_id, blocker.state) == (
        project.pk, None, BlockerState.OPEN,
    )  # fmt: skip
    assert blocker.source_parts == [("XHA-0001 海洋装备产业园", "/projects/p/XHA-0001/")]


def test_the_monthly_pack_names_the_enterprise_of_each_open_problem(
    enterprise, hdjd_reporter, office_clerk, project, fgj_reporter
):
    do_record_visit(
        enterprise,
        visited_on=MARCH_5,
        visitors="走访组",
        actor=hdjd_reporter,
        blockers=["用工缺口"],
    )
    do_submit_report(project, actor=fgj_reporter, progress="施工", blockers=["征迁"], today=MARCH_5)
    page = browser(office_clerk).get("/indicators/pack/?month=2026-02").content.decode()
    table = re.search(r'id="pack-blockers">(.*?)</table>', page, re.S).group(1)
    row = re.search(r"<tr><td.*?用工缺口.*?</tr>", table, re.S).group(0)
    assert "青岛海工装备有限公司" in row and credit_code(1) in row
    assert "征迁" not in table  # a project's problem is not the indicators' pack's
