"""Synthetic, deterministic organisation data: West Coast units, people and roles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from vanguard.audit.choices import DEMO_REASON, ChangeAction
from vanguard.audit.log import Change, record_changes, snapshot
from vanguard.org.choices import Battle, Role, UnitKind
from vanguard.org.models import Person, RoleAssignment, TaskForce, Unit

DEMO_PASSWORD = "Vanguard-2026"
# Accounts the demo creates first; a deployment where the shared password still opens one
# of them was started with `make run` or `vanguard demo` (see accounts.checks).
FIRST_ACCOUNTS = ("office", "leader", "sysadmin", "secadmin", "auditor", "fgj_1")

DEPARTMENTS = [
    ("fgj", "区发展和改革局"),
    ("gxj", "区工业和信息化局"),
    ("czj", "区财政局"),
    ("tjj", "区统计局"),
    ("swj", "区商务局"),
    ("zjj", "区住房和城乡建设局"),
    ("zrj", "区自然资源局"),
    ("hbj", "区生态环境分局"),
    ("spj", "区行政审批服务局"),
    ("cgj", "区城市管理局"),
    ("jtj", "区交通运输局"),
    ("syj", "区水务管理局"),
    ("kjj", "区科技局"),
    ("rsj", "区人力资源和社会保障局"),
    ("nyj", "区农业农村局"),
    ("wlj", "区文化和旅游局"),
    ("scj", "区市场监督管理局"),
    ("yjj", "区应急管理局"),
    ("jrj", "区金融发展服务中心"),
    ("tcz", "区投资促进中心"),
    ("hyj", "区海洋发展局"),
    ("jtj2", "区教育和体育局"),
    ("wjj", "区卫生健康局"),
    ("mzj", "区民政局"),
    ("sjj", "区审计局"),
    ("sfj", "区司法局"),
    ("zfj", "区综合行政执法局"),
    ("gaj", "区公安分局交通警察大队"),
    ("dsj", "区大数据发展管理局"),
    ("xfj", "区信访局"),
]
STREETS = [
    ("hdjd", "黄岛街道"),
    ("xjdjd", "薛家岛街道"),
    ("xajd", "辛安街道"),
    ("cjljd", "长江路街道"),
    ("hsyjd", "红石崖街道"),
    ("lswjd", "灵山卫街道"),
    ("yzjd", "隐珠街道"),
    ("zhjd", "珠海街道"),
    ("zsjd", "珠山街道"),
    ("tsjd", "铁山街道"),
    ("lzsjd", "灵珠山街道"),
    ("zjljd", "张家楼街道"),
    ("bhjd", "滨海街道"),
    ("lwz", "六汪镇"),
    ("wtz", "王台镇"),
    ("dcz", "大场镇"),
    ("dcz2", "大村镇"),
    ("bsz", "宝山镇"),
    ("hqz", "海青镇"),
    ("cnz", "藏南镇"),
    ("blz", "泊里镇"),
    ("lyz", "琅琊镇"),
    ("jhjjq", "胶河经济区"),
]
ZONES = [
    ("djk", "董家口经济区管委"),
    ("zdsty", "中德生态园管委"),
    ("lswyszq", "灵山湾影视文化产业区"),
    ("gzk", "古镇口融合创新区"),
    ("gjjjhz", "国际经济合作区管委"),
    ("qdgx", "青岛前湾保税港区"),
]
ENTERPRISES = [
    ("xhafz", "西海岸发展集团"),
    ("rfjt", "融发集团"),
    ("hfjt", "海发集团"),
    ("xhaxcd", "西海岸新城投资集团"),
    ("xhajt", "西海岸交通发展集团"),
    ("xhasw", "西海岸水务集团"),
    ("xhacy", "西海岸城乡建设集团"),
]
CITY_DISTRICTS = [
    ("snq", "市南区"),
    ("sbq", "市北区"),
    ("lcq", "李沧区"),
    ("lsq", "崂山区"),
    ("cyq", "城阳区"),
    ("jmq", "即墨区"),
    ("jzs", "胶州市"),
    ("pds", "平度市"),
    ("lxs", "莱西市"),
]
# The province's other cities, for the province scale.
PROVINCE_CITIES = [
    ("jn", "济南市"),
    ("zb", "淄博市"),
    ("zz", "枣庄市"),
    ("dy", "东营市"),
    ("yt", "烟台市"),
    ("wf", "潍坊市"),
    ("jnn", "济宁市"),
    ("ta", "泰安市"),
    ("wh", "威海市"),
    ("rz", "日照市"),
    ("ly", "临沂市"),
    ("dz", "德州市"),
    ("lc", "聊城市"),
    ("bz", "滨州市"),
    ("hz", "菏泽市"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇浩然晨阳婷雪梅琳晓东海峰波丹欣怡子涵俊凯"
POSTS_LEAD = ["局长", "主任", "党工委书记", "总经理"]
POSTS_STAFF = ["科长", "副科长", "科员", "综合科科员", "项目专员", "统计员"]


# username, unit code, post, role, task force battle, unit reported for
ACCOUNT_SPECS = [
    ("office", "zhb", "办公室主任", Role.OFFICE, None, None),
    ("leader", None, "区委书记", Role.LEADER, None, None),
    ("tf_indicators", "tjj", "重点指标专班成员", Role.TASK_FORCE_MEMBER, Battle.INDICATORS, None),
    ("tf_projects", "fgj", "重大项目专班成员", Role.TASK_FORCE_MEMBER, Battle.PROJECTS, None),
    ("tf_citywork", "cgj", "重要工作专班成员", Role.TASK_FORCE_MEMBER, Battle.CITYWORK, None),
    ("reporter_fgj", "fgj", "项目专员", Role.UNIT_REPORTER, None, "fgj"),
    ("reporter_hdjd", "hdjd", "综合科科员", Role.UNIT_REPORTER, None, "hdjd"),
    ("reporter_tjj", "tjj", "统计员", Role.UNIT_REPORTER, None, "tjj"),
    ("inspector", None, "区纪委监委第一监督检查室", Role.DISCIPLINE_INSPECTOR, None, None),
    ("sysadmin", "dsj", "系统管理员", Role.SYSTEM_ADMIN, None, None),
    ("secadmin", "dsj", "安全保密管理员", Role.SECURITY_ADMIN, None, None),
    ("auditor", "sjj", "安全审计员", Role.AUDIT_ADMIN, None, None),
]
ACCOUNTS = [(a[0], a[2], Role(a[3]).label) for a in ACCOUNT_SPECS]


def _name(rng):
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng):
    return "1{}{:09d}".format(rng.choice("35789"), rng.randrange(10**9))


def made_up_name(rng):
    """A made-up name of a resident or a member: a surname and one or two given characters."""
    return _name(rng)


def made_up_phone(rng):
    """A made-up mobile number of the 1xx0000xxxx form that test data uses, valid as typed."""
    return "1{}{}0000{:04d}".format(rng.choice("3578"), rng.randrange(10), rng.randrange(10**4))


def unit_specs(scale, count=None):
    """(code, name, kind) of every unit at a scale; the West Coast first, then the city,
    then (province scale) the departments and streets of the province's other cities and
    their counties, ``count`` units in all (never fewer than the district's).
    """
    specs = [("zhb", "区攻坚行动指挥部办公室", UnitKind.DEPARTMENT)]
    specs += [(c, n, UnitKind.DEPARTMENT) for c, n in DEPARTMENTS]
    specs += [(c, n, UnitKind.STREET) for c, n in STREETS]
    specs += [(c, n, UnitKind.OTHER) for c, n in ZONES]
    specs += [(c, n, UnitKind.ENTERPRISE) for c, n in ENTERPRISES]
    if scale == "city":
        for dcode, dname in CITY_DISTRICTS:
            for code, name in DEPARTMENTS:
                specs.append((f"{dcode}-{code}", dname + name[1:], UnitKind.DEPARTMENT))
            for i in range(1, 75):
                specs.append((f"{dcode}-jd{i:02d}", f"{dname}第{i}街道", UnitKind.STREET))
        specs = specs[:1000]
    if scale == "province":
        specs = unit_specs("city") + list(_province_unit_specs())
        specs = specs[: max(count, len(unit_specs("district")))]
    return specs


def _province_unit_specs():
    """The province's other cities: each city's departments, then each county's
    departments and streets."""
    for ccode, cname in PROVINCE_CITIES:
        for code, name in DEPARTMENTS:
            yield (f"{ccode}-{code}", cname + name[1:], UnitKind.DEPARTMENT)
    for ccode, cname in PROVINCE_CITIES:
        for county in range(1, 31):
            prefix = "{}第{}县".format(cname, county)
            for code, name in DEPARTMENTS:
                yield (f"{ccode}-x{county:02d}-{code}", prefix + name[1:], UnitKind.DEPARTMENT)
            for street in range(1, 11):
                yield (
                    f"{ccode}-x{county:02d}-jd{street:02d}",
                    "{}第{}街道".format(prefix, street),
                    UnitKind.STREET,
                )


def generate(rng, scale, campaign):
    """Create units, people and role assignments in bulk; return the named demo accounts."""
    User = get_user_model()
    units = Unit.objects.bulk_create(
        [Unit(code=c, name=n, kind=k) for c, n, k in unit_specs(scale)], batch_size=2000
    )
    password = make_password(DEMO_PASSWORD)
    task_forces = {tf.battle: tf for tf in TaskForce.objects.filter(campaign=campaign)}

    accounts = ACCOUNT_SPECS
    by_code = {u.code: u for u in units}
    admins = {"sysadmin", "secadmin", "auditor"}

    users, people_specs = [], []
    for username, unit_code, post, *_rest in accounts:
        users.append(User(username=username, password=password, is_staff=username in admins))
        people_specs.append((by_code.get(unit_code), post))
    # Every unit has a head and one or two reporters.
    for unit in units:
        for i in range(rng.choice((2, 3))):
            users.append(User(username=f"{unit.code}_{i + 1}", password=password))
            post = rng.choice(POSTS_LEAD) if i == 0 else rng.choice(POSTS_STAFF)
            people_specs.append((unit, post))
    users = User.objects.bulk_create(users, batch_size=2000)
    people = Person.objects.bulk_create(
        [
            Person(user=user, name=_name(rng), unit=unit, post=post, phone=_phone(rng))
            for user, (unit, post) in zip(users, people_specs, strict=True)
        ],
        batch_size=2000,
    )

    roles = []
    for person, (_u, _unit, _post, role, battle, reporter_unit) in zip(
        people, accounts, strict=False
    ):
        roles.append(
            RoleAssignment(
                person=person,
                role=role,
                task_force=task_forces.get(battle) if battle else None,
                unit=by_code[reporter_unit] if reporter_unit else None,
            )
        )
    for person in people[len(accounts) :]:
        if person.post in POSTS_STAFF:
            roles.append(RoleAssignment(person=person, role=Role.UNIT_REPORTER, unit=person.unit))
    roles = RoleAssignment.objects.bulk_create(roles, batch_size=2000)

    record_changes(
        [
            Change(obj, ChangeAction.CREATE, after=snapshot(obj), reason=DEMO_REASON)
            for obj in (*units, *people, *roles)
        ],
        actor=None,
    )
    return ACCOUNTS
