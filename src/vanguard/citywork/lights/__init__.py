"""The status lights of the weekly work, registered with the one light engine.

Three kinds, each judged set-based in one query from verified facts alone:
``renewal`` (a renewal project, ``lights.renewal``), ``citycampaign`` (a
city-management campaign by 序时进度, ``lights.campaigns``) and ``cityplace`` (a
demonstration zone or model road on its way to acceptance, ``lights.places``).
"""

from django.db.models import CharField, OuterRef, Subquery

from vanguard.supervision.kinds import LightRules, register

RENEWAL = "renewal"
CAMPAIGN = "citycampaign"
PLACE = "cityplace"


def _code_of(model):
    def code():
        return Subquery(
            model.objects.filter(pk=OuterRef("object_id")).values("code")[:1],
            output_field=CharField(),
        )

    return code


def register_lights():
    """Register renewal projects, city campaigns and places with the light engine."""
    from django.utils.translation import gettext_lazy as _

    from vanguard.citywork.lights import campaigns, places, renewal
    from vanguard.citywork.models import CityCampaign, Place, RenewalProject

    register(
        RENEWAL,
        LightRules(
            label=_("Renewal project"),
            judge=renewal.rows,
            reasons=renewal.REASONS,
            subject_code=_code_of(RenewalProject),
        ),
    )
    register(
        CAMPAIGN,
        LightRules(
            label=_("City-management campaign"),
            judge=campaigns.rows,
            reasons=campaigns.REASONS,
            subject_code=_code_of(CityCampaign),
            facts=campaigns.facts,
        ),
    )
    register(
        PLACE,
        LightRules(
            label=_("Demonstration zone or model road"),
            judge=places.rows,
            reasons=places.REASONS,
            subject_code=_code_of(Place),
        ),
    )
