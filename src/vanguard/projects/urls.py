from django.urls import path

from vanguard.projects.views import certification, exchange, milestones, progress, projects, reports

app_name = "projects"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("export.xlsx", projects.project_export, name="export"),
    path("matrix/", projects.node_matrix, name="matrix"),
    path("matrix/export.xlsx", projects.node_matrix_export, name="matrix_export"),
    path("certification/", certification.certification_queue, name="certification"),
    path("p/<str:code>/", projects.project_detail, name="detail"),
    path("p/<str:code>/report/", reports.report_form, name="report"),
    path(
        "p/<str:code>/supporting-units/",
        projects.supporting_units_form,
        name="supporting_units",
    ),
    path("p/<str:code>/nodes/<slug:node>/", milestones.milestone_detail, name="milestone"),
    path("nodes/<int:pk>/", milestones.milestone_by_id, name="milestone_by_id"),
    path(
        "p/<str:code>/nodes/<slug:node>/not-needed/",
        milestones.milestone_not_needed,
        name="milestone_not_needed",
    ),
    path(
        "p/<str:code>/nodes/<slug:node>/evidence/",
        milestones.milestone_evidence,
        name="milestone_evidence",
    ),
    path(
        "p/<str:code>/nodes/<slug:node>/evidence/<int:pk>/",
        milestones.evidence_file_download,
        name="evidence_file",
    ),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    # Target progress and the monthly progress charts (进度图).
    path("progress/", progress.progress_page, name="progress"),
    path("progress/export.xlsx", progress.progress_export, name="progress_export"),
    path("units/lights/", progress.unit_lights_page, name="unit_lights"),
    # The projects' Excel import and the dekad-report workbook.
    path("import/", exchange.project_import, name="import"),
    path("import/apply/", exchange.project_import_apply, name="import_apply"),
    path("import/template.xlsx", exchange.project_import_template, name="import_template"),
    path("reports/excel/", exchange.report_sheet, name="report_sheet"),
    path(
        "reports/excel/workbook.xlsx",
        exchange.report_sheet_download,
        name="report_sheet_download",
    ),
    path("reports/excel/apply/", exchange.report_sheet_apply, name="report_sheet_apply"),
]
