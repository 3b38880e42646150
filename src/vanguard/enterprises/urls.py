"""Routes of sectors and key enterprises, under the indicators battle's /indicators/ path."""

from django.urls import path

from vanguard.blockers import views as problems
from vanguard.enterprises import problems as enterprise_problems
from vanguard.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("sectors/", views.sector_list, name="sectors"),
    path("sectors/new/", views.sector_edit, name="sector_new"),
    path("sectors/<int:pk>/edit/", views.sector_edit, name="sector_edit"),
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/new/", views.enterprise_edit, name="new"),
    path("enterprises/export.xlsx", views.enterprise_export, name="export"),
    # The one open-problems page, narrowed to key enterprises.
    path(
        "enterprises/problems/",
        problems.problem_list,
        {"source": enterprise_problems.SOURCE.key},
        name="problems",
    ),
    path(
        "enterprises/problems/<int:pk>/resolve/", problems.resolve_problem, name="resolve_problem"
    ),
    path("enterprises/<str:code>/", views.enterprise_detail, name="detail"),
    path("enterprises/<str:code>/edit/", views.enterprise_edit, name="edit"),
]
