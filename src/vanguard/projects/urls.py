from django.urls import include, path

from vanguard.projects import views, views_reports

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("matrix/", views.node_matrix, name="matrix"),
    path("matrix/export.xlsx", views.node_matrix_export, name="matrix_export"),
    path("certification/", views_reports.certification_queue, name="certification"),
    path("p/<str:code>/", views.project_detail, name="detail"),
    path("p/<str:code>/report/", views_reports.report_form, name="report"),
    path(
        "p/<str:code>/supporting-units/",
        views.supporting_units_form,
        name="supporting_units",
    ),
    path("p/<str:code>/nodes/<slug:node>/", views.milestone_detail, name="milestone"),
    path(
        "p/<str:code>/nodes/<slug:node>/not-needed/",
        views.milestone_not_needed,
        name="milestone_not_needed",
    ),
    path(
        "p/<str:code>/nodes/<slug:node>/evidence/",
        views.milestone_evidence,
        name="milestone_evidence",
    ),
    path(
        "p/<str:code>/nodes/<slug:node>/evidence/<int:pk>/",
        views.evidence_file_download,
        name="evidence_file",
    ),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("", include("vanguard.projects.urls_progress")),
    path("", include("vanguard.projects.urls_exchange")),
]
