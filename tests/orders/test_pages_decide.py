"""The office decides proposals, grants exemptions and runs the ladder from its pages."""

import datetime

import pytest

from tests.orders.conftest import pdf
from vanguard.audit.models import ChangeEntry
from vanguard.org.access import SYSTEM
from vanguard.projects.models import Project
from vanguard.supervision.models import Exemption, Proposal, SupervisionOrder
from vanguard.supervision.orders.proposals import do_propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(lit):
    made = []
    for code in ("XHA-0001", "XHA-0002"):
        project = Project.objects.get(code=code)
        made.append(
            do_propose(
                lit,
                kind="order",
                subject_kind="project",
                object_id=project.pk,
                colour="yellow",
                actor=SYSTEM,
            )
        )
    return made


def test_the_office_confirms_with_a_reason_and_the_order_is_issued(proposals, login, office_clerk):
    office = login(office_clerk)
    page = office.get("/supervision/").content.decode()
    assert "XHA-0001" in page and "XHA-0002" in page
    first, second = proposals
    response = office.post(
        "/supervision/proposals/{}/confirm/".format(first.pk),
        {"reason": "滞后属实", "requirement": "十个工作日内完成整改"},
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    assert order.requirement == "十个工作日内完成整改" and order.colour == "yellow"
    assert order.proposal_id == first.pk
    before = ChangeEntry.objects.count()
    refused = office.post(
        "/supervision/proposals/{}/dismiss/".format(second.pk), {"reason": ""}, follow=True
    )
    assert "请填写决定理由" in refused.content.decode()
    assert Proposal.objects.get(pk=second.pk).state == "proposed"
    assert ChangeEntry.objects.count() == before
    office.post("/supervision/proposals/{}/dismiss/".format(second.pk), {"reason": "已开工"})
    assert Proposal.objects.get(pk=second.pk).state == "dismissed"
    listed = office.get("/supervision/proposals/?state=dismissed").content.decode()
    assert "已开工" in listed


def test_a_task_force_member_sees_proposals_but_may_not_decide(proposals, login, projects_member):
    member = login(projects_member)
    assert "XHA-0001" in member.get("/supervision/proposals/").content.decode()
    assert (
        member.post(
            "/supervision/proposals/{}/confirm/".format(proposals[0].pk), {"reason": "x"}
        ).status_code
        == 403
    )
    assert not SupervisionOrder.objects.exists()


def test_the_office_grants_an_exemption_on_its_page(lit, login, office_clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = login(office_clerk)
    body = {
        "subject_kind": "project",
        "subject": "XHA-0002",
        "ground": "policy",
        "explanation": "规划调整",
        "valid_from": "2026-07-01",
        "valid_until": "2026-06-01",
        "evidence": pdf("规划调整通知.pdf"),
    }
    refused = office.post("/supervision/exemptions/", body)
    assert refused.status_code == 400 and "截止日期不能早于起始日期" in refused.content.decode()
    assert not Exemption.objects.exists()
    body.update(valid_until="2026-09-30", evidence=pdf("规划调整通知.pdf"))
    assert office.post("/supervision/exemptions/", body).status_code == 302
    exemption = Exemption.objects.get()
    assert exemption.valid_until == datetime.date(2026, 9, 30)
    assert "规划调整通知.pdf" in office.get("/supervision/exemptions/").content.decode()


def test_the_office_runs_the_ladder_from_the_workspace(lit, login, office_clerk):
    from vanguard.supervision.models import LightState

    project = Project.objects.get(code="XHA-0001")
    LightState.objects.filter(campaign=lit, kind="project", object_id=project.pk).update(
        light="red", since_date=datetime.date(2026, 1, 20)
    )
    response = login(office_clerk).post("/supervision/ladder/run/", follow=True)
    assert "督办阶梯已运行" in response.content.decode()
    assert Proposal.objects.filter(object_id=project.pk, kind="order").exists()
