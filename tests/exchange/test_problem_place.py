"""Where an import problem is, said in words beside Excel's notation."""

from django.utils import translation

from vanguard.exchange.importing import Problem


def test_a_cell_reads_as_sheet_row_and_column():
    problem = Problem("不是数字", sheet="项目", row=5, column="C", header="主责单位")
    assert problem.where == "项目!C5 (主责单位)"
    with translation.override("zh-hans"):
        assert problem.place == "工作表“项目” 第5行 C列（主责单位）"
    with translation.override("en"):
        assert problem.place == "sheet “项目”, row 5, column C (主责单位)"


def test_a_whole_row_reads_as_sheet_and_row():
    with translation.override("zh-hans"):
        assert Problem("x", sheet="11月", row=2).place == "工作表“11月” 第2行"
