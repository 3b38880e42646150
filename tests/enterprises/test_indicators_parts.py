"""What the key enterprises add to the indicators battle: the forecast's stock, the pack's
sectors and laggards, and the way from an indicator's page to its sectors."""

import datetime
from decimal import Decimal

import pytest

from tests.indicators.conftest import TODAY
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector
from vanguard.enterprises.pack import laggard_table, sector_table
from vanguard.indicators.outlook import outlook
from vanguard.indicators.pack import gather


def row_of(result, code):
    return next(r for r in result.indicators if r.indicator.code == code)


def test_key_enterprises_expectations_weigh_in_by_their_share(
    plan, indicators_member, steady, indicator, tjj
):
    steady("retail_sales", district=5.0, city=4.0, province=4.5)
    sector = Sector.objects.create(
        campaign=plan, name="批发零售", responsible_unit=tjj, indicator=indicator("retail_sales")
    )
    shop = KeyEnterprise.objects.create(
        campaign=plan,
        name="西海岸商业集团",
        credit_code="91350100M000100Y43",
        sector=sector,
        serving_unit=tjj,
        expectation_yuan=30 * 10**8,  # 30亿 for November and December
        expectation_on=datetime.date(2026, 11, 10),
    )
    for m in range(1, 11):
        EnterpriseMonth.objects.create(
            enterprise=shop,
            month=datetime.date(2026, m, 1),
            value_yuan=10 * 10**8,
            last_year_yuan=10 * 10**8,
        )
    row = row_of(outlook(plan, indicators_member, TODAY), "retail_sales")
    support = row.support
    # Last year's rest: 100亿 over 10 months → 20亿; expecting 30亿 is +50 %.
    assert support.enterprises == 1
    assert support.expected_growth == pytest.approx(50.0)
    # Their 100亿 of last year's 1000亿 to date (100 a month, 10 months): a tenth.
    assert support.share == pytest.approx(0.1)
    # The pace for the rest of the year: 0.9 × 5 % + 0.1 × 50 % = 9.5 %, so
    # (1050 + 200 × 1.095) ÷ 1200 − 1 = 5.75 %.
    assert row.year_end.stock_pace == pytest.approx(50.0)
    assert row.year_end.growth == pytest.approx(5.75)


def test_the_pack_names_the_sectors_and_the_enterprises_behind_the_gap(
    plan, indicators_member, steady, indicator, tjj
):
    steady("retail_sales", district=3.0, city=4.0, province=4.5)
    sector = Sector.objects.create(
        campaign=plan,
        name="批发零售",
        responsible_unit=tjj,
        indicator=indicator("retail_sales"),
        guidance_growth_pct=Decimal("6"),
    )
    for n, (code, change) in enumerate((("91350100M000100Y43", -0.2), ("91110000600037341L", 0.1))):
        firm = KeyEnterprise.objects.create(
            campaign=plan,
            name="企业{}".format(n),
            credit_code=code,
            sector=sector,
            serving_unit=tjj,
        )
        for m in range(1, 11):
            EnterpriseMonth.objects.create(
                enterprise=firm,
                month=datetime.date(2026, m, 1),
                value_yuan=int(10**8 * (1 + change)),
                last_year_yuan=10**8,
            )
    pack = gather(plan, indicators_member, datetime.date(2026, 10, 1), TODAY)
    facts = pack.parts["enterprises"]
    _headers, sectors = sector_table(facts)
    assert sectors[0][0] == "批发零售" and sectors[0][5] == pytest.approx(-5.0)
    assert sectors[0][7] == pytest.approx(-11.0)  # 11 points below its guidance of 6 %
    _headers, behind = laggard_table(facts)
    assert [row[0] for row in behind] == ["企业0"]  # only the one that fell
    assert behind[0][5] == "-20000.00万元"  # 2亿 less, in 万元 as the enterprise pages show it
    assert sectors[0][4] == "19亿元"  # 10 months of 0.8亿 and 1.1亿, as the sectors page says


def test_an_indicator_page_leads_to_the_sectors_and_enterprises_behind_it(
    client, plan, indicators_member, indicator, tjj
):
    sector = Sector.objects.create(
        campaign=plan, name="批发零售", responsible_unit=tjj, indicator=indicator("retail_sales")
    )
    client.force_login(indicators_member)
    page = client.get("/indicators/retail_sales/").content.decode()
    assert 'id="indicator-sectors"' in page
    assert "/indicators/enterprises/?sector={}".format(sector.pk) in page
    assert 'id="indicators-nav"' in client.get("/indicators/forecast/").content.decode()
