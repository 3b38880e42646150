"""Supervision orders for the demo: one of every colour in every state, proposals waiting and
decided, and one exemption.

Made through the actions, as the people would: the office issues and decides, the
units' reporters sign for and answer (the platform itself where a unit has no demo
reporter), the projects task force verifies. Deterministic for a seed. Orders are about
the major projects of the two units with demo reporters first, so ``reporter_fgj`` and
``reporter_hdjd`` find orders to sign for and answer.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanguard.org.access import SYSTEM
from vanguard.org.models import RoleAssignment
from vanguard.supervision.models import LightState, Proposal
from vanguard.supervision.models.orders import OrderColour, OrderState
from vanguard.supervision.orders.actions import (
    do_answer_order,
    do_close_order,
    do_grant_exemption,
    do_issue_order,
    do_return_order,
    do_sign_order,
)
from vanguard.supervision.orders.ladder import run_ladder
from vanguard.supervision.orders.proposals import (
    do_confirm_proposal,
    do_dismiss_proposal,
    do_propose,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROBLEMS = {
    OrderColour.BLUE: "关键节点临近计划时间，前期手续尚未办结。",
    OrderColour.YELLOW: "项目进度落后序时进度，投资完成不及预期。",
    OrderColour.RED: "项目已超过计划开工时间仍未开工。",
}
REQUIREMENTS = "查明原因，明确整改措施、责任人和完成时限，按期书面反馈。"
ANSWERS = [
    "已召开专题会议研究，明确分管领导牵头，倒排工期，本月底前完成施工许可办理。",
    "已协调供电、用地等要素保障，项目已进场施工，附现场照片和会议纪要。",
    "已与企业对接，调整投资计划，下旬完成设备采购合同签订。",
]


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _users():
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["office", "tf_projects"])
    }
    reporters = {}
    for unit_id, user in RoleAssignment.objects.filter(
        role="unit_reporter", unit__isnull=False
    ).values_list("unit_id", "person__user"):
        reporters.setdefault(unit_id, user)
    by_id = get_user_model().objects.in_bulk(set(reporters.values()))
    return (
        users.get("office", SYSTEM),
        users.get("tf_projects", SYSTEM),
        {unit_id: by_id[user_id] for unit_id, user_id in reporters.items()},
    )


def _subjects(campaign):
    """(kind, id, unit) to supervise: the demo reporters' units' projects or open problems in
    turn, then the other projects, red first."""
    from vanguard.blockers.models import Blocker
    from vanguard.demo.org import ACCOUNT_SPECS
    from vanguard.org.models import Unit

    codes = [spec[5] for spec in ACCOUNT_SPECS if spec[5]]
    reported = sorted(Unit.objects.filter(code__in=codes).values_list("pk", flat=True))
    rank = {"red": 0, "yellow": 1, "green": 2, "grey": 3}
    projects = sorted(
        LightState.objects.filter(
            campaign=campaign, kind="project", unit__isnull=False
        ).values_list("object_id", "unit_id", "light"),
        key=lambda r: (rank.get(r[2], 4), r[0]),
    )
    problems = Blocker.objects.filter(campaign=campaign, unit_id__in=reported, state="open")
    per_unit = {unit: [] for unit in reported}
    for object_id, unit_id, _light in projects:
        if unit_id in per_unit:
            per_unit[unit_id].append(("project", object_id, unit_id))
    for object_id, unit_id in problems.order_by("pk").values_list("pk", "unit_id"):
        per_unit[unit_id].append(("blocker", object_id, unit_id))
    ours = []
    while any(per_unit.values()):
        for unit in reported:
            if per_unit[unit]:
                ours.append(per_unit[unit].pop(0))
    taken = set(ours[:9])
    others = [("project", o, u) for o, u, _light in projects if ("project", o, u) not in taken]
    return ours[:9] + others


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def generate(rng, scale, campaign, today):
    """Orders of every colour in every state, proposals, one exemption; returns the orders."""
    office, task_force, reporters = _users()
    subjects = _subjects(campaign)
    if not subjects:
        return []
    # The ladder's own proposals as of today, before the orders it would raise a colour of.
    run_ladder(campaign, today=today)
    orders = []
    pairs = [(colour, state) for state in OrderState for colour in OrderColour]
    for n, (colour, state) in enumerate(pairs):
        kind, object_id, unit_id = subjects[n % len(subjects)]
        unit_reporter = reporters.get(unit_id, SYSTEM)
        issued_on = today - datetime.timedelta(days=rng.randint(3, 30))
        order = do_issue_order(
            campaign,
            subject_kind=kind,
            object_id=object_id,
            problem=PROBLEMS[colour],
            requirement=REQUIREMENTS,
            colour=colour,
            actor=office,
            now=_at(issued_on, 9),
        )
        if state != OrderState.ISSUED:
            do_sign_order(order, actor=unit_reporter, now=_at(issued_on, 15))
        if state in (OrderState.ANSWERED, OrderState.RETURNED, OrderState.CLOSED):
            answered_on = min(issued_on + datetime.timedelta(days=2), today)
            do_answer_order(
                order,
                text=rng.choice(ANSWERS),
                files=[_pdf("整改情况报告.pdf")],
                actor=unit_reporter,
                now=_at(answered_on, 10),
            )
            if state == OrderState.RETURNED:
                do_return_order(
                    order,
                    reason="整改措施不具体，缺少时间节点，请补充后重新反馈。",
                    actor=task_force,
                    now=_at(answered_on, 16),
                )
            elif state == OrderState.CLOSED:
                do_close_order(
                    order,
                    note="经核验，整改到位，同意销号。",
                    actor=office,
                    now=_at(answered_on, 17),
                )
        orders.append(order)

    # Three of the office's own proposals: one confirmed, one dismissed, one waiting.
    extra = subjects[len(pairs) : len(pairs) + 3]
    made = [
        do_propose(
            campaign,
            kind="order",
            subject_kind=kind,
            object_id=object_id,
            colour=OrderColour.YELLOW,
            actor=office,
        )
        for kind, object_id, _unit in extra
        if not Proposal.objects.filter(
            campaign=campaign,
            kind="order",
            subject_kind=kind,
            object_id=object_id,
            state="proposed",
        ).exists()
    ]
    if len(made) >= 2:
        do_confirm_proposal(made[0], reason="经核实，项目确实滞后，同意督办。", actor=office)
        do_dismiss_proposal(made[1], reason="项目已于近日取得施工许可，暂不督办。", actor=office)

    kind, object_id, _unit = subjects[-1]
    do_grant_exemption(
        campaign,
        subject_kind=kind,
        object_id=object_id,
        ground="force_majeure",
        explanation="受台风影响，施工现场停工，经区应急管理局认定属不可抗力。",
        evidence=_pdf("停工情况说明.pdf"),
        valid_from=today - datetime.timedelta(days=5),
        valid_until=today + datetime.timedelta(days=25),
        actor=office,
    )
    return orders
