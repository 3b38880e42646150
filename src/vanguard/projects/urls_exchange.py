"""Routes of the projects' Excel import and the dekad-report workbook."""

from django.urls import path

from vanguard.projects import views_exchange

urlpatterns = [
    path("import/", views_exchange.project_import, name="import"),
    path("import/apply/", views_exchange.project_import_apply, name="import_apply"),
    path("import/template.xlsx", views_exchange.project_import_template, name="import_template"),
    path("reports/excel/", views_exchange.report_sheet, name="report_sheet"),
    path(
        "reports/excel/workbook.xlsx",
        views_exchange.report_sheet_download,
        name="report_sheet_download",
    ),
    path("reports/excel/apply/", views_exchange.report_sheet_apply, name="report_sheet_apply"),
]
