"""City work on the one map (一张网一张图): grids, renewal projects, zones, roads and open cases.

Grids are polygons under their town or street office. Renewal projects are points or
polygons, demonstration zones polygons and model roads lines; each is coloured by its
status light, filtered by its kind and lead unit, and linked to its page. Their rows
pass through ``org.access.restrict`` (the map's engine) and then ``narrow_weekly``, so
the map shows the same weekly work the lists do. Open cases (``map_cases``) pass
through ``restrict`` and ``narrow_cases``, as the case lists do.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanguard.citywork.choices import PlaceKind, PlaceState, RenewalStage
from vanguard.citywork.lights import PLACE, RENEWAL
from vanguard.citywork.models import Grid, Place, RenewalKind, RenewalProject
from vanguard.maps.layers import SHAPES, Layer, register
from vanguard.org.access import narrow_weekly
from vanguard.supervision.choices import Light
from vanguard.supervision.lights import annotate_light


def _grid_properties(row):
    return {
        "label": "{} {}".format(row["code"], row["name"]),
        "url": reverse("citywork:grid", args=[row["code"]]),
        "unit": row["unit__name"],
    }


def _light(row):
    light = row["light"] or Light.GREY
    return {"light": light, "light_label": str(Light(light).label)}


def _renewal_rows(campaign):
    return annotate_light(
        RenewalProject.objects.filter(campaign=campaign), RENEWAL, campaign=campaign
    )


def _renewal_properties(row):
    return {
        "label": "{} {}".format(row["code"], row["name"]),
        "url": reverse("citywork:renewal_detail", args=[row["code"]]),
        **_light(row),
        "category": row["kind__name"],
        "stage": str(RenewalStage(row["stage"]).label),
        "progress_percent": row["progress_percent"],
        "unit": row["lead_unit__name"],
    }


def _place_rows(kind):
    def rows(campaign):
        places = Place.objects.filter(campaign=campaign, kind=kind)
        return annotate_light(places, PLACE, campaign=campaign)

    return rows


def _place_properties(row):
    return {
        "label": "{} {}".format(row["code"], row["name"]),
        "url": reverse("citywork:place_detail", args=[row["code"]]),
        **_light(row),
        "category": str(PlaceState(row["state"]).label),
        "unit": row["lead_unit__name"],
    }


def register_layers():
    from vanguard.citywork.map_cases import register_case_layer

    register_case_layer()
    register(
        Layer(
            name="grids",
            label=_("Grids"),
            kind=SHAPES,
            rows=lambda campaign: Grid.objects.all(),
            fields=("code", "name", "unit__name"),
            properties=_grid_properties,
            unit="unit",
            colour="#2a9d8f",
            order=10,
            description=_("The grids of the district, each under its town or street office."),
        )
    )
    register(
        Layer(
            name="renewal",
            label=_("Urban renewal projects"),
            kind=SHAPES,
            rows=_renewal_rows,
            fields=(
                "code",
                "name",
                "kind__name",
                "stage",
                "progress_percent",
                "lead_unit__name",
                "light",
            ),
            properties=_renewal_properties,
            light="light",
            category="kind__code",
            categories=lambda campaign: list(
                RenewalKind.objects.order_by("sort_order", "name").values_list("code", "name")
            ),
            unit="lead_unit",
            narrow=narrow_weekly,
            colour="#6f42c1",
            order=40,
            description=_("Urban renewal projects (points or areas), coloured by their light."),
        )
    )
    for kind, name, label, colour, order, description in (
        (
            PlaceKind.ZONE,
            "zones",
            _("Demonstration zones"),
            "#fd7e14",
            20,
            _("Demonstration zones (areas), coloured by their light."),
        ),
        (
            PlaceKind.ROAD,
            "roads",
            _("Model roads"),
            "#20c997",
            30,
            _("Model roads (lines), coloured by their light."),
        ),
    ):
        register(
            Layer(
                name=name,
                label=label,
                kind=SHAPES,
                rows=_place_rows(kind),
                fields=("code", "name", "state", "lead_unit__name", "light"),
                properties=_place_properties,
                light="light",
                category="state",
                categories=lambda campaign: PlaceState.choices,
                unit="lead_unit",
                narrow=narrow_weekly,
                colour=colour,
                order=order,
                description=description,
            )
        )
