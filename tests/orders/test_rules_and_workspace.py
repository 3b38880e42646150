"""The ladder's rules as versioned data (command, page, API), exemptions, the workspace for each
role, and the month's facts the bulletin reads."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.orders.conftest import issue, pdf
from vanguard.audit.models import ChangeEntry
from vanguard.org.access import SYSTEM
from vanguard.projects.models import Project
from vanguard.supervision.models import Exemption, LadderRules
from vanguard.supervision.orders.actions import (
    do_answer_order,
    do_issue_order,
    do_return_order,
    do_sign_order,
)
from vanguard.supervision.orders.facts import order_facts
from vanguard.supervision.orders.rules import RuleFileError, parse_rules

pytestmark = pytest.mark.django_db


def test_a_rule_file_names_each_problem_with_its_line():
    with pytest.raises(RuleFileError) as error:
        parse_rules(
            "grace_working_days: 3\npropose_talk:\n  red_orders: 3\nanswer_working_days:\n  red: soon\n"
        )
    problems = error.value.problems
    assert problems[0].startswith("第 3 行，propose_talk.red_orders：未知条目")
    assert problems[1].startswith("第 5 行，answer_working_days.red：应为1 至 120 之间的整数")
    with pytest.raises(RuleFileError):
        parse_rules("grace_working_days: true\n")
    with pytest.raises(RuleFileError):
        parse_rules("[1, 2]")
    assert parse_rules("")["grace_working_days"] == 3


def test_the_command_loads_versions_and_keeps_the_old_ones(lit, tmp_path):
    path = tmp_path / "ladder.yaml"
    path.write_text("grace_working_days: 5\n", encoding="utf-8")
    out = io.StringIO()
    call_command("ladder", "rules", "--campaign", lit.code, "--file", str(path), stdout=out)
    path.write_text(
        '{"grace_working_days": 2, "propose_order": {"period": "dekad"}}', encoding="utf-8"
    )
    call_command("ladder", "rules", "--campaign", lit.code, "--file", str(path), stdout=out)
    assert list(LadderRules.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    assert LadderRules.objects.get(version=1).rules["grace_working_days"] == 5
    path.write_text("grace_working_day: 2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行，grace_working_day：未知条目"):
        call_command("ladder", "rules", "--campaign", lit.code, "--file", str(path), stdout=out)
    assert LadderRules.objects.count() == 2


def test_the_office_edits_the_rules_on_their_page_and_others_read_them(
    lit, login, office_clerk, leader, api, fgj_reporter
):
    office = login(office_clerk)
    bad = office.post("/supervision/ladder/", {"text": "grace_working_days: -1\n", "note": "试"})
    assert bad.status_code == 400 and "第 1 行" in bad.content.decode()
    assert not LadderRules.objects.exists()
    good = office.post("/supervision/ladder/", {"text": "grace_working_days: 4\n", "note": "放宽"})
    assert good.status_code == 302
    assert api(leader).get("/api/v1/ladder-rules").json()["version"] == 1
    assert api(leader).get("/api/v1/ladder-rules").json()["rules"]["grace_working_days"] == 4
    assert api(fgj_reporter).get("/api/v1/ladder-rules").status_code == 403
    office.post("/logout/")
    assert (
        login(leader).post("/supervision/ladder/", {"text": "grace_working_days: 9\n"}).status_code
        == 403
    )


def test_an_exemption_needs_its_evidence_and_is_granted_by_the_office(
    lit, api, login, office_clerk, projects_member, fgj_reporter, hdjd_reporter, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    body = {
        "subject_kind": "project",
        "subject": "XHA-0001",
        "ground": "force_majeure",
        "explanation": "台风导致停工",
        "valid_from": "2026-06-01",
        "valid_until": "2026-06-30",
    }
    assert (
        api(projects_member).post("/api/v1/exemptions", {**body, "evidence": pdf()}).status_code
        == 403
    )
    backwards = api(office_clerk).post(
        "/api/v1/exemptions", {**body, "valid_until": "2026-05-01", "evidence": pdf()}
    )
    assert backwards.status_code == 422 and "valid_until" in backwards.json()["fields"]
    granted = api(office_clerk).post("/api/v1/exemptions", {**body, "evidence": pdf("停工令.pdf")})
    assert granted.status_code == 201, granted.content.decode()
    exemption = Exemption.objects.get()
    assert exemption.subject_label == "XHA-0001" and len(exemption.evidence_sha256) == 64
    assert api(fgj_reporter).get("/api/v1/exemptions").json()["count"] == 1
    assert api(hdjd_reporter).get("/api/v1/exemptions").json()["count"] == 0
    assert login(fgj_reporter).get(granted.json()["evidence"]).status_code == 200
    login(fgj_reporter).post("/logout/")
    assert login(hdjd_reporter).get(granted.json()["evidence"]).status_code == 404


def test_every_page_opens_for_the_roles_that_see_it(
    lit,
    login,
    office_clerk,
    leader,
    projects_member,
    fgj_reporter,
    inspector,
    api,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    order = issue(api(office_clerk), colour="red")
    pages = {
        "/supervision/": {
            office_clerk: 200,
            leader: 200,
            projects_member: 200,
            fgj_reporter: 403,
            inspector: 403,
        },
        "/supervision/orders/": {office_clerk: 200, leader: 200, fgj_reporter: 200, inspector: 403},
        "/supervision/orders/?unit=fgj&colour=red&state=issued&due=soon": {
            office_clerk: 200,
            fgj_reporter: 200,
        },
        "/supervision/orders/{}/".format(order["id"]): {
            office_clerk: 200,
            fgj_reporter: 200,
            inspector: 404,
        },
        "/supervision/proposals/": {office_clerk: 200, leader: 200, fgj_reporter: 403},
        "/supervision/exemptions/": {office_clerk: 200, fgj_reporter: 200, inspector: 403},
        "/supervision/ladder/": {office_clerk: 200, projects_member: 200, fgj_reporter: 403},
        "/supervision/orders/new/": {office_clerk: 200, leader: 403, fgj_reporter: 403},
    }
    for user in (office_clerk, leader, projects_member, fgj_reporter, inspector):
        client = login(user)
        for path, expected in pages.items():
            if user in expected:
                assert client.get(path).status_code == expected[user], (path, user.username)
        client.post("/logout/")
    office = login(office_clerk)
    text = office.get("/supervision/").content.decode()
    assert 'data-open="red">1<' in text and "数据截至" in text
    assert order["number"] in office.get("/supervision/orders/?due=").content.decode()


def test_order_facts_count_a_month_per_unit(lit, office_clerk, fgj_reporter, projects_member):
    fgj = Project.objects.get(code="XHA-0001")
    hdjd = Project.objects.get(code="XHA-0002")

    def at(day):
        return timezone.make_aware(datetime.datetime(2026, 5, day, 10))

    answered = do_issue_order(
        lit,
        subject_kind="project",
        object_id=fgj.pk,
        problem="p",
        requirement="r",
        colour="red",
        answer_working_days=3,
        actor=office_clerk,
        now=at(4),
    )
    do_sign_order(answered, actor=fgj_reporter, now=at(5))
    do_answer_order(answered, text="答复", actor=fgj_reporter, now=at(6))
    do_return_order(answered, reason="不全", actor=projects_member, now=at(7))
    do_issue_order(
        lit,
        subject_kind="project",
        object_id=fgj.pk,
        problem="p",
        requirement="r",
        colour="yellow",
        answer_working_days=3,
        actor=office_clerk,
        now=at(11),
    )
    do_issue_order(
        lit,
        subject_kind="project",
        object_id=hdjd.pk,
        problem="p",
        requirement="r",
        colour="blue",
        answer_working_days=3,
        actor=office_clerk,
        now=at(29),
    )
    facts = order_facts(lit, datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    assert facts[fgj.lead_unit_id] == {
        "orders_issued": 2,
        "orders_unanswered": 1,
        "orders_returned": 1,
        "red_orders": 1,
    }
    # Due in June: not yet unanswered in May.
    assert facts[hdjd.lead_unit_id] == {
        "orders_issued": 1,
        "orders_unanswered": 0,
        "orders_returned": 0,
        "red_orders": 0,
    }
    assert order_facts(lit, datetime.date(2026, 4, 1), datetime.date(2026, 4, 30)) == {}


def test_numbers_stay_unique_and_each_issue_is_logged(lit, office_clerk):
    project = Project.objects.get(code="XHA-0001")
    numbers = [
        do_issue_order(
            lit,
            subject_kind="project",
            object_id=project.pk,
            problem="p",
            requirement="r",
            colour="blue",
            actor=SYSTEM,
        ).number
        for _ in range(3)
    ]
    assert len(set(numbers)) == 3
    assert ChangeEntry.objects.filter(object_repr__in=numbers).count() == 3
