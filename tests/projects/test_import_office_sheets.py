"""The project sheet as offices really send it, through the upload page: headings, footers,
hidden rows and sheets, unit short names, implausible figures, other formats, zip bombs."""

import re

import pytest
from django.utils import translation

from tests.exchange.workbooks import csv_file, make_workbook, zip_bomb
from vanguard.core.money import WAN
from vanguard.org.actions import do_update_unit
from vanguard.projects.models import Project

HEADERS = ["项目编号", "项目名称", "主责单位", "总投资（万元）"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def preview(client, file, name="projects.xlsx"):
    file.name = name
    return client.post("/projects/import/", {"file": file})


def apply(client, response, plan):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post("/projects/import/apply/", {"token": token, "campaign": plan.code})


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_section_headings_and_the_signature_footer_are_skipped_and_the_rest_imports(
    login, office_clerk, plan, fgj
):
    client = login(office_clerk)
    file = make_workbook(
        [
            ["2026年重大项目清单"],
            HEADERS,
            ["一、先进制造业项目（3个）", None, None, 5000],
            ["XHA-3001", "甲", "区发展和改革局", 5000],
            ["二、基础设施项目（1个）", None, None, 8000],  # merged across A:C, its subtotal in D
            ["XHA-3002", "乙", "区发展和改革局", 8000],
            [],
            ["填报人：张三", None, "单位负责人：李四", None],
            ["分管领导签字：", None, "填报日期：2026年3月5日", None],
            [None, None, None, "（盖章）"],
        ],
        merges=["A1:D1", "A5:C5"],
    )
    response = preview(client, file)
    content = text_of(response)
    assert response.status_code == 200
    assert 'id="apply-button"' in content
    assert "分组标题已跳过" in content and "签字行已跳过" in content
    assert apply(client, response, plan).status_code == 302
    assert sorted(Project.objects.values_list("code", flat=True)) == ["XHA-3001", "XHA-3002"]


def test_a_hidden_row_and_a_hidden_sheet_are_not_imported_and_the_preview_says_so(
    login, office_clerk, plan, fgj
):
    client = login(office_clerk)
    file = make_workbook(
        [
            HEADERS,
            ["XHA-3101", "在建项目", "区发展和改革局", 5000],
            ["XHA-3102", "已退出", "区发展和改革局", 6000],
        ],
        title="项目",
        hidden_rows=[3],
        hidden_sheets=[("勿导入", [HEADERS, ["XHA-3199", "草稿", "区发展和改革局", 1]])],
    )
    response = preview(client, file)
    content = text_of(response)
    assert "隐藏行未导入（第 3 行）" in content
    assert "工作表“勿导入”在工作簿中是隐藏的，未导入" in content
    assert apply(client, response, plan).status_code == 302
    assert list(Project.objects.values_list("code", flat=True)) == ["XHA-3101"]


def test_units_are_found_by_short_name_and_alias_and_a_typo_gets_a_suggestion(
    login, office_clerk, plan, fgj
):
    do_update_unit(fgj, actor=office_clerk, short_name="区发改局", aliases="发改局\n发展改革局")
    client = login(office_clerk)
    response = preview(
        client,
        make_workbook(
            [
                HEADERS,
                ["XHA-3201", "甲", "区发改局", 100],
                ["XHA-3202", "乙", "发展改革局", 100],
                ["XHA-3203", "丙", "区发展\u200b和改革局\n", 100],
                ["XHA-3204", "丁", "区发展和改革委", 100],
            ]
        ),
    )
    content = text_of(response)
    assert "没有名为“区发展和改革委”的单位，是否为“区发展和改革局”？" in content
    assert content.count('data-action="error"') == 1
    good = make_workbook([HEADERS, ["XHA-3201", "甲", "区发改局", 100]])
    assert apply(client, preview(client, good), plan).status_code == 302
    assert Project.objects.get(code="XHA-3201").lead_unit == fgj


@pytest.mark.parametrize(
    "extra_headers, values, column, words",
    [
        (["计划开工日期", "计划竣工日期"], ["2026-06-01", "2026-03-01"], "F", "早于"),
        (["立项", "用地手续办理"], ["2026-06-01", "2026-03-01"], "F", "顺序颠倒"),
        (["计划开工日期"], ["1900-01-01"], "E", "核对年份"),
        (["计划竣工日期"], ["2126-01-01"], "E", "核对年份"),
        (["计划开工日期"], [None], "D", "不能为 0"),
        (["计划开工日期"], [None], "D", "过大"),
    ],
)
def test_implausible_figures_are_refused_in_the_dry_run_in_words(
    login, office_clerk, plan, fgj, extra_headers, values, column, words
):
    investment = {"不能为 0": 0, "过大": "9999999999999999亿"}.get(words, 5000)
    file = make_workbook(
        [HEADERS + extra_headers, ["XHA-3301", "甲", "区发展和改革局", investment, *values]]
    )
    response = preview(login(office_clerk), file)
    content = text_of(response)
    assert 'data-cell="{}2"'.format(column) in content
    assert words in content
    assert 'id="apply-button"' not in content
    assert not Project.objects.exists()


def test_minus_signs_typed_in_any_form_are_read_as_minus(login, office_clerk, plan, fgj):
    file = make_workbook([HEADERS, ["XHA-3401", "甲", "区发展和改革局", "－5000"]])
    assert "不能为负数" in text_of(preview(login(office_clerk), file))


def test_a_gbk_csv_file_imports_like_a_workbook(login, office_clerk, plan, fgj):
    client = login(office_clerk)
    file = csv_file([HEADERS, ["XHA-3501", "甲", "区发展和改革局", "3000"]])
    response = client.post("/projects/import/", {"file": file})
    assert response.status_code == 200
    assert apply(client, response, plan).status_code == 302
    assert Project.objects.get(code="XHA-3501").investment_yuan == 3000 * WAN


@pytest.mark.parametrize("name", ["projects.xls", "projects.ods", "projects.et"])
def test_other_spreadsheet_formats_are_refused_naming_those_that_are_read(
    login, office_clerk, plan, name
):
    file = make_workbook([HEADERS])
    response = preview(login(office_clerk), file, name=name)
    assert response.status_code == 400
    content = text_of(response)
    assert "另存为 .xlsx" in content and ".csv" in content


def test_a_zip_bomb_named_xlsx_is_refused_with_a_message(login, office_clerk, plan):
    response = preview(login(office_clerk), zip_bomb(HEADERS))
    assert response.status_code == 200
    content = text_of(response)
    assert "压缩比" in content and 'id="apply-button"' not in content
    assert not Project.objects.exists()


def test_a_preview_in_english_reads_in_english_only(login, office_clerk, plan, fgj, settings):
    client = login(office_clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    file = make_workbook([HEADERS, ["XHA-3601", "甲", "区不存在局", 100]], title="项目")
    file.name = "projects.xlsx"
    # The override puts the language back after the request (the middleware leaves it set).
    with translation.override("en"):
        content = text_of(client.post("/projects/import/", {"file": file}))
    assert "There is no unit named “区不存在局”" in content
    assert "没有名为" not in content and "未找到" not in content
    # Where, in words, in the reader's language.
    assert "sheet “项目”" in content
