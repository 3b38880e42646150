"""The change history as a reader sees it: field names, choices and times in words."""

import datetime

from vanguard.audit.models import ChangeEntry, readable_value
from vanguard.projects.models import DekadReport


def field(name):
    return DekadReport._meta.get_field(name)


def test_choices_booleans_times_and_json_read_as_words(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert readable_value(field("status"), "submitted") == str(
        dict(field("status").flatchoices)["submitted"]
    )
    assert readable_value(field("late"), False) in ("否", "no")
    assert readable_value(field("submitted_at"), "2026-11-26T16:00:00+00:00") == "2026-11-27 00:00"
    assert readable_value(None, {"3": "2026-03-01"}) == '{"3": "2026-03-01"}'
    assert readable_value(None, {}) is None


def test_a_history_entry_names_its_fields(db):
    from django.contrib.contenttypes.models import ContentType

    entry = ChangeEntry(
        content_type=ContentType.objects.get_for_model(DekadReport),
        before={"status": "submitted", "late": False},
        after={"status": "certified", "late": False},
        created_at=datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC),
    )
    [(label, old, new)] = entry.readable_changes()
    assert label == str(field("status").verbose_name)
    assert old != "submitted" and new != "certified"


def test_a_target_page_names_its_task_force_and_never_shows_keys_or_ids(
    db, settings, login, leader
):
    from django.core.management import call_command

    from vanguard.targets.models import Target

    call_command("loadplan", str(settings.PROJECT_DIR / "plans" / "xihaian.yaml"), verbosity=0)
    target = Target.objects.get(code="projects-introduced-1e8-2026")
    page = (
        login(leader)
        .get("/campaigns/xihaian-2026/targets/{}/".format(target.code))
        .content.decode()
    )
    history = page[page.index("vg-history") :]
    assert target.task_force.name in history  # 专班: a name, not "— → 2"
    for raw in ("projects.", "ID:", "版本", ": — → {}<".format(target.task_force_id)):
        assert raw not in history
