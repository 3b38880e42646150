"""The case categories (大类/小类) and time limits a new installation starts with.

A first draft after the national classes (GB/T 30428.2: 事件 and 部件) and published
local time limits (济源: 暴露垃圾 1 工作日, 积存渣土 4 工作日, 道路不洁 5 工作时, 违法
搭建 15 工作日; emergencies in 紧急工作时). The office changes them as data;
``ensure_case_categories`` adds what is missing and changes nothing that exists.
"""

from vanguard.calendar.worktime import TimeUnit

WD, WH, H = TimeUnit.WORKING_DAYS.value, TimeUnit.WORKING_HOURS.value, TimeUnit.HOURS.value

# (code, name, kind, [(code, name, limit, unit, condition for closing)])
CATEGORIES = [
    (
        "sanitation",
        "市容环境",
        "event",
        [
            ("exposed-garbage", "暴露垃圾", 1, WD, "垃圾清运干净，无残留"),
            ("muck-piles", "积存渣土", 4, WD, "渣土清运完毕，场地平整"),
            ("dirty-road", "道路不洁", 5, WH, "路面清扫干净"),
            ("illegal-building", "违法建设", 15, WD, "违建拆除完毕，恢复原状"),
            ("dirty-water", "水域不洁", 15, WD, "水面漂浮物清理干净"),
        ],
    ),
    (
        "advertising",
        "宣传广告",
        "event",
        [
            ("small-ads", "非法小广告", 2, WD, "小广告清除干净"),
            ("outdoor-ads", "违规户外广告", 5, WD, "违规广告拆除或整改到位"),
        ],
    ),
    (
        "construction",
        "施工管理",
        "event",
        [
            ("site-dust", "工地扬尘", 1, WD, "落实覆盖、洒水等抑尘措施"),
            ("road-spill", "道路遗撒", 4, WH, "遗撒物清理干净"),
            ("night-noise", "夜间施工噪声", 2, H, "停止违规施工"),
        ],
    ),
    (
        "street-order",
        "街面秩序",
        "event",
        [
            ("street-stalls", "占道经营", 2, WH, "摊点清离，路面恢复通行"),
            ("outside-shop", "店外经营", 1, WD, "物品收回店内"),
            ("illegal-parking", "乱停乱放", 3, WH, "车辆驶离或规范停放"),
        ],
    ),
    (
        "emergency",
        "突发事件",
        "event",
        [
            ("road-collapse", "道路塌陷", 3, H, "设置围挡并修复路面"),
            ("pipe-burst", "管道破裂", 3, H, "关阀止水并修复"),
            ("waterlogging", "道路积水", 3, H, "积水排除"),
        ],
    ),
    (
        "utilities",
        "公用设施",
        "component",
        [
            ("manhole", "井盖缺损", 3, H, "井盖补齐或更换"),
            ("street-lamp", "路灯损坏", 2, WD, "路灯修复亮灯"),
        ],
    ),
    (
        "traffic",
        "道路交通",
        "component",
        [
            ("guardrail", "护栏损坏", 3, WD, "护栏修复"),
            ("traffic-sign", "交通标志损坏", 3, WD, "标志修复或更换"),
        ],
    ),
    (
        "greening",
        "园林绿化",
        "component",
        [
            ("fallen-tree", "行道树倒伏", 3, H, "倒伏树木清理或扶正"),
            ("damaged-green", "绿地损坏", 5, WD, "绿地补植恢复"),
        ],
    ),
]


def ensure_case_categories(category_model=None):
    """Add the default categories that are missing; return how many were added."""
    if category_model is None:
        from vanguard.citywork.models import CaseCategory as category_model
    existing = set(category_model.objects.values_list("code", flat=True))
    added = 0
    for order, (code, name, kind, children) in enumerate(CATEGORIES, start=1):
        parent = category_model.objects.filter(code=code).first()
        if parent is None:
            parent = category_model.objects.create(
                code=code, name=name, kind=kind, sort_order=order * 100
            )
            added += 1
        for position, (child, child_name, limit, unit, condition) in enumerate(children, 1):
            if child in existing:
                continue
            category_model.objects.create(
                code=child,
                name=child_name,
                kind=kind,
                parent=parent,
                time_limit=limit,
                time_unit=unit,
                close_condition=condition,
                sort_order=order * 100 + position,
            )
            added += 1
    return added
