"""The statistics table as offices keep it, through the upload page: percent cells, growth
rates far from the usual ones, and a sheet whose name says another month than its title."""

import re
from decimal import Decimal

import pytest

from tests.indicators.conftest import OCTOBER, TODAY
from tests.indicators.test_import_pages import apply, upload
from tests.indicators.workbooks import OCTOBER_ROWS, statistics_table
from vanguard.indicators.actions import do_submit_observation
from vanguard.indicators.models import Observation

pytestmark = pytest.mark.django_db
# Rows of OCTOBER_ROWS start below a title and a two-row header.
FIRST_ROW = 4
INDUSTRY_ROW = FIRST_ROW + 2  # 规上工业增加值
RETAIL_ROW = FIRST_ROW + 4  # 社会消费品零售总额


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def growth(code, level="district"):
    return (
        Observation.objects.current()
        .get(indicator__code=code, area__level=level, month=OCTOBER)
        .growth_pct
    )


def test_a_growth_typed_as_a_percentage_in_a_percent_cell_is_stored_as_typed(
    login, plan, tjj_reporter
):
    rows = [list(r) for r in OCTOBER_ROWS]
    rows[2][3] = 0.078  # "7.8%" typed into a percent cell is stored as 0.078
    rows[2][4] = 0.071
    file = statistics_table(
        rows, formats={"D{}".format(INDUSTRY_ROW): "0.0%", "E{}".format(INDUSTRY_ROW): "0.0%"}
    )
    client = login(tjj_reporter)
    preview = upload(client, file)
    assert "7.8" in text_of(preview) and "异常" not in text_of(preview)
    assert apply(client, preview).status_code == 302
    assert growth("industrial_value_added") == Decimal("7.80")
    assert growth("industrial_value_added", "city") == Decimal("7.10")


def test_a_growth_far_from_the_indicators_usual_ones_is_pointed_out_in_the_preview(
    login, plan, tjj_reporter, indicator, area
):
    do_submit_observation(
        indicator("retail_sales"), area("district"), OCTOBER.replace(month=9),
        actor=tjj_reporter, level=700, growth_pct="5.2", today=TODAY,
    )  # fmt: skip
    rows = [list(r) for r in OCTOBER_ROWS]
    rows[4][3] = 51  # 5.1 with its decimal point lost
    rows[5][3] = 0.042  # 4.2% typed as a fraction in a plain cell
    page = text_of(upload(login(tjj_reporter), statistics_table(rows)))
    assert "增速 51% 异常" in page and "其他月份约为 5.2%" in page and "漏了小数点" in page
    assert "写成了 0.04（单元格未设为百分比格式）" in page
    # A warning, not a refusal: the person decides.
    assert 'id="apply-button"' in page


def test_a_sheet_named_for_another_month_than_its_title_is_refused(login, plan, tjj_reporter):
    page = text_of(upload(login(tjj_reporter), statistics_table(sheet="9月")))
    assert "工作表名称“9月”与其标题" in page and "2026年10月" in page
    assert 'id="apply-button"' not in page
    assert not Observation.objects.exists()


def test_without_its_title_a_sheet_is_read_for_the_month_its_name_says(login, plan, tjj_reporter):
    file = statistics_table(title=False, sheet="9月", level_header="本年累计")
    client = login(tjj_reporter)
    preview = upload(client, file, name="table.xlsx")
    assert "2026年1-9月" in text_of(preview)
    assert apply(client, preview).status_code == 302
    assert set(Observation.objects.values_list("month", flat=True)) == {OCTOBER.replace(month=9)}
