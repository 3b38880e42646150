"""The kinds of renewal project and the acceptance checklists a new installation starts with.

The plan names five kinds (老旧小区改造, 城中村改造, 老旧街区, 背街小巷, 管网更新); the
checklists of zones and roads are a first draft. Both are data the office changes on
their pages; ``ensure_defaults`` adds what is missing and changes nothing that exists
(the migration runs it, and so do the demo and the tests).
"""

KINDS = [
    ("old-residential", "老旧小区改造"),
    ("urban-village", "城中村改造"),
    ("old-block", "老旧街区"),
    ("back-street", "背街小巷"),
    ("pipe-network", "管网更新"),
]
CRITERIA = {
    "zone": [
        ("sanitation", "环境卫生整洁，无暴露垃圾、积存渣土"),
        ("order", "市容秩序规范，无占道经营、店外经营"),
        ("illegal-building", "违法建设清零，无新增违建"),
        ("parking", "停车秩序规范，无乱停乱放"),
        ("advertising", "户外广告和招牌设置规范"),
        ("greening", "园林绿化完好，无黄土裸露"),
        ("facilities", "公共设施完好，无破损缺失"),
        ("sorting", "生活垃圾分类设施齐全、分类投放"),
    ],
    "road": [
        ("pavement", "路面平整完好，无坑洼破损"),
        ("sidewalk", "人行道畅通，无占道经营、乱堆乱放"),
        ("parking", "机动车、非机动车停放有序"),
        ("advertising", "沿街招牌广告规范统一"),
        ("greening", "行道树和绿化带完好整洁"),
        ("lighting", "路灯、标志标线等设施完好"),
        ("facade", "沿街立面整洁，无乱贴乱画"),
    ],
}


def ensure_defaults(renewal_kind=None, criterion=None):
    """Add the default kinds and criteria that are missing; return how many were added."""
    added = 0
    if renewal_kind is None or criterion is None:
        from vanguard.citywork.case_defaults import ensure_case_categories
        from vanguard.citywork.models import Criterion, RenewalKind

        # The case categories too (a migration adds them with its own model).
        added += ensure_case_categories()

        renewal_kind, criterion = renewal_kind or RenewalKind, criterion or Criterion
    for order, (code, name) in enumerate(KINDS, start=1):
        _kind, created = renewal_kind.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        added += created
    for kind, rows in CRITERIA.items():
        for order, (code, text) in enumerate(rows, start=1):
            _criterion, created = criterion.objects.get_or_create(
                kind=kind, code=code, defaults={"text": text, "sort_order": order * 10}
            )
            added += created
    return added
