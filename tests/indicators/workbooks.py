"""Statistics bureau tables built in memory, laid out as the bureau lays them out.

A title row merged across the table ("2026年1-10月西海岸新区主要经济指标"), a two-row
header whose first cells are merged down and whose district cell is merged across
its two columns, data rows, and a footnote merged across (注：...).
"""

import io

from openpyxl import Workbook

# Typical figures for October: name, unit, 1-10月 level, growth, city growth, province growth.
OCTOBER_ROWS = [
    ["地区生产总值", "亿元", None, None, None, None],
    ["金融业增加值", "亿元", None, None, None, None],
    ["规上工业增加值", "%", None, 7.6, 7.1, 7.4],
    ["固定资产投资", "%", None, 3.2, 2.1, 4.0],
    ["社会消费品零售总额", "亿元", 812.4, 5.1, 4.6, 5.2],
    ["一般公共预算收入", "亿元", 268.3, 4.2, 3.5, 2.9],
    ["外贸进出口总额", "亿元", 1620.5, 6.8, 5.0, 4.1],
]


def statistics_sheet(workbook, rows, *, month=10, year=2026, sheet=None, title=True,
                     two_row_header=True, footnote=True, level_header=None, first=False,
                     formats=None):  # fmt: skip
    """Add one month's table to ``workbook`` (``first``: fill its initial sheet).

    ``formats`` gives cells a number format ({"D6": "0.0%"}), as Excel does when a
    person types "7.6%" into a cell.
    """
    ws = workbook.active if first else workbook.create_sheet()
    ws.title = sheet or "{}月".format(month)
    months = "1月" if month == 1 else "1-{}月".format(month)
    level_header = level_header or "{}累计".format(months)
    line = 1
    if title:
        ws.cell(line, 1, "{}年{}西海岸新区主要经济指标".format(year, months))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        line += 1
    if two_row_header:
        top, bottom = line, line + 1
        for column, text in ((1, "指标"), (2, "计量单位"), (5, "全市增速(%)"), (6, "全省增速(%)")):
            ws.cell(top, column, text)
            ws.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        ws.cell(top, 3, "西海岸新区")
        ws.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
        ws.cell(bottom, 3, level_header)
        ws.cell(bottom, 4, "同比增长(%)")
        line = bottom + 1
    else:
        headers = ["指标", "计量单位", level_header, "同比增长(%)", "全市增速(%)", "全省增速(%)"]
        for column, text in enumerate(headers, start=1):
            ws.cell(line, column, text)
        line += 1
    for row in rows:
        for column, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(line, column, value)
        line += 1
    if footnote:
        ws.cell(line, 1, "注：规上工业增加值、固定资产投资只发布增速；地区生产总值按季度核算。")
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=6)
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    return ws


def statistics_table(rows=None, **options):
    """An .xlsx file object holding one month's table (October unless ``month`` says)."""
    workbook = Workbook()
    statistics_sheet(workbook, OCTOBER_ROWS if rows is None else rows, first=True, **options)
    return save(workbook)


def monthly_tables(*months):
    """One sheet per month: ``months`` are (month, rows) pairs."""
    workbook = Workbook()
    for index, (month, rows) in enumerate(months):
        statistics_sheet(workbook, rows, month=month, first=index == 0)
    return save(workbook)


def save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer
