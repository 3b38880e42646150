"""Every list page and every API list reads as many queries for 3N rows as for N.

A world is grown through the doors people use (the plan file, the actions, the API and
the forms) to N rows of every kind: projects of two units with their dekad reports
(half certified, half waiting in the certification queue), problems with follow-ups,
evidence files, units and people, sectors and key enterprises with monthly figures,
expectations and visits, indicator figures with revisions, targets and indicators of
the plan, campaigns, lights and their history. Every list is opened as the office and
as a unit's reporter (the certification queue as the projects task force), and its
queries are counted; then the world grows to 3N rows and they are counted again. A list
whose count grows with its rows runs a query per row (N+1). Each list must show more
for 3N rows than for N, so an empty list cannot pass.

The lists are named by path, so they hold wherever their code lives. A page or an API
list operation that is not named here fails the test: a new list states how it reads.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests.citywork.query_world import add_cases, add_patrols_and_volunteers, add_weekly_work
from tests.conftest import PASSWORD, make_person
from tests.maps.conftest import grid_file
from vanguard.accounts import middleware as session_limits
from vanguard.accounts import tokens
from vanguard.citywork.actions.grids import do_load_grids
from vanguard.core.money import YI
from vanguard.org.actions import do_assign_role, do_create_person, do_create_unit
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, Unit
from vanguard.projects.actions import do_create_project
from vanguard.projects.models import Project
from vanguard.supervision.models import Bulletin

pytestmark = pytest.mark.django_db

N = 2
CAMPAIGN = "xihaian-2026"
PROJECT = "QC-0000"  # the project whose reports, evidence and problem grow
LIST_ITEM = "QL-0000"  # the list item whose checkpoints and reports grow
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Monthly indicators of the plan: level ones get a cumulative amount, growth ones a rate.
MONTHLY_LEVELS = ("retail_sales", "budget_revenue", "foreign_trade")
MONTHLY_GROWTHS = ("industrial_value_added", "fixed_asset_investment")

# Who opens the lists: the office, which sees every unit, and a reporter of one unit;
# the certification queue is the projects task force's.
OFFICE, REPORTER, TF_PROJECTS = "office", "reporter_fgj", "tf_projects"
VIEWERS = (OFFICE, REPORTER)
OTHER_VIEWERS = {
    "/projects/certification/": (TF_PROJECTS,),
    "/api/v1/reports?status=submitted": (OFFICE, REPORTER, TF_PROJECTS),
    # The reports waiting for certification are the projects task force's work.
    "/api/v1/queue": (OFFICE, REPORTER, TF_PROJECTS),
    # Its charts take a second each to draw; the office's pack holds every figure.
    "/indicators/pack.docx": (OFFICE,),
    "/lists/export.xlsx": (OFFICE,),
    "/notices/deliveries/": (OFFICE,),
    "/notices/robots/": (OFFICE,),
    # Patrols are the city-work task force's; the office reads the checks (and, among the
    # viewers, alone a patrol's summary) too.
    "/city/patrol/": ("tf_citywork",),
    "/city/patrol/checks/": ("tf_citywork", OFFICE),
    "/api/v1/city/patrol-checks": ("tf_citywork", OFFICE),
}

# Pages that list rows, by path ({enterprise} and {problem} are the first ones grown).
LIST_PAGES = (
    "/",
    "/campaigns/xihaian-2026/",
    "/org/units/",
    "/org/units/fgj/",
    "/org/people/",
    "/org/people/export.xlsx",
    "/projects/",
    "/projects/export.xlsx",
    "/projects/matrix/",
    "/projects/matrix/export.xlsx",
    "/projects/certification/",
    "/projects/p/" + PROJECT + "/",
    "/projects/p/" + PROJECT + "/nodes/land_use/",
    "/projects/progress/",
    "/projects/progress/export.xlsx",
    "/projects/units/lights/",
    "/projects/reports/excel/workbook.xlsx",
    "/problems/",
    "/problems/{problem}/",
    "/indicators/",
    "/indicators/retail_sales/",
    "/indicators/export.xlsx",
    "/indicators/forecast/",
    "/indicators/pack/",
    "/indicators/pack.xlsx",
    "/indicators/pack.docx",
    "/indicators/sectors/",
    "/indicators/enterprises/",
    "/indicators/enterprises/export.xlsx",
    "/indicators/enterprises/problems/",
    "/indicators/enterprises/{enterprise}/",
    "/supervision/bulletins/",
    "/supervision/bulletins/rules/",
    "/supervision/bulletins/{bulletin}/",
    "/supervision/bulletins/{bulletin}/bulletin.docx",
    "/supervision/bulletins/{bulletin}/ranking.xlsx",
    "/supervision/talks/",
    "/supervision/referrals/",
    # The first case's file gathers the reports of the project every step adds to.
    "/supervision/referrals/{referral}/",
    "/supervision/referrals/{referral}/case-file.zip",
    "/supervision/",
    "/supervision/orders/",
    "/supervision/orders/{order}/",
    "/supervision/proposals/",
    "/supervision/exemptions/",
    "/supervision/ladder/",
    "/lists/",
    "/lists/i/" + LIST_ITEM + "/",
    "/lists/export.xlsx",
    "/map/",
    "/city/",
    "/city/weekly/?week=2026-W10",
    "/city/weekly.xlsx?week=2026-W10",
    "/city/renewal/",
    "/city/renewal/export.xlsx",
    "/city/renewal/kinds/",
    "/city/renewal/p/QR-0000/",
    "/city/campaigns/",
    "/city/campaigns/c/QW-0000/",
    "/city/places/",
    "/city/places/criteria/",
    "/city/places/p/QP-0000/",
    "/city/cases/",
    "/city/cases/?state=dispatched&category=exposed-garbage",
    "/city/cases/export.xlsx",
    "/city/cases/categories/",
    # The first case: every later call at its spot is merged into it (its flow grows) and
    # every later patrol's case is nearby.
    "/city/cases/{case}/",
    "/city/patrol/",
    "/city/patrol/checks/",
    "/city/patrol/p/{patrol}/",
    "/city/activities/",
    "/city/activities/a/{activity}/",
    "/city/activities/weekly/?week=2026-W47",
    "/city/activities/weekly.xlsx?week=2026-W47",
    "/city/volunteer/",
    "/notices/",
    "/notices/deliveries/",
    "/notices/robots/",
)

# Pages that list nothing that grows: forms, single objects, redirects, files and jobs.
# Each is named with the reason it is not counted here.
NOT_LISTS = {
    "/city/grids/<slug:code>/": "one grid",
    "/city/cases/hotline/import/": "an upload form; the preview is the import flow's",
    "/city/cases/hotline/import/apply/": "applies a previewed sheet",
    "/city/cases/hotline/template.xlsx": "a fixed template of one example row",
    "/open311/discovery.<fmt:fmt>": "a fixed discovery document",
    "/open311/v2/discovery.<fmt:fmt>": "a fixed discovery document",
    "/open311/v2/services.<fmt:fmt>": "the categories, counted in tests/citywork/test_open311.py",
    "/open311/v2/services/<slug:code>.<fmt:fmt>": "one service",
    "/open311/v2/requests.<fmt:fmt>": "counted in tests/citywork/test_open311.py",
    "/open311/v2/requests/<slug:number>.<fmt:fmt>": "one request",
    "/open311/v2/tokens/<slug:token>.<fmt:fmt>": "one token",
    "/login/": "the login form",
    "/logout/": "signs out",
    "/health/": "a health check",
    "/metrics": "the metrics scrape, a token holder only",
    "/board/screen/": "the display board's frame; its data is one request of fixed queries",
    "/board/screen/data/": "the display board's figures: per kind of page, not per row",
    "/i18n/setlang/": "the language switch",
    "/favicon.ico": "a redirect",
    "/account/password/": "a form",
    "/campaigns/<slug:campaign>/targets/<slug:code>/": "one target and its checkpoints",
    "/projects/p/<str:code>/report/": "a form",
    "/projects/p/<str:code>/supporting-units/": "a form",
    "/projects/p/<str:code>/nodes/<slug:node>/not-needed/": "a form",
    "/projects/nodes/<int:pk>/": "a redirect",
    "/lists/i/<str:code>/edit/": "a form",
    "/projects/p/<str:code>/nodes/<slug:node>/evidence/": "an upload",
    "/projects/p/<str:code>/nodes/<slug:node>/evidence/<int:pk>/": "a file",
    "/projects/reports/<int:pk>/": "one report",
    "/projects/reports/<int:pk>/correction/": "a form",
    "/projects/import/": "an upload form",
    "/projects/import/apply/": "applies an upload",
    "/projects/import/template.xlsx": "an empty workbook",
    "/projects/reports/excel/": "the dekad workbook's upload form",
    "/projects/reports/excel/apply/": "applies an upload",
    "/indicators/import/": "an upload form",
    "/indicators/import/apply/": "applies an upload",
    "/indicators/sectors/new/": "a form",
    "/indicators/sectors/<int:pk>/edit/": "a form",
    "/indicators/enterprises/new/": "a form",
    "/indicators/enterprises/<str:code>/edit/": "a form",
    "/indicators/enterprises/problems/<int:pk>/resolve/": "a form",
    "/indicators/<slug:code>/enter/": "a form",
    "/problems/<int:pk>/dispatch/": "a form",
    "/problems/<int:pk>/follow-up/": "a form",
    "/problems/<int:pk>/resolve/": "a form",
    "/supervision/talks/new/": "a form",
    "/supervision/talks/<int:pk>/": "one talk",
    "/supervision/talks/<int:pk>/approve/": "a form",
    "/supervision/talks/<int:pk>/notify/": "a form",
    "/supervision/talks/<int:pk>/record/": "a form",
    "/supervision/talks/<int:pk>/follow-up/": "a form",
    "/supervision/talks/<int:pk>/refer/": "a form",
    "/supervision/talks/<int:pk>/dismiss/": "a form",
    "/supervision/talks/<int:pk>/notice.docx": "one talk's notice",
    "/supervision/referrals/<int:pk>/decide/": "a form",
    "/supervision/referrals/new/": "a form",
    "/lists/i/<str:code>/report/": "a form, posted from the item's page",
    "/lists/reports/<int:pk>/verify/": "a form",
    "/lists/reports/<int:pk>/return/": "a form",
    "/lists/import/": "an upload form",
    "/lists/import/apply/": "applies an upload",
    "/jobs/<uuid:pk>/": "one job",
    "/jobs/<uuid:pk>/progress/": "one job's bar",
    "/jobs/<uuid:pk>/status.json": "one job's state",
    "/jobs/<uuid:pk>/download/": "one job's file",
    "/supervision/bulletins/draft/": "drafts a month",
    "/supervision/bulletins/<int:pk>/edit/": "a form",
    "/supervision/bulletins/<int:pk>/issue/": "issues a draft",
    "/supervision/bulletins/<int:pk>/correct/": "drafts a correction",
    "/supervision/bulletins/rules/<int:pk>/": "one version of the scoring rule",
    "/supervision/orders/new/": "a form",
    "/supervision/orders/<int:pk>/sign/": "a form",
    "/supervision/orders/<int:pk>/answer/": "a form",
    "/supervision/orders/<int:pk>/close/": "a form",
    "/supervision/orders/<int:pk>/return/": "a form",
    "/supervision/orders/<int:pk>/files/<int:file_id>/": "a file",
    "/supervision/proposals/<int:pk>/confirm/": "a form",
    "/supervision/proposals/<int:pk>/dismiss/": "a form",
    "/supervision/exemptions/<int:pk>/evidence/": "a file",
    "/supervision/ladder/run/": "runs the ladder",
    "/city/renewal/import/": "an upload form",
    "/city/renewal/import/apply/": "applies an upload",
    "/city/renewal/reports/<int:pk>/verify/": "a form",
    "/city/renewal/reports/<int:pk>/return/": "a form",
    "/city/renewal/p/<str:code>/report/": "a form, posted from the project's page",
    "/city/campaigns/new/": "a form",
    "/city/campaigns/reports/<int:pk>/verify/": "a form",
    "/city/campaigns/reports/<int:pk>/return/": "a form",
    "/city/campaigns/c/<str:code>/report/": "a form, posted from the campaign's page",
    "/city/campaigns/c/<str:code>/edit/": "a form",
    "/city/campaigns/c/<str:code>/week/": "a form",
    "/city/places/new/": "a form",
    "/city/places/p/<str:code>/inspect/": "a form",
    "/city/places/p/<str:code>/apply/": "a form",
    "/city/places/p/<str:code>/accept/": "a form",
    "/city/places/p/<str:code>/return/": "a form",
    "/city/places/p/<str:code>/edit/": "a form",
    "/city/photos/<sha256:digest>.jpg": "one photo",
    "/city/photos/<sha256:digest>.thumb.jpg": "one photo's thumbnail",
    "/city/photos/<sha256:digest>/original/": "one photo's original",
    "/city/cases/new/": "a form",
    "/city/cases/categories/new/": "a form",
    "/city/cases/categories/<slug:code>/edit/": "a form",
    "/city/cases/categories/routes/": "a form",
    "/city/cases/categories/routes/<int:pk>/remove/": "a form",
    **{
        "/city/cases/<str:number>/{}/".format(step): "a step's form, posted from the case's page"
        for step in (
            "register",
            "discard",
            "dispatch",
            "sign",
            "handle",
            "return",
            "postpone",
            "decide-return",
            "decide-postponement",
            "check",
            "merge",
        )
    },
    "/report/": "the citizens' report form",
    "/report/nearby/": "at most five open cases near a point, their photos in one query",
    "/report/support/": "adds one supporter to a case",
    "/report/thanks/<str:code>/": "one case's tracking code",
    "/report/track/": "a form and this phone's last ten reports, in one query",
    "/report/track/<str:code>/": "one case, its steps and its photos in one query each",
    "/city/patrol/start/": "a form",
    "/city/patrol/checks/<int:pk>/": "a form, posted from the checks page",
    "/city/patrol/p/<int:pk>/record/": "a form, posted from the patrol page",
    "/city/patrol/p/<int:pk>/end/": "a form",
    "/city/activities/new/": "a form",
    "/city/activities/a/<int:pk>/edit/": "a form",
    "/city/activities/a/<int:pk>/held/": "a form, posted from the activity's page",
    "/city/activities/a/<int:pk>/problem/": "a form, posted from the activity's page",
    "/city/activities/a/<int:pk>/cancel/": "a form, posted from the activity's page",
    "/city/volunteer/<int:pk>/": "one activity and its signup form",
    "/notices/<int:pk>/read/": "marks a notice read",
    "/notices/read-all/": "marks every notice read",
    "/notices/deliveries/<int:pk>/retry/": "retries a delivery",
    "/notices/robots/<int:pk>/delete/": "removes a robot",
}

# Every GET of the API that answers a list, plus the details that carry one.
API_LISTS = (
    "/api/v1/campaigns",
    "/api/v1/task-forces",
    "/api/v1/units",
    "/api/v1/units/fgj/owed",
    "/api/v1/queue",
    "/api/v1/people",
    "/api/v1/targets",
    "/api/v1/cockpit",
    "/api/v1/notices",
    "/api/v1/periods?year=2026&kind=dekad",
    "/api/v1/projects",
    "/api/v1/projects/" + PROJECT + "/reports",
    "/api/v1/projects/" + PROJECT + "/milestones/land_use/evidence/files",
    "/api/v1/reports",
    "/api/v1/reports?status=submitted",
    "/api/v1/progress/projects",
    "/api/v1/indicators",
    "/api/v1/areas",
    "/api/v1/observations",
    "/api/v1/observations?history=true",
    "/api/v1/warnings",
    "/api/v1/forecasts",
    "/api/v1/sectors",
    "/api/v1/enterprises",
    "/api/v1/enterprises/{enterprise}",
    "/api/v1/enterprises/{enterprise}/months",
    "/api/v1/enterprises/{enterprise}/visits",
    "/api/v1/enterprise-problems",
    "/api/v1/problems",
    "/api/v1/problems/{problem}",
    "/api/v1/lights",
    "/api/v1/lights/project/{project_id}/history",
    "/api/v1/bulletins",
    "/api/v1/bulletins/{bulletin}",
    "/api/v1/talks",
    "/api/v1/referrals",
    "/api/v1/referrals/{referral}/case-file",
    "/api/v1/orders",
    "/api/v1/orders/{order}",
    "/api/v1/proposals",
    "/api/v1/exemptions",
    "/api/v1/list-items",
    "/api/v1/list-items/" + LIST_ITEM + "/checkpoints",
    "/api/v1/list-items/" + LIST_ITEM + "/reports",
    "/api/v1/list-reports",
    "/api/v1/map/layers/projects",
    "/api/v1/map/layers/projects/export",
    "/api/v1/map/layers/grids",
    "/api/v1/map/layers/grids/export",
    "/api/v1/renewal-kinds",
    "/api/v1/renewal-projects",
    "/api/v1/renewal-projects/QR-0000/reports",
    "/api/v1/renewal-reports",
    "/api/v1/city-campaigns",
    "/api/v1/city-campaigns/QW-0000/weeks",
    "/api/v1/city-campaign-reports",
    "/api/v1/city-places",
    "/api/v1/city-places/QP-0000/inspections",
    "/api/v1/acceptance-criteria",
    "/api/v1/city/targets",
    "/api/v1/city/weekly?week=2026-W10",
    "/api/v1/map/layers/renewal",
    "/api/v1/map/layers/zones",
    "/api/v1/map/layers/roads",
    "/api/v1/city/cases",
    "/api/v1/city/cases?state=dispatched&source=patrol",
    "/api/v1/city/cases/{case}",
    "/api/v1/city/case-categories",
    "/api/v1/map/layers/volunteers",
    "/api/v1/map/layers/cases",
    "/api/v1/map/layers/cases?category=exposed-garbage",
    "/api/v1/city/patrols",
    "/api/v1/city/patrols/{patrol}",
    "/api/v1/city/patrol-checks",
    "/api/v1/city/activities",
    "/api/v1/city/activities?state=held&week=2026-W47",
    "/api/v1/city/activities/{activity}",
    "/api/v1/city/activities/weekly?week=2026-W47",
)

# Lists whose rows the doors cannot add to: they are counted, but need not grow.
FIXED_ROWS = {
    "/api/v1/areas": "one area per level: the district, the city and the province",
    "/api/v1/periods": "the calendar's periods, computed",
    "/city/": "the third battle's targets, as many as the plan gives it",
    "/api/v1/city/targets": "the third battle's targets, as many as the plan gives it",
    "/api/v1/city-campaigns/QW-0000/weeks": "the weeks between a campaign's start and end",
}

# GET operations of the API that answer one object or a file.
API_NOT_LISTS = {
    "/api/v1/map/layers": "the layers the apps register, not rows",
    "/api/v1/map/locate": "one point",
    "/api/v1/campaigns/{code}": "one campaign",
    "/api/v1/units/{code}": "one unit",
    "/api/v1/projects/{code}": "one project and its key nodes",
    "/api/v1/targets/{campaign}/{code}": "one target and its checkpoints",
    "/api/v1/projects/{code}/milestones/{node}/evidence": "a file",
    "/api/v1/projects/{code}/milestones/{node}/evidence/files/{file_id}": "a file",
    "/api/v1/reports/{report_id}": "one report",
    "/api/v1/indicators/{code}": "one indicator",
    "/api/v1/observations/{observation_id}": "one figure",
    "/api/v1/bulletins/{bulletin_id}/docx": "a file (the page's download is counted)",
    "/api/v1/bulletins/{bulletin_id}/xlsx": "a file (the page's download is counted)",
    "/api/v1/talks/{talk_id}": "one talk and its record",
    "/api/v1/referrals/{referral_id}": "one referred case",
    "/api/v1/ladder-rules": "the rules in force",
    "/api/v1/list-items/{code}": "one list item",
    "/api/v1/renewal-projects/{code}": "one renewal project",
    "/api/v1/city-campaigns/{code}": "one city-management campaign",
    "/api/v1/city-places/{code}": "one zone or road",
}


# --- the world ------------------------------------------------------------------------


def _credit_code(serial):
    from vanguard.enterprises.credit_code import check_character

    first17 = "91370211{:09d}".format(serial)
    return first17 + check_character(first17)


def _signed_in(user):
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def _ok(response, *codes):
    assert response.status_code in (codes or (200, 201, 302)), (
        response.status_code,
        response.content.decode("unicode_escape", "replace")[:1000],
    )
    return (
        response.json() if response.get("Content-Type", "").startswith("application/json") else None
    )


def _post_json(client, path, data, method="post"):
    return _ok(getattr(client, method)(path, data, content_type="application/json"))


def _plan_text(count):
    """The West Coast plan with ``count`` more targets and indicators."""
    data = yaml.safe_load((settings.PROJECT_DIR / "plans" / "xihaian.yaml").read_text())
    for i in range(count):
        data["targets"].append(
            {
                "code": "qc-completed-2026-{:02d}".format(i + 1),
                "battle": "projects",
                "name": "测试目标{}".format(i),
                "period": "2026-{:02d}".format(i + 1),
                "kind": "count",
                "measure": "projects.completed",
                "value": 10 + i,
                "unit_of_measure": "个",
            }
        )
        data["indicators"].append(
            {
                "code": "qc_{}".format(i),
                "name": "测试指标{}".format(i),
                "unit_of_measure": "亿元",
                "kind": "level",
                "responsible_unit": "区统计局",
            }
        )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _past_plan(year):
    """A closed campaign of ``year`` with a task force for each of two battles."""
    return yaml.safe_dump(
        {
            "campaign": {
                "code": "qc-{}".format(year),
                "name": "{}年攻坚行动".format(year),
                "year": year,
                "start_date": datetime.date(year, 1, 1),
                "end_date": datetime.date(year, 12, 31),
                "status": "closed",
            },
            "headquarters": {"name": "总指挥部"},
            "office": {"name": "办公室"},
            "task_forces": [
                {"battle": "projects", "name": "重大项目攻坚专班", "cadence": "dekad"},
                {"battle": "indicators", "name": "重点指标攻坚专班", "cadence": "monthly"},
            ],
            "targets": [],
        },
        allow_unicode=True,
    )


@pytest.fixture(autouse=True)
def _no_writes_by_the_clock(monkeypatch):
    """A session's last-seen time and a token's last use are written at most once a
    minute: on a slow machine that minute could end inside a measured request, whose
    count would then grow by the write and its savepoints."""
    monkeypatch.setattr(session_limits, "_SEEN_RESOLUTION_SECONDS", 10**9)
    monkeypatch.setattr(tokens, "LAST_USED_RESOLUTION", datetime.timedelta(days=3650))


@pytest.fixture
def world(settings, tmp_path):
    """The campaign, its cast and their signed-in clients, before any row is grown."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    fgj = Unit.objects.create(code="fgj", name="区发展和改革局", kind=UnitKind.DEPARTMENT)
    hdjd = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    gxj = Unit.objects.create(code="gxj", name="区工业和信息化局", kind=UnitKind.DEPARTMENT)
    tjj = Unit.objects.create(code="tjj", name="区统计局", kind=UnitKind.DEPARTMENT)
    call_command(
        "loadplan",
        str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"),
        verbosity=0,
        stdout=io.StringIO(),
    )
    campaign = Campaign.objects.get(code=CAMPAIGN)
    forces = {tf.battle: tf for tf in campaign.task_forces.all()}
    users = {
        OFFICE: make_person("office", "王办公", role=Role.OFFICE),
        TF_PROJECTS: make_person(
            "tf_projects", "李专班", fgj, Role.TASK_FORCE_MEMBER, forces[Battle.PROJECTS]
        ),
        "tf_indicators": make_person(
            "tf_indicators", "孙专班", tjj, Role.TASK_FORCE_MEMBER, forces[Battle.INDICATORS]
        ),
        REPORTER: make_person("reporter_fgj", "张填报", fgj, Role.UNIT_REPORTER, reporter_unit=fgj),
        "reporter_hdjd": make_person(
            "reporter_hdjd", "赵街道", hdjd, Role.UNIT_REPORTER, reporter_unit=hdjd
        ),
        "secadmin": make_person("secadmin", "安全员", role=Role.SECURITY_ADMIN),
        "tf_citywork": make_person(
            "tf_citywork", "郑专班", gxj, Role.TASK_FORCE_MEMBER, forces[Battle.CITYWORK]
        ),
    }
    clients = {name: _signed_in(user) for name, user in users.items()}
    _ok(
        clients["tf_indicators"].post(
            "/indicators/sectors/new/",
            {"name": "工业", "responsible_unit": gxj.pk, "guidance_growth_pct": "8"},
        ),
        302,
    )
    return {
        "campaign": campaign,
        "units": {"fgj": fgj, "hdjd": hdjd, "gxj": gxj},
        "users": users,
        "clients": clients,
        "size": 0,
        "plan_path": tmp_path / "plan.yaml",
    }


def grow(world, count):
    """Add rows of every kind until there are ``count`` of each; then recompute the lights."""
    for i in range(world["size"], count):
        _add_one(world, i)
    world["size"] = count
    world["plan_path"].write_text(_plan_text(count), encoding="utf-8")
    call_command("loadplan", str(world["plan_path"]), verbosity=0, stdout=io.StringIO())
    # Judged early in the year, then today: every project's light changes twice.
    early = "2026-01-{:02d}".format(17 + count)
    call_command("lights", "recompute", "--date", early, stdout=io.StringIO())
    call_command("lights", "recompute", stdout=io.StringIO())
    # A scoring rule version per growth, and a bulletin drafted (or refreshed) per month:
    # January's lines are every unit with a project, the grown ones ranked as "other".
    rule = world["plan_path"].with_name("rule-{}.yaml".format(count))
    text = (settings.PROJECT_DIR / "plans" / "xihaian-bulletin-rule.yaml").read_text("utf-8")
    text = text.replace("groups:\n", "groups:\n  others: {label: 其他, kinds: [other]}\n")
    rule.write_text(text.replace("title: ", "title: 第{}版 ".format(count)), encoding="utf-8")
    call_command(
        "bulletin", "rule", "--campaign", CAMPAIGN, "--file", str(rule), stdout=io.StringIO()
    )
    for month in range(1, count + 1):
        _ok(
            world["clients"][OFFICE].post(
                "/supervision/bulletins/draft/", {"month": "2026-{:02d}".format(month)}
            ),
            302,
        )
    world["bulletin"] = Bulletin.objects.get(month=datetime.date(2026, 1, 1)).pk


def _add_notices(world, i, unit):
    """A notice to the office and to the reporter, a unit's robot and a message waiting for it."""
    from django.utils import timezone

    from vanguard.notices.actions import do_create_webhook
    from vanguard.notices.send import notify, robot_delivery

    users = world["users"]
    notify(
        [users[OFFICE], users[REPORTER]],
        kind="due_today",
        subject="今日到期：事项{}".format(i),
        key="counts:{}".format(i),
        unit=unit,
    )
    hook = do_create_webhook(
        name="工作群{}".format(i),
        kind="dingtalk",
        url="https://robot.example.cn/send?access_token={}".format(i),
        unit=unit,
        actor=users[OFFICE],
    )
    robot_delivery(
        hook, "counts:{}".format(i), "提醒{}".format(i), ["今日到期"], [], timezone.now()
    )


def _add_one(world, i):
    """The i-th row of every kind; even rows belong to one unit, odd rows to the other."""
    users, clients, units = world["users"], world["clients"], world["units"]
    office = users[OFFICE]
    side = ("fgj", "reporter_fgj") if i % 2 == 0 else ("hdjd", "reporter_hdjd")
    unit, reporter = units[side[0]], clients[side[1]]
    other = units["hdjd" if i % 2 == 0 else "fgj"]

    _add_notices(world, i, unit)

    # A unit with a reporter of its own.
    new_unit = do_create_unit(
        code="qc{}".format(i), name="测试单位{}".format(i), kind=UnitKind.OTHER, actor=office
    )
    person = do_create_person(
        username="qc{}".format(i),
        name="测试人员{}".format(i),
        unit=new_unit,
        phone="1390000{:04d}".format(i),
        actor=office,
    )
    do_assign_role(person, Role.UNIT_REPORTER, unit=new_unit, actor=users["secadmin"])
    do_create_person(
        username="fgj{}".format(i), name="联络员{}".format(i), unit=units["fgj"], actor=office
    )

    # A campaign of an earlier year, from its own plan file.
    path = world["plan_path"].with_name("plan-{}.yaml".format(i))
    path.write_text(_past_plan(2010 + i), encoding="utf-8")
    call_command("loadplan", str(path), verbosity=0, stdout=io.StringIO())

    # A project of one of the two units, supported by the other, with its dekad report
    # and a problem; every other report is certified.
    code = "QC-{:04d}".format(i)
    do_create_project(
        campaign=world["campaign"],
        code=code,
        name="测试项目{}".format(i),
        lead_unit=unit,
        investment_yuan=(i + 1) * YI,
        supporting_units=[other],
        sector="先进制造",
        node_plans={
            "project_approval": datetime.date(2026, 2, 10),
            "land_use": datetime.date(2026, 3, 20),
        },
        started_planned=datetime.date(2026, 4, 30),
        longitude=Decimal("120.0") + Decimal("0.001") * i,
        latitude=Decimal("35.9"),
        actor=office,
    )
    # A grid of 黄岛街道, loaded from a file as the office does.
    do_load_grids(
        grid_file(
            ("qc-{}".format(i), "测试网格{}".format(i), "黄岛街道", (120.2 + 0.001 * i, 36.05))
        ),
        actor=office,
    )
    do_create_project(
        campaign=world["campaign"],
        code="QN-{:04d}".format(i),
        name="新单位项目{}".format(i),
        lead_unit=new_unit,
        investment_yuan=YI,
        node_plans={"project_approval": datetime.date(2026, 2, 10)},
        actor=office,
    )
    report = _post_json(
        reporter,
        "/api/v1/projects/{}/reports".format(code),
        {"progress": "主体施工", "investment_yuan": 1_000_000, "blockers": ["问题{}".format(i)]},
    )
    if i % 2 == 0:
        _post_json(clients[TF_PROJECTS], "/api/v1/reports/certify", {"ids": [report["id"]]})
    problem = report["problems"][0]["id"]
    _post_json(reporter, "/api/v1/problems/{}/follow-up".format(problem), {"note": "跟进"})

    # The first project gathers a report of an earlier dekad, an evidence file and a
    # follow-up of its problem at every step.
    fgj_reporter = clients["reporter_fgj"]
    if i > 0:
        _post_json(
            fgj_reporter,
            "/api/v1/projects/{}/reports".format(PROJECT),
            {
                "period": "2026-{:02d}-D1".format(i + 1),
                "progress": "推进",
                "blockers": ["早期问题{}".format(i)],
            },
        )
        _post_json(
            fgj_reporter,
            "/api/v1/problems/{}/follow-up".format(world["problem"]),
            {"note": "再跟进{}".format(i)},
        )
    else:
        world["problem"] = problem
    milestone = fgj_reporter.get("/api/v1/projects/{}".format(PROJECT)).json()["milestones"]
    current = next(m["evidence"] for m in milestone if m["node"] == "land_use")
    _ok(
        fgj_reporter.post(
            "/api/v1/projects/{}/milestones/land_use/evidence".format(PROJECT),
            {"file": _pdf("用地批复{}.pdf".format(i)), "replaces": current},
        )
    )

    # A sector and a key enterprise served by the unit, with a month's figure, an
    # expectation and a visit that raises a problem; the first enterprise gathers a
    # month and a visit at every step.
    tf_indicators = clients["tf_indicators"]
    _ok(
        tf_indicators.post(
            "/indicators/sectors/new/",
            {"name": "行业{}".format(i), "responsible_unit": units["gxj"].pk},
        ),
        302,
    )
    created = _post_json(
        tf_indicators,
        "/api/v1/enterprises",
        {
            "name": "测试企业{}".format(i),
            "credit_code": _credit_code(100 + i),
            "sector": "行业{}".format(i) if i % 2 else "工业",
            "serving_unit": unit.code,
            "contact_name": "联系人{}".format(i),
        },
    )
    enterprise = created["credit_code"]
    if i == 0:
        world["enterprise"] = enterprise
    first = world["enterprise"]
    _post_json(
        reporter,
        "/api/v1/enterprises/{}/months".format(enterprise),
        {"month": "2026-10", "value_yuan": 1_000_000 * (i + 1), "last_year_yuan": 900_000},
    )
    _post_json(
        tf_indicators,
        "/api/v1/enterprises/{}/expectation".format(enterprise),
        {"amount_yuan": 5_000_000, "version": created["version"]},
        method="put",
    )
    _post_json(
        reporter,
        "/api/v1/enterprises/{}/visits".format(enterprise),
        {
            "visited_on": "2026-11-{:02d}".format(i + 1),
            "visitors": "走访组",
            "blockers": [{"title": "企业问题{}".format(i)}],
        },
    )
    if i > 0:
        _post_json(
            fgj_reporter,
            "/api/v1/enterprises/{}/months".format(first),
            {"month": "2026-{:02d}".format(i), "value_yuan": 1_000_000},
        )
        _post_json(
            fgj_reporter,
            "/api/v1/enterprises/{}/visits".format(first),
            {
                "visited_on": "2026-10-{:02d}".format(i),
                "visitors": "走访组",
                "blockers": [{"title": "再访问题{}".format(i)}],
            },
        )

    _add_talk_and_referral(world, i, code, unit)
    _add_supervision(world, i, problem, reporter, side[1])
    _add_list_item(world, i, unit)
    add_weekly_work(world, i, unit, _post_json, _ok)
    add_cases(world, i, unit, _post_json, _ok)
    add_patrols_and_volunteers(world, i, unit, new_unit, _ok)

    # A month of figures for every monthly indicator, the district's retail sales revised.
    month = "2026-{:02d}".format(i + 1)
    for code in MONTHLY_LEVELS:
        _post_json(
            tf_indicators,
            "/api/v1/observations",
            {
                "indicator": code,
                "area": "district",
                "month": month,
                "level": 100 * (i + 1),
                "growth_pct": 5,
            },
        )
    for code in MONTHLY_GROWTHS:
        _post_json(
            tf_indicators,
            "/api/v1/observations",
            {"indicator": code, "area": "district", "month": month, "growth_pct": 6},
        )
    for area in ("city", "province"):
        _post_json(
            tf_indicators,
            "/api/v1/observations",
            {"indicator": "retail_sales", "area": area, "month": month, "growth_pct": 4},
        )
    _post_json(
        tf_indicators,
        "/api/v1/observations",
        {
            "indicator": "retail_sales",
            "area": "district",
            "month": month,
            "level": 100 * (i + 1) + 1,
            "growth_pct": "5.1",
            "revises": 1,
            "reason": "统计局修订",
        },
    )


def _add_talk_and_referral(world, i, code, unit):
    """A talk about the i-th project proposed through the API, and a case referred by the
    office; the first case is about the project whose reports grow."""
    from vanguard.supervision.talks.actions import do_refer_case

    project = Project.objects.get(code=code)
    _post_json(
        world["clients"][OFFICE],
        "/api/v1/talks",
        {
            "unit": unit.code,
            "kind": "project",
            "object_id": project.pk,
            "talk_type": "work",
            "reason": "滞后{}".format(i),
        },
    )
    referral = do_refer_case(
        campaign=world["campaign"],
        kind="project",
        object_id=project.pk,
        unit=unit,
        reason="仍滞后{}".format(i),
        actor=world["users"][OFFICE],
    )
    world.setdefault("referral", referral.pk)


def _add_supervision(world, i, problem, reporter, reporter_name):
    """An order about the i-th problem, answered; a proposal, decided every other time; an
    exemption; a version of the ladder's rules. The first order gathers a step each time."""
    from vanguard.org.access import SYSTEM
    from vanguard.supervision.orders.proposals import do_propose

    clients = world["clients"]
    office = clients[OFFICE]
    order = _post_json(
        office,
        "/api/v1/orders",
        {
            "subject_kind": "blocker",
            "object_id": problem,
            "problem": "问题{}".format(i),
            "requirement": "整改",
            "colour": ("blue", "yellow", "red")[i % 3],
        },
    )
    _post_json(reporter, "/api/v1/orders/{}/sign".format(order["id"]), {})
    _ok(
        reporter.post(
            "/api/v1/orders/{}/answer".format(order["id"]),
            {"text": "已整改{}".format(i), "files": [_pdf("整改{}.pdf".format(i))]},
        )
    )
    if i == 0:
        world["order"] = order["id"]
        world["order_reporter"] = reporter_name
    else:
        first = world["order"]
        _post_json(office, "/api/v1/orders/{}/return".format(first), {"reason": "补充{}".format(i)})
        _ok(
            clients[world["order_reporter"]].post(
                "/api/v1/orders/{}/answer".format(first),
                {"text": "补充{}".format(i), "files": [_pdf("补充{}.pdf".format(i))]},
            )
        )
    proposal = do_propose(
        world["campaign"], kind="talk", subject_kind="blocker", object_id=problem, actor=SYSTEM
    )
    if i % 2:
        _post_json(office, "/api/v1/proposals/{}/dismiss".format(proposal.pk), {"reason": "不需要"})
    today = datetime.date.today()
    _ok(
        office.post(
            "/api/v1/exemptions",
            {
                "subject_kind": "blocker",
                "object_id": problem,
                "ground": "force_majeure",
                "explanation": "不可抗力{}".format(i),
                "valid_from": today.isoformat(),
                "valid_until": (today + datetime.timedelta(days=30)).isoformat(),
                "evidence": _pdf("依据{}.pdf".format(i)),
            },
        )
    )
    _ok(
        office.post(
            "/supervision/ladder/",
            {"text": "grace_working_days: {}\n".format(i + 1), "note": "第{}次".format(i)},
        ),
        302,
    )


def _add_list_item(world, i, unit):
    """An item on the unit's list; the first item gathers a checkpoint and a report (every
    other one verified) at every step."""
    from vanguard.lists.actions import do_create_item, do_set_checkpoint
    from vanguard.lists.models import ListItem
    from vanguard.org.models import Person

    office, clients = world["users"][OFFICE], world["clients"]
    item = do_create_item(
        world["campaign"],
        code="QL-{:04d}".format(i),
        unit=unit,
        battle=Battle.PROJECTS,
        requirement="清单事项{}".format(i),
        responsible_person=Person.objects.filter(unit=unit).order_by("pk").first(),
        deadline=datetime.date(2026, 12, 31),
        cadence="monthly",
        measure="quantity",
        target_quantity=1000,
        measuring_unit="个",
        actor=office,
    )
    do_set_checkpoint(item, period="2026-06", planned_quantity=10 * (i + 1), actor=office)
    first = ListItem.objects.get(code=LIST_ITEM)
    month = "2026-{:02d}".format(i + 1)
    do_set_checkpoint(first, period=month, planned_quantity=i + 1, actor=office)
    report = _post_json(
        clients["reporter_fgj"],
        "/api/v1/list-items/{}/reports".format(LIST_ITEM),
        {"period": month, "quantity": i + 1, "note": "进展{}".format(i)},
    )
    if i % 2 == 0:
        _post_json(clients[TF_PROJECTS], "/api/v1/list-reports/{}/verify".format(report["id"]), {})


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- counting -------------------------------------------------------------------------


def _paths(world):
    fill = {
        "enterprise": world["enterprise"],
        "problem": world["problem"],
        "project_id": _project_id(),
        "bulletin": world["bulletin"],
        "referral": world["referral"],
        "order": world["order"],
        "case": world["case"],
        "patrol": world["patrol"],
        "activity": world["activity"],
    }
    return [p.format(**fill) for p in LIST_PAGES + API_LISTS]


def _project_id():
    return Project.objects.get(code=PROJECT).pk


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def count_queries(world):
    """path -> viewer -> (queries, bytes) of the second of two requests (the first fills caches)."""
    counts = {}
    for path in _paths(world):
        for viewer in OTHER_VIEWERS.get(path, VIEWERS):
            client = world["clients"][viewer]
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code == 200:
                counts.setdefault(path, {})[viewer] = (len(queries), len(_body(response)))
    return counts


def test_no_list_reads_more_queries_for_more_rows(world):
    grow(world, N)
    few = count_queries(world)
    grow(world, 3 * N)
    many = count_queries(world)

    unopened = [path for path in _paths(world) if path not in few]
    assert unopened == [], "lists that opened for nobody, so were not counted"
    # A list that shows no more for more rows would pass whatever it reads.
    unchanged = [
        path
        for path in few
        if _named(path) not in FIXED_ROWS
        and max(size for _queries, size in many[path].values())
        <= max(size for _queries, size in few[path].values())
    ]
    assert unchanged == [], "lists that did not grow with the rows: {}".format(unchanged)
    growing = {
        "{} as {}".format(path, viewer): (few[path][viewer][0], many[path].get(viewer, (None,))[0])
        for path in few
        for viewer in few[path]
        if many[path].get(viewer, (None,))[0] != few[path][viewer][0]
    }
    assert growing == {}, "queries for {} rows -> for {} rows".format(N, 3 * N)


# --- every list is named --------------------------------------------------------------


def _page_routes():
    routes = set()

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                walk(pattern, route, pattern.namespace)
            elif isinstance(pattern, URLPattern):
                routes.add(route)

    walk(get_resolver(), "/", "")
    return routes


def _named(path):
    return path.split("?")[0]


def _shape(path):
    """A counted path with its placeholders filled and its query dropped, for matching."""
    return re.sub(r"\{\w+\}", "1", path.split("?")[0])


def _matches(route_regex, paths):
    return any(re.fullmatch(route_regex, _shape(path)) for path in paths)


def test_every_page_is_counted_or_named_as_no_list():
    missing = sorted(
        route
        for route in _page_routes()
        if route not in NOT_LISTS
        and not _matches(re.sub(r"<(?:\w+:)?\w+>", "[^/]+", re.escape(route)), LIST_PAGES)
    )
    assert missing == [], "pages neither counted nor named as no list"


def test_every_api_get_is_counted_or_named_as_no_list(client):
    schema = client.get("/api/v1/openapi.json").json()
    missing = sorted(
        route
        for route, operations in schema["paths"].items()
        if "get" in operations
        and route not in API_NOT_LISTS
        and not _matches(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route)), API_LISTS)
    )
    assert missing == [], "API reads neither counted nor named as no list"
