"""Major projects on the map (一张网一张图): each project with coordinates, coloured by its
status light, filtered by stage and lead unit, linked to its page."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.maps.layers import POINTS, Layer, register
from vanguard.projects.choices import Stage
from vanguard.projects.lights import SubjectKind
from vanguard.projects.models import Project
from vanguard.supervision.choices import Light
from vanguard.supervision.models import LightState


def _rows(campaign):
    light = LightState.objects.filter(
        campaign=campaign, kind=SubjectKind.PROJECT, object_id=OuterRef("pk")
    ).values("light")[:1]
    return Project.objects.filter(
        campaign=campaign, longitude__isnull=False, latitude__isnull=False
    ).annotate(light=Subquery(light))


def _properties(row):
    light = row["light"] or Light.GREY
    return {
        "label": "{} {}".format(row["code"], row["name"]),
        "url": reverse("projects:detail", args=[row["code"]]),
        "light": light,
        "light_label": str(Light(light).label),
        "category": str(Stage(row["stage"]).label),
        "unit": row["lead_unit__name"],
    }


def register_layer():
    register(
        Layer(
            name="projects",
            label=_("Major projects"),
            kind=POINTS,
            rows=_rows,
            fields=("code", "name", "stage", "lead_unit__name", "light"),
            properties=_properties,
            light="light",
            # A project's light is a lookup per row: a district-wide view of a city's
            # projects is summed up by count alone.
            cluster_lights_up_to=20_000,
            category="stage",
            categories=lambda campaign: Stage.choices,
            unit="lead_unit",
            colour="#0d6efd",
            cluster=True,
            order=50,
            description=_("Major projects with coordinates, coloured by their status light."),
        )
    )
