"""The district demo's lists are believable: every state shows, the figures agree, the
lights follow from verified progress alone."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from vanguard.lists.models import Checkpoint, ListItem, ProgressReport
from vanguard.supervision.models import LightState

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 3)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command(
                "demo",
                "--scale",
                "district",
                "--seed",
                "1",
                "--today",
                TODAY.isoformat(),
                stdout=io.StringIO(),
            )
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_every_unit_that_leads_work_has_a_list_with_reports_in_every_state():
    assert ListItem.objects.values("unit").distinct().count() > 40
    states = dict(ProgressReport.objects.values_list("state").annotate(n=Count("pk")))
    assert states.get("submitted") and states.get("verified") and states.get("returned")
    assert not ProgressReport.objects.filter(period_start__gt=TODAY).exists()
    assert not ProgressReport.objects.filter(state="returned", return_reason="").exists()
    assert not ProgressReport.objects.filter(state="verified", verified_by=None).exists()


def test_an_items_verified_quantity_is_its_latest_verified_report():
    latest = (
        ProgressReport.objects.filter(item=OuterRef("pk"), state="verified")
        .order_by("-period_start")
        .values("quantity")[:1]
    )
    items = ListItem.objects.filter(measure="quantity").annotate(latest=Subquery(latest))
    assert items.count() > 100
    assert not [i.code for i in items if i.verified_quantity != i.latest]


def test_the_lights_follow_from_verified_progress():
    lights = dict(
        LightState.objects.filter(kind="listitem").values_list("light").annotate(n=Count("pk"))
    )
    assert lights.get("red") and lights.get("yellow") and lights.get("green"), lights
    assert sum(lights.values()) == ListItem.objects.count()
    # A milestone past due and not reached is red, whatever the unit reported.
    overdue = Checkpoint.objects.filter(
        item__measure="milestone", due_date__lt=TODAY, reached_on=None
    ).values("item")
    assert (
        not LightState.objects.filter(kind="listitem", object_id__in=overdue)
        .exclude(light="red")
        .exists()
    )


def test_most_items_are_green_and_a_few_lag():
    lights = dict(
        LightState.objects.filter(kind="listitem").values_list("light").annotate(n=Count("pk"))
    )
    total = sum(lights.values())
    assert lights.get("green", 0) > total / 2, lights
    assert lights.get("red", 0) < total / 3, lights
