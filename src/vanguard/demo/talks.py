"""Talks (约谈) and referrals (问责移交) for the demo, through the supervision actions so
every step is in the change log and the case files verify.

Three matters, from the lights the demo has just computed: a project no longer red,
whose talk is followed by improvement and closes; a red project whose talk is followed
by a referral still waiting for the commission; and an earlier red project whose
referral the commission has decided (通报 and 诫勉), so the inspector's workspace shows
an open and a closed case.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanguard.org.access import SYSTEM
from vanguard.org.models import Person
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Project
from vanguard.supervision.choices import Light
from vanguard.supervision.models import LightState
from vanguard.supervision.talks.actions import (
    do_approve_talk,
    do_decide_referral,
    do_follow_up_talk,
    do_notify_talk,
    do_propose_talk,
    do_record_talk,
    do_refer_case,
)

PLACE = "区政府第三会议室"


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _matters(campaign, light, count, exclude_units=()):
    """Projects with ``light`` whose lead unit has people, one per unit."""
    states = (
        LightState.objects.filter(campaign=campaign, kind=SubjectKind.PROJECT, light=light)
        .exclude(unit__isnull=True)
        .exclude(unit__in=exclude_units)
        .order_by("object_id")
    )
    found, units = [], set(exclude_units)
    for state in states.iterator():
        if state.unit_id in units or not Person.objects.filter(unit_id=state.unit_id).exists():
            continue
        found.append(state)
        units.add(state.unit_id)
        if len(found) == count:
            break
    return found


def _talk(campaign, state, leader, *, start, talk_type, reason, follow_up_on):
    """A talk about ``state``'s project from proposal to follow-up, dated from ``start``."""
    project = Project.objects.get(pk=state.object_id)
    talk = do_propose_talk(
        campaign,
        kind=SubjectKind.PROJECT,
        object_id=project.pk,
        unit=state.unit_id,
        talk_type=talk_type,
        reason=reason,
        subject_label="重大项目 {} {}".format(project.code, project.name),
        actor=SYSTEM,
        at=_moment(start),
    )
    do_approve_talk(talk, actor=leader or SYSTEM, at=_moment(start + datetime.timedelta(days=1)))
    held = start + datetime.timedelta(days=5)
    do_notify_talk(
        talk,
        scheduled_on=held,
        place=PLACE,
        actor=SYSTEM,
        at=_moment(start + datetime.timedelta(days=2)),
    )
    interviewees = list(Person.objects.filter(unit_id=state.unit_id).order_by("pk")[:2])
    interviewers = list(Person.objects.filter(user__username="leader")[:1]) or interviewees[:1]
    do_record_talk(
        talk,
        held_on=held,
        place=PLACE,
        interviewers=interviewers,
        interviewees=interviewees,
        facts="{}进度滞后：{}".format(project.name, state.reason_text),
        statement="前期手续办理周期长，部分要素保障未到位，将全力加快推进。",
        requirements="一、倒排工期，明确每个关键节点的完成时限；二、主要负责同志每旬调度一次；"
        "三、承诺期满前书面报告整改情况。",
        pledge="15日内完成关键节点攻坚，按旬报送进展。",
        actor=SYSTEM,
    )
    return do_follow_up_talk(talk, actor=SYSTEM, today=follow_up_on)


def generate(rng, scale, campaign, today):
    """Two talks (improved; referred and waiting) and one decided referral."""
    leader = get_user_model().objects.filter(username="leader").first()
    green = _matters(campaign, Light.GREEN, 1) or _matters(campaign, Light.YELLOW, 1)
    red = _matters(campaign, Light.RED, 2, exclude_units=[s.unit_id for s in green])
    if not green or len(red) < 2:
        return
    start = today - datetime.timedelta(days=30)
    _talk(
        campaign,
        green[0],
        leader,
        start=start,
        talk_type="reminder",
        reason="项目连续两旬亮黄灯、红灯，进度滞后。",
        follow_up_on=today,
    )
    waiting = _talk(
        campaign,
        red[0],
        leader,
        start=start,
        talk_type="warning",
        reason="项目连续亮红灯，督办单逾期未办结。",
        follow_up_on=today,
    )
    do_refer_case(
        talk=waiting,
        reason="约谈承诺期满后仍亮红灯，整改不力。",
        actor=SYSTEM,
        at=_moment(today, 15),
    )
    earlier = today - datetime.timedelta(days=75)
    decided = _talk(
        campaign,
        red[1],
        leader,
        start=earlier,
        talk_type="warning",
        reason="项目长期亮红灯，责任不清、推进不力。",
        follow_up_on=earlier + datetime.timedelta(days=21),
    )
    referral = do_refer_case(
        talk=decided,
        reason="约谈后仍亮红灯，责任单位推进不力。",
        actor=SYSTEM,
        at=_moment(earlier + datetime.timedelta(days=22)),
    )
    do_decide_referral(
        referral,
        measures=["circulate", "admonish"],
        decided_on=earlier + datetime.timedelta(days=45),
        decision="经核查，责任单位主要负责同志履职不力。给予全区通报批评，对分管负责同志进行诫勉谈话。",
        actor=SYSTEM,
    )
