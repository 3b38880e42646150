"""The ``loadplan`` command, as the office runs it from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from vanguard.audit.models import ChangeEntry
from vanguard.org.models import Campaign
from vanguard.targets.models import Target

pytestmark = pytest.mark.django_db


def run(*args):
    """Run loadplan and return what it printed."""
    out = StringIO()
    call_command("loadplan", *args, stdout=out)
    return out.getvalue()


def test_loadplan_loads_the_file_and_prints_what_it_created(west_coast_plan):
    output = run(str(west_coast_plan))

    assert Target.objects.filter(campaign__code="xihaian-2026").count() == 16
    assert "目标 target: 新建 created 16" in output
    assert "关键节点 key node: 新建 created 7" in output


def test_loadplan_run_twice_says_no_changes(west_coast_plan):
    run(str(west_coast_plan))
    entries = ChangeEntry.objects.count()

    output = run(str(west_coast_plan))

    assert "无变化 / no changes" in output
    assert ChangeEntry.objects.count() == entries


def test_loadplan_dry_run_writes_nothing(west_coast_plan):
    output = run(str(west_coast_plan), "--dry-run")

    assert "dry run" in output
    assert not Campaign.objects.exists()
    assert not ChangeEntry.objects.exists()


def test_loadplan_lists_every_problem_of_a_bad_file_and_writes_nothing(small_plan, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        small_plan.replace(
            "battle: projects\n    name: 全年", "battle: projekts\n    name: 全年"
        ).replace("value: 600", "value: -600"),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as caught:
        run(str(bad))

    message = str(caught.value)
    assert "有 2 处错误" in message
    assert 'targets[0].battle：未知的攻坚战 "projekts"' in message
    assert "targets[0].value：不能为负数" in message
    assert not Campaign.objects.exists()


def test_loadplan_records_the_user_it_is_given(west_coast_plan, office_clerk):
    run(str(west_coast_plan), "--user", office_clerk.username)

    assert set(ChangeEntry.objects.values_list("actor_id", flat=True)) == {office_clerk.pk}


def test_loadplan_refuses_an_unknown_user(west_coast_plan):
    with pytest.raises(CommandError, match="没有用户 nobody"):
        run(str(west_coast_plan), "--user", "nobody")
    assert not Campaign.objects.exists()


def test_loadplan_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        run(str(tmp_path / "missing.yaml"))


def test_a_target_changed_in_the_plan_moves_its_checkpoints_and_recomputes_the_lights(
    west_coast_plan, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from vanguard.supervision import tasks

    asked = []
    monkeypatch.setattr(
        tasks, "request_recompute", lambda campaign, group=None: asked.append((campaign, group))
    )
    run(str(west_coast_plan))
    target = Target.objects.get(code="projects-introduced-1e8-2026")
    before = list(target.checkpoints.order_by("end_date").values_list("value", flat=True))
    text = west_coast_plan.read_text(encoding="utf-8")
    changed = tmp_path / "plan.yaml"
    changed.write_text(text.replace("value: 230", "value: 260", 1), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text

    with django_capture_on_commit_callbacks(execute=True):
        run(str(changed))

    target.refresh_from_db()
    assert target.value == 260
    after = list(target.checkpoints.order_by("end_date").values_list("value", flat=True))
    assert after != before and after[-1] == 260
    # A plan's change may touch every battle: the whole campaign is judged again.
    assert asked == [(target.campaign_id, None)]
    with django_capture_on_commit_callbacks(execute=True):
        run(str(changed))  # nothing changed: nothing to recompute
    assert asked == [(target.campaign_id, None)]
