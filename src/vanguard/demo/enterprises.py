"""Synthetic sectors (一业一策), key enterprises, their monthly figures, visits and problems.

Deterministic for a seed. Eight sectors, each with a responsible unit, measures and a
guidance target; a few grow slower than their target (finance, wholesale and retail,
real estate, foreign trade), so the sectors page has something to show. The district
has about 120 key enterprises served by its towns, streets and zones, each with a
year of monthly figures to the last month over and last year's same months, most with
an expectation for the rest of the year, and about 60 visits raising about 40 problems,
some still open. The city scale adds key enterprises up to 10,000, with their figures,
written through ``core.bulk.insert_rows`` and logged as one summary entry per table.
"""

import datetime
import random

from django.db import connection

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.blockers.choices import BlockerState
from vanguard.blockers.models import Blocker
from vanguard.core.bulk import insert_rows, reserve_ids, sqlite_cache
from vanguard.core.figures import FigureSource
from vanguard.demo.org import SURNAMES
from vanguard.enterprises import problems as problems_enterprises
from vanguard.enterprises.actions import default_figure_kind, indicator_for_sector
from vanguard.enterprises.credit_code import ALPHABET, check_character
from vanguard.enterprises.models import EnterpriseMonth, KeyEnterprise, Sector, Visit
from vanguard.indicators.actions import last_complete_month
from vanguard.indicators.models import Indicator
from vanguard.org.choices import Role, UnitKind
from vanguard.org.models import Person, RoleAssignment, Unit

# name, responsible unit, indicator fed when the name does not find one, guidance growth %,
# the enterprises' mean growth %, enterprises in the district, monthly size range in 万元
SECTORS = [
    ("工业", "gxj", None, 7.5, 8.6, 34, (1500, 60000)),
    ("金融业", "jrj", None, 10.0, 7.2, 10, (800, 20000)),
    ("批发零售", "swj", "retail_sales", 6.0, 4.6, 18, (600, 15000)),
    ("住宿餐饮", "wlj", "retail_sales", 8.0, 9.1, 10, (80, 1500)),
    ("房地产", "zjj", "fixed_asset_investment", -2.0, -5.5, 10, (1000, 30000)),
    ("交通运输", "jtj", None, 5.0, 6.3, 12, (500, 12000)),
    ("信息技术", "kjj", None, 12.0, 15.4, 13, (300, 8000)),
    ("外贸", "swj", None, 6.0, 2.8, 13, (1000, 40000)),
]
MEASURES = {
    "工业": "1. 稳链补链，落实重点工业企业“一企一策”包联服务；\n"
    "2. 推动技改项目早投产、早达效；\n3. 协调用电、用气、用工等要素保障。",
    "金融业": "1. 引导银行机构加大信贷投放，确保存贷款增速高于全市；\n"
    "2. 争取金融机构区域总部落户；\n3. 推动企业上市挂牌和债券融资。",
    "批发零售": "1. 开展促消费活动，落实以旧换新政策；\n"
    "2. 推动限上批零企业应统尽统、月度入库；\n3. 培育直播电商等新业态。",
    "住宿餐饮": "1. 结合旅游旺季举办美食节、啤酒节；\n2. 推动限上住餐企业入库；\n"
    "3. 发放文旅消费券。",
    "房地产": "1. 优化商品房供应结构，落实购房支持政策；\n2. 推进保交楼和存量项目盘活；\n"
    "3. 加快城市更新项目开工。",
    "交通运输": "1. 稳定港口集装箱和大宗货物吞吐量；\n2. 推动多式联运和物流企业升规；\n"
    "3. 保障重点物流通道畅通。",
    "信息技术": "1. 培育软件和信息技术服务企业升规纳统；\n2. 推进数据中心和算力项目建设；\n"
    "3. 落实数字经济扶持政策。",
    "外贸": "1. 组织企业参加境外展会，稳订单拓市场；\n2. 落实出口退税提速和信保支持；\n"
    "3. 培育跨境电商和市场采购贸易。",
}
NAME_HEADS = [
    "海晟", "港联", "蓝谷", "凤凰", "琅琊", "灵山湾", "董家口", "前湾", "唐岛", "金沙",
    "珠山", "海青", "泊里", "积米崖", "星海", "华信", "海达", "鲁港", "中德", "东方",
]  # fmt: skip
NAME_TRADES = {
    "工业": ["海洋装备", "汽车零部件", "新材料", "石化", "智能家电", "生物医药", "船舶"],
    "金融业": ["农村商业银行", "融资租赁", "证券", "保险", "小额贷款"],
    "批发零售": ["商贸", "供应链管理", "汽车销售服务", "石油销售", "百货"],
    "住宿餐饮": ["大酒店", "餐饮管理", "度假酒店", "食品"],
    "房地产": ["置业", "房地产开发", "城市建设发展", "物业发展"],
    "交通运输": ["国际物流", "港口发展", "集装箱码头", "运输", "冷链物流"],
    "信息技术": ["数据科技", "软件", "信息技术", "智能科技", "云计算"],
    "外贸": ["进出口", "国际贸易", "跨境电商", "外贸服务"],
}
FINDINGS = [
    "企业生产经营总体平稳，订单饱满，预计四季度产值环比增长。",
    "企业新产线正在调试，预计下月满产。",
    "受原材料价格上涨影响，利润空间收窄，产量保持稳定。",
    "企业反映海外订单减少，正在开拓新兴市场。",
    "企业技改项目已完工，产能提升约两成。",
    "企业经营正常，希望加大政策宣传和申报辅导。",
    "企业计划明年扩产，正在办理用地手续。",
]
# problem, unit that owns it (None: the serving unit), how it was solved
PROBLEMS = [
    ("技术工人招工难，用工缺口较大", "rsj", "区人社局组织专场招聘会，解决用工120人"),
    ("流动资金紧张，贷款即将到期需续贷", "jrj", "协调合作银行办理无还本续贷"),
    ("新增设备用电扩容需供电公司协调", "gxj", "供电公司完成扩容改造"),
    ("扩产项目用地指标未落实", "zrj", "纳入下批次用地报批计划"),
    ("技改项目环评批复待下达", "hbj", "环评已批复"),
    ("出口退税到账慢，资金占用多", "swj", "税务部门开通退税绿色通道"),
    ("厂区周边道路破损，影响物流车辆通行", None, "街道协调完成道路修复"),
    ("天然气供应配额不足", "gxj", "协调燃气公司增加供气量"),
    ("人才公寓需求未满足", None, "协调人才公寓房源30套"),
    ("物流成本偏高，希望对接港口优惠政策", "jtj", "对接港口集团落实装卸费优惠"),
    ("企业申报专精特新需辅导", "gxj", "组织专题辅导并完成申报"),
    ("消防验收手续办理缓慢", None, "协调住建部门完成消防验收"),
]
CONTACT_POSTS = ["经理", "总经理", "主任", "部长"]
# Areas of the city's districts in credit codes (the West Coast is 370211).
AREA_CODES = ["370211", "370202", "370203", "370212", "370213", "370214", "370215"]
CITY_ENTERPRISES = 10_000
ENTERPRISE_FIELDS = (
    "id",
    "campaign_id",
    "name",
    "credit_code",
    "sector_id",
    "serving_unit_id",
    "figure_kind",
    "contact_name",
    "contact_phone",
    "expectation_yuan",
    "expectation_on",
    "version",
)
MONTH_FIELDS = (
    "enterprise_id",
    "month",
    "value_yuan",
    "last_year_yuan",
    "version",
    "source",
    "recorded_at",
)
SEASON = [0.78, 0.70, 0.98, 0.97, 1.0, 1.05, 0.98, 0.99, 1.03, 1.0, 1.04, 1.3]


def _months(campaign, today):
    """The campaign's months whose figures are recorded by ``today`` (on the 8th of the next)."""
    last = min(last_complete_month(today), datetime.date(campaign.year, 12, 1))
    if last.year != campaign.year:
        return []
    months = [datetime.date(campaign.year, m, 1) for m in range(1, last.month + 1)]
    return [m for m in months if _recorded_at(m).date() <= today]


class CodeMaker:
    """Unique, valid unified social credit codes: 91 (a company), an area, an organisation code."""

    def __init__(self, rng):
        self.rng = rng
        self.seen = set()

    def make(self, area="370211"):
        while True:
            body = "".join(self.rng.choice(ALPHABET) for _ in range(9))
            first17 = "91" + area + body
            code = first17 + check_character(first17)
            if code not in self.seen:
                self.seen.add(code)
                return code


def _serving_units(scale):
    """Towns, streets and zones serve most enterprises; city scale adds the city's units."""
    units = list(Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.OTHER]).order_by("pk"))
    if scale != "city":
        return [u for u in units if "-" not in u.code]
    return units


def _reporters():
    """One reporter account per unit (the first by id), who enters its enterprises' figures."""
    rows = (
        RoleAssignment.objects.filter(role=Role.UNIT_REPORTER)
        .order_by("unit_id", "person__user_id")
        .values_list("unit_id", "person__user_id")
    )
    reporters = {}
    for unit_id, user_id in rows:
        reporters.setdefault(unit_id, user_id)
    return reporters


def _phone(rng):
    return "1{}{:09d}".format(rng.choice("35789"), rng.randrange(10**9))


def _yuan(wan):
    """An amount in 万元 as yuan, to the hundred."""
    return int(round(wan * 100)) * 100


def _figures(rng, months, size_wan, growth_pct):
    """(month, value, last year's value) in yuan: a seasonal path with noise."""
    rows = []
    for month in months:
        value = size_wan * SEASON[month.month - 1] * rng.uniform(0.9, 1.1)
        growth = growth_pct + rng.gauss(0, 4)
        last = value / (1 + growth / 100)
        rows.append((month, _yuan(value), _yuan(last)))
    return rows


def _create_sectors(campaign, units):
    indicators = {i.code: i for i in Indicator.objects.filter(campaign=campaign)}
    sectors = []
    for order, (name, unit_code, fed, guidance, _mean, _count, _size) in enumerate(SECTORS, 1):
        unit = units.get(unit_code)
        if unit is None:
            continue
        sectors.append(
            Sector(
                campaign=campaign,
                name=name,
                responsible_unit=unit,
                measures=MEASURES[name],
                guidance_growth_pct=guidance,
                indicator=indicator_for_sector(campaign, name) or indicators.get(fed),
                sort_order=order,
            )
        )
    return Sector.objects.bulk_create(sectors)


def generate(rng, scale, campaign, today):
    """Create the sectors, key enterprises, figures, visits and problems up to ``today``."""
    rng = random.Random(rng.getrandbits(64))
    units = {u.code: u for u in Unit.objects.filter(code__in=_unit_codes())}
    sectors = _create_sectors(campaign, units)
    serving = _serving_units(scale)
    months = _months(campaign, today)
    if not sectors or not serving:
        return {}
    codes = CodeMaker(rng)
    changes = [
        Change(s, ChangeAction.CREATE, after=snapshot(s), reason=DEMO_REASON) for s in sectors
    ]
    profiles = {s.name: next(p for p in SECTORS if p[0] == s.name) for s in sectors}
    enterprises, plans, names = [], [], set()
    for sector in sectors:
        _name, _unit, _fed, _guidance, mean, count, (low, high) = profiles[sector.name]
        for _i in range(count):
            unit = serving[rng.randrange(len(serving))]
            enterprises.append(
                KeyEnterprise(
                    campaign=campaign,
                    name=_company_name(rng, sector, names),
                    credit_code=codes.make(),
                    sector=sector,
                    serving_unit=unit,
                    figure_kind=default_figure_kind(sector),
                    contact_name=rng.choice(SURNAMES) + rng.choice(CONTACT_POSTS),
                    contact_phone=_phone(rng),
                )
            )
            plans.append((rng.uniform(low, high), mean + rng.gauss(0, 3)))
    enterprises = KeyEnterprise.objects.bulk_create(enterprises)
    reporters = _reporters()
    figures = []
    for enterprise, (size, growth) in zip(enterprises, plans, strict=True):
        reporter = reporters.get(enterprise.serving_unit_id)
        for month, value, last in _figures(rng, months, size, growth):
            figures.append(
                EnterpriseMonth(
                    enterprise=enterprise,
                    month=month,
                    value_yuan=value,
                    last_year_yuan=last,
                    source=FigureSource.DEMO,
                    recorded_by_id=reporter,
                    recorded_at=_recorded_at(month),
                )
            )
        if months and rng.random() < 0.8:
            remaining = 12 - months[-1].month
            enterprise.expectation_yuan = _yuan(size * remaining * rng.uniform(0.9, 1.15))
            enterprise.expectation_on = today - datetime.timedelta(days=rng.randint(3, 25))
    KeyEnterprise.objects.bulk_update(
        [e for e in enterprises if e.expectation_yuan is not None],
        ["expectation_yuan", "expectation_on"],
    )
    figures = EnterpriseMonth.objects.bulk_create(figures, batch_size=2000)
    visits, blockers = _visits(rng, enterprises, units, reporters, today)
    changes += [
        Change(e, ChangeAction.CREATE, after=snapshot(e), reason=DEMO_REASON) for e in enterprises
    ]
    changes += [
        Change(f, ChangeAction.CREATE, after=snapshot(f), reason=DEMO_REASON) for f in figures
    ]
    changes += [
        Change(v, ChangeAction.CREATE, after=snapshot(v), reason=DEMO_REASON) for v in visits
    ]
    changes += [
        Change(b, ChangeAction.CREATE, after=snapshot(b), reason=DEMO_REASON) for b in blockers
    ]
    record_changes(changes, actor=None)
    totals = {
        "sectors": len(sectors),
        "enterprises": len(enterprises),
        "months": len(figures),
        "visits": len(visits),
        "blockers": len(blockers),
    }
    if scale == "city":
        totals.update(_city(rng, campaign, sectors, profiles, serving, months, codes, today))
    return totals


def _unit_codes():
    codes = {s[1] for s in SECTORS}
    return codes | {p[1] for p in PROBLEMS if p[1]}


def _company_name(rng, sector, taken):
    """A company name not drawn before: 青岛 + a place or brand + the sector's trade."""
    trades = NAME_TRADES[sector.name]
    while True:
        name = "青岛{}{}有限公司".format(rng.choice(NAME_HEADS), rng.choice(trades))
        if name not in taken:
            taken.add(name)
            return name


def _recorded_at(month):
    following = (month + datetime.timedelta(days=32)).replace(day=8)
    return datetime.datetime.combine(following, datetime.time(10), tzinfo=datetime.UTC)


def _visitors(rng, people, unit):
    names = people.get(unit.pk) or ["工作人员"]
    chosen = rng.sample(names, min(len(names), rng.choice((1, 2))))
    return "{} {}".format(unit.name, "、".join(chosen))


def _visits(rng, enterprises, units, reporters, today):
    """About 60 visits over the last five months, about 40 problems, a third still open."""
    people = {}
    for unit_id, name in Person.objects.filter(
        unit_id__in={e.serving_unit_id for e in enterprises}
    ).values_list("unit_id", "name"):
        people.setdefault(unit_id, []).append(name)
    visited = rng.sample(enterprises, min(len(enterprises), 48))
    visits = []
    for enterprise in visited:
        for _n in range(rng.choice((1, 1, 1, 2))):
            day = today - datetime.timedelta(days=rng.randint(2, 150))
            visits.append(
                Visit(
                    enterprise=enterprise,
                    visited_on=day,
                    visitors=_visitors(rng, people, enterprise.serving_unit),
                    findings=rng.choice(FINDINGS),
                    recorded_by_id=reporters.get(enterprise.serving_unit_id),
                    recorded_at=datetime.datetime.combine(
                        day, datetime.time(16), tzinfo=datetime.UTC
                    ),
                )
            )
    visits.sort(key=lambda v: (v.visited_on, v.enterprise.credit_code))
    visits = Visit.objects.bulk_create(visits)
    blockers = []
    for visit in visits:
        for _n in range(rng.choice((0, 0, 0, 1, 1, 1, 2))):
            title, owner, resolution = rng.choice(PROBLEMS)
            unit = units.get(owner) if owner else None
            age = (today - visit.visited_on).days
            solved = age > 20 and rng.random() < 0.75
            blockers.append(
                Blocker(
                    campaign_id=visit.enterprise.campaign_id,
                    title=title,
                    unit=unit or visit.enterprise.serving_unit,
                    state=BlockerState.RESOLVED if solved else BlockerState.OPEN,
                    raised_on=visit.visited_on,
                    resolved_on=(
                        visit.visited_on + datetime.timedelta(days=rng.randint(5, age - 1))
                        if solved
                        else None
                    ),
                    resolution=resolution if solved else "",
                    source_kind=problems_enterprises.SOURCE.key,
                    source_id=visit.enterprise_id,
                    occasion_id=visit.pk,
                    raised_by_id=visit.recorded_by_id,
                )
            )
    return visits, Blocker.objects.bulk_create(blockers)


def _city(rng, campaign, sectors, profiles, serving, months, codes, today):
    """Key enterprises up to 10,000 across the city's units, with their monthly figures."""
    count = CITY_ENTERPRISES - KeyEnterprise.objects.filter(campaign=campaign).count()
    if count <= 0:
        return {}
    weights = [profiles[s.name][5] for s in sectors]
    kinds = {s.pk: default_figure_kind(s).value for s in sectors}
    ids = reserve_ids(KeyEnterprise, count)
    enterprises, figures = [], []
    remaining = 12 - months[-1].month if months else 0
    given_on = today - datetime.timedelta(days=10)
    for enterprise_id, i in zip(ids, range(count), strict=True):
        sector = rng.choices(sectors, weights)[0]
        _name, _unit, _fed, _guidance, mean, _count, (low, high) = profiles[sector.name]
        unit = serving[rng.randrange(len(serving))]
        size = rng.uniform(low, high) / 4
        growth = mean + rng.gauss(0, 3)
        expects = months and rng.random() < 0.7
        enterprises.append(
            (
                enterprise_id,
                campaign.pk,
                "青岛{}{}有限公司（{:05d}）".format(
                    NAME_HEADS[i % len(NAME_HEADS)], NAME_TRADES[sector.name][0], i + 1
                ),
                codes.make(AREA_CODES[rng.randrange(len(AREA_CODES))]),
                sector.pk,
                unit.pk,
                kinds[sector.pk],
                "",
                "",
                _yuan(size * remaining) if expects else None,
                given_on if expects else None,
                1,
            )
        )
        for month in months:
            value = size * SEASON[month.month - 1] * (0.9 + 0.2 * rng.random())
            last = value / (1 + (growth + 8 * (rng.random() - 0.5)) / 100)
            figures.append(
                (
                    enterprise_id,
                    month,
                    _yuan(value),
                    _yuan(last),
                    1,
                    FigureSource.DEMO,
                    _recorded_at(month),
                )
            )
    with sqlite_cache():
        insert_rows(KeyEnterprise, ENTERPRISE_FIELDS, enterprises)
        insert_rows(EnterpriseMonth, MONTH_FIELDS, figures)
    record_changes(
        [
            Change(
                campaign,
                ChangeAction.CREATE,
                after={"demo": "key enterprises", "enterprises": count, "months": len(figures)},
                reason=DEMO_REASON,
            )
        ],
        actor=None,
    )
    with connection.cursor() as cursor:
        for model in (KeyEnterprise, EnterpriseMonth):
            cursor.execute("ANALYZE {}".format(connection.ops.quote_name(model._meta.db_table)))
    return {"city_enterprises": count, "city_months": len(figures)}
