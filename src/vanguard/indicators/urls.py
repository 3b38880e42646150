"""Routes of the indicators battle (the sheet's routes come first: an indicator code is a path)."""

from django.urls import path

from vanguard.blockers import views as problems
from vanguard.indicators import (
    problems_enterprises,
    views,
    views_enterprises,
    views_exchange,
    views_outlook,
)

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views_exchange.statistics_import, name="import"),
    path("import/apply/", views_exchange.statistics_import_apply, name="import_apply"),
    path("export.xlsx", views_exchange.statistics_export, name="export"),
    path("forecast/", views_outlook.forecast_page, name="forecast"),
    path("pack/", views_outlook.pack_page, name="pack"),
    path("pack.docx", views_outlook.pack_docx, name="pack_docx"),
    path("pack.xlsx", views_outlook.pack_xlsx, name="pack_xlsx"),
    path("sectors/", views_enterprises.sector_list, name="sectors"),
    path("sectors/new/", views_enterprises.sector_edit, name="sector_new"),
    path("sectors/<int:pk>/edit/", views_enterprises.sector_edit, name="sector_edit"),
    path("enterprises/", views_enterprises.enterprise_list, name="enterprises"),
    path("enterprises/new/", views_enterprises.enterprise_edit, name="enterprise_new"),
    path("enterprises/export.xlsx", views_enterprises.enterprise_export, name="enterprise_export"),
    # The one open-problems page, narrowed to key enterprises.
    path(
        "enterprises/problems/",
        problems.problem_list,
        {"source": problems_enterprises.SOURCE.key},
        name="problems",
    ),
    path(
        "enterprises/problems/<int:pk>/resolve/", problems.resolve_problem, name="resolve_problem"
    ),
    path("enterprises/<str:code>/", views_enterprises.enterprise_detail, name="enterprise"),
    path("enterprises/<str:code>/edit/", views_enterprises.enterprise_edit, name="enterprise_edit"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
    path("<slug:code>/enter/", views.enter_observation, name="enter"),
]
