"""The ladder: it proposes orders and talks from the lights and the orders, raises the colour
of unanswered orders after the grace period, and leaves exempt matters alone."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.orders.conftest import pdf
from vanguard.audit.models import ChangeEntry
from vanguard.org.access import SYSTEM
from vanguard.projects.models import Project
from vanguard.supervision.models import LightState, OrderStep, Proposal, SupervisionOrder
from vanguard.supervision.orders import proposals as proposals_module
from vanguard.supervision.orders.actions import (
    do_grant_exemption,
    do_issue_order,
    do_set_ladder_rules,
)
from vanguard.supervision.orders.ladder import escalation_cutoff, red_cutoff, run_ladder

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def red_since(campaign, code, since):
    project = Project.objects.get(code=code)
    LightState.objects.filter(campaign=campaign, kind="project", object_id=project.pk).update(
        light="red", since_date=since
    )
    return project


def test_red_two_months_running_is_proposed_once(lit):
    red_since(lit, "XHA-0001", datetime.date(2026, 5, 1))
    red_since(lit, "XHA-0002", datetime.date(2026, 6, 2))  # red this month only
    result = run_ladder(lit, today=TODAY)
    assert result.proposed == {"order": 1}
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.colour, proposal.rule) == ("order", "red", "red_running")
    assert proposal.facts["label"] == "XHA-0001" and proposal.facts["since"] == "2026-05-01"
    assert proposal.rules_version == 0
    assert run_ladder(lit, today=TODAY).total_proposed == 0
    assert Proposal.objects.count() == 1


def test_confirming_an_order_proposal_issues_the_order_with_its_version(lit, api, office_clerk):
    do_set_ladder_rules(lit, "propose_order: {red_periods_running: 1}\n", actor=SYSTEM)
    red_since(lit, "XHA-0001", datetime.date(2026, 6, 1))
    run_ladder(lit, today=TODAY)
    proposal = Proposal.objects.get()
    assert proposal.rules_version == 1
    office = api(office_clerk)
    url = "/api/v1/proposals/{}/confirm".format(proposal.pk)
    blank = office.post(url, {"reason": " "}, content_type="application/json")
    assert blank.status_code == 422 and not SupervisionOrder.objects.exists()
    done = office.post(url, {"reason": "情况属实"}, content_type="application/json")
    assert done.status_code == 200, done.content.decode()
    order = SupervisionOrder.objects.get()
    assert done.json()["order"] == order.pk and done.json()["decided_by"] == "office"
    assert (order.colour, order.rules_version, order.proposal_id) == ("red", 1, proposal.pk)
    again = office.post(url, {"reason": "再次确认"}, content_type="application/json")
    assert again.status_code == 422
    assert SupervisionOrder.objects.count() == 1


def test_a_dismissed_proposal_is_not_proposed_again_for_the_same_red_spell(lit, api, office_clerk):
    red_since(lit, "XHA-0001", datetime.date(2026, 4, 1))
    run_ladder(lit, today=TODAY)
    proposal = Proposal.objects.get()
    dismissed = api(office_clerk).post(
        "/api/v1/proposals/{}/dismiss".format(proposal.pk),
        {"reason": "已另行督促"},
        content_type="application/json",
    )
    assert dismissed.json()["state"] == "dismissed"
    assert run_ladder(lit, today=TODAY).total_proposed == 0


def test_only_the_office_decides(lit, api, leader, projects_member, fgj_reporter):
    red_since(lit, "XHA-0001", datetime.date(2026, 4, 1))
    run_ladder(lit, today=TODAY)
    proposal = Proposal.objects.get()
    url = "/api/v1/proposals/{}/confirm".format(proposal.pk)
    for user in (leader, projects_member):
        assert (
            api(user).post(url, {"reason": "x"}, content_type="application/json").status_code == 403
        )
    assert api(leader).get("/api/v1/proposals").json()["count"] == 1
    assert api(fgj_reporter).get("/api/v1/proposals").status_code == 403


def test_an_unanswered_order_rises_a_colour_after_the_grace_period(lit, office_clerk):
    issued = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
    fgj = Project.objects.get(code="XHA-0001")
    order = do_issue_order(
        lit,
        subject_kind="project",
        object_id=fgj.pk,
        problem="滞后",
        requirement="整改",
        colour="blue",
        answer_working_days=5,
        actor=office_clerk,
        now=issued,
    )
    assert order.due_date == datetime.date(2026, 6, 8)
    assert run_ladder(lit, today=datetime.date(2026, 6, 10)).escalated == 0
    assert run_ladder(lit, today=datetime.date(2026, 6, 11)).escalated == 1  # 3 working days
    order.refresh_from_db()
    assert order.colour == "yellow"
    step = OrderStep.objects.get(order=order, kind="escalated")
    assert (step.from_colour, step.to_colour, step.rules_version) == ("blue", "yellow", 0)
    assert run_ladder(lit, today=datetime.date(2026, 6, 12)).escalated == 0
    assert run_ladder(lit, today=datetime.date(2026, 6, 16)).escalated == 1
    order.refresh_from_db()
    assert order.colour == "red"
    assert run_ladder(lit, today=datetime.date(2026, 7, 30)).escalated == 0


def test_an_exemption_suspends_the_ladder_for_its_matter(lit, office_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = red_since(lit, "XHA-0001", datetime.date(2026, 4, 1))
    issued = timezone.make_aware(datetime.datetime(2026, 6, 1, 9))
    order = do_issue_order(
        lit,
        subject_kind="project",
        object_id=project.pk,
        problem="滞后",
        requirement="整改",
        colour="blue",
        answer_working_days=5,
        actor=office_clerk,
        now=issued,
    )
    do_grant_exemption(
        lit,
        subject_kind="project",
        object_id=project.pk,
        ground="force_majeure",
        explanation="台风停工",
        evidence=pdf("停工通知.pdf"),
        valid_from=datetime.date(2026, 6, 1),
        valid_until=datetime.date(2026, 6, 30),
        actor=office_clerk,
    )
    result = run_ladder(lit, today=datetime.date(2026, 6, 20))
    assert (result.total_proposed, result.escalated) == (0, 0)
    result = run_ladder(lit, today=datetime.date(2026, 7, 6))
    assert result.escalated == 1
    order.refresh_from_db()
    assert order.colour == "yellow"


def test_three_red_orders_in_a_quarter_propose_a_talk_with_the_unit(lit, office_clerk):
    fgj = Project.objects.get(code="XHA-0001")
    for day in (2, 3, 4):
        do_issue_order(
            lit,
            subject_kind="project",
            object_id=fgj.pk,
            problem="滞后",
            requirement="整改",
            colour="red",
            actor=office_clerk,
            now=timezone.make_aware(datetime.datetime(2026, 4, day, 9)),
        )
    result = run_ladder(lit, today=datetime.date(2026, 4, 5))
    talk = Proposal.objects.get(kind="talk", rule="red_orders")
    assert (talk.subject_kind, talk.object_id) == ("unit", fgj.lead_unit_id)
    assert talk.facts["red_orders"] == 3 and len(talk.facts["orders"]) == 3
    assert result.proposed["talk"] >= 1


def test_still_red_after_the_deadline_proposes_a_talk_and_confirming_calls_the_outcome(
    lit, office_clerk, monkeypatch
):
    project = red_since(lit, "XHA-0001", datetime.date(2026, 6, 1))
    do_issue_order(
        lit,
        subject_kind="project",
        object_id=project.pk,
        problem="滞后",
        requirement="整改",
        colour="yellow",
        answer_working_days=2,
        actor=office_clerk,
        now=timezone.make_aware(datetime.datetime(2026, 6, 1, 9)),
    )
    run_ladder(lit, today=datetime.date(2026, 6, 5))
    talk = Proposal.objects.get(kind="talk", rule="still_red")
    assert talk.facts["order"].startswith("督办")
    called = []
    monkeypatch.setattr(proposals_module, "OUTCOMES", {})
    proposals_module.register_outcome(
        "talk", lambda p, *, actor, **d: called.append(p.pk) or "talk"
    )
    proposal, outcome = proposals_module.do_confirm_proposal(
        talk, reason="约谈", actor=office_clerk
    )
    assert called == [talk.pk] and outcome == "talk" and proposal.state == "confirmed"


def test_the_command_runs_the_ladder(lit):
    red_since(lit, "XHA-0001", datetime.date(2026, 1, 1))
    out = io.StringIO()
    call_command("ladder", "run", "--campaign", lit.code, "--date", "2026-06-15", stdout=out)
    assert Proposal.objects.count() == 1
    assert "1" in out.getvalue() and lit.code in out.getvalue()
    assert ChangeEntry.objects.filter(object_repr__startswith="order project").count() == 1


def test_cutoffs():
    assert red_cutoff(TODAY, 2, "month") == datetime.date(2026, 5, 1)
    assert red_cutoff(TODAY, 1, "dekad") == datetime.date(2026, 6, 11)
    # Monday 15 June 2026: a clock started on Wednesday 10 June has run 11, 12 and 15 June.
    assert escalation_cutoff(TODAY, 3) == datetime.date(2026, 6, 10)
