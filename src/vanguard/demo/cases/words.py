"""What demo cases say: how often each category and source comes, and their words."""

# Sources and their shares of a year's cases (数字城管 practice: most found by patrols).
SOURCES = [
    ("patrol", 45),
    ("hotline", 25),
    ("citizen", 18),
    ("inspection", 6),
    ("volunteer", 4),
    ("open311", 2),
]

# Subcategory code -> relative frequency; the rest of the defaults come rarely (1).
FREQUENCY = {
    "exposed-garbage": 30,
    "street-stalls": 22,
    "illegal-parking": 18,
    "small-ads": 16,
    "outside-shop": 12,
    "dirty-road": 10,
    "road-spill": 6,
    "muck-piles": 6,
    "street-lamp": 6,
    "site-dust": 5,
    "outdoor-ads": 4,
    "manhole": 4,
    "damaged-green": 4,
    "guardrail": 3,
    "traffic-sign": 3,
    "illegal-building": 3,
    "night-noise": 3,
    "dirty-water": 2,
    "waterlogging": 2,
    "fallen-tree": 1,
    "pipe-burst": 1,
    "road-collapse": 1,
}

# Departments that handle some categories wherever they are (the demo's routes), by the
# demo units' codes: main category or subcategory -> unit code.
ROUTES = {
    "traffic": "jtj",
    "utilities": "cgj",
    "manhole": "syj",
    "pipe-burst": "syj",
    "waterlogging": "syj",
    "road-collapse": "jtj",
    "site-dust": "zjj",
    "illegal-parking": "gaj",
    "illegal-building": "zfj",
}
# Where an upheld return sends a case when the first unit was not the right one.
RETURN_TO = ["zfj", "cgj", "zjj", "syj"]

WHAT = {
    "exposed-garbage": ["垃圾堆放未清运", "路边垃圾桶满溢", "绿化带内有生活垃圾"],
    "street-stalls": ["流动摊贩占道经营", "早市摊点占用人行道", "夜市摊点越线经营"],
    "illegal-parking": ["机动车占用人行道停放", "非机动车乱停乱放", "车辆堵塞消防通道"],
    "small-ads": ["墙面张贴小广告", "电线杆上喷涂小广告", "楼道内张贴办证广告"],
    "outside-shop": ["商户店外摆放货物", "餐馆店外经营", "店外堆放杂物"],
    "dirty-road": ["路面油污未清理", "人行道积尘", "路面散落杂物"],
    "road-spill": ["渣土车遗撒", "运输车辆沿途撒漏"],
    "muck-piles": ["路边堆放建筑渣土", "空地积存渣土未覆盖"],
    "street-lamp": ["路灯不亮", "路灯灯杆倾斜"],
    "site-dust": ["工地裸土未覆盖", "工地出口车辆带泥上路"],
    "outdoor-ads": ["户外广告牌破损", "未经审批设置户外广告"],
    "manhole": ["井盖缺失", "井盖破损下陷"],
    "damaged-green": ["绿地被踩踏损坏", "绿化带苗木缺失"],
    "guardrail": ["道路护栏倒伏", "护栏被撞损坏"],
    "traffic-sign": ["交通标志牌缺失", "标志牌被遮挡"],
    "illegal-building": ["私搭乱建彩钢棚", "楼顶违法搭建", "院落违建扩建"],
    "night-noise": ["夜间施工噪声扰民"],
    "dirty-water": ["河道漂浮垃圾", "沟渠水面污染"],
    "waterlogging": ["雨后路面积水", "下穿通道积水"],
    "fallen-tree": ["行道树倒伏压占道路"],
    "pipe-burst": ["供水管道破裂冒水"],
    "road-collapse": ["路面塌陷出现坑洞"],
}
SPOTS = ["路口", "公交站旁", "小区门口", "菜市场附近", "学校周边", "商业街", "背街小巷", "公园东门"]
ROADS = [
    "长江中路",
    "香江路",
    "珠江路",
    "井冈山路",
    "庐山路",
    "峨眉山路",
    "滨海大道",
    "嘉陵江路",
    "漓江路",
    "黄河路",
    "淮河路",
    "武夷山路",
    "昆仑山路",
    "太行山路",
    "紫金山路",
    "海军路",
    "灵山湾路",
    "月亮湾路",
    "隐珠路",
    "世纪大道",
]
RETURN_REASONS = ["属地不符，应由其他单位处置", "权属不清，请重新派遣", "职能交叉，非本单位职责"]
REFUSED = "经核对网格及派遣规则，属本单位职责"
POSTPONE_REASONS = [
    "需协调产权单位",
    "涉及多个部门，需联合处置",
    "材料采购周期较长",
    "天气原因暂无法施工",
]
FAILED = ["现场仍有残留", "问题反弹，未彻底整改", "整改不到位"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
