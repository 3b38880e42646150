"""A write asks for the recompute of its battle's lights alone, merged per campaign and
battle; each battle's pages state when their own lights read the facts."""

import dataclasses
import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse

from vanguard.indicators.lights import SubjectKind as IndicatorKind
from vanguard.lists.lights import GROUP as LISTS
from vanguard.org.choices import Battle
from vanguard.projects.lights import SubjectKind
from vanguard.supervision import kinds, tasks
from vanguard.supervision.choices import Light
from vanguard.supervision.kinds import LightRules, groups, kinds_in, register
from vanguard.supervision.lights import last_recompute, lights_for, recompute
from vanguard.supervision.models import LightRecompute, LightState
from vanguard.supervision.reasons import Reason

UTC = datetime.UTC


@pytest.fixture
def judged(monkeypatch):
    """The kinds judged, in order, by every recompute from now on."""
    seen = []
    for kind, rules in list(kinds.KINDS.items()):

        def judge(campaign, judging, _kind=kind, _judge=rules.judge):
            seen.append(_kind)
            return _judge(campaign, judging)

        monkeypatch.setitem(kinds.KINDS, kind, dataclasses.replace(rules, judge=judge))
    return seen


def test_every_kind_a_domain_lights_belongs_to_a_battle():
    assert groups() == [Battle.PROJECTS, Battle.INDICATORS, LISTS, Battle.CITYWORK]
    # The units' roll-up reads the projects' lights: it is judged with them.
    assert kinds_in(Battle.PROJECTS) == [
        SubjectKind.MILESTONE,
        SubjectKind.PROJECT,
        SubjectKind.UNIT,
    ]
    assert kinds_in(Battle.INDICATORS) == [IndicatorKind.INDICATOR]
    assert sorted(k for g in groups() for k in kinds_in(g)) == sorted(kinds.kinds())
    with pytest.raises(ValueError, match="No light kinds are registered in the group 'weather'"):
        kinds_in("weather")


def test_a_roll_up_may_not_read_the_lights_of_another_battle():
    rules = LightRules(
        label="Roll-up",
        judge=lambda campaign, judging: None,
        reasons={"red": Reason(Light.RED, "Red.")},
        reads=(SubjectKind.PROJECT,),
        group=Battle.INDICATORS,
    )
    with pytest.raises(ValueError, match="of another group"):
        register("crossrollup", rules)
    assert "crossrollup" not in kinds.KINDS


def test_a_certification_queues_the_recompute_of_the_projects_battle_alone(
    plan, overdue_projects, recompute_queue, certify_one, judged
):
    overdue = overdue_projects[:2]
    ids = [project.pk for project in overdue]
    recompute(plan)
    assert {s.light for s in lights_for(SubjectKind.PROJECT, ids).values()} == {Light.RED}
    indicator_lights = set(
        LightState.objects.filter(kind=IndicatorKind.INDICATOR).values_list("pk", "light", "since")
    )
    judged.clear()

    for project in overdue:
        certify_one(project)
    assert recompute_queue == [(plan.pk, Battle.PROJECTS)]  # the second joined the waiting job

    tasks.recompute_lights.call_local(plan.pk, group=Battle.PROJECTS)
    assert judged == [SubjectKind.MILESTONE, SubjectKind.PROJECT, SubjectKind.UNIT]
    assert {s.light for s in lights_for(SubjectKind.PROJECT, ids).values()} == {Light.GREEN}
    # The indicators were neither judged nor rewritten.
    assert (
        set(
            LightState.objects.filter(kind=IndicatorKind.INDICATOR).values_list(
                "pk", "light", "since"
            )
        )
        == indicator_lights
    )


def test_battles_are_merged_apart_and_a_waiting_whole_recompute_covers_them(plan, recompute_queue):
    assert tasks.request_recompute(plan.pk, Battle.PROJECTS)
    assert tasks.request_recompute(plan.pk, Battle.INDICATORS)
    assert not tasks.request_recompute(plan.pk, Battle.PROJECTS)
    assert tasks.request_recompute(plan.pk)
    assert not tasks.request_recompute(plan.pk, LISTS)
    assert recompute_queue == [
        (plan.pk, Battle.PROJECTS),
        (plan.pk, Battle.INDICATORS),
        (plan.pk, None),
    ]


def test_a_transaction_asks_once_per_campaign_and_battle(
    plan,
    recompute_queue,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        tasks.schedule_recompute([plan.pk], group=Battle.PROJECTS)
        tasks.schedule_recompute([plan.pk], group=Battle.PROJECTS)
        tasks.schedule_recompute([plan.pk], group=LISTS)
    assert len(callbacks) == 2
    assert recompute_queue == [(plan.pk, Battle.PROJECTS), (plan.pk, LISTS)]


def test_a_campaign_never_judged_is_judged_whole_by_its_first_battle_recompute(plan, judged):
    assert last_recompute(plan) is None
    recompute(plan, group=Battle.INDICATORS)
    assert sorted(judged) == sorted(kinds.kinds())
    assert LightRecompute.objects.get(campaign=plan).groups == {}


def test_each_battle_states_when_its_own_lights_read_the_facts(plan):
    recompute(plan)
    whole = last_recompute(plan)
    recompute(plan, group=Battle.PROJECTS)

    projects = last_recompute(plan, Battle.PROJECTS)
    assert projects.at > whole.at
    assert last_recompute(plan, Battle.INDICATORS).at == whole.at
    # Across battles, the oldest: some lights there read the facts no later than that.
    assert last_recompute(plan).at == whole.at
    assert last_recompute(plan).latest == projects.at

    recompute(plan)
    again = last_recompute(plan)
    assert last_recompute(plan, Battle.PROJECTS).at == again.at == again.latest > projects.at


def as_of(page):
    return re.search(r'id="as-of">(.*?)</p>', page, re.S)[1]


def test_the_pages_of_each_battle_state_their_own_lights_as_of(plan, login, office_clerk):
    recompute(plan)
    LightRecompute.objects.filter(campaign=plan).update(
        at=datetime.datetime(2026, 11, 2, 0, 5, tzinfo=UTC),
        groups={Battle.PROJECTS: "2026-11-03T01:30:00+00:00"},
    )
    client = login(office_clerk)

    def page(name):
        response = client.get(reverse(name))
        assert response.status_code == 200
        return as_of(response.content.decode())

    assert "2026-11-03 09:30" in page("projects:list")
    assert "2026-11-03 09:30" in page("projects:unit_lights")
    assert "2026-11-02 08:05" in page("indicators:forecast")
    # The overview spans the battles: its lights are as of the oldest.
    assert "2026-11-02 08:05" in page("board:overview")
