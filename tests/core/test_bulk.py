"""core.bulk: rows written by insert_rows read back exactly as the ORM would have saved them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from vanguard.core.bulk import insert_objects, insert_rows, reserve_ids
from vanguard.projects.choices import ReportStatus, SizeClass
from vanguard.projects.models import DekadReport, Milestone, Project

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 3, 11, 9, 30, 15, 123456, tzinfo=datetime.UTC)
# The same moment written in Beijing time: stored as the same UTC instant.
SUBMITTED_BEIJING = datetime.datetime(
    2026, 3, 11, 17, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)

PROJECT_FIELDS = (
    "id",
    "campaign",
    "code",
    "name",
    "lead_unit_id",
    "investment_yuan",
    "size_class",
    "latitude",
    "longitude",
    "introduced_planned",
)


def project_row(pk, campaign, unit, code, **extra):
    values = {
        "latitude": Decimal("35.960123"),
        "longitude": 120.180456,  # a float, rounded to the field's digits as a save would
        "introduced_planned": datetime.date(2026, 2, 1),
        **extra,
    }
    return (
        pk,
        campaign.pk,
        code,
        "项目" + code,
        unit.pk,
        3 * 10**8,
        SizeClass.SIZE_1E8.value,
        values["latitude"],
        values["longitude"],
        values["introduced_planned"],
    )


def test_reserved_ids_follow_the_highest_id_ever_used(campaign, fgj):
    [first] = reserve_ids(Project, 1)
    insert_rows(Project, PROJECT_FIELDS, [project_row(first, campaign, fgj, "A-1")])
    Project.objects.filter(pk=first).delete()
    # A deleted id is not handed out again: the change log may still name it.
    assert list(reserve_ids(Project, 3))[0] > first
    assert reserve_ids(Project, 0) == []


def test_dates_decimals_and_defaults_read_back_as_the_orm_saves_them(campaign, fgj):
    saved = Project.objects.create(
        campaign=campaign,
        code="ORM-1",
        name="项目ORM-1",
        lead_unit=fgj,
        investment_yuan=3 * 10**8,
        size_class=SizeClass.SIZE_1E8,
        latitude=Decimal("35.960123"),
        longitude=120.180456,
        introduced_planned=datetime.date(2026, 2, 1),
    )
    saved.refresh_from_db()
    [pk] = reserve_ids(Project, 1)
    assert insert_rows(Project, PROJECT_FIELDS, [project_row(pk, campaign, fgj, "BULK-1")]) == 1
    bulk = Project.objects.get(pk=pk)
    fields = ("latitude", "longitude", "introduced_planned", "stage", "kind", "version", "sector")
    assert [getattr(bulk, f) for f in fields] == [getattr(saved, f) for f in fields]
    assert bulk.longitude == Decimal("120.180456")
    assert bulk.stage == "negotiating" and bulk.version == 1 and bulk.address == ""
    # auto_now and auto_now_add fields get the time of the insert.
    assert abs(bulk.created_at - saved.created_at) < datetime.timedelta(minutes=1)
    assert bulk.updated_at == bulk.created_at


def test_aware_datetimes_are_stored_as_utc_and_booleans_as_booleans(campaign, fgj, office_clerk):
    [pk] = reserve_ids(Project, 1)
    insert_rows(Project, PROJECT_FIELDS, [project_row(pk, campaign, fgj, "R-1")])
    fields = (
        "project_id",
        "unit_id",
        "period",
        "period_start",
        "period_end",
        "due_date",
        "progress",
        "submitted_by_id",
        "submitted_at",
        "late",
        "status",
    )
    common = (pk, fgj.pk)
    dekad = ("2026-03-D1", datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    insert_rows(
        DekadReport,
        fields,
        [
            (*common, *dekad, datetime.date(2026, 3, 12), "进展", office_clerk.pk, SUBMITTED, True)
            + (ReportStatus.CERTIFIED.value,),
            (*common, *dekad, datetime.date(2026, 3, 12), "更正", office_clerk.pk)
            + (SUBMITTED_BEIJING, 0, ReportStatus.SUBMITTED.value),
        ],
    )
    first, second = DekadReport.objects.filter(project_id=pk).order_by("pk")
    assert first.submitted_at == SUBMITTED == second.submitted_at
    assert first.late is True and second.late is False
    assert first.period_end == datetime.date(2026, 3, 10)
    assert first.investment_yuan == 0 and first.return_reason == "" and first.supersedes is None
    # Filtering by the moment in SQL finds both: the stored text (SQLite) or
    # timestamptz (PostgreSQL) is what the ORM itself writes.
    assert DekadReport.objects.filter(submitted_at=SUBMITTED).count() == 2


def test_an_ordinary_save_after_a_bulk_insert_gets_a_fresh_id(campaign, fgj):
    ids = reserve_ids(Project, 3)
    insert_rows(
        Project,
        PROJECT_FIELDS,
        [project_row(pk, campaign, fgj, "SEQ-{}".format(pk)) for pk in ids],
    )
    later = Project.objects.create(
        campaign=campaign,
        code="SEQ-LATER",
        name="后建",
        lead_unit=fgj,
        investment_yuan=1,
        size_class=SizeClass.BELOW_1E8,
    )
    assert later.pk > max(ids)


def test_a_row_with_the_wrong_number_of_values_is_refused(campaign, fgj):
    with pytest.raises(ValueError, match="needs 10 values"):
        insert_rows(Project, PROJECT_FIELDS, [project_row(1, campaign, fgj, "X")[:-1]])
    assert not Project.objects.exists()


def test_insert_objects_saves_instances_with_ids_children_can_use(campaign, fgj):
    projects = insert_objects(
        Project(
            campaign=campaign,
            code="OBJ-{}".format(i),
            name="对象",
            lead_unit=fgj,
            investment_yuan=i,
            size_class=SizeClass.BELOW_1E8,
            latitude=Decimal("36.1"),
        )
        for i in range(3)
    )
    assert all(p.pk and not p._state.adding for p in projects)
    node = campaign.key_nodes.create(code="approval", name="立项")
    insert_rows(Milestone, ("project", "node"), [(p.pk, node.pk) for p in projects])
    stored = Project.objects.get(code="OBJ-2")
    assert stored.pk == projects[2].pk and stored.investment_yuan == 2
    assert stored.latitude == Decimal("36.1") and stored.created_at == projects[2].created_at
    assert Milestone.objects.filter(project__code__startswith="OBJ-").count() == 3
    assert Milestone.objects.first().state == "pending"


def test_many_rows_go_in_batches(campaign, fgj):
    ids = reserve_ids(Project, 25)
    rows = (project_row(pk, campaign, fgj, "B-{}".format(pk)) for pk in ids)
    assert insert_rows(Project, PROJECT_FIELDS, rows, batch_size=10) == 25
    assert Project.objects.count() == 25
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'projects_project'")
            assert cursor.fetchone()[0] == max(ids)


def test_indexes_deferred_drops_a_tables_indexes_for_a_load_and_builds_them_again(db):
    from vanguard.citywork.models import Case
    from vanguard.core.bulk import indexes_deferred

    def indexes():
        return {
            index["columns"][0]
            for index in _indexes(Case).values()
            if index["index"] and index["columns"] and not index["primary_key"]
        }

    before = indexes()
    assert {"unit_id", "campaign_id", "min_lon"} <= before
    with indexes_deferred(Case):
        if connection.vendor == "sqlite":
            # Only the index behind the UNIQUE column (and the key) stays for the load.
            assert indexes() < before and "unit_id" not in indexes()
        else:
            assert indexes() == before
    assert indexes() == before


def _indexes(model):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


def test_copy_rows_streams_rows_that_read_back_as_the_orm_saves_them(campaign, fgj):
    from django.db import NotSupportedError

    from vanguard.core.bulk import copy_rows, next_id

    rows = (project_row(pk, campaign, fgj, "C-{}".format(pk)) for pk in range(1000, 1003))
    if connection.vendor != "postgresql":
        with pytest.raises(NotSupportedError):
            copy_rows(Project, PROJECT_FIELDS, rows)
        return
    first = next_id(Project)
    rows = (project_row(pk, campaign, fgj, "C-{}".format(pk)) for pk in range(first, first + 3))
    assert copy_rows(Project, PROJECT_FIELDS, rows) == 3
    stored = Project.objects.get(pk=first + 1)
    assert stored.latitude == Decimal("35.960123") and stored.longitude == Decimal("120.180456")
    assert stored.version == 1 and stored.stage == "negotiating" and stored.created_at
    # The sequence moved past the ids the load numbered.
    assert next_id(Project) > first + 2


def test_keys_and_indexes_deferred_makes_them_again_and_still_checks_the_keys(campaign, fgj):
    from django.db import IntegrityError, transaction

    from vanguard.core.bulk import copy_rows, keys_and_indexes_deferred

    if connection.vendor != "postgresql":
        with keys_and_indexes_deferred(Milestone):
            assert _indexes(Milestone)
        return
    before = _indexes(Milestone)
    with keys_and_indexes_deferred(Milestone):
        assert set(_indexes(Milestone)) < set(before)
    assert _indexes(Milestone) == before
    project = Project.objects.create(
        campaign=campaign,
        code="K-1",
        name="K",
        lead_unit=fgj,
        investment_yuan=1,
        size_class=SizeClass.SIZE_1E8,
    )
    # A key node that does not exist: let in by the load, caught by the key made again.
    with pytest.raises(IntegrityError), transaction.atomic(), keys_and_indexes_deferred(Milestone):
        copy_rows(Milestone, ("project_id", "node_id"), [(project.pk, 999_999)])
