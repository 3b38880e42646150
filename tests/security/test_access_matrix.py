"""Every door of the site and the API, for every role, against one table of expectations.

The world is small and made through the actions users trigger: the West Coast plan, a
project of unit A (the development and reform bureau) and one of unit B (Huangdao
street) with a dekad report each, a key enterprise served by each with a visit and a
problem, an indicator figure and an export job. Each door is opened for each role
against A's object and B's object; the outcome must be the one the table names. A
door without a row in the table fails the test: a new door needs a decision first.
"""

import datetime
import html
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.conftest import PASSWORD, make_person
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Campaign, Person, Unit

# --- the cast -------------------------------------------------------------------------

OFFICE = "office"
LEADER = "leader"
TF_PROJECTS = "tf_projects"
TF_INDICATORS = "tf_indicators"
REPORTER_A = "reporter_a"
REPORTER_B = "reporter_b"
INSPECTOR = "inspector"
SYSADMIN = "sysadmin"
SECADMIN = "secadmin"
AUDITOR = "auditor"
NO_ROLE = "no_role"
ANONYMOUS = "anonymous"

pytestmark = pytest.mark.django_db

ROLES = [
    OFFICE,
    LEADER,
    TF_PROJECTS,
    TF_INDICATORS,
    REPORTER_A,
    REPORTER_B,
    INSPECTOR,
    SYSADMIN,
    SECADMIN,
    AUDITOR,
    NO_ROLE,
    ANONYMOUS,
]

# Strings that belong to one unit's daily data. A role that does not see a unit's data
# finds none of that unit's strings on any page, export or API answer.
MARKS = {
    side: dict(
        zip(
            ("code", "project", "enterprise", "phone", "problem", "visit_problem"),
            marks,
            strict=True,
        )
    )
    for side, marks in (
        (
            "A",
            (
                "XHA-0001",
                "海洋装备产业园",
                "青岛新材料科技有限公司",
                "13900000001",
                "甲单位施工用电",
                "甲企业融资难",
            ),
        ),
        (
            "B",
            (
                "XHA-0002",
                "黄岛老城区更新",
                "青岛海工装备有限公司",
                "13900000002",
                "乙单位道路占用",
                "乙企业用工缺口",
            ),
        ),
    )
}
# Which units' data each role sees ("A", "B" or both).
SEES = {
    OFFICE: "AB",
    LEADER: "AB",
    TF_PROJECTS: "AB",
    TF_INDICATORS: "AB",
    REPORTER_A: "A",
    REPORTER_B: "B",
}


def _credit_code(serial):
    from vanguard.enterprises.credit_code import check_character

    first17 = "91370211{:09d}".format(serial)
    return first17 + check_character(first17)


def _api_client(user):
    from vanguard.accounts.tokens import do_create_token

    return Client(HTTP_AUTHORIZATION="Bearer " + do_create_token(user.username))


def build_world(settings):
    """The small world of the matrix, made through the actions and the API."""
    from vanguard.core.money import YI
    from vanguard.enterprises.actions import (
        do_create_enterprise,
        do_create_sector,
        do_record_visit,
    )
    from vanguard.exchange.jobs import start_export
    from vanguard.indicators.actions import do_submit_observation
    from vanguard.indicators.models import Area, Indicator
    from vanguard.projects.actions import do_create_project
    from vanguard.projects.models import DekadReport
    from vanguard.targets.models import Target

    unit_a = Unit.objects.create(code="fgj", name="区发展和改革局", kind=UnitKind.DEPARTMENT)
    unit_b = Unit.objects.create(code="hdjd", name="黄岛街道", kind=UnitKind.STREET)
    gxj = Unit.objects.create(code="gxj", name="区工业和信息化局", kind=UnitKind.DEPARTMENT)
    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    campaign = Campaign.objects.get(code="xihaian-2026")
    forces = {tf.battle: tf for tf in campaign.task_forces.all()}
    users = {
        OFFICE: make_person("office", "王办公", role=Role.OFFICE),
        LEADER: make_person("leader", "周领导", role=Role.LEADER),
        TF_PROJECTS: make_person(
            "tf_projects", "李专班", unit_a, Role.TASK_FORCE_MEMBER, forces[Battle.PROJECTS]
        ),
        TF_INDICATORS: make_person(
            "tf_indicators", "孙专班", gxj, Role.TASK_FORCE_MEMBER, forces[Battle.INDICATORS]
        ),
        REPORTER_A: make_person(
            "reporter_a", "张填报", unit_a, Role.UNIT_REPORTER, reporter_unit=unit_a
        ),
        REPORTER_B: make_person(
            "reporter_b", "赵街道", unit_b, Role.UNIT_REPORTER, reporter_unit=unit_b
        ),
        INSPECTOR: make_person("inspector", "吴纪检", role=Role.DISCIPLINE_INSPECTOR),
        SYSADMIN: make_person("sysadmin", "系统员", role=Role.SYSTEM_ADMIN),
        SECADMIN: make_person("secadmin", "安全员", role=Role.SECURITY_ADMIN),
        AUDITOR: make_person("auditor", "审计员", role=Role.AUDIT_ADMIN),
        NO_ROLE: make_person("nobody", "钱无岗", unit_a),
    }
    # One person of each unit with a phone of their own, to find the directory anywhere.
    for side, unit in (("A", unit_a), ("B", unit_b)):
        contact = make_person("contact_" + side.lower(), side + "联络员", unit)
        Person.objects.filter(user=contact).update(phone=MARKS[side]["phone"])

    office = users[OFFICE]
    today = timezone.localdate()
    projects = {
        "A": do_create_project(
            campaign=campaign,
            code="XHA-0001",
            name=MARKS["A"]["project"],
            lead_unit=unit_a,
            investment_yuan=12 * YI,
            actor=office,
            node_plans={"project_approval": datetime.date(2026, 2, 10)},
            longitude=Decimal("120.035"),
            latitude=Decimal("35.875"),
        ),
        "B": do_create_project(
            campaign=campaign,
            code="XHA-0002",
            name=MARKS["B"]["project"],
            lead_unit=unit_b,
            investment_yuan=3 * YI,
            actor=office,
            longitude=Decimal("120.228"),
            latitude=Decimal("36.06"),
        ),
    }
    # A grid looked after by each unit (a town or street office in life).
    from vanguard.citywork.models import Grid

    grids = {
        side: Grid.objects.create(
            code="grid-" + side.lower(),
            name=side + "网格",
            unit=unit,
            geometry={
                "type": "Polygon",
                "coordinates": [[[120, 36], [120.01, 36], [120.01, 36.01], [120, 36]]],
            },
        )
        for side, unit in (("A", unit_a), ("B", unit_b))
    }
    for side, reporter, blocker in (
        ("A", REPORTER_A, MARKS["A"]["problem"]),
        ("B", REPORTER_B, MARKS["B"]["problem"]),
    ):
        response = _api_client(users[reporter]).post(
            "/api/v1/projects/{}/reports".format(projects[side].code),
            {"progress": "主体施工", "investment_yuan": 2_000_000, "blockers": [blocker]},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
    reports = {side: DekadReport.objects.get(project=projects[side]) for side in "AB"}

    sector = do_create_sector(
        campaign,
        name="工业",
        responsible_unit=gxj,
        measures="稳链补链。",
        guidance_growth_pct=8,
        actor=users[TF_INDICATORS],
    )
    enterprises = {
        side: do_create_enterprise(
            campaign,
            name=MARKS[side]["enterprise"],
            credit_code=_credit_code(serial),
            sector=sector,
            serving_unit=unit,
            actor=users[TF_INDICATORS],
        )
        for side, serial, unit in (("A", 1, unit_a), ("B", 2, unit_b))
    }
    for side, reporter in (("A", REPORTER_A), ("B", REPORTER_B)):
        do_record_visit(
            enterprises[side],
            visited_on=today,
            visitors="走访组",
            actor=users[reporter],
            blockers=[MARKS[side]["visit_problem"]],
        )
    from vanguard.blockers.models import Blocker

    problems = {side: Blocker.objects.get(title=MARKS[side]["problem"]) for side in "AB"}
    enterprise_problems = {
        side: Blocker.objects.get(title=MARKS[side]["visit_problem"]) for side in "AB"
    }

    indicator = Indicator.objects.filter(campaign=campaign).order_by("pk").first()
    area = Area.objects.filter(campaign=campaign).order_by("pk").first()
    submitted = do_submit_observation(
        indicator, area, datetime.date(2026, 9, 1), actor=office, growth_pct=5
    )
    target = Target.objects.filter(campaign=campaign).order_by("pk").first()
    jobs = {
        "A": start_export("projects_export", user=users[REPORTER_A]),
        "B": start_export("projects_export", user=users[REPORTER_B]),
    }
    for job in jobs.values():
        assert job.state == "applied", (job.state, job.result)
    from vanguard.supervision.bulletins.actions import (
        do_draft_bulletin,
        do_issue_bulletin,
        do_load_scoring_rule,
    )

    rule_file = settings.PROJECT_DIR / "plans" / "xihaian-bulletin-rule.yaml"
    rule = do_load_scoring_rule(campaign, rule_file.read_text(encoding="utf-8"), actor=office)
    # A's bulletin is issued (published to units), B's a draft (the office's side's only).
    september = do_draft_bulletin(campaign, datetime.date(2026, 9, 1), actor=office)
    bulletins = {
        "A": do_issue_bulletin(
            september,
            actor=office,
            expected_version=september.version,
            number="西海岸攻坚办〔2026〕11号",
        ),
        "B": do_draft_bulletin(campaign, datetime.date(2026, 10, 1), actor=office),
    }
    talks, referrals = build_talks(campaign, users, projects)
    orders, proposals, exemptions = _supervision_world(campaign, problems, users)
    list_items, list_reports = _list_world(campaign, users, unit_a, unit_b)
    weekly = _weekly_world(users)
    tracking_codes = _citizen_world()
    rounds = _patrol_and_volunteer_world(users, unit_a, unit_b)
    notices, deliveries, webhooks = _notices_world(campaign, users, unit_a, unit_b)
    cases = _cases_world(users, grids)
    world = {
        **weekly,
        **cases,
        **rounds,
        "notices": notices,
        "deliveries": deliveries,
        "webhooks": webhooks,
        "talks": talks,
        "referrals": referrals,
        "orders": orders,
        "proposals": proposals,
        "exemptions": exemptions,
        "users": users,
        "campaign": campaign,
        "projects": projects,
        "grids": grids,
        "reports": reports,
        "enterprises": enterprises,
        "problems": problems,
        "enterprise_problems": enterprise_problems,
        "sector": sector,
        "indicator": indicator,
        "observation": submitted.observation,
        "target": target,
        "jobs": jobs,
        "rule": rule,
        "bulletins": bulletins,
        "list_items": list_items,
        "list_reports": list_reports,
        "tracking_codes": tracking_codes,
    }
    return world


def _citizen_world():
    """A citizen's photo report in each unit's place, sent through the public page; their
    tracking codes by side."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import phone_photo
    from vanguard.citywork.models import Case

    codes = {}
    for side, (lon, lat) in (("A", (120.035, 35.875)), ("B", (120.228, 36.06))):
        response = Client(REMOTE_ADDR="10.0.0.{}".format(ord(side))).post(
            "/report/",
            {
                "category": "exposed-garbage",
                "lon": lon,
                "lat": lat,
                "description": "路边垃圾无人清运",
                "phone": "13800000099",
                "photos": SimpleUploadedFile("现场.jpg", phone_photo(colour=(ord(side), 9, 9))),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        codes[side] = Case.objects.latest("pk").tracking_code
    return codes


def build_talks(campaign, users, projects):
    """A notified talk with each project's unit, and a case of each referred to the
    commission (a referral needs no talk when the office refers a matter directly)."""
    from vanguard.supervision.talks.actions import (
        do_approve_talk,
        do_notify_talk,
        do_propose_talk,
        do_refer_case,
    )

    talks, referrals = {}, {}
    for side, project in projects.items():
        talk = do_propose_talk(
            campaign,
            kind="project",
            object_id=project.pk,
            unit=project.lead_unit,
            talk_type="warning",
            reason="亮红灯",
            subject_label="重大项目 " + project.code,
            actor=users[OFFICE],
        )
        do_approve_talk(talk, actor=users[LEADER])
        talks[side] = do_notify_talk(
            talk, scheduled_on=timezone.localdate(), place="会议室", actor=users[OFFICE]
        )
        referrals[side] = do_refer_case(
            campaign=campaign,
            kind="project",
            object_id=project.pk,
            unit=project.lead_unit,
            reason="仍亮红灯",
            actor=users[OFFICE],
        )
    return talks, referrals


def _supervision_world(campaign, problems, users):
    """An order, a proposal and an exemption about each unit's problem, through the API."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vanguard.org.access import SYSTEM
    from vanguard.supervision.models import Exemption, SupervisionOrder
    from vanguard.supervision.orders.proposals import do_propose

    office = _api_client(users[OFFICE])
    orders, proposals, exemptions = {}, {}, {}
    for side in "AB":
        problem = problems[side]
        body = {"subject_kind": "blocker", "object_id": problem.pk, "problem": "滞后"}
        response = office.post(
            "/api/v1/orders",
            {**body, "requirement": "整改", "colour": "red"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        orders[side] = SupervisionOrder.objects.get(pk=response.json()["id"])
        proposals[side] = do_propose(
            campaign, kind="talk", subject_kind="blocker", object_id=problem.pk, actor=SYSTEM
        )
        response = office.post(
            "/api/v1/exemptions",
            {
                "subject_kind": "blocker",
                "object_id": problem.pk,
                "ground": "force_majeure",
                "explanation": "台风",
                "valid_from": "2026-06-01",
                "valid_until": "2026-06-30",
                "evidence": SimpleUploadedFile(
                    "停工令.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"
                ),
            },
        )
        assert response.status_code == 201, response.content.decode()
        exemptions[side] = Exemption.objects.get(pk=response.json()["id"])
    return orders, proposals, exemptions


def _notices_world(campaign, users, unit_a, unit_b):
    """A notice to each unit's reporter, a robot of each unit and a message waiting for each."""
    from django.utils import timezone

    from vanguard.notices.actions import do_create_webhook
    from vanguard.notices.send import notify_unit, robot_delivery

    notices, deliveries, webhooks = {}, {}, {}
    for side, unit in (("A", unit_a), ("B", unit_b)):
        (notices[side],) = notify_unit(
            unit.pk,
            kind="due_today",
            subject="今日到期：{}".format(MARKS[side]["project"]),
            key="matrix:{}".format(side),
            campaign=campaign,
        )
        webhooks[side] = do_create_webhook(
            name="工作群{}".format(side),
            kind="wecom",
            url="https://robot.example.cn/send?key={}".format(side),
            unit=unit,
            actor=users[OFFICE],
        )
        deliveries[side] = robot_delivery(
            webhooks[side], "matrix:{}".format(side), "提醒", ["今日到期"], [], timezone.now()
        )
    return notices, deliveries, webhooks


def _list_world(campaign, users, unit_a, unit_b):
    """An item on each unit's list (the projects battle), each with a report waiting."""
    from vanguard.lists.actions import do_create_item, do_set_checkpoint
    from vanguard.lists.models import ProgressReport

    items = {}
    for side, unit in (("A", unit_a), ("B", unit_b)):
        items[side] = do_create_item(
            campaign,
            code="QD-{}-01".format(side),
            unit=unit,
            battle=Battle.PROJECTS,
            # The project's name: a reader who may not see the unit must not find it.
            requirement="推进{}开工".format(MARKS[side]["project"]),
            responsible_person=Person.objects.get(user__username="contact_" + side.lower()),
            deadline=datetime.date(2026, 12, 31),
            cadence="monthly",
            measure="quantity",
            target_quantity=10,
            measuring_unit="个",
            actor=users[OFFICE],
        )
        do_set_checkpoint(items[side], period="2026-03", planned_quantity=3, actor=users[OFFICE])
    for side, reporter in (("A", REPORTER_A), ("B", REPORTER_B)):
        response = _api_client(users[reporter]).post(
            "/api/v1/list-items/{}/reports".format(items[side].code),
            {"period": "2026-03", "quantity": 2},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
    reports = {side: ProgressReport.objects.get(item=items[side]) for side in "AB"}
    return items, reports


# The third battle's weekly work of each unit: names a role that may not see the unit's
# weekly work finds on no page, export or API answer.
WEEKLY_MARKS = {
    side: dict(zip(("renewal", "city_campaign", "place"), marks, strict=True))
    for side, marks in (
        ("A", ("珠海街区更新甲", "甲单位违建整治行动", "甲单位城管示范区")),
        ("B", ("黄岛老街更新乙", "乙单位占道整治行动", "乙单位城管示范区")),
    )
}
# Who sees which units' weekly work: the office and leaders every unit's, a reporter
# their unit's. A member of another battle's task force sees only the units they report
# for (none here); the city-work task force, who verifies, has no member in this cast.
WEEKLY_SEES = {OFFICE: "AB", LEADER: "AB", REPORTER_A: "A", REPORTER_B: "B"}
WEEK = "2026-W10"


def _weekly_world(users):
    """A renewal project, a city campaign and a zone of each unit, each with a weekly report
    (or, for the zone, an inspection through the API and one with a photo through its
    form), made as the office and the units."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import phone_photo
    from vanguard.citywork.defaults import ensure_defaults
    from vanguard.citywork.models import CampaignReport, Photo, RenewalReport

    ensure_defaults()
    office = _api_client(users[OFFICE])
    office_page = clients_for({OFFICE: users[OFFICE]})[OFFICE]
    made = {"renewal": {}, "city_campaigns": {}, "places": {}, "photos": {}}
    made.update(renewal_reports={}, campaign_reports={})
    for side, unit, reporter, (lon, lat) in (
        ("A", "fgj", REPORTER_A, (120.035, 35.875)),
        ("B", "hdjd", REPORTER_B, (120.228, 36.06)),
    ):
        owner = {"lead_unit": unit, "responsible_person": side + "联络员"}
        square = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]
        for path, body, key in (
            (
                "/api/v1/renewal-projects",
                {
                    "code": "GX-" + side,
                    "name": WEEKLY_MARKS[side]["renewal"],
                    "kind": "老旧小区改造",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "planned_start": "2026-03-02",
                    "planned_completion": "2026-10-31",
                },
                "renewal",
            ),
            (
                "/api/v1/city-campaigns",
                {
                    "code": "ZZ-" + side,
                    "name": WEEKLY_MARKS[side]["city_campaign"],
                    "measure": "拆除违建面积",
                    "measuring_unit": "平方米",
                    "weekly_target": 100,
                    "start_date": "2026-03-02",
                    "end_date": "2026-06-28",
                },
                "city_campaigns",
            ),
            (
                "/api/v1/city-places",
                {
                    "code": "SF-" + side,
                    "kind": "zone",
                    "name": WEEKLY_MARKS[side]["place"],
                    "geometry": {"type": "Polygon", "coordinates": [square]},
                    "planned_acceptance": "2026-09-30",
                },
                "places",
            ),
        ):
            response = office.post(path, {**body, **owner}, content_type="application/json")
            assert response.status_code == 201, response.content.decode()
            made[key][side] = response.json()["code"]
        client = _api_client(users[reporter])
        for path, body in (
            ("/api/v1/renewal-projects/GX-{}/reports", {"period": WEEK, "progress_percent": 5}),
            ("/api/v1/city-campaigns/ZZ-{}/reports", {"period": WEEK, "quantity": 80}),
        ):
            response = client.post(path.format(side), body, content_type="application/json")
            assert response.status_code == 201, response.content.decode()
        response = office.post(
            "/api/v1/city-places/SF-{}/inspections".format(side),
            {"inspected_on": "2026-05-06", "inspectors": "督查组", "met": []},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        colour = (200, 120, 40) if side == "A" else (40, 120, 200)
        response = office_page.post(
            "/city/places/p/SF-{}/inspect/".format(side),
            {
                "inspected_on": "2026-05-07",
                "inspectors": "督查组",
                "photos": SimpleUploadedFile("现场.jpg", phone_photo(colour=colour)),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        made["photos"][side] = Photo.objects.latest("pk").sha256
        made["renewal_reports"][side] = RenewalReport.objects.get(project__code="GX-" + side)
        made["campaign_reports"][side] = CampaignReport.objects.get(
            city_campaign__code="ZZ-" + side
        )
    return made


# City cases of each unit: descriptions a role that may not see the unit's cases finds
# on no page, export or API answer.
CASE_MARKS = {"A": "甲网格垃圾桶满溢", "B": "乙网格占道经营"}
# Who sees which units' cases: the office and leaders every unit's, a reporter the cases
# dispatched to their unit; a member of another battle's task force only the units they
# report for (none here), the inspector none.
CASE_SEES = {OFFICE: "AB", LEADER: "AB", REPORTER_A: "A", REPORTER_B: "B"}


def _cases_world(users, grids):
    """A patrol's case in each unit's grid, reported through the API by the office and
    dispatched to the unit; a route of each grid."""
    from vanguard.citywork.case_defaults import ensure_case_categories
    from vanguard.citywork.models import Case, CaseCategory, CaseRoute

    ensure_case_categories()
    office = _api_client(users[OFFICE])
    cases, routes = {}, {}
    for side, category, unit in (("A", "exposed-garbage", "fgj"), ("B", "street-stalls", "hdjd")):
        response = office.post(
            "/api/v1/city/cases",
            {
                "source": "patrol",
                "category": category,
                "lon": 120.005,
                "lat": 36.002,
                "description": CASE_MARKS[side],
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content.decode()
        number = response.json()["number"]
        response = office.post(
            "/api/v1/city/cases/{}/dispatch".format(number),
            {"unit": unit, "version": response.json()["version"]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content.decode()
        cases[side] = Case.objects.get(description=CASE_MARKS[side])
        routes[side] = CaseRoute.objects.create(
            category=CaseCategory.objects.get(code="street-lamp"),
            grid=grids[side],
            unit=grids[side].unit,
        )
    return {"cases": cases, "case_routes": routes}


# The residents who signed up for each unit's volunteer activity: their names and phones
# are for the organising unit and the office only, and no public page shows them.
VOLUNTEER_MARKS = {"A": ("甲报名居民", "13700000001"), "B": ("乙报名居民", "13700000002")}
VOLUNTEER_SEES = {OFFICE: "AB", REPORTER_A: "A", REPORTER_B: "B"}


def _patrol_and_volunteer_world(users, unit_a, unit_b):
    """A patrol of the office for each side, each recording a case of that side's unit (A's
    patrol ended, B's open); a volunteer activity planned by each unit's reporter through
    its form, with a resident signed up through the public page."""
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import phone_photo
    from vanguard.citywork.actions.cases import do_dispatch
    from vanguard.citywork.models import Case, Patrol, VolunteerActivity

    cache.clear()  # the public signups' rate limit counts in the cache
    clients = clients_for({role: users[role] for role in (OFFICE, REPORTER_A, REPORTER_B)})
    office = clients[OFFICE]
    made = {"patrols": {}, "patrol_cases": {}, "activities": {}}
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    for side, unit, reporter, (lon, lat), colour in (
        ("A", unit_a, REPORTER_A, (120.035, 35.875), (250, 10, 10)),
        ("B", unit_b, REPORTER_B, (120.228, 36.06), (10, 10, 250)),
    ):
        response = office.post("/city/patrol/start/", {"area": side + "片区"})
        assert response.status_code == 302, response.content.decode()[:2000]
        patrol = Patrol.objects.latest("pk")
        response = office.post(
            "/city/patrol/p/{}/record/".format(patrol.pk),
            {
                "category": "exposed-garbage",
                "description": "路边垃圾",
                "lon": str(lon),
                "lat": str(lat),
                "coordinate_system": "wgs84",
                "photos": SimpleUploadedFile("巡查.jpg", phone_photo(colour=colour)),
                # A citizen's report lies at the same spot: a new case all the same.
                "decision": "new",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        case = Case.objects.latest("pk")
        made["patrol_cases"][side] = do_dispatch(case, actor=users[OFFICE], unit=unit)
        if side == "A":
            response = office.post("/city/patrol/p/{}/end/".format(patrol.pk), {})
            assert response.status_code == 302
        made["patrols"][side] = patrol
        response = clients[reporter].post(
            "/city/activities/new/",
            {
                "title": "{}单位志愿活动".format(side),
                "kind": "cleanup",
                "starts_at": starts,
                "address": "{}社区".format(side),
                "lon": str(lon),
                "lat": str(lat),
                "coordinate_system": "wgs84",
                "unit": unit.code,
                "capacity": "20",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        activity = VolunteerActivity.objects.latest("pk")
        name, phone = VOLUNTEER_MARKS[side]
        response = Client().post(
            "/city/volunteer/{}/".format(activity.pk), {"name": name, "phone": phone}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        made["activities"][side] = activity
    return made


# --- the doors ------------------------------------------------------------------------


def page_doors():
    """Every named URL pattern of the site (not the admin's), name -> route."""
    doors = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                space = ":".join(part for part in (namespace, inner) if part)
                if space in ("admin", "api"):
                    continue  # the admin has its own tests; the API is read from OpenAPI
                walk(pattern, route, space)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or route
                doors[":".join(part for part in (namespace, name) if part)] = route

    walk(get_resolver(), "/", "")
    return doors


def api_doors(client):
    """Every operation of the API, "METHOD /api/v1/path" -> path template."""
    schema = client.get("/api/v1/openapi.json").json()
    return {
        "{} {}".format(method.upper(), path): path
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _digest(world, door, side):
    return world["photos"][side]


def _code(world, door, side):
    if door.startswith("report:"):
        return world["tracking_codes"][side]
    if door == "open311:service":
        return "exposed-garbage"
    if door == "citywork:case_category_edit":
        return {"A": "exposed-garbage", "B": "street-stalls"}[side]
    if door == "citywork:grid":
        return world["grids"][side].code
    if door.startswith("citywork:renewal") or "/renewal-projects/" in door:
        return world["renewal"][side]
    if door.startswith("citywork:campaign") or "/city-campaigns/" in door:
        return world["city_campaigns"][side]
    if door.startswith("citywork:place") or "/city-places/" in door:
        return world["places"][side]
    if door.startswith("lists:") or "/list-items/" in door:
        return world["list_items"][side].code
    if door.startswith("org:") or door.startswith("GET /api/v1/units/"):
        return world["projects"][side].lead_unit.code
    if door == "board:campaign" or "/campaigns/" in door:
        return world["campaign"].code
    if door == "board:target" or "/targets/" in door:
        return world["target"].code
    if door in ("indicators:detail", "indicators:enter") or "/indicators/" in door:
        return world["indicator"].code
    if door.startswith("enterprises:") or "/enterprises/" in door:
        return world["enterprises"][side].credit_code
    return world["projects"][side].code


def _pk(world, door, side):
    if door == "citywork:case_route_remove":
        return world["case_routes"][side].pk
    if door == "citywork:patrol_check":
        return world["patrol_cases"][side].pk
    if door.startswith("citywork:patrol_"):
        return world["patrols"][side].pk
    if door.startswith("citywork:activity_") or door == "citywork:volunteer_signup":
        return world["activities"][side].pk
    if door.startswith("citywork:renewal"):
        return world["renewal_reports"][side].pk
    if door.startswith("citywork:campaign"):
        return world["campaign_reports"][side].pk
    if door.startswith("notices:"):
        key = {"notices:retry": "deliveries", "notices:webhook_delete": "webhooks"}
        return world[key.get(door, "notices")][side].pk
    if door == "projects:milestone_by_id":
        return world["projects"][side].milestones.get(node__code="project_approval").pk
    if door == "bulletins:rule":
        return world["rule"].pk
    if door.startswith("bulletins:"):
        return world["bulletins"][side].pk
    if door in ("orders:confirm", "orders:dismiss"):
        return world["proposals"][side].pk
    if door == "orders:exemption_evidence":
        return world["exemptions"][side].pk
    if door.startswith("orders:"):
        return world["orders"][side].pk
    if door in ("projects:report_detail", "projects:report_correction"):
        return world["reports"][side].pk
    if door == "enterprises:resolve_problem":
        return world["enterprise_problems"][side].pk
    if door == "enterprises:sector_edit":
        return world["sector"].pk
    if door.startswith("exchange:"):
        return world["jobs"][side].pk
    if door.startswith("talks:"):
        key = "referrals" if door in REFERRAL_PAGES else "talks"
        return world[key][side].pk
    if door.startswith("lists:"):
        return world["list_reports"][side].pk
    return world["problems"][side].pk


def _report_id(world, door, side):
    for part, key in (
        ("/list-reports/", "list_reports"),
        ("/renewal-reports/", "renewal_reports"),
        ("/city-campaign-reports/", "campaign_reports"),
    ):
        if part in door:
            return world[key][side].pk
    return world["reports"][side].pk


def fill(world, door, route, side):
    """The route with its parameters pointing at ``side``'s objects."""
    import re

    values = {
        "code": lambda: _code(world, door, side),
        "pk": lambda: _pk(world, door, side),
        "node": lambda: "project_approval",
        "campaign": lambda: world["campaign"].code,
        "report_id": lambda: _report_id(world, door, side),
        "period": lambda: "2026-W11",
        "problem_id": lambda: world["problems"][side].pk,
        "blocker_id": lambda: world["enterprise_problems"][side].pk,
        "talk_id": lambda: world["talks"][side].pk,
        "referral_id": lambda: world["referrals"][side].pk,
        "observation_id": lambda: world["observation"].pk,
        "file_id": lambda: 999_999,
        "kind": lambda: "project",
        "object_id": lambda: world["projects"][side].pk,
        "bulletin_id": lambda: world["bulletins"][side].pk,
        "order_id": lambda: world["orders"][side].pk,
        "proposal_id": lambda: world["proposals"][side].pk,
        "name": lambda: "projects",
        "fmt": lambda: "json",
        "token": lambda: "NOSUCHCODE",
        "digest": lambda: _digest(world, door, side),
        "number": lambda: world["cases"][side].number,
        "patrol_id": lambda: world["patrols"][side].pk,
        "activity_id": lambda: world["activities"][side].pk,
    }

    def value(match):
        return str(values[match.group(1) or match.group(2)]())

    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", value, route)


def has_object(route):
    return "<" in route or "{" in route


def outcome(response):
    """What a door did: ok, no (403/404), login, redirect, invalid or method."""
    status = response.status_code
    if status in (200, 201):
        return "ok"
    if status in (403, 404):
        return "no"
    if status == 401 or (status in (301, 302) and "/login/" in response["Location"]):
        return "login"
    if status in (301, 302, 303):
        return "redirect"
    if status in (400, 409, 422):
        return "invalid"
    if status == 405:
        return "method"
    return str(status)


def text_of(response):
    """The text a reader gets: the page, the JSON, or every part of a workbook or document."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/json"):
        # The API escapes Chinese (\\uXXXX); read it back so names can be found in it.
        return json.dumps(json.loads(content), ensure_ascii=False)
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # The parts write Chinese as character references (&#28023;); read them back.
            return "".join(
                html.unescape(archive.read(name).decode("utf-8", "replace"))
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


def clients_for(users):
    clients = {ANONYMOUS: Client()}
    for role, user in users.items():
        client = Client()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, (role, response.content.decode()[:300])
        clients[role] = client
    return clients


def fingerprint():
    """What a refused write must leave as it was: the change log and the state of every row."""
    from vanguard.audit.models import ChangeEntry
    from vanguard.blockers.models import Blocker
    from vanguard.citywork.models import (
        CampaignReport,
        CampaignWeek,
        Case,
        CaseCategory,
        CaseRoute,
        CityCampaign,
        Criterion,
        Inspection,
        Patrol,
        PatrolFinding,
        Photo,
        PhotoAttachment,
        Place,
        RenewalKind,
        RenewalProject,
        RenewalReport,
        VolunteerActivity,
        VolunteerFinding,
        VolunteerSignup,
    )
    from vanguard.enterprises.models import KeyEnterprise, Sector, Visit
    from vanguard.indicators.models import Observation
    from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
    from vanguard.notices.models import Delivery, Notice, Webhook
    from vanguard.projects.models import DekadReport, Milestone, Project
    from vanguard.supervision.models import (
        Exemption,
        LadderRules,
        Proposal,
        Referral,
        SupervisionOrder,
        Talk,
    )

    weekly = (
        list(RenewalProject.objects.order_by("pk").values_list("pk", "version", "name")),
        list(RenewalReport.objects.order_by("pk").values_list("pk", "state", "version")),
        list(CityCampaign.objects.order_by("pk").values_list("pk", "version", "name")),
        list(CampaignWeek.objects.order_by("pk").values_list("pk", "planned", "verified")),
        list(CampaignReport.objects.order_by("pk").values_list("pk", "state", "version")),
        list(Place.objects.order_by("pk").values_list("pk", "state", "version")),
        Inspection.objects.count(),
        list(RenewalKind.objects.order_by("pk").values_list("pk", "active")),
        list(Criterion.objects.order_by("pk").values_list("pk", "active")),
        Photo.objects.count(),
        PhotoAttachment.objects.count(),
        list(Case.objects.order_by("pk").values_list("pk", "state", "version")),
        list(Patrol.objects.order_by("pk").values_list("pk", "ended_at")),
        PatrolFinding.objects.count(),
        list(VolunteerActivity.objects.order_by("pk").values_list("pk", "state", "version")),
        VolunteerSignup.objects.count(),
        VolunteerFinding.objects.count(),
    )
    cases = (
        list(Case.objects.order_by("pk").values_list("pk", "state", "version", "unit_id")),
        list(CaseCategory.objects.order_by("pk").values_list("pk", "time_limit", "active")),
        list(CaseRoute.objects.order_by("pk").values_list("pk", "unit_id")),
    )
    return (
        cases,
        weekly,
        list(Notice.objects.order_by("pk").values_list("pk", "read_at")),
        list(Delivery.objects.order_by("pk").values_list("pk", "state", "next_attempt_at")),
        list(Webhook.objects.order_by("pk").values_list("pk", "active")),
        list(Talk.objects.order_by("pk").values_list("pk", "state", "version")),
        list(Referral.objects.order_by("pk").values_list("pk", "state", "version")),
        list(SupervisionOrder.objects.order_by("pk").values_list("pk", "state", "colour")),
        list(Proposal.objects.order_by("pk").values_list("pk", "state")),
        Exemption.objects.count(),
        LadderRules.objects.count(),
        list(ListItem.objects.order_by("pk").values_list("pk", "verified_quantity", "version")),
        list(Checkpoint.objects.order_by("pk").values_list("pk", "reached_on")),
        list(ProgressReport.objects.order_by("pk").values_list("pk", "state", "version")),
        ChangeEntry.objects.count(),
        list(Blocker.objects.order_by("pk").values_list("pk", "state", "unit_id")),
        list(DekadReport.objects.order_by("pk").values_list("pk", "status")),
        list(
            Milestone.objects.order_by("pk").values_list(
                "pk", "state", "not_needed_reason", "evidence"
            )
        ),
        list(Project.objects.order_by("pk").values_list("pk", "name")),
        Observation.objects.count(),
        Visit.objects.count(),
        list(KeyEnterprise.objects.order_by("pk").values_list("pk", "name")),
        list(Sector.objects.order_by("pk").values_list("pk", "name")),
    )


# --- the table of expectations --------------------------------------------------------
#
# door -> role -> outcome. An outcome is "ok" (200), "no" (403 or 404), "login" (sent to
# the login page; 401 from the API), "redirect", "method" (405: the door takes another
# method), "invalid" (the request lacks what the door needs) or, for writes, "pass" (let
# in: done, redirected, or the form shown again with its errors). A door that points at
# an object is tried against unit A's object and unit B's: "ok/no" means A's opens and
# B's does not.

PARTICIPANTS = [OFFICE, LEADER, TF_PROJECTS, TF_INDICATORS, REPORTER_A, REPORTER_B, INSPECTOR]
SIGNED_IN = [role for role in ROLES if role != ANONYMOUS]


def only(*roles, yes="ok", other="no", anonymous="login"):
    """``roles`` get ``yes``; everyone else signed in gets ``other``; anonymous ``anonymous``."""
    row = {role: (yes if role in roles else other) for role in SIGNED_IN}
    row[ANONYMOUS] = anonymous
    return row


def own_unit(*managers, yes="ok", anonymous="login"):
    """Everyone who sees all units and ``managers`` on both; a reporter on their unit's only."""
    row = dict.fromkeys(SIGNED_IN, "no/no")
    for role in managers:
        row[role] = yes + "/" + yes
    row[REPORTER_A] = yes + "/no"
    row[REPORTER_B] = "no/" + yes
    row[ANONYMOUS] = anonymous + "/" + anonymous
    return row


def on_both(row):
    """The same outcome for A's object and B's."""
    return {role: outcome + "/" + outcome for role, outcome in row.items()}


SEE_ALL = [OFFICE, LEADER, TF_PROJECTS, TF_INDICATORS]


def issued_and_draft():
    """A's bulletin is issued: every participant reads it; B's is a draft: the office's side."""
    row = dict.fromkeys(SIGNED_IN, "no/no")
    row.update(dict.fromkeys(PARTICIPANTS, "ok/no"))
    row.update(dict.fromkeys(SEE_ALL, "ok/ok"))
    row[ANONYMOUS] = "login/login"
    return row


CASE_READERS = [OFFICE, LEADER, INSPECTOR]
TALK_PROPOSERS = [OFFICE, TF_PROJECTS, TF_INDICATORS]
# The pages of a referred case (their ``pk`` is the referral's); the inspector finds the
# referred units' matter in them, and nothing else of the units' daily data.
REFERRAL_PAGES = {"talks:referral_detail", "talks:decide", "talks:case_file"}
CASE_DOORS = {
    "talks:referral_list",
    *REFERRAL_PAGES,
    "GET /api/v1/referrals",
    "GET /api/v1/referrals/{referral_id}",
    "GET /api/v1/referrals/{referral_id}/case-file",
}
PROJECTS_KEEPERS = [OFFICE, TF_PROJECTS]
INDICATORS_KEEPERS = [OFFICE, TF_INDICATORS]
# The steps of a city case: the office's (and the city-work task force's) and the unit's.
CASE_KEEPER_STEPS = (
    "register",
    "discard",
    "dispatch",
    "decide-return",
    "decide-postponement",
    "check",
    "merge",
)
CASE_UNIT_STEPS = ("sign", "return", "handle", "postpone")
CASE_STEP_DOORS = [
    "citywork:case_" + step.replace("-", "_") for step in CASE_KEEPER_STEPS + CASE_UNIT_STEPS
]

# Pages and API reads. Lists and exports open for more roles than details do: what they
# show is narrowed by org.access, and the leak check below proves it for every one.
READS = {
    "login": {**only(yes="redirect", other="redirect"), ANONYMOUS: "ok"},
    "logout": only(other="method", anonymous="method"),
    "health": only(other="ok", anonymous="ok"),
    # Open311 GeoReport v2 is public: discovery, services and requests read without login
    # (rate-limited), posting takes an API key as a form field.
    "open311:discovery": on_both(only(other="ok", anonymous="ok")),
    "open311:v2_discovery": on_both(only(other="ok", anonymous="ok")),
    "open311:services": on_both(only(other="ok", anonymous="ok")),
    "open311:service": on_both(only(other="ok", anonymous="ok")),
    "open311:requests": on_both(only(other="ok", anonymous="ok")),
    "open311:request": on_both(only(other="ok", anonymous="ok")),
    "open311:token": on_both(only(other="no", anonymous="no")),
    # The citizens' photo report and its tracking page are public: anyone opens them (the
    # tracking code is the key), rate-limited. "nearby" wants a kind and a place.
    "report:new": only(other="ok", anonymous="ok"),
    "report:nearby": only(other="invalid", anonymous="invalid"),
    "report:support": only(other="method", anonymous="method"),
    "report:thanks": on_both(only(other="ok", anonymous="ok")),
    "report:track_lookup": only(other="ok", anonymous="ok"),
    "report:track": on_both(only(other="ok", anonymous="ok")),
    # Only a scraper holding METRICS_TOKEN: no session opens it (tests/core/test_health.py).
    "metrics": only(other="no", anonymous="no"),
    "set_language": only(other="redirect", anonymous="redirect"),
    "/favicon.ico": only(other="redirect", anonymous="redirect"),
    "accounts:password_change": only(other="ok"),
    "board:overview": only(other="ok"),
    "board:campaign": on_both(only(other="ok")),
    "board:target": on_both(only(*PARTICIPANTS)),
    # The display board shows the district's standings: readers of every unit only. A hall
    # screen opens it by kiosk link instead (tests/board/test_screen.py).
    "board:screen": only(*SEE_ALL),
    "board:screen_data": only(*SEE_ALL),
    "org:unit_list": only(other="ok"),
    "org:unit_detail": own_unit(*SEE_ALL),
    "org:person_list": only(other="ok"),
    "org:person_export": only(other="ok"),
    "projects:list": only(other="ok"),
    "projects:export": only(other="ok"),
    "projects:matrix": only(other="ok"),
    "projects:matrix_export": only(other="ok"),
    "projects:progress": only(other="ok"),
    "projects:progress_export": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "projects:unit_lights": only(other="ok"),
    "projects:certification": only(TF_PROJECTS),
    "projects:detail": own_unit(*SEE_ALL),
    "projects:milestone": own_unit(*SEE_ALL),
    # A key node named by its id (an order's link): to its page for who sees the project.
    "projects:milestone_by_id": own_unit(*SEE_ALL, yes="redirect"),
    "projects:report_detail": own_unit(*SEE_ALL),
    # The world's reports wait for certification: their unit is sent to the report.
    "projects:report_correction": own_unit(yes="redirect"),
    "projects:report": own_unit(),
    "projects:supporting_units": on_both(only(*PROJECTS_KEEPERS)),
    "projects:milestone_not_needed": on_both(only(other="redirect")),
    # Nothing uploaded yet: the evidence door finds no file for anyone.
    "projects:milestone_evidence": on_both(only()),
    "projects:evidence_file": on_both(only()),
    "projects:import": only(*PROJECTS_KEEPERS),
    "projects:import_apply": only(other="method"),
    "projects:import_template": only(*PROJECTS_KEEPERS),
    "projects:report_sheet": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "projects:report_sheet_apply": only(other="method"),
    "projects:report_sheet_download": only(REPORTER_A, REPORTER_B),
    "indicators:overview": only(*PARTICIPANTS),
    "indicators:detail": on_both(only(*PARTICIPANTS)),
    "indicators:enter": on_both(only(*INDICATORS_KEEPERS)),
    "indicators:export": only(*PARTICIPANTS),
    "indicators:forecast": only(*PARTICIPANTS),
    "indicators:pack": only(*PARTICIPANTS),
    "indicators:pack_docx": only(*PARTICIPANTS),
    "indicators:pack_xlsx": only(*PARTICIPANTS),
    "indicators:import": only(*INDICATORS_KEEPERS),
    "indicators:import_apply": only(other="method"),
    "enterprises:sectors": only(*PARTICIPANTS),
    "enterprises:sector_new": only(*INDICATORS_KEEPERS),
    "enterprises:sector_edit": on_both(only(*INDICATORS_KEEPERS)),
    "enterprises:list": only(*PARTICIPANTS),
    "enterprises:export": only(*PARTICIPANTS),
    "enterprises:new": only(*INDICATORS_KEEPERS),
    "enterprises:detail": own_unit(*SEE_ALL),
    "enterprises:edit": on_both(only(*INDICATORS_KEEPERS)),
    "enterprises:problems": only(*PARTICIPANTS),
    "enterprises:resolve_problem": on_both(only(other="method")),
    "blockers:list": only(*PARTICIPANTS),
    "blockers:detail": own_unit(*SEE_ALL),
    "blockers:dispatch": on_both(only(other="method")),
    "blockers:follow_up": on_both(only(other="method")),
    "blockers:resolve": on_both(only(other="method")),
    "talks:talk_list": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "talks:propose": only(other="method"),
    "talks:talk_detail": own_unit(*SEE_ALL),
    "talks:approve": on_both(only(other="method")),
    "talks:notify": on_both(only(other="method")),
    "talks:record": on_both(only(other="method")),
    "talks:follow_up": on_both(only(other="method")),
    "talks:refer": on_both(only(other="method")),
    "talks:dismiss": on_both(only(other="method")),
    "talks:notice": own_unit(*SEE_ALL),
    # The commission reads the cases referred to it, and only those.
    "talks:referral_list": only(*CASE_READERS),
    "talks:refer_matter": only(other="method"),
    "talks:referral_detail": on_both(only(*CASE_READERS)),
    "talks:decide": on_both(only(other="method")),
    "talks:case_file": on_both(only(*CASE_READERS)),
    "GET /api/v1/talks": only(other="ok"),
    # The cockpit's figures, like its lights and gaps, are for readers of every unit.
    "GET /api/v1/cockpit": only(*SEE_ALL),
    # Everyone who takes part reads their own inbox (tests/notices/test_api.py).
    "GET /api/v1/notices": only(*PARTICIPANTS),
    "GET /api/v1/talks/{talk_id}": own_unit(*SEE_ALL),
    "GET /api/v1/referrals": only(other="ok"),
    "GET /api/v1/referrals/{referral_id}": on_both(only(*CASE_READERS)),
    "GET /api/v1/referrals/{referral_id}/case-file": on_both(only(*CASE_READERS)),
    # A job is its starter's alone; to anyone else it does not exist.
    "exchange:job": own_unit(),
    "exchange:job_progress": own_unit(),
    "exchange:job_status": own_unit(),
    "exchange:job_download": own_unit(),
    "GET /api/v1/campaigns": only(other="ok"),
    "GET /api/v1/campaigns/{code}": on_both(only(*PARTICIPANTS)),
    "GET /api/v1/task-forces": only(other="ok"),
    "GET /api/v1/units": only(other="ok"),
    "GET /api/v1/units/{code}": own_unit(*SEE_ALL),
    "GET /api/v1/units/{code}/owed": own_unit(*SEE_ALL),
    # The caller's own work queue: everyone signed in reads theirs (empty without a role).
    "GET /api/v1/queue": only(other="ok"),
    "GET /api/v1/people": only(other="ok"),
    "GET /api/v1/targets": only(other="ok"),
    "GET /api/v1/targets/{campaign}/{code}": on_both(only(*PARTICIPANTS)),
    # Without its kind and year the calendar asks for them.
    "GET /api/v1/periods": only(other="invalid"),
    "GET /api/v1/projects": only(other="ok"),
    "GET /api/v1/projects/{code}": own_unit(*SEE_ALL),
    "GET /api/v1/projects/{code}/milestones/{node}/evidence": on_both(only()),
    # The list of earlier evidence files is empty but readable where the project is.
    "GET /api/v1/projects/{code}/milestones/{node}/evidence/files": own_unit(*SEE_ALL),
    "GET /api/v1/projects/{code}/milestones/{node}/evidence/files/{file_id}": on_both(only()),
    "GET /api/v1/projects/{code}/reports": own_unit(*SEE_ALL),
    "GET /api/v1/reports": only(other="ok"),
    "GET /api/v1/reports/{report_id}": own_unit(*SEE_ALL),
    "GET /api/v1/progress/projects": only(other="ok"),
    "GET /api/v1/indicators": only(other="ok"),
    "GET /api/v1/indicators/{code}": on_both(only(*PARTICIPANTS)),
    "GET /api/v1/areas": only(other="ok"),
    "GET /api/v1/observations": only(other="ok"),
    "GET /api/v1/observations/{observation_id}": on_both(only(*PARTICIPANTS)),
    "GET /api/v1/warnings": only(other="ok"),
    "GET /api/v1/forecasts": only(other="ok"),
    "GET /api/v1/sectors": only(other="ok"),
    "GET /api/v1/enterprises": only(other="ok"),
    "GET /api/v1/enterprises/{code}": own_unit(*SEE_ALL),
    "GET /api/v1/enterprises/{code}/months": own_unit(*SEE_ALL),
    "GET /api/v1/enterprises/{code}/visits": own_unit(*SEE_ALL),
    "GET /api/v1/enterprise-problems": only(other="ok"),
    "GET /api/v1/problems": only(other="ok"),
    "GET /api/v1/problems/{problem_id}": own_unit(*SEE_ALL),
    "GET /api/v1/lights": only(other="ok"),
    "bulletins:list": only(*PARTICIPANTS),
    "bulletins:detail": issued_and_draft(),
    "bulletins:docx": issued_and_draft(),
    "bulletins:xlsx": issued_and_draft(),
    # The issued bulletin is locked: its edit page sends the office back to it.
    "bulletins:edit": {**on_both(only()), OFFICE: "redirect/ok", ANONYMOUS: "login/login"},
    "bulletins:issue": on_both(only(other="method")),
    "bulletins:correct": on_both(only(other="method")),
    "bulletins:draft": only(other="method"),
    "bulletins:rules": only(*SEE_ALL),
    "bulletins:rule": on_both(only(*SEE_ALL)),
    "GET /api/v1/bulletins": only(*PARTICIPANTS),
    "GET /api/v1/bulletins/{bulletin_id}": issued_and_draft(),
    "GET /api/v1/bulletins/{bulletin_id}/docx": issued_and_draft(),
    "GET /api/v1/bulletins/{bulletin_id}/xlsx": issued_and_draft(),
    "lists:list": only(*PARTICIPANTS),
    "lists:detail": own_unit(OFFICE, LEADER, TF_PROJECTS),
    # A report is filed by a form posted from the item's page; opened, it leads there.
    "lists:report": own_unit(yes="redirect"),
    "lists:verify": on_both(only(other="method")),
    "lists:return": on_both(only(other="method")),
    "lists:import": only(OFFICE),
    "lists:import_apply": only(other="method"),
    "lists:export": only(OFFICE),
    # The edit form of an item (both are the projects battle's): the office and that task force.
    "lists:edit": on_both(only(OFFICE, TF_PROJECTS)),
    "GET /api/v1/list-items": only(other="ok"),
    "GET /api/v1/list-items/{code}": own_unit(OFFICE, LEADER, TF_PROJECTS),
    "GET /api/v1/list-items/{code}/checkpoints": own_unit(OFFICE, LEADER, TF_PROJECTS),
    "GET /api/v1/list-items/{code}/reports": own_unit(OFFICE, LEADER, TF_PROJECTS),
    "GET /api/v1/list-reports": only(other="ok"),
    # No light has changed yet in this world, so there is no history to read.
    "GET /api/v1/lights/{kind}/{object_id}/history": on_both(only()),
    # Supervision orders: the office, task forces and leaders see every unit's; a reporter
    # their own unit's; the inspector none (a referred case brings its own).
    "orders:workspace": only(*SEE_ALL),
    "orders:list": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "orders:issue": only(OFFICE),
    "orders:detail": own_unit(*SEE_ALL),
    "orders:sign": on_both(only(other="method")),
    "orders:answer": on_both(only(other="method")),
    "orders:close": on_both(only(other="method")),
    "orders:return": on_both(only(other="method")),
    # No answer has been sent yet: there is no evidence file to download.
    "orders:evidence": on_both(only()),
    "orders:proposals": only(*SEE_ALL),
    "orders:confirm": on_both(only(other="method")),
    "orders:dismiss": on_both(only(other="method")),
    "orders:exemptions": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "orders:exemption_evidence": own_unit(*SEE_ALL),
    "orders:ladder": only(*SEE_ALL),
    "orders:ladder_run": only(other="method"),
    "GET /api/v1/orders": only(other="ok"),
    "GET /api/v1/orders/{order_id}": own_unit(*SEE_ALL),
    "GET /api/v1/proposals": only(*SEE_ALL),
    "GET /api/v1/exemptions": only(other="ok"),
    "GET /api/v1/ladder-rules": only(*SEE_ALL),
    # The map: every participant opens it; each layer's rows are narrowed by org.access
    # (the leak check proves it on the projects layer). The location check needs its
    # point, so a request without one is invalid for everyone signed in.
    "maps:page": only(*PARTICIPANTS),
    "citywork:grid": own_unit(*SEE_ALL),
    "GET /api/v1/map/layers": only(*PARTICIPANTS),
    "GET /api/v1/map/layers/{name}": on_both(only(*PARTICIPANTS)),
    "GET /api/v1/map/layers/{name}/export": on_both(only(*PARTICIPANTS)),
    "GET /api/v1/map/locate": only(other="invalid"),
    # The third battle's weekly work (org.access.weekly): every participant opens its
    # lists, narrowed to what they see; the office and leaders see every unit's objects,
    # a reporter their unit's, a member of another battle's task force only the units
    # they report for (none here). The battle and summary pages tell an account without
    # data that it has none; their workbook, and the API's figures, refuse it.
    "citywork:battle": only(other="ok"),
    "citywork:weekly": only(other="ok"),
    "citywork:weekly_export": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "GET /api/v1/city/targets": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "GET /api/v1/city/weekly": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "citywork:renewal_list": only(*PARTICIPANTS),
    "citywork:renewal_kinds": only(*PARTICIPANTS),
    "citywork:renewal_export": only(*PARTICIPANTS),
    # Kept by the office (and the city-work task force).
    "citywork:renewal_import": only(OFFICE),
    "citywork:renewal_import_apply": only(other="method"),
    "citywork:hotline_import": only(OFFICE),
    "citywork:hotline_import_apply": only(other="method"),
    "citywork:hotline_template": only(OFFICE),
    "citywork:renewal_detail": own_unit(OFFICE, LEADER),
    # A report is filed from the project's page; opened, the form leads there.
    "citywork:renewal_report": own_unit(yes="redirect"),
    "citywork:renewal_verify": on_both(only(other="method")),
    "citywork:renewal_return": on_both(only(other="method")),
    "citywork:campaign_list": only(*PARTICIPANTS),
    "citywork:campaign_new": only(OFFICE),
    "citywork:campaign_detail": own_unit(OFFICE, LEADER),
    "citywork:campaign_report": own_unit(yes="redirect"),
    "citywork:campaign_edit": on_both(only(OFFICE)),
    "citywork:campaign_week": on_both(only(other="method")),
    "citywork:campaign_verify": on_both(only(other="method")),
    "citywork:campaign_return": on_both(only(other="method")),
    "citywork:place_list": only(*PARTICIPANTS),
    "citywork:place_new": only(OFFICE),
    "citywork:criteria": only(*PARTICIPANTS),
    "citywork:place_detail": own_unit(OFFICE, LEADER),
    "citywork:place_edit": on_both(only(OFFICE)),
    "citywork:place_inspect": on_both(only(other="method")),
    "citywork:place_apply": on_both(only(other="method")),
    "citywork:place_accept": on_both(only(other="method")),
    "citywork:place_return": on_both(only(other="method")),
    "GET /api/v1/renewal-kinds": only(*PARTICIPANTS),
    "GET /api/v1/renewal-projects": only(*PARTICIPANTS),
    "GET /api/v1/renewal-projects/{code}": own_unit(OFFICE, LEADER),
    "GET /api/v1/renewal-projects/{code}/reports": own_unit(OFFICE, LEADER),
    "GET /api/v1/renewal-reports": only(*PARTICIPANTS),
    "GET /api/v1/city-campaigns": only(*PARTICIPANTS),
    "GET /api/v1/city-campaigns/{code}": own_unit(OFFICE, LEADER),
    "GET /api/v1/city-campaigns/{code}/weeks": own_unit(OFFICE, LEADER),
    "GET /api/v1/city-campaign-reports": only(*PARTICIPANTS),
    "GET /api/v1/acceptance-criteria": only(*PARTICIPANTS),
    "GET /api/v1/city-places": only(*PARTICIPANTS),
    "GET /api/v1/city-places/{code}": own_unit(OFFICE, LEADER),
    "GET /api/v1/city-places/{code}/inspections": own_unit(OFFICE, LEADER),
    # A photo's public copy and thumbnail carry no metadata and are named by their hash:
    # whoever has the address opens them (the citizen page and Open311 hand them out).
    # The original keeps where and when it was taken: the office (and the city-work task
    # force, who has no member in this cast) only.
    "citywork:photo": on_both(only(other="ok", anonymous="ok")),
    "citywork:photo_thumbnail": on_both(only(other="ok", anonymous="ok")),
    "citywork:photo_original": on_both(only(OFFICE)),
    # City cases (org.access.cases): every participant opens the lists, narrowed to the
    # cases they see; a case's page is for the office, leaders and the city-work task
    # force (no member in this cast), and the reporters of the unit it is dispatched to.
    # The office keeps the pool: the new-case form and the categories' forms are its.
    "citywork:case_list": only(*PARTICIPANTS),
    "citywork:case_export": only(*PARTICIPANTS),
    "citywork:case_new": only(OFFICE),
    "citywork:case_categories": only(*PARTICIPANTS),
    "citywork:case_category_new": only(OFFICE),
    "citywork:case_category_edit": on_both(only(OFFICE)),
    "citywork:case_route_add": only(other="method"),
    "citywork:case_route_remove": on_both(only(other="method")),
    "citywork:case_detail": own_unit(OFFICE, LEADER),
    **{door: on_both(only(other="method")) for door in CASE_STEP_DOORS},
    "GET /api/v1/city/cases": only(*PARTICIPANTS),
    "GET /api/v1/city/cases/{number}": own_unit(OFFICE, LEADER),
    "GET /api/v1/city/case-categories": only(*PARTICIPANTS),
    # Patrols (巡查) are the office's and the city-work task force's (who has no member in
    # this cast): the page, a patrol's summary and the checks; their forms are posted.
    "citywork:patrol": only(OFFICE),
    "citywork:patrol_start": only(other="method"),
    "citywork:patrol_checks": only(OFFICE),
    "citywork:patrol_check": on_both(only(other="method")),
    "citywork:patrol_detail": on_both(only(OFFICE)),
    "citywork:patrol_record": on_both(only(other="method")),
    "citywork:patrol_end": on_both(only(other="method")),
    # Volunteer activities: every participant opens the list, narrowed like the weekly
    # work; the organising unit's reporters and the office plan, change, hold and cancel
    # them (a form opened leads to the activity's page) and read who signed up. Residents
    # read the activities to come and sign up without an account.
    "citywork:activity_list": only(*PARTICIPANTS),
    "citywork:activity_new": only(OFFICE, REPORTER_A, REPORTER_B),
    "citywork:activity_weekly": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "citywork:activity_weekly_export": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "citywork:activity_detail": own_unit(OFFICE, LEADER),
    "citywork:activity_edit": own_unit(OFFICE),
    "citywork:activity_held": own_unit(OFFICE, yes="redirect"),
    "citywork:activity_problem": own_unit(OFFICE, yes="redirect"),
    "citywork:activity_cancel": own_unit(OFFICE, yes="redirect"),
    "citywork:volunteer": only(other="ok", anonymous="ok"),
    "citywork:volunteer_signup": on_both(only(other="ok", anonymous="ok")),
    # The same through the API: patrols and their checks for the office, someone else's
    # patrol refused; activities narrowed as on their pages, signups for their organisers.
    "GET /api/v1/city/patrols": only(OFFICE),
    "GET /api/v1/city/patrols/{patrol_id}": on_both(only(OFFICE)),
    "GET /api/v1/city/patrol-checks": only(OFFICE),
    "GET /api/v1/city/activities": only(*PARTICIPANTS),
    "GET /api/v1/city/activities/weekly": only(*SEE_ALL, REPORTER_A, REPORTER_B),
    "GET /api/v1/city/activities/{activity_id}": own_unit(OFFICE, LEADER),
    # Everyone who takes part has an inbox; the robots and the deliveries are the office's.
    "notices:inbox": only(*PARTICIPANTS),
    "notices:read": on_both(only(other="method")),
    "notices:read_all": only(other="method"),
    "notices:deliveries": only(OFFICE),
    "notices:retry": on_both(only(other="method")),
    "notices:webhooks": only(OFFICE),
    "notices:webhook_delete": on_both(only(other="method")),
}

# Writes: a page's form posted, or an API operation called with a valid body. "no" and
# "login" must leave everything as it was.
WRITES = {
    "accounts:password_change": only(other="pass"),
    # Anyone may report, say "me too" and give a closed case's reporter's word; an empty
    # form is refused in words (the world's cases are not closed: no feedback yet).
    "report:new": only(other="pass", anonymous="pass"),
    "report:support": only(other="pass", anonymous="pass"),
    "report:track": on_both(only(other="pass", anonymous="pass")),
    "projects:report": own_unit(yes="pass"),
    "projects:report_correction": own_unit(yes="pass"),
    "projects:supporting_units": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "projects:milestone_not_needed": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "projects:milestone_evidence": own_unit(*PROJECTS_KEEPERS, yes="pass"),
    "projects:certification": only(TF_PROJECTS, yes="pass"),
    "projects:import": only(*PROJECTS_KEEPERS, yes="pass"),
    "projects:import_apply": only(*PROJECTS_KEEPERS, yes="pass"),
    "projects:report_sheet": only(REPORTER_A, REPORTER_B, yes="pass"),
    "projects:report_sheet_apply": only(REPORTER_A, REPORTER_B, yes="pass"),
    "indicators:enter": on_both(only(*INDICATORS_KEEPERS, yes="pass")),
    "indicators:import": only(*INDICATORS_KEEPERS, yes="pass"),
    "indicators:import_apply": only(*INDICATORS_KEEPERS, yes="pass"),
    "enterprises:sector_new": only(*INDICATORS_KEEPERS, yes="pass"),
    "enterprises:sector_edit": on_both(only(*INDICATORS_KEEPERS, yes="pass")),
    "enterprises:new": only(*INDICATORS_KEEPERS, yes="pass"),
    "enterprises:edit": on_both(only(*INDICATORS_KEEPERS, yes="pass")),
    "enterprises:detail": own_unit(*INDICATORS_KEEPERS, yes="pass"),
    "enterprises:resolve_problem": own_unit(*INDICATORS_KEEPERS, yes="pass"),
    "blockers:dispatch": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "blockers:follow_up": own_unit(*PROJECTS_KEEPERS, yes="pass"),
    "blockers:resolve": own_unit(*PROJECTS_KEEPERS, yes="pass"),
    "bulletins:draft": only(OFFICE, yes="pass"),
    "bulletins:edit": on_both(only(OFFICE, yes="pass")),
    "bulletins:issue": on_both(only(OFFICE, yes="pass")),
    "bulletins:correct": on_both(only(OFFICE, yes="pass")),
    "talks:propose": only(*TALK_PROPOSERS, yes="pass"),
    "talks:refer_matter": only(OFFICE, yes="pass"),
    "talks:approve": on_both(only(LEADER, yes="pass")),
    "talks:notify": on_both(only(OFFICE, yes="pass")),
    "talks:record": on_both(only(OFFICE, yes="pass")),
    "talks:follow_up": on_both(only(OFFICE, yes="pass")),
    "talks:refer": on_both(only(OFFICE, yes="pass")),
    "talks:dismiss": on_both(only(OFFICE, yes="pass")),
    "talks:decide": on_both(only(INSPECTOR, yes="pass")),
    "POST /api/v1/talks": only(*TALK_PROPOSERS, yes="pass"),
    "POST /api/v1/notices/read": only(*PARTICIPANTS, yes="pass"),
    "POST /api/v1/talks/{talk_id}/approve": on_both(only(LEADER, yes="pass")),
    "POST /api/v1/talks/{talk_id}/notify": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/talks/{talk_id}/record": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/talks/{talk_id}/follow-up": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/talks/{talk_id}/dismiss-referral": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/referrals": only(OFFICE, yes="pass"),
    "POST /api/v1/referrals/{referral_id}/decide": on_both(only(INSPECTOR, yes="pass")),
    "PUT /api/v1/projects/{code}/supporting-units": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "POST /api/v1/projects/{code}/milestones/{node}/not-needed": on_both(
        only(*PROJECTS_KEEPERS, yes="pass")
    ),
    "DELETE /api/v1/projects/{code}/milestones/{node}/not-needed": on_both(
        only(*PROJECTS_KEEPERS, yes="pass")
    ),
    "POST /api/v1/projects/{code}/milestones/{node}/evidence": own_unit(
        *PROJECTS_KEEPERS, yes="pass"
    ),
    "POST /api/v1/projects/{code}/reports": own_unit(yes="pass"),
    "POST /api/v1/reports/certify": only(TF_PROJECTS, yes="pass"),
    "POST /api/v1/reports/{report_id}/correction": own_unit(yes="pass"),
    "POST /api/v1/reports/{report_id}/return": on_both(only(TF_PROJECTS, yes="pass")),
    # Refused before the indicator or sector the body names is looked up, so an account
    # that sees none is told it may not, not that the name is unknown.
    "POST /api/v1/observations": only(*INDICATORS_KEEPERS, yes="pass"),
    "POST /api/v1/enterprises": only(*INDICATORS_KEEPERS, yes="pass"),
    "POST /api/v1/enterprises/{code}/months": own_unit(*INDICATORS_KEEPERS, yes="pass"),
    "PUT /api/v1/enterprises/{code}/expectation": own_unit(*INDICATORS_KEEPERS, yes="pass"),
    "POST /api/v1/enterprises/{code}/visits": own_unit(*INDICATORS_KEEPERS, yes="pass"),
    "POST /api/v1/enterprise-problems/{blocker_id}/resolve": own_unit(
        *INDICATORS_KEEPERS, yes="pass"
    ),
    "POST /api/v1/problems/{problem_id}/dispatch": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "POST /api/v1/problems/{problem_id}/follow-up": own_unit(*PROJECTS_KEEPERS, yes="pass"),
    "POST /api/v1/problems/{problem_id}/resolve": own_unit(*PROJECTS_KEEPERS, yes="pass"),
    # The office issues and decides; the unit signs and answers; the office or the
    # battle's task force (here the projects', whose problems the orders are about) verifies.
    "orders:issue": only(OFFICE, yes="pass"),
    "orders:sign": own_unit(yes="pass"),
    "orders:answer": own_unit(yes="pass"),
    "orders:close": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "orders:return": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "orders:confirm": on_both(only(OFFICE, yes="pass")),
    "orders:dismiss": on_both(only(OFFICE, yes="pass")),
    "orders:exemptions": only(OFFICE, yes="pass"),
    "orders:ladder": only(OFFICE, yes="pass"),
    "orders:ladder_run": only(OFFICE, yes="pass"),
    "POST /api/v1/orders": only(OFFICE, yes="pass"),
    "POST /api/v1/orders/{order_id}/sign": own_unit(yes="pass"),
    "POST /api/v1/orders/{order_id}/answer": own_unit(yes="pass"),
    "POST /api/v1/orders/{order_id}/close": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "POST /api/v1/orders/{order_id}/return": on_both(only(*PROJECTS_KEEPERS, yes="pass")),
    "POST /api/v1/proposals/{proposal_id}/confirm": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/proposals/{proposal_id}/dismiss": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/exemptions": only(OFFICE, yes="pass"),
    # A unit reports its own items; the task force of the item's battle verifies, never
    # the unit and never the office; the office alone loads the lists.
    "lists:report": own_unit(yes="pass"),
    "lists:verify": on_both(only(TF_PROJECTS, yes="pass")),
    "lists:return": on_both(only(TF_PROJECTS, yes="pass")),
    "lists:import": only(OFFICE, yes="pass"),
    "lists:import_apply": only(OFFICE, yes="pass"),
    "POST /api/v1/list-items/{code}/reports": own_unit(yes="pass"),
    "lists:edit": on_both(only(OFFICE, TF_PROJECTS, yes="pass")),
    "PATCH /api/v1/list-items/{code}": on_both(only(OFFICE, TF_PROJECTS, yes="pass")),
    "POST /api/v1/list-reports/{report_id}/verify": on_both(only(TF_PROJECTS, yes="pass")),
    "POST /api/v1/list-reports/{report_id}/return": on_both(only(TF_PROJECTS, yes="pass")),
    # The weekly work: the office keeps projects, campaigns, places and their lists; the
    # lead unit's reporters report and apply for acceptance; the office inspects places,
    # never a unit its own; only the city-work task force verifies, returns and accepts
    # (not in this cast), so no one here gets through those doors.
    "citywork:renewal_kinds": only(OFFICE, yes="pass"),
    "citywork:criteria": only(OFFICE, yes="pass"),
    "citywork:renewal_import": only(OFFICE, yes="pass"),
    "citywork:renewal_import_apply": only(OFFICE, yes="pass"),
    "citywork:hotline_import": only(OFFICE, yes="pass"),
    "citywork:hotline_import_apply": only(OFFICE, yes="pass"),
    "citywork:renewal_report": own_unit(yes="pass"),
    "citywork:renewal_verify": on_both(only()),
    "citywork:renewal_return": on_both(only()),
    "citywork:campaign_new": only(OFFICE, yes="pass"),
    "citywork:campaign_edit": on_both(only(OFFICE, yes="pass")),
    "citywork:campaign_week": on_both(only(OFFICE, yes="pass")),
    "citywork:campaign_report": own_unit(yes="pass"),
    "citywork:campaign_verify": on_both(only()),
    "citywork:campaign_return": on_both(only()),
    "citywork:place_new": only(OFFICE, yes="pass"),
    "citywork:place_edit": on_both(only(OFFICE, yes="pass")),
    "citywork:place_inspect": on_both(only(OFFICE, yes="pass")),
    "citywork:place_apply": own_unit(yes="pass"),
    "citywork:place_accept": on_both(only()),
    "citywork:place_return": on_both(only()),
    # Patrols: the office (the city-work task force has no member here) starts one (it is
    # on patrol already: told so), records on its own patrols, ends them, and checks cases.
    "citywork:patrol_start": only(OFFICE, yes="pass"),
    "citywork:patrol_record": on_both(only(OFFICE, yes="pass")),
    "citywork:patrol_end": on_both(only(OFFICE, yes="pass")),
    "citywork:patrol_check": on_both(only(OFFICE, yes="pass")),
    # Volunteer activities: the organising unit's reporters and the office; residents sign
    # up without an account (an empty form is refused for everyone alike).
    "citywork:activity_new": only(OFFICE, REPORTER_A, REPORTER_B, yes="pass"),
    "citywork:activity_edit": own_unit(OFFICE, yes="pass"),
    "citywork:activity_held": own_unit(OFFICE, yes="pass"),
    "citywork:activity_problem": own_unit(OFFICE, yes="pass"),
    "citywork:activity_cancel": own_unit(OFFICE, yes="pass"),
    "citywork:volunteer_signup": on_both(only(other="pass", anonymous="pass")),
    # The same through the API. The office is on B's patrol already and A's has ended (told
    # so); the world's cases await no check (told so). An activity is planned for unit A:
    # B's reporter may not; a planned activity is not held and finds nothing yet (told so).
    "POST /api/v1/city/patrols": only(OFFICE, yes="pass"),
    "POST /api/v1/city/patrols/{patrol_id}/findings": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city/patrols/{patrol_id}/end": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city/patrol-checks/{number}": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city/activities": only(OFFICE, REPORTER_A, yes="pass"),
    "PATCH /api/v1/city/activities/{activity_id}": own_unit(OFFICE, yes="pass"),
    "POST /api/v1/city/activities/{activity_id}/held": own_unit(OFFICE, yes="pass"),
    "POST /api/v1/city/activities/{activity_id}/problems": own_unit(OFFICE, yes="pass"),
    "POST /api/v1/city/activities/{activity_id}/cancel": own_unit(OFFICE, yes="pass"),
    "POST /api/v1/renewal-projects": only(OFFICE, yes="pass"),
    "PATCH /api/v1/renewal-projects/{code}": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/renewal-projects/{code}/reports": own_unit(yes="pass"),
    "POST /api/v1/renewal-reports/{report_id}/verify": on_both(only()),
    "POST /api/v1/renewal-reports/{report_id}/return": on_both(only()),
    "POST /api/v1/city-campaigns": only(OFFICE, yes="pass"),
    "PATCH /api/v1/city-campaigns/{code}": on_both(only(OFFICE, yes="pass")),
    "PUT /api/v1/city-campaigns/{code}/weeks/{period}": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city-campaigns/{code}/reports": own_unit(yes="pass"),
    "POST /api/v1/city-campaign-reports/{report_id}/verify": on_both(only()),
    "POST /api/v1/city-campaign-reports/{report_id}/return": on_both(only()),
    "POST /api/v1/city-places": only(OFFICE, yes="pass"),
    "PATCH /api/v1/city-places/{code}": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city-places/{code}/inspections": on_both(only(OFFICE, yes="pass")),
    "POST /api/v1/city-places/{code}/apply": own_unit(yes="pass"),
    "POST /api/v1/city-places/{code}/accept": on_both(only()),
    "POST /api/v1/city-places/{code}/return": on_both(only()),
    # City cases: the office registers, dispatches, decides, checks and merges (a step its
    # state does not allow is let in, then refused as invalid); the unit's reporters sign,
    # return, handle and ask for more time on their own unit's case only.
    "citywork:case_new": only(OFFICE, yes="pass"),
    "citywork:case_category_new": only(OFFICE, yes="pass"),
    "citywork:case_category_edit": on_both(only(OFFICE, yes="pass")),
    "citywork:case_route_add": only(OFFICE, yes="pass"),
    "citywork:case_route_remove": on_both(only(OFFICE, yes="pass")),
    **{
        "citywork:case_" + step.replace("-", "_"): on_both(only(OFFICE, yes="pass"))
        for step in CASE_KEEPER_STEPS
    },
    **{"citywork:case_" + step.replace("-", "_"): own_unit(yes="pass") for step in CASE_UNIT_STEPS},
    "POST /api/v1/city/cases": only(OFFICE, yes="pass"),
    **{
        "POST /api/v1/city/cases/{number}/" + step: on_both(only(OFFICE, yes="pass"))
        for step in CASE_KEEPER_STEPS
    },
    **{
        "POST /api/v1/city/cases/{number}/" + step: own_unit(yes="pass") for step in CASE_UNIT_STEPS
    },
    # After photos of a dispatched case are its unit's to add (photos of the problem are
    # the office's, as tests/citywork/test_case_api.py shows).
    "POST /api/v1/city/cases/{number}/photos": own_unit(yes="pass"),
    # A notice is read by its recipient alone (A's notice is reporter A's).
    "notices:read": own_unit(yes="pass"),
    "notices:read_all": only(*PARTICIPANTS, yes="pass"),
    "notices:retry": on_both(only(OFFICE, yes="pass")),
    "notices:webhooks": only(OFFICE, yes="pass"),
    "notices:webhook_delete": on_both(only(OFFICE, yes="pass")),
}

PASSED = {"ok", "redirect", "invalid"}


def page_body(door):
    """What a page's form posts (empty where the empty form must already be refused)."""
    if door == "enterprises:detail":
        today = timezone.localdate().isoformat()
        return {"form": "visit", "visited_on": today, "visitors": "走访组"}
    return {}


def api_body(world, door, side):
    """A valid body for an API write against ``side``'s objects, as (data, content type)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = world["projects"][side]
    enterprise = world["enterprises"][side]
    other_unit = world["projects"]["B" if side == "A" else "A"].lead_unit
    today = timezone.localdate().isoformat()
    bodies = {
        "PUT /api/v1/projects/{code}/supporting-units": {
            "units": [other_unit.code],
            "version": project.version,
            "reason": "协同",
        },
        "POST /api/v1/projects/{code}/milestones/{node}/not-needed": {"reason": "不需办理"},
        "POST /api/v1/projects/{code}/reports": {"progress": "继续施工", "investment_yuan": 1},
        "POST /api/v1/reports/certify": {"ids": [world["reports"][side].pk]},
        "POST /api/v1/notices/read": {},
        "POST /api/v1/reports/{report_id}/correction": {"progress": "更正", "reason": "笔误"},
        "POST /api/v1/reports/{report_id}/return": {"reason": "请补充"},
        "POST /api/v1/observations": {
            "indicator": world["indicator"].code,
            "area": world["observation"].area.level,
            "month": "2026-06",
            "growth_pct": 6,
        },
        "POST /api/v1/enterprises": {
            "name": "新登记企业",
            "credit_code": _credit_code(9),
            "sector": world["sector"].name,
            "serving_unit": project.lead_unit.code,
        },
        "POST /api/v1/enterprises/{code}/months": {"month": "2026-06", "value_yuan": 100},
        "PUT /api/v1/enterprises/{code}/expectation": {
            "amount_yuan": 100,
            "version": enterprise.version,
        },
        "POST /api/v1/enterprises/{code}/visits": {"visited_on": today, "visitors": "走访组"},
        "POST /api/v1/enterprise-problems/{blocker_id}/resolve": {"resolution": "已解决"},
        "POST /api/v1/problems/{problem_id}/dispatch": {"unit": other_unit.code},
        "POST /api/v1/problems/{problem_id}/follow-up": {"note": "跟进"},
        "POST /api/v1/problems/{problem_id}/resolve": {"resolution": "已解决"},
        "POST /api/v1/talks": {
            "unit": project.lead_unit.code,
            "kind": "project",
            "object_id": project.pk,
            "talk_type": "work",
            "reason": "滞后",
        },
        "POST /api/v1/talks/{talk_id}/approve": {},
        "POST /api/v1/talks/{talk_id}/notify": {"scheduled_on": today, "place": "会议室"},
        "POST /api/v1/talks/{talk_id}/record": {
            "held_on": today,
            "interviewers": [world["users"][LEADER].person.pk],
            "interviewees": [world["users"][OFFICE].person.pk],
            "facts": "滞后",
            "requirements": "整改",
            "pledge": "按期完成",
        },
        "POST /api/v1/talks/{talk_id}/follow-up": {},
        "POST /api/v1/talks/{talk_id}/dismiss-referral": {"reason": "已整改"},
        "POST /api/v1/referrals": {
            "unit": project.lead_unit.code,
            "kind": "project",
            "object_id": project.pk,
            "reason": "仍滞后",
        },
        "POST /api/v1/referrals/{referral_id}/decide": {
            "measures": ["admonish"],
            "decided_on": today,
            "decision": "诫勉",
        },
        "POST /api/v1/orders": {
            "subject_kind": "blocker",
            "object_id": world["problems"][side].pk,
            "problem": "滞后",
            "requirement": "整改",
            "colour": "blue",
        },
        "POST /api/v1/orders/{order_id}/sign": {},
        "POST /api/v1/orders/{order_id}/close": {"note": "核验"},
        "POST /api/v1/orders/{order_id}/return": {"reason": "材料不全"},
        "POST /api/v1/proposals/{proposal_id}/confirm": {"reason": "属实"},
        "POST /api/v1/proposals/{proposal_id}/dismiss": {"reason": "不属实"},
        "POST /api/v1/list-items/{code}/reports": {"period": "2026-02", "quantity": 1},
        "PATCH /api/v1/list-items/{code}": {
            "deadline": "2026-11-30",
            "version": world["list_items"][side].version,
        },
        "POST /api/v1/list-reports/{report_id}/verify": {},
        "POST /api/v1/list-reports/{report_id}/return": {"reason": "请补充"},
        "POST /api/v1/renewal-projects": {
            "code": "GX-NEW",
            "name": "新更新项目",
            "kind": "老旧小区改造",
            "lead_unit": project.lead_unit.code,
            "responsible_person": side + "联络员",
            "geometry": {"type": "Point", "coordinates": [120.04, 35.88]},
            "planned_start": "2026-04-01",
            "planned_completion": "2026-11-30",
        },
        "PATCH /api/v1/renewal-projects/{code}": {"address": "滨海大道1号"},
        "POST /api/v1/renewal-projects/{code}/reports": {
            "period": "2026-W11",
            "progress_percent": 8,
        },
        "POST /api/v1/renewal-reports/{report_id}/verify": {},
        "POST /api/v1/renewal-reports/{report_id}/return": {"reason": "请补充"},
        "POST /api/v1/city-campaigns": {
            "code": "ZZ-NEW",
            "name": "新整治行动",
            "lead_unit": project.lead_unit.code,
            "responsible_person": side + "联络员",
            "measure": "结案件数",
            "measuring_unit": "件",
            "weekly_target": 5,
            "start_date": "2026-03-02",
            "end_date": "2026-05-31",
        },
        "PATCH /api/v1/city-campaigns/{code}": {"description": "每周通报"},
        "PUT /api/v1/city-campaigns/{code}/weeks/{period}": {"planned": 120},
        "POST /api/v1/city-campaigns/{code}/reports": {"period": "2026-W11", "quantity": 90},
        "POST /api/v1/city-campaign-reports/{report_id}/verify": {},
        "POST /api/v1/city-campaign-reports/{report_id}/return": {"reason": "请补充"},
        "POST /api/v1/city-places": {
            "code": "SF-NEW",
            "kind": "zone",
            "name": "新示范区",
            "lead_unit": project.lead_unit.code,
            "responsible_person": side + "联络员",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[120.04, 35.88], [120.045, 35.88], [120.045, 35.885], [120.04, 35.88]]
                ],
            },
            "planned_acceptance": "2026-10-31",
        },
        "PATCH /api/v1/city-places/{code}": {"description": "示范区说明"},
        "POST /api/v1/city-places/{code}/inspections": {
            "inspected_on": "2026-05-20",
            "inspectors": "督查组",
            "met": [],
        },
        "POST /api/v1/city-places/{code}/apply": {},
        "POST /api/v1/city-places/{code}/accept": {},
        "POST /api/v1/city-places/{code}/return": {"reason": "不达标"},
        **_case_bodies(world, side),
        **_patrol_and_volunteer_bodies(world, side),
    }
    if door in MULTIPART:
        return bodies[door], None
    if door == "POST /api/v1/orders/{order_id}/answer":
        return {"text": "已整改"}, None
    if door == "POST /api/v1/exemptions":
        return {
            "subject_kind": "blocker",
            "object_id": world["problems"][side].pk,
            "ground": "policy",
            "explanation": "政策调整",
            "valid_from": "2026-07-01",
            "valid_until": "2026-07-31",
            "evidence": SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        }, None
    if door == "POST /api/v1/city/cases/{number}/photos":
        from tests.citywork.photo_files import phone_photo

        return {"photos": SimpleUploadedFile("处置后.jpg", phone_photo(), "image/jpeg")}, None
    if door == "POST /api/v1/projects/{code}/milestones/{node}/evidence":
        return {"file": SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n", "application/pdf")}, None
    if door.startswith("DELETE"):
        return None, None
    return bodies[door], "application/json"


def _case_bodies(world, side):
    """Bodies of the city cases' doors: a patrol's report, and each step on the version read."""
    case = world["cases"][side]
    other = world["cases"]["B" if side == "A" else "A"]
    version = {"version": case.version}
    until = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    return {
        "POST /api/v1/city/cases": {
            "source": "inspection",
            "category": "street-lamp",
            "lon": 120.005,
            "lat": 36.002,
            "description": "路灯不亮",
        },
        "POST /api/v1/city/cases/{number}/register": version,
        "POST /api/v1/city/cases/{number}/discard": {**version, "reason": "不属城管范围"},
        "POST /api/v1/city/cases/{number}/dispatch": {**version, "unit": case.unit.code},
        "POST /api/v1/city/cases/{number}/decide-return": {
            **version,
            "uphold": False,
            "note": "属地",
        },
        "POST /api/v1/city/cases/{number}/decide-postponement": {**version, "approve": True},
        "POST /api/v1/city/cases/{number}/check": {**version, "passed": True},
        "POST /api/v1/city/cases/{number}/merge": {**version, "into": other.number},
        "POST /api/v1/city/cases/{number}/sign": version,
        "POST /api/v1/city/cases/{number}/return": {**version, "reason": "不属本单位"},
        "POST /api/v1/city/cases/{number}/handle": {**version, "reply": "已处置"},
        "POST /api/v1/city/cases/{number}/postpone": {**version, "until": until, "reason": "协调"},
    }


# The API's writes of patrols and activities that take photos: multipart forms.
MULTIPART = {
    "POST /api/v1/city/patrols/{patrol_id}/findings",
    "POST /api/v1/city/patrol-checks/{number}",
    "POST /api/v1/city/activities/{activity_id}/held",
    "POST /api/v1/city/activities/{activity_id}/problems",
}


def _patrol_and_volunteer_bodies(world, side):
    """Bodies of the patrols' and activities' API doors, at ``side``'s place, on the version
    read; a problem found on a patrol comes with its photo."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.citywork.photo_files import phone_photo

    lon, lat = {"A": (120.035, 35.875), "B": (120.228, 36.06)}[side]
    activity = world["activities"][side]
    version = {"version": activity.version}
    problem = {"description": "路边垃圾", "lon": str(lon), "lat": str(lat)}
    starts = (timezone.localtime() + datetime.timedelta(days=7)).replace(tzinfo=None)
    return {
        "POST /api/v1/city/patrols": {"area": side + "新片区"},
        "POST /api/v1/city/patrols/{patrol_id}/findings": {
            **problem,
            "category": "exposed-garbage",
            "photos": SimpleUploadedFile("巡查.jpg", phone_photo(colour=(ord(side), 99, 9))),
        },
        "POST /api/v1/city/patrols/{patrol_id}/end": {"note": "巡查结束"},
        "POST /api/v1/city/patrol-checks/{number}": {
            "passed": "true",
            "version": world["cases"][side].version,
        },
        "POST /api/v1/city/activities": {
            "title": "新志愿活动",
            "kind": "cleanup",
            "starts_at": starts.isoformat(),
            "address": "社区",
            "lon": lon,
            "lat": lat,
            "unit": world["projects"]["A"].lead_unit.code,
            "capacity": 10,
        },
        "PATCH /api/v1/city/activities/{activity_id}": {"title": "改名的活动", **version},
        "POST /api/v1/city/activities/{activity_id}/held": {"participants": "5", **version},
        "POST /api/v1/city/activities/{activity_id}/problems": {**problem, "category": "small-ads"},
        "POST /api/v1/city/activities/{activity_id}/cancel": {"reason": "天气", **version},
    }


# Lists and exports that show every unit's rows to whoever may see them: the leak check
# above must not pass merely because a list came back empty.
SHOWN = {
    "projects:list",
    "projects:export",
    "org:person_list",
    "org:person_export",
    "enterprises:list",
    "enterprises:export",
    "blockers:list",
    "talks:talk_list",
    "GET /api/v1/talks",
    "GET /api/v1/projects",
    "GET /api/v1/people",
    "GET /api/v1/enterprises",
    "GET /api/v1/problems",
    "GET /api/v1/reports",
    "orders:list",
    "GET /api/v1/orders",
    "GET /api/v1/exemptions",
    "GET /api/v1/map/layers/{name}",
    "GET /api/v1/map/layers/{name}/export",
}


# Lists and exports of the weekly work that show every unit's rows to whoever sees them.
WEEKLY_SHOWN = {
    "citywork:renewal_list",
    "citywork:renewal_export",
    "citywork:campaign_list",
    "citywork:place_list",
    "GET /api/v1/renewal-projects",
    "GET /api/v1/renewal-reports",
    "GET /api/v1/city-campaigns",
    "GET /api/v1/city-campaign-reports",
    "GET /api/v1/city-places",
}


def marks_unseen(role, door=""):
    """The strings of the units whose data ``role`` must not find anywhere.

    A referred case shows the inspector its matter and reports (the project), never the
    units' people or enterprises.
    """
    case_marks = ("code", "project") if role == INSPECTOR and door in CASE_DOORS else ()
    return [
        mark
        for side in "AB"
        if side not in SEES.get(role, "")
        for key, mark in MARKS[side].items()
        if key not in case_marks
    ]


def cases_unseen(role):
    """The descriptions of the city cases ``role`` must not find anywhere."""
    return [CASE_MARKS[side] for side in "AB" if side not in CASE_SEES.get(role, "")]


# Lists and exports of city cases that show every case to whoever sees it.
CASES_SHOWN = {"citywork:case_list", "citywork:case_export", "GET /api/v1/city/cases"}


def volunteer_unseen(role):
    """The names and phones of residents who signed up that ``role`` must not find."""
    return [
        mark
        for side in "AB"
        if side not in VOLUNTEER_SEES.get(role, "")
        for mark in VOLUNTEER_MARKS[side]
    ]


def weekly_unseen(role):
    """The names of the weekly work ``role`` must not find anywhere."""
    return [
        mark
        for side in "AB"
        if side not in WEEKLY_SEES.get(role, "")
        for mark in WEEKLY_MARKS[side].values()
    ]


def sides_of(route):
    return "AB" if has_object(route) else "A"


def expected(table, door, role, route):
    row = table[door]
    return row[role].split("/") if has_object(route) else [row[role]]


def agrees(want, got):
    return got == want or (want == "pass" and got in PASSED)


@pytest.fixture(scope="module")
def world_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module and dropped at its end."""
    from django.conf import settings
    from django.db import connection, transaction

    media = tmp_path_factory.mktemp("media")
    old_media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(media)
    old_evidence, settings.EVIDENCE_ROOT = settings.EVIDENCE_ROOT, tmp_path_factory.mktemp("ev")
    old_hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(settings)
            world["clients"] = clients_for(world["users"])
            world["api_doors"] = api_doors(world["clients"][OFFICE])
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.close()
    settings.MEDIA_ROOT = old_media
    settings.EVIDENCE_ROOT = old_evidence
    settings.PASSWORD_HASHERS = old_hashers


@pytest.fixture
def world(world_db, settings):
    # Every role opens the public doors from one address: their rate limits stay out of it.
    for name in ("POSTS_PER_HOUR", "READS_PER_MINUTE", "MISSES_PER_HOUR", "REPORTS_PER_HOUR"):
        setattr(settings, "CITIZEN_" + name, 10_000)
    return world_db


def all_doors(world):
    return {**page_doors(), **world["api_doors"]}


def test_every_door_has_an_access_expectation(world):
    doors = all_doors(world)
    missing = [door for door in doors if door not in READS and door not in WRITES]
    assert not missing, "\n".join(
        "new door without an access expectation: {}".format(door) for door in missing
    )
    stale = [door for door in {**READS, **WRITES} if door not in doors]
    assert not stale, "expectations for doors that no longer exist: {}".format(stale)
    unread = [door for door in doors if not door.startswith(("POST", "PUT", "PATCH", "DELETE"))]
    assert not [door for door in unread if door not in READS], "a page door needs a read row"


def test_every_read_opens_or_refuses_as_the_table_says_and_never_leaks(world):
    failures = []
    doors = {
        door: route
        for door, route in all_doors(world).items()
        if not door.startswith(("POST", "PUT", "PATCH", "DELETE"))
    }
    for door, route in sorted(doors.items()):
        for role in ROLES:
            client = world["clients"][role]
            for side, want in zip(sides_of(route), expected(READS, door, role, route), strict=True):
                url = fill(world, door, route, side)
                response = client.get(url)
                got = outcome(response)
                if not agrees(want, got):
                    failures.append(
                        "{} as {} on {}'s: want {}, got {}".format(door, role, side, want, got)
                    )
                    continue
                if got != "ok":
                    continue
                text = text_of(response)
                leaked = [
                    mark
                    for mark in [
                        *marks_unseen(role, door),
                        *weekly_unseen(role),
                        # Open311 publishes every case of a public category by design
                        # (its description, place and step, never the reporter's
                        # contact), as GeoReport v2 servers do: docs/open311.md.
                        *([] if door.startswith("open311:") else cases_unseen(role)),
                        *volunteer_unseen(role),
                    ]
                    if mark in text
                ]
                if leaked:
                    failures.append("{} as {} ({}) shows {}".format(door, role, url, leaked))
                for seen in SEES.get(role, "") if door in SHOWN else "":
                    if not any(mark in text for mark in MARKS[seen].values()):
                        failures.append("{} as {} lacks unit {}'s rows".format(door, role, seen))
                for seen in CASE_SEES.get(role, "") if door in CASES_SHOWN else "":
                    if CASE_MARKS[seen] not in text and world["cases"][seen].number not in text:
                        failures.append("{} as {} lacks unit {}'s cases".format(door, role, seen))
                for seen in WEEKLY_SEES.get(role, "") if door in WEEKLY_SHOWN else "":
                    # Report lists name their project or campaign by its code.
                    codes = ('"GX-{}"'.format(seen), '"ZZ-{}"'.format(seen))
                    if not any(mark in text for mark in [*WEEKLY_MARKS[seen].values(), *codes]):
                        failures.append("{} as {} lacks unit {}'s rows".format(door, role, seen))
    assert not failures, "\n".join(failures)


def test_every_write_is_refused_as_the_table_says_and_changes_nothing(world):
    from django.db import transaction

    failures = []
    doors = {door: route for door, route in all_doors(world).items() if door in WRITES}
    for door, route in sorted(doors.items()):
        method = (
            door.split(" ")[0] if door.startswith(("POST", "PUT", "PATCH", "DELETE")) else "POST"
        )
        for role in ROLES:
            client = world["clients"][role]
            for side, want in zip(
                sides_of(route), expected(WRITES, door, role, route), strict=True
            ):
                url = fill(world, door, route, side)
                with transaction.atomic():
                    before = fingerprint()
                    if route.startswith("/api/"):
                        data, content_type = api_body(world, door, side)
                        call = getattr(client, method.lower())
                        if content_type:
                            response = call(url, data, content_type=content_type)
                        elif data:
                            response = call(url, data)
                        else:
                            response = call(url + "?reason=" + "重新需要")
                    else:
                        response = client.post(url, page_body(door))
                    got = outcome(response)
                    after = fingerprint()
                    transaction.set_rollback(True)
                if not agrees(want, got):
                    failures.append(
                        "{} as {} on {}'s: want {}, got {} {}".format(
                            door, role, side, want, got, response.content.decode()[:120]
                        )
                    )
                elif want in ("no", "login") and before != after:
                    failures.append(
                        "{} as {} on {}'s was refused but changed data".format(door, role, side)
                    )
    assert not failures, "\n".join(failures)
