"""The status lights of the weekly work, registered with the one light engine.

Three kinds, each judged set-based in one query from verified facts alone:
``renewal`` (a renewal project, ``lights.renewal``), ``citycampaign`` (a
city-management campaign by 序时进度, ``lights.campaigns``) and ``cityplace`` (a
demonstration zone or model road on its way to acceptance, ``lights.places``).
"""

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

from vanguard.org.choices import Battle
from vanguard.supervision.kinds import LightRules, register

RENEWAL = "renewal"
CAMPAIGN = "citycampaign"
PLACE = "cityplace"
CASE = "citycase"


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
            group=Battle.CITYWORK,
            judge=renewal.rows,
            reasons=renewal.REASONS,
            subject_code=_code_of(RenewalProject),
        ),
    )
    register(
        CAMPAIGN,
        LightRules(
            label=_("City-management campaign"),
            group=Battle.CITYWORK,
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
            group=Battle.CITYWORK,
            judge=places.rows,
            reasons=places.REASONS,
            subject_code=_code_of(Place),
        ),
    )


def register_case_lights():
    """Register city cases with the light engine: their time limits make their lights."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Concat, LPad
    from django.utils.translation import gettext_lazy as _

    from vanguard.citywork.lights import cases

    def case_number():
        return Concat(
            Value("AJ"),
            LPad(Cast("object_id", CharField()), 8, Value("0")),
            output_field=CharField(),
        )

    register(
        CASE,
        LightRules(
            label=_("City case"),
            group=Battle.CITYWORK,
            judge=cases.rows,
            reasons=cases.REASONS,
            subject_code=case_number,
            # The bulletin counts cases by their own facts (queries.case_bulletin), and an
            # overdue case is pressed within its flow, not by a supervision order each.
            in_bulletin=False,
            escalate=False,
        ),
    )
