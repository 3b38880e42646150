"""A lagging project followed from its red light to the commission's decision, through the
API the way the office, the unit, the task force, the leader and the inspector use it:
the ladder proposes an order, the office confirms it, the unit signs and answers with
evidence, the task force sends the answer back, the deadline passes, the ladder
proposes a talk, the leader approves it, the office holds and follows it up, the matter
is still red, the case is referred, and the inspector downloads a case file that holds
every step and that ``vanguard audit verify-bundle`` proves against the change log.
"""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from tests.orders.conftest import api, fgj_project, hdjd_project, lit, pdf, plan, projects_member
from vanguard.audit.models import ChangeEntry
from vanguard.org.models import Person
from vanguard.projects.models import Project
from vanguard.supervision.models import (
    LightState,
    Proposal,
    Referral,
    SupervisionOrder,
    Talk,
)
from vanguard.supervision.orders.ladder import run_ladder

pytestmark = pytest.mark.django_db

# The orders' fixtures: a campaign with a project of each reporting unit, lit; API clients.
__all__ = ["api", "fgj_project", "hdjd_project", "lit", "plan", "projects_member"]


def _json(client, method, url, body=None):
    response = getattr(client, method)(url, body or {}, content_type="application/json")
    assert response.status_code in (200, 201), (url, response.content.decode()[:1000])
    return response.json()


def _logged(model, pk):
    """The change-log actions about one object, oldest first."""
    content_type = ContentType.objects.get_for_model(model)
    return list(
        ChangeEntry.objects.filter(content_type=content_type, object_id=str(pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_red_project_goes_from_its_light_to_the_commissions_decision(
    lit,
    api,
    office_clerk,
    projects_member,
    fgj_reporter,
    leader,
    inspector,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    project = Project.objects.get(code="XHA-0001")
    # Red for two months: the light the recompute would give a project that lags.
    LightState.objects.filter(campaign=lit, kind="project", object_id=project.pk).update(
        light="red", since_date=today - datetime.timedelta(days=70)
    )
    office, unit, task_force = api(office_clerk), api(fgj_reporter), api(projects_member)
    boss, commission = api(leader), api(inspector)

    # 1. The ladder proposes a red order; the office confirms it with a reason.
    assert run_ladder(lit, today=today).proposed == {"order": 1}
    [proposal] = _json(office, "get", "/api/v1/proposals?state=proposed")["items"]
    decided = _json(
        office, "post", "/api/v1/proposals/{}/confirm".format(proposal["id"]), {"reason": "属实"}
    )
    order = SupervisionOrder.objects.get(pk=decided["order"])
    assert order.colour == "red" and order.unit.code == "fgj"

    # 2. The unit signs for it and answers with evidence; the task force sends it back.
    url = "/api/v1/orders/{}".format(order.pk)
    assert unit.post(url + "/sign").json()["state"] == "signed"
    answered = unit.post(url + "/answer", {"text": "已协调用地指标", "files": [pdf()]})
    assert answered.json()["state"] == "answered", answered.content.decode()
    returned = _json(task_force, "post", url + "/return", {"reason": "证明材料不全"})
    assert returned["state"] == "returned"

    # 3. The deadline passes unanswered and the matter is still red: a talk is proposed.
    order.refresh_from_db()
    later = order.due_date + datetime.timedelta(days=10)
    assert run_ladder(lit, today=later).proposed.get("talk") == 1
    talk_proposal = Proposal.objects.get(kind="talk", state="proposed")
    assert talk_proposal.facts["order"] == order.number
    _json(
        office,
        "post",
        "/api/v1/proposals/{}/confirm".format(talk_proposal.pk),
        {"reason": "督办逾期仍未整改"},
    )
    talk = Talk.objects.get(proposal_id=talk_proposal.pk)

    # 4. A leader approves; the office notifies, holds and records the talk.
    talk_url = "/api/v1/talks/{}".format(talk.pk)
    _json(boss, "post", talk_url + "/approve")
    held = today - datetime.timedelta(days=20)
    _json(
        office,
        "post",
        talk_url + "/notify",
        {"scheduled_on": held.isoformat(), "place": "区政府第一会议室"},
    )
    recorded = _json(
        office,
        "post",
        talk_url + "/record",
        {
            "held_on": held.isoformat(),
            "interviewers": [Person.objects.get(user=leader).pk],
            "interviewees": [Person.objects.get(user=fgj_reporter).pk],
            "facts": "督办单逾期未办结",
            "statement": "土地指标需市里调剂，非主观原因",
            "requirements": "十五日内完成签约",
            "pledge": "保证按期完成",
        },
    )
    assert recorded["pledge_due"] == (held + datetime.timedelta(days=15)).isoformat()

    # 5. After the pledge deadline the matter is still red: the office refers the case.
    followed = _json(office, "post", talk_url + "/follow-up")
    assert followed["outcome"] == "still_red", followed
    case = _json(office, "post", "/api/v1/referrals", {"talk": talk.pk, "reason": "约谈后仍滞后"})

    # 6. The inspector reads the case file: every order step and answer, the talk and
    #    its defence, the lights; the ZIP verifies against the change log.
    zipped = commission.get("/api/v1/referrals/{}/case-file".format(case["id"]))
    assert zipped.status_code == 200
    path = tmp_path / "case.zip"
    path.write_bytes(zipped.content)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        orders = json.loads(archive.read("data/orders.json"))
        talk_data = json.loads(archive.read("data/talk.json"))
    steps = [row["step"] for row in orders["rows"]]
    assert steps == ["已交办", "已签收", "已反馈", "已退回"], steps
    assert any(name.startswith("documents/" + order.number) for name in names)
    assert "非主观原因" in talk_data["rows"][0]["statement"]
    out = io.StringIO()
    call_command("audit", "verify-bundle", str(path), stdout=out)
    assert "bundle complete and unaltered" in out.getvalue()

    # 7. The commission decides; the case closes.
    decision = _json(
        commission,
        "post",
        "/api/v1/referrals/{}/decide".format(case["id"]),
        {"measures": ["admonish"], "decided_on": today.isoformat(), "decision": "诫勉谈话"},
    )
    assert decision["state"] == "decided"

    # The change log proves each step.
    assert _logged(Proposal, proposal["id"]) == ["create", "update"]
    assert len(_logged(SupervisionOrder, order.pk)) >= 4  # issued, signed, answered, returned
    assert len(_logged(Talk, talk.pk)) >= 5  # proposed, approved, notified, held, followed up
    assert len(_logged(Referral, case["id"])) >= 2  # referred, decided
