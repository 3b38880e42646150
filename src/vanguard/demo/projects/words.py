"""The words the projects demo draws from: places, industries, progress told by stage,
problems and the departments that solve them.
"""

from vanguard.projects.choices import ProjectKind

PLACES = [
    "灵山湾",
    "董家口",
    "古镇口",
    "唐岛湾",
    "凤凰岛",
    "琅琊台",
    "藏马山",
    "积米崖",
    "小珠山",
    "金沙滩",
    "前湾",
    "泊里",
    "大珠山",
    "黄岛",
    "红石崖",
    "铁山",
    "海青",
    "六汪",
]

INDUSTRIES = [
    ("新能源汽车零部件", "汽车制造", ProjectKind.INDUSTRIAL),
    ("海洋高端装备", "海洋装备", ProjectKind.INDUSTRIAL),
    ("集成电路封测", "集成电路", ProjectKind.INDUSTRIAL),
    ("生物医药", "生物医药", ProjectKind.INDUSTRIAL),
    ("智能家电", "智能家电", ProjectKind.INDUSTRIAL),
    ("绿色石化新材料", "新材料", ProjectKind.INDUSTRIAL),
    ("氢能装备", "新能源", ProjectKind.INDUSTRIAL),
    ("冷链物流", "现代物流", ProjectKind.SERVICES),
    ("港航物流", "现代物流", ProjectKind.SERVICES),
    ("数据中心", "数字经济", ProjectKind.INFRASTRUCTURE),
    ("影视文化", "影视文旅", ProjectKind.SERVICES),
    ("文旅综合体", "影视文旅", ProjectKind.SERVICES),
    ("海水淡化", "基础设施", ProjectKind.INFRASTRUCTURE),
    ("城市道路", "基础设施", ProjectKind.INFRASTRUCTURE),
    ("老旧小区改造", "城市更新", ProjectKind.URBAN_RENEWAL),
    ("片区更新", "城市更新", ProjectKind.URBAN_RENEWAL),
]

SUFFIXES = ["项目", "产业园", "基地", "二期工程", "中心", "综合体"]

# What a unit writes in a dekad, by the stage the project is at: a negotiating project
# does not report construction, a started one no longer reports talks.
PROGRESS = {
    "negotiating": [
        "与投资方洽谈合作细节",
        "对接项目投资意向",
        "赴企业总部考察洽谈",
        "完成项目可行性研究初稿",
        "就选址方案与企业沟通",
    ],
    "introduced": [
        "办理立项手续",
        "办理用地手续",
        "开展规划方案设计",
        "办理环评手续",
        "施工图审查中",
        "办理施工许可手续",
        "开展施工招标",
    ],
    "started": [
        "完成场地平整，施工队伍进场",
        "完成土方开挖",
        "桩基施工完成过半",
        "主体结构施工中",
        "钢结构吊装",
        "厂房封顶",
        "配套道路施工",
        "设备采购合同签订",
    ],
    "completed": [
        "设备安装调试",
        "试生产运行",
        "配套设施完善",
        "达产达效跟踪",
    ],
}

# What the report of the dekad a stage is reached in says.
REACHED = {
    "introduced": "签订投资协议，项目落地",
    "started": "项目开工，施工队伍进场",
    "completed": "项目竣工验收，投产运营",
}

# Problems units raise in reports, and how they were solved.
BLOCKERS = [
    ("用地指标未落实", "zrj", "区自然资源局调剂用地指标"),
    ("电力接入需协调", "fgj", "供电公司完成专线接入"),
    ("环评批复待下达", "hbj", "环评报告通过审批"),
    ("施工用水未接通", "syj", "水务集团完成临时供水"),
    ("征迁未完成", "", "征迁协议全部签订"),
    ("融资未到位", "jrj", "对接银行完成项目贷款"),
    ("规划条件需调整", "zrj", "规划条件调整获批"),
]

# Departments that usually support a project's approvals (rows.SUPPORTED_SHARE of the
# projects name any).
SUPPORTING = ["zrj", "spj", "zjj", "hbj", "fgj", "swj", "tcz", "jtj", "syj", "gxj"]
