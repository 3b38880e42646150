"""Sectors and key enterprises (一业一策) of the West Coast plan, made through the actions.

Shared by the enterprises tests and the indicators tests whose pages show key
enterprises (the monthly pack); they need the plan's fixtures (``tests.indicators``).
"""

import pytest

from vanguard.org.choices import UnitKind
from vanguard.org.models import Unit


def credit_code(serial, area="370211"):
    """A valid unified social credit code: a company (91) of ``area`` with the check character."""
    from vanguard.enterprises.credit_code import check_character

    first17 = "91{}{:09d}".format(area, serial)
    return first17 + check_character(first17)


@pytest.fixture
def gxj(db):
    return Unit.objects.create(code="gxj", name="区工业和信息化局", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def industry(plan, gxj, indicators_member):
    """The industry sector (工业), kept by the bureau of industry."""
    from vanguard.enterprises.actions import do_create_sector

    return do_create_sector(
        plan,
        name="工业",
        responsible_unit=gxj,
        measures="稳链补链，推动技改项目投产。",
        guidance_growth_pct=8,
        actor=indicators_member,
    )


@pytest.fixture
def enterprise(plan, industry, hdjd, indicators_member):
    """A key enterprise of industry served by Huangdao street."""
    from vanguard.enterprises.actions import do_create_enterprise

    return do_create_enterprise(
        plan,
        name="青岛海工装备有限公司",
        credit_code=credit_code(1),
        sector=industry,
        serving_unit=hdjd,
        actor=indicators_member,
    )


@pytest.fixture
def other_enterprise(plan, industry, fgj, indicators_member):
    """A key enterprise of industry served by the development and reform bureau."""
    from vanguard.enterprises.actions import do_create_enterprise

    return do_create_enterprise(
        plan,
        name="青岛新材料科技有限公司",
        credit_code=credit_code(2),
        sector=industry,
        serving_unit=fgj,
        actor=indicators_member,
    )
