"""The change log: every change recorded with before/after, hash-chained, verifiable."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from vanguard.audit.log import history_of, verify_chain
from vanguard.audit.models import AppendOnlyError, ChangeEntry
from vanguard.org.actions import do_create_unit, do_update_unit
from vanguard.org.choices import UnitKind


@pytest.fixture
def unit(office_clerk):
    unit = do_create_unit(code="kjj", name="区科技局", kind=UnitKind.DEPARTMENT, actor=office_clerk)
    do_update_unit(unit, name="区科学技术局", reason="机构改革更名", actor=office_clerk)
    return unit


def test_an_update_records_who_before_after_and_why(unit, office_clerk):
    entry = history_of(unit)[0]
    assert entry.actor == office_clerk
    assert entry.before["name"] == "区科技局"
    assert entry.after["name"] == "区科学技术局"
    assert entry.reason == "机构改革更名"
    assert [f for f, _old, _new in entry.changed_fields()] == ["name"]


def test_the_unit_page_shows_its_history(login, office_clerk, unit):
    content = login(office_clerk).get("/org/units/kjj/").content.decode()
    assert "机构改革更名" in content
    assert "区科技局 → 区科学技术局" in content


def test_an_intact_chain_verifies(unit, capsys):
    assert verify_chain().ok
    call_command("audit", "verify")
    assert "2 entries verified" in capsys.readouterr().out


def test_verify_names_the_first_entry_whose_content_was_altered(unit):
    first = ChangeEntry.objects.order_by("seq").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_changeentry SET reason = %s WHERE seq = %s", ["篡改", first.seq]
        )
    result = verify_chain()
    assert result.broken_seq == first.seq
    with pytest.raises(CommandError, match="#{}".format(first.seq)):
        call_command("audit", "verify")


def test_verify_notices_a_deleted_entry(unit):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_changeentry WHERE seq = 1")
    assert verify_chain().broken_seq == 1


def test_entries_cannot_be_changed_or_deleted_through_the_model(unit):
    entry = ChangeEntry.objects.first()
    entry.reason = "x"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_stale_edit_is_refused_and_changes_nothing(unit, office_clerk):
    with pytest.raises(Exception, match="请刷新后重试"):
        do_update_unit(unit, name="另一个名字", expected={"name": "区科技局"}, actor=office_clerk)
    unit.refresh_from_db()
    assert unit.name == "区科学技术局"


def test_a_reporter_cannot_change_units(fgj_reporter, fgj):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_update_unit(fgj, name="x", actor=fgj_reporter)


def test_the_newest_change_to_a_kind_of_object_moves_with_each_change_to_it(unit, office_clerk):
    from vanguard.audit.log import newest_changes
    from vanguard.org.models import Person, Unit

    before = newest_changes(Unit, Person)
    assert before[0] == ChangeEntry.objects.filter(object_id=str(unit.pk)).first().entry_hash
    assert before[1] is None  # no person was recorded changed
    assert newest_changes(Unit, Person) == before
    do_update_unit(unit, name="区科技局", reason="复名", actor=office_clerk)
    after = newest_changes(Unit, Person)
    assert after[0] != before[0] and after[1] is None
    assert newest_changes() == ()
